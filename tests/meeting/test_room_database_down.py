"""The meeting room while the database is down: a change is refused for now with a clear
error frame, the socket stays open, and the same change sent again lands once."""

import asyncio
import threading

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.db import OperationalError, connection

from meeting.consumers import NOT_SAVED_YET, ROOM_THREADS
from meeting.models import Comment
from tests.meeting.test_room_consumer import change, first_item, join, next_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


class DatabaseSwitch:
    """Every query the room makes fails as a stopped PostgreSQL fails it, while down."""

    def __init__(self):
        self.down = False

    def __call__(self, execute, sql, params, many, context):
        if self.down:
            raise OperationalError("connection failed: server closed the connection")
        return execute(sql, params, many, context)

    async def on_every_thread(self, function):
        """`function` on each thread the room's database work runs in: Channels' database
        thread, and every one of the room's own (each holds the barrier until all have come,
        so that each runs on a thread of its own)."""
        await database_sync_to_async(function)()
        threads = ROOM_THREADS._max_workers
        barrier = threading.Barrier(threads)
        await asyncio.gather(*(asyncio.wrap_future(ROOM_THREADS.submit(
            lambda: (function(), barrier.wait(timeout=10)))) for _ in range(threads)))

    def add(self):
        if self not in connection.execute_wrappers:
            connection.execute_wrappers.append(self)

    def remove(self):
        if self in connection.execute_wrappers:
            connection.execute_wrappers.remove(self)


async def test_a_change_while_the_database_is_down_is_kept_for_later_and_lands_once(
        review, coordinator):
    switch = DatabaseSwitch()
    host, _, _ = await join(coordinator, review)
    await next_of(host, "presence")  # in the room: the database goes down only now
    item = await first_item(review)
    await switch.on_every_thread(switch.add)

    switch.down = True
    await change(host, "comment.add", "key-while-down", item=item.pk, text="Noted.")
    refused = await next_of(host, "error")
    assert refused == {"type": "error", "key": "key-while-down", "error": NOT_SAVED_YET,
                       "retry": True}
    await host.send_json_to({"type": "ping", "v": 1})
    assert (await next_of(host, "pong"))["type"] == "pong", "the socket is still open"

    switch.down = False
    for _ in range(2):  # sent again, and again after its answer was lost
        await change(host, "comment.add", "key-while-down", item=item.pk, text="Noted.")
        assert (await next_of(host, "ack"))["key"] == "key-while-down"
    assert await sync_to_async(Comment.objects.filter(text="Noted.").count)() == 1
    await host.disconnect()
    await switch.on_every_thread(switch.remove)
