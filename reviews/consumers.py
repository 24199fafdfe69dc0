"""The review's live channels: the review page (watch) and the meeting room (take part).

Protocol: JSON text frames {"type": ..., "v": 1, ...}.
  client -> server: resume {after}, change {change, key, payload}, ping
  server -> client: event {event}, resumed {seq}, ack {key, seq}, conflict {...},
                    presence {people}, error {error, key?, retry?, retry_after?},
                    pong {seq?}
A change refused with `retry_after` (seconds) was not applied only because its person is
making changes too quickly: the client sends it again, with the same key, after that time.
An error with "retry" refused a change only for now (the database is down): the client
keeps it and sends it again. The meeting room's pong carries the review's last seq, so a
client that missed a broadcast (Redis restarting) asks for it even if nothing follows.
The server closes with 4401 (signed out), 4403 (no longer part of the review) or 4404 (never
was), from which the browser does not reconnect, with 4001 when the person's session may
have ended (agencies/session_end.py), or 4500 after a fault: the browser connects again and
the handshake decides.
A client that reconnects sends the last sequence number it saw and gets every later event,
in order; each change carries a key and is applied once however often it is resent.
"""

import asyncio
import logging
import math
import random
import time
from concurrent.futures import ThreadPoolExecutor

from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync, database_sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.utils import timezone
from redis.exceptions import RedisError

from agencies.sockets import SignedInConsumer
from common.database import DATABASE_DOWN
from reviews import meeting as room
from reviews.access import access_again, review_access
from reviews.events import as_frame, events_after, held_broadcasts, review_group
from reviews.models import Presence, Review

logger = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
REPLAY_LIMIT = 500
NO_LONGER_PART = "You are no longer part of this review."
SERVER_FAULT = 4500  # closed after a fault: the browser reconnects (socket.js)
# A channel layer that cannot reach Redis (stopped, restarting) raises these.
CHANNEL_LAYER_DOWN = (RedisError, OSError)
NOT_SAVED_YET = ("The meeting cannot save changes for a moment. What you added is kept and "
                 "will be sent again.")

# The meeting room's database work runs on a few threads of its own, each with a connection
# from the pool: on Channels' single database thread, every change and every arrival in the
# process waited out everyone else's round trips to the database (and a crowd arriving at
# once can outwait Daphne's 5 s for a handshake). A consumer still applies its changes in
# order.
ROOM_THREADS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="room")


def in_room_thread(function):
    if connection.vendor == "sqlite":
        return database_sync_to_async(function)  # one writer at a time whatever the threads
    return DatabaseSyncToAsync(function, thread_sensitive=False, executor=ROOM_THREADS)


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


def room_change_wait(user_id: int) -> float:
    """Seconds before this person's next change to a meeting room may be applied (0: now).

    Up to ROOM_CHANGES_PER_MINUTE at once, then one each 60/N seconds: the cache keeps, per
    person, the moment by which their changes so far are paid for at that rate (the generic
    cell rate algorithm), so one limit holds across all their sockets and server processes.
    """
    interval = 60 / settings.ROOM_CHANGES_PER_MINUTE
    now, key = time.time(), f"room-changes.{user_id}"
    paid_until = max(cache.get(key, now), now)
    wait = paid_until + interval - now - 60
    if wait > 0:
        return wait
    cache.set(key, paid_until + interval, timeout=61)
    return 0.0


class TooManyChanges(room.ChangeRefused):
    def __init__(self, wait: float):
        self.retry_after = math.ceil(wait)
        super().__init__(f"You can make up to {settings.ROOM_CHANGES_PER_MINUTE} changes a "
                         f"minute. Try again in {self.retry_after} "
                         f"second{'s' if self.retry_after != 1 else ''}.")


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


