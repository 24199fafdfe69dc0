"""The floors for the meeting benchmark: two bare Channels broadcast rooms.

`/ws/bare/<room>/` relays every frame it receives to everyone in its room through the
portal's own channel layer (the same settings, so the same Redis), and does nothing else: no
session, no database, no checks.

`/ws/durable/<room>/` first writes each frame as one row in the database (one INSERT,
committed) through Django's database settings and the threads the meeting room uses
(`meeting.consumers.in_room_thread`: the same pool), and only then relays it: what keeping a
change durably costs at the least. Whatever the portal's room costs beyond this is its own
work (the access rule, the event log's numbering, the change's key).

    daphne -b 127.0.0.1 -p 9100 bench.bare_asgi:application
"""

import asyncio
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import path  # noqa: E402

from meeting.consumers import in_room_thread  # noqa: E402

TABLE = "bench_durable_frame"
CREATE_TABLE = (f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, "
                "room varchar(64) NOT NULL, frame text NOT NULL, "
                "written_at timestamptz NOT NULL DEFAULT now())")


class BareBroadcastConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.group = f"bare.{self.scope['url_route']['kwargs']['room']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(self.group, {"type": "bare.frame", "text": text_data})

    async def bare_frame(self, message):
        await self.send(text_data=message["text"])


def open_connection() -> None:
    # Looked up on the room thread: `connection.ensure_connection` taken on the event loop
    # would be the loop's own connection, which that thread may not use.
    connection.ensure_connection()


def write_frame(room: str, text: str) -> None:
    """One row, committed (autocommit), on a room thread's pooled connection."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (room, frame) VALUES (%s, %s)", [room, text])


class DurableBroadcastConsumer(BareBroadcastConsumer):
    """Writes, then relays. Like the room, it writes from a task of its own, in the order
    frames came, so that the room's frames keep reaching this person meanwhile."""

    async def connect(self):
        # The pool's connections open now, as the room's do on arrival: the benchmark counts
        # the CPU of the database's backends that are there when the load starts.
        await in_room_thread(open_connection)()
        self.frames = asyncio.Queue()
        self.writing = asyncio.create_task(self.write_and_relay())
        await super().connect()

    async def disconnect(self, code):
        self.writing.cancel()
        await super().disconnect(code)

    async def receive(self, text_data=None, bytes_data=None):
        self.frames.put_nowait(text_data)

    async def write_and_relay(self):
        save = in_room_thread(write_frame)
        while True:
            text = await self.frames.get()
            await save(self.group, text)
            await super().receive(text)


application = ProtocolTypeRouter({
    "websocket": URLRouter([
        path("ws/bare/<str:room>/", BareBroadcastConsumer.as_asgi()),
        path("ws/durable/<str:room>/", DurableBroadcastConsumer.as_asgi()),
    ]),
})
