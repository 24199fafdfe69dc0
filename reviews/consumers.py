"""The review's live channels: the review page (watch) and the meeting room (take part).

Protocol: JSON text frames {"type": ..., "v": 1, ...}.
  client -> server: resume {after}, change {change, key, payload}, ping
  server -> client: event {event}, resumed {seq}, ack {key, seq}, conflict {...},
                    presence {people}, error {error, key?}, pong
A client that reconnects sends the last sequence number it saw and gets every later event,
in order; each change carries a key and is applied once however often it is resent.
"""

import asyncio
import logging
import time

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from django.http import Http404
from django.utils import timezone

from portal.consumers import SignedInConsumer
from reviews import meeting as room
from reviews.access import review_access
from reviews.events import as_message, events_after, review_group
from reviews.models import Invitation, Presence

logger = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
MAX_FRAME = 64 * 1024
REPLAY_LIMIT = 500


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

    async def allowed(self, user) -> bool:
        self.review_id = self.scope["url_route"]["kwargs"]["review_id"]
        self.limit = RateLimit()
        return await self.still_allowed(audit_read=True)

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

    async def still_allowed(self, audit_read: bool = False) -> bool:
        try:
            self.access = await database_sync_to_async(review_access)(
                self.scope["user"], self.review_id, need=self.need, audit_read=audit_read)
        except Http404:
            return False
        return True

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is not None and len(text_data) > MAX_FRAME:
            await self.send_json({"type": "error", "error": "That message is over 64 KB."})
            return
        wait = self.limit.wait_needed()
        if wait:
            await asyncio.sleep(wait)
        await super().receive(text_data, bytes_data, **kwargs)

    async def receive_json(self, content, **kwargs):
        if content.get("v", PROTOCOL_VERSION) != PROTOCOL_VERSION:
            await self.send_json({"type": "error", "error": "Unsupported protocol version."})
        elif content["type"] == "resume":
            await self.resume(content.get("after", 0))
        elif content["type"] == "ping":
            await self.send_json({"type": "pong"})
        else:
            await super().receive_json(content)

    async def resume(self, after):
        if not isinstance(after, int) or after < 0:
            await self.send_json({"type": "error", "error": "'after' must be a whole number."})
            return
        missed = await database_sync_to_async(
            lambda: [as_message(e) for e in events_after(self.access.review, after)[:REPLAY_LIMIT]]
        )()
        for event in missed:
            await self.send_json({"type": "event", "event": event})
        last = missed[-1]["seq"] if missed else after
        await self.send_json({"type": "resumed", "seq": last, "complete": len(missed) < REPLAY_LIMIT})

    async def review_event(self, message):
        event = message["event"]
        # An invitation withdrawn (reviews/scheduling.py records "invitation_removed") may be
        # this person's: check again before passing anything on.
        if event["kind"].startswith("invitation") and not await self.still_allowed():
            await self.send_json({"type": "error", "error": "You are no longer part of this review."})
            await self.close(code=4403)
            return
        await self.send_json({"type": "event", "event": event})


def _presence_list(review_id):
    cutoff = timezone.now() - timezone.timedelta(minutes=2)
    rows = (Presence.objects.filter(review_id=review_id, last_seen__gte=cutoff)
            .select_related("user").order_by("joined_at"))
    invitations = {i.user_id: i for i in Invitation.objects.current().filter(
        review_id=review_id, user__isnull=False).select_related("agency")}
    people, seen = [], set()
    for row in rows:
        if row.user_id in seen:
            continue
        seen.add(row.user_id)
        invitation = invitations.get(row.user_id)
        people.append({
            "name": str(row.user),
            "role": invitation.get_role_display() if invitation else "Coordinator",
            "agency": invitation.agency.name if invitation and invitation.agency_id else "",
        })
    return people


class ReviewRoomConsumer(ReviewWatchConsumer):
    """The meeting room: presence, and changes from everyone taking part."""

    need = "meeting"

    async def allowed(self, user) -> bool:
        # The room exists, and the person is in it, before the socket is accepted: a client
        # may send its first change as soon as it is connected.
        if not await super().allowed(user):
            return False
        await database_sync_to_async(self.arrive)(user)
        return True

    async def joined(self, user):
        # Changes wait for the database in a task of their own, applied in the order sent,
        # so that the room's events keep reaching this person meanwhile. Awaited in the
        # consumer itself, each change would hold up everything said in the room until it
        # was done: under load, events queued behind changes until the layer dropped them.
        self.changes = asyncio.Queue()
        self.applying = asyncio.create_task(self.apply_changes())
        await super().joined(user)
        await self.announce_presence()

    async def apply_changes(self):
        while True:
            content = await self.changes.get()
            try:
                await self.change(content)
            except Exception:
                logger.exception("A change to review %s failed", self.review_id)
                await self.close(code=1011)
                return

    def arrive(self, user):
        room.do_open_meeting(self.access.review, user)
        Presence.objects.create(review_id=self.review_id, user=user,
                                channel_name=self.channel_name)
        room.record_arrival(self.access, user)

    async def disconnect(self, code):
        if hasattr(self, "applying"):
            self.applying.cancel()  # unacknowledged changes are resent on reconnecting
        if hasattr(self, "group"):
            await database_sync_to_async(
                Presence.objects.filter(channel_name=self.channel_name).delete)()
            await self.announce_presence()
        await super().disconnect(code)

    async def announce_presence(self):
        people = await database_sync_to_async(_presence_list)(self.review_id)
        await self.channel_layer.group_send(self.group, {"type": "room.presence", "people": people})

    async def room_presence(self, message):
        await self.send_json({"type": "presence", "people": message["people"]})

    async def receive_json(self, content, **kwargs):
        if content["type"] == "change":
            self.changes.put_nowait(content)
            return
        if content["type"] == "ping":
            await database_sync_to_async(
                Presence.objects.filter(channel_name=self.channel_name).update
            )(last_seen=timezone.now())
        await super().receive_json(content)

    def allowed_change(self, change, payload, key):
        """Check access again, then apply: one trip to the database thread, not two. Every
        trip queues behind all of this process's other database work."""
        self.access = review_access(self.scope["user"], self.review_id, need=self.need,
                                    audit_read=False)
        return room.apply_change(self.access, self.scope["user"], change, payload, key)

    async def change(self, content):
        key = content.get("key")
        payload = content.get("payload") if isinstance(content.get("payload"), dict) else {}
        try:
            result = await database_sync_to_async(self.allowed_change)(
                content.get("change"), payload, key)
        except Http404:
            await self.send_json({"type": "error", "key": key,
                                  "error": "You are no longer part of this review."})
            await self.close(code=4403)
            return
        except room.ChangeRefused as refused:
            await self.send_json({"type": "error", "key": key, "error": str(refused)})
            return
        if isinstance(result, room.Conflict):
            await self.send_json({"type": "conflict", "key": key, "item": result.item_id,
                                  "version": result.version, "text": result.text,
                                  "by": result.by})
            return
        await self.send_json({"type": "ack", "key": key,
                              "seq": result.seq if result is not None else None})
