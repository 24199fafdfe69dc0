"""A review's live channel: its page hears the review's events as they happen. The meeting
room's socket (meeting/consumers.py) is this one with changes and presence added.

Protocol: JSON text frames {"type": ..., "v": 1, ...}.
  client -> server: resume {after}, ping
  server -> client: event {event}, resumed {seq}, error {error}, pong
The server closes with 4401 (signed out), 4403 (no longer part of the review) or 4404 (never
was), from which the browser does not reconnect, or with 4001 when the person's session may
have ended (agencies/session_end.py): the browser connects again and the handshake decides.
A client that reconnects sends the last sequence number it saw and gets every later event,
in order.
"""

import asyncio
import time

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from django.http import Http404

from agencies.sockets import SignedInConsumer
from reviews.access import review_access
from reviews.events import as_frame, events_after, review_group

PROTOCOL_VERSION = 1
REPLAY_LIMIT = 500
NO_LONGER_PART = "You are no longer part of this review."


class RateLimit:
    """A token bucket: bursts are fine, a flood is slowed to the refill rate."""

    def __init__(self, per_second: float = 10, burst: int = 30):
        self.rate, self.capacity = per_second, burst
        self.tokens, self.at = float(burst), time.monotonic()

    def wait_needed(self) -> float:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        wait = (1 - self.tokens) / self.rate
        self.tokens = 0
        self.at = now + wait
        return wait


class ReviewWatchConsumer(SignedInConsumer):
    """Anyone who may read the review sees its events as they happen."""

    need = "view"
    # A watcher sends nothing, so the access rule is asked again as events reach them once
    # its last answer is this old (seconds): an account switched off, or an invitation
    # ended without an event, stops the flow within a minute.
    watch_fresh_for = 60

    def database(self, function):
        """`function` as a coroutine, run where this consumer's database work runs."""
        return database_sync_to_async(function)

    async def allowed(self, user) -> bool:
        self.review_id = self.scope["url_route"]["kwargs"]["review_id"]
        self.limit = RateLimit()
        try:
            await self.database(self.enter)(user)
        except Http404:
            return False
        return True

    def enter(self, user):
        """All that joining takes from the database, in one trip: the access rule's answer."""
        self.check_access(audit_read=True)

    async def dispatch(self, message):
        # Channels closes stale database connections before every message, in the one thread
        # that all of this process's database work queues on: each event to each person would
        # wait behind every change being saved. Our database calls each do that already
        # (database_sync_to_async), so a message goes straight to its handler.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def joined(self, user):
        self.group = review_group(self.review_id)
        await self.channel_layer.group_add(self.group, self.channel_name)

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)
        await super().disconnect(code)

    def check_access(self, audit_read: bool = False) -> None:
        """Ask the access rule again (Http404 if refused); in the database thread."""
        self.access = review_access(self.scope["user"], self.review_id, need=self.need,
                                    request=self.scope, audit_read=audit_read)
        self.checked_at = time.monotonic()

    async def still_allowed(self, audit_read: bool = False) -> bool:
        try:
            await self.database(self.check_access)(audit_read)
        except Http404:
            return False
        return True

    async def shut_out(self, key=None):
        """Tell them, then close with the code that stops their browser reconnecting."""
        await self.refuse(key, NO_LONGER_PART)
        await self.close(code=4403)

    async def refuse(self, key, error: str, **more):
        """An error frame; about a change, with its key (when it is one a client can match)."""
        keyed = {"key": key} if isinstance(key, str) and key else {}
        await self.send_json({"type": "error", "error": error, **keyed, **more})

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        wait = self.limit.wait_needed()
        if wait:
            await asyncio.sleep(wait)
        await super().receive(text_data, bytes_data, **kwargs)

    async def receive_json(self, content, **kwargs):
        if content.get("v", PROTOCOL_VERSION) != PROTOCOL_VERSION:
            await self.send_json({"type": "error", "error": "Unsupported protocol version."})
        else:
            await self.take(content)

    async def take(self, content):
        """One message in this protocol's version."""
        if content["type"] == "resume":
            await self.resume(content.get("after", 0))
        elif content["type"] == "ping":
            await self.heartbeat()
        else:
            await super().receive_json(content)

    async def heartbeat(self):
        await self.send_json({"type": "pong"})

    async def resume(self, after):
        if type(after) is not int or not 0 <= after < 2**63:
            await self.send_json({"type": "error", "error": "'after' must be a whole number."})
            return
        missed = await self.database(lambda: [
            (e.seq, as_frame(e)) for e in events_after(self.access.review, after)[:REPLAY_LIMIT]
        ])()
        for _, frame in missed:
            await self.send(text_data=frame)
        last = missed[-1][0] if missed else after
        await self.send_json({"type": "resumed", "seq": last,
                              "complete": len(missed) < REPLAY_LIMIT})

    async def room_presence(self, message):
        """Who is in the meeting room goes to the review's whole group, review pages too,
        which do not show it (without this handler the page's socket failed on it)."""

    async def review_event(self, message):
        # An invitation withdrawn (reviews/scheduling.py records "invitation_removed") may be
        # this person's: check again before passing anything on.
        stale = time.monotonic() - self.checked_at > self.watch_fresh_for
        if (message["kind"].startswith("invitation") or stale) and not await self.still_allowed():
            await self.shut_out()
            return
        await self.send(text_data=message["frame"])
