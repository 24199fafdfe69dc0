"""WebSocket consumers shared by the whole portal."""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from agencies.middleware import mfa_step_needed
from agencies.session_end import person_sockets_group, session_sockets_group

# What a socket takes in one frame: its size, and how deeply its JSON may nest (every
# message of the portal's protocols nests two deep: {"payload": {...}}).
MAX_FRAME = 64 * 1024
MAX_DEPTH = 8


def person_group(user_id: int) -> str:
    """The channel-layer group that carries one person's updates (their lists, their home)."""
    return f"person.{user_id}"


def nested_deeper_than(value, depth: int) -> bool:
    """Whether JSON `value` has objects or arrays nested more than `depth` deep, read level
    by level (no recursion to exhaust)."""
    level = [value] if isinstance(value, dict | list) else []
    while level:
        if depth == 0:
            return True
        depth -= 1
        level = [child for node in level
                 for child in (node.values() if isinstance(node, dict) else node)
                 if isinstance(child, dict | list)]
    return False


class SignedInConsumer(AsyncJsonWebsocketConsumer):
    """Refuses a socket without a signed-in session; answers bad frames instead of crashing."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        if await database_sync_to_async(mfa_step_needed)(user, self.scope["session"]):
            # A professional who has not enrolled, or not given this session's code, sees
            # no page (agencies/middleware.py): nor any socket.
            await self.close(code=4403)
            return
        if not await self.allowed(user):
            await self.close(code=4404)
            return
        await self.accept()
        # Told when this person's session ends, or may have (agencies/session_end.py).
        self.session_groups = [person_sockets_group(user.pk),
                               session_sockets_group(self.scope["session"].session_key)]
        for group in self.session_groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.joined(user)

    async def disconnect(self, code):
        for group in getattr(self, "session_groups", ()):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def session_end(self, message):
        """Their session ended, or may have: close with the code that says which (once,
        though a change may send this more than once)."""
        if not getattr(self, "ending", False):
            self.ending = True
            await self.close(code=message["code"])

    async def allowed(self, user) -> bool:
        """Whether this signed-in person may open this socket; asked before accepting."""
        return True

    async def joined(self, user):
        """Called once the socket is accepted for a signed-in user."""

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.send_json({"type": "error", "error": "Send JSON text frames only."})
            return
        if len(text_data) > MAX_FRAME:
            await self.send_json({"type": "error", "error": "That message is over 64 KB."})
            return
        try:
            content = json.loads(text_data)
            too_deep = nested_deeper_than(content, MAX_DEPTH)
        except ValueError:
            await self.send_json({"type": "error", "error": "That message was not valid JSON."})
            return
        except RecursionError:  # nested deeper than the parser goes
            too_deep = True
        if too_deep:
            await self.send_json({"type": "error", "error": "That message is nested too deeply."})
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_json(
                {"type": "error", "error": "A message must be an object with a 'type'."}
            )
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        await self.send_json({"type": "error",
                              "error": f"Unknown message type {content['type']!r}."})


class PersonalUpdatesConsumer(SignedInConsumer):
    """Pushes a signed-in person's own updates (their review lists) to every open tab."""

    async def joined(self, user):
        self.group = person_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)
        await super().disconnect(code)

    async def receive_json(self, content, **kwargs):
        if content["type"] == "ping":
            await self.send_json({"type": "pong"})
            return
        await super().receive_json(content)

    async def person_update(self, event):
        await self.send_json({"type": "update", "what": event["what"]})
