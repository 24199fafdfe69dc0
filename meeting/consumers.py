"""The meeting room's socket: a review's live channel (reviews/consumers.py) to which
everyone taking part sends their changes, and where they see who else is in the room.

Protocol, beyond the review's channel:
  client -> server: change {change, key, payload}
  server -> client: ack {key, seq}, conflict {...}, presence {people},
                    error {error, key?, retry?, retry_after?}, pong {seq}
A change refused with `retry_after` (seconds) was not applied only because its person is
making changes too quickly: the client sends it again, with the same key, after that time.
An error with "retry" refused a change only for now (the database is down): the client
keeps it and sends it again. The pong carries the review's last seq, so a client that missed
a broadcast (Redis restarting) asks for it even if nothing follows. After a fault the server
closes with 4500: the browser connects again and the handshake decides. Each change carries
a key and is applied once however often it is resent.
"""

import asyncio
import logging
import math
import random
import time
from concurrent.futures import ThreadPoolExecutor

from channels.db import DatabaseSyncToAsync, database_sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.utils import timezone
from redis.exceptions import RedisError

from common.database import DATABASE_DOWN
from meeting import room
from meeting.models import Presence
from reviews.access import access_again
from reviews.consumers import ReviewWatchConsumer
from reviews.events import held_broadcasts
from reviews.models import Review

logger = logging.getLogger(__name__)

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
