"""The floor for the meeting benchmark: a bare Channels broadcast room.

It relays every frame it receives to everyone in its room through the portal's own channel
layer (the same settings, so the same Redis), and does nothing else: no session, no database,
no checks. Whatever the portal's room costs beyond this is the portal's own work.

    daphne -b 127.0.0.1 -p 9100 bench.bare_asgi:application
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


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


application = ProtocolTypeRouter({
    "websocket": URLRouter([path("ws/bare/<str:room>/", BareBroadcastConsumer.as_asgi())]),
})