class ReviewRoomConsumer(ReviewWatchConsumer):
    """The meeting room: presence, and changes from everyone taking part.

    Access is asked again whenever an invitation to the review changes, and with a
    heartbeat (browsers ping every 25 s) or a change once the last answer is older than
    `access_fresh_for`, less a random part of it, so that a room whose people all came at
    once does not ask again all at once.

    The portal asks on every change (0 s): the issue requires it, and a person whose
    account or membership ended must not add one more word to a child's record. Asked
    again, the rule is two short queries (`access_again`: the account read afresh, since
    the scope's user was read once, on connecting, and the rule's query kept from the last
    answer; bench/README.md, `room_change_cost.py`); a deployment that accepts a short
    delay may raise ROOM_ACCESS_FRESH_SECONDS.
    """

    need = "meeting"
    access_fresh_for = settings.ROOM_ACCESS_FRESH_SECONDS

    def recheck_if_stale(self):
        """In the database thread: ask the access rule again if its answer is old (in the
        portal, always: two queries)."""
        if time.monotonic() - self.checked_at > self.access_fresh_for * random.uniform(0.5, 1):
            self.access = access_again(self.access, self.scope["user"], self.need, self.scope)
            self.checked_at = time.monotonic()

    def database(self, function):
        return in_room_thread(function)

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
                # The browser reconnects and sends again what was not acknowledged. (1011,
                # the standard code, is one Daphne cannot send: it left the socket open
                # with nobody applying its changes.)
                await self.close(code=SERVER_FAULT)
                return

    def enter(self, user):
        # The room exists, and the person is in it, before the socket is accepted: a client
        # may send its first change as soon as it is connected.
        super().enter(user)
        room.do_open_meeting(self.access.review, user)
        Presence.objects.create(review_id=self.review_id, user=user,
                                channel_name=self.channel_name)
        room.record_arrival(self.access, user)
        # Asked again now, the rule's query is kept with its answer (`access_again`): each
        # change then asks it again in two short queries, and the first is not slower. Not
        # before the arrival: it marks the invitation that the query reads.
        self.access = access_again(self.access, user, self.need)

    async def disconnect(self, code):
        if hasattr(self, "applying"):
            self.applying.cancel()  # unacknowledged changes are resent on reconnecting
        if hasattr(self, "group"):
            await self.database(Presence.objects.filter(channel_name=self.channel_name).delete)()
            await self.announce_presence()
        await super().disconnect(code)

    async def announce_presence(self):
        people = await self.database(room.people_present)(self.access.review)
        await self.channel_layer.group_send(self.group, {"type": "room.presence", "people": people})

    async def room_presence(self, message):
        await self.send_json({"type": "presence", "people": message["people"]})

    async def take(self, content):
        if content["type"] == "change":
            self.changes.put_nowait(content)
        else:
            await super().take(content)

    def still_here(self) -> int:
        """Presence kept, access asked again if stale; the room's last event's seq."""
        Presence.objects.filter(channel_name=self.channel_name).update(last_seen=timezone.now())
        self.recheck_if_stale()
        return Review.objects.filter(pk=self.review_id).values_list("event_seq", flat=True).get()

    async def heartbeat(self):
        # The pong says how far the room has got: a browser that missed a broadcast (Redis
        # restarting drops what is published meanwhile) and has heard nothing since asks for
        # what it missed, without a reload.
        try:
            seq = await self.database(self.still_here)()
        except Http404:
            await self.shut_out()
            return
        except DATABASE_DOWN:
            await super().heartbeat()  # presence is brought up to date by the next ping
            return
        await self.send_json({"type": "pong", "seq": seq})

    def allowed_change(self, change, payload, key):
        """Check the person's pace of changes, and access again if the last answer is old,
        then apply: one trip to the database. What the change records comes back to be
        broadcast from the event loop, not sent from this thread."""
        wait = room_change_wait(self.scope["user"].pk)
        if wait:
            raise TooManyChanges(wait)
        self.recheck_if_stale()
        with held_broadcasts() as deliveries:
            result = room.apply_change(self.access, self.scope["user"], change, payload, key)
        return result, deliveries

    async def broadcast(self, deliveries):
        try:
            for group, message in deliveries:
                await self.channel_layer.group_send(group, message)
        except CHANNEL_LAYER_DOWN:
            # Saved, but not passed on: Redis is down or restarting. The change is still
            # acknowledged; the others get it when they next ask for what they missed (on
            # a later event's gap, or when a pong's seq is ahead of theirs).
            logger.warning("A change to review %s was saved but not broadcast", self.review_id)

    async def change(self, content):
        key = content.get("key")
        try:
            result, deliveries = await self.database(self.allowed_change)(
                content.get("change"), content.get("payload"), key)
        except Http404:
            await self.shut_out(key)
            return
        except TooManyChanges as refused:
            # The client keeps the change and sends it again after `retry_after` seconds.
            await self.refuse(key, str(refused), retry_after=refused.retry_after)
            return
        except room.ChangeRefused as refused:
            await self.refuse(key, str(refused))
            return
        except DATABASE_DOWN:
            # The database is stopped or restarting: nothing was saved, or a commit's answer
            # was lost. The client keeps the change and sends it again ("retry"); its key
            # makes it land once. The socket stays open for the room's other news.
            logger.warning("A change to review %s waits for the database", self.review_id)
            await self.refuse(key, NOT_SAVED_YET, retry=True)
            return
        await self.broadcast(deliveries)
        if isinstance(result, room.Conflict):
            await self.send_json({"type": "conflict", "key": key, "item": result.item_id,
                                  "version": result.version, "text": result.text,
                                  "by": result.by})
            return
        await self.send_json({"type": "ack", "key": key,
                              "seq": result.seq if result is not None else None})
