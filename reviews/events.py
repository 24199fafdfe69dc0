"""The one event log: every change to a review appends an Event in the change's own
transaction; after commit it is broadcast to whoever is watching the review.

Other apps act on an event in the transaction that records it by subscribing to its kind
(`subscribe`, when they are ready): reports drafts the report as the meeting closes. That is
the only way in: an event is saved without model signals (on PostgreSQL it is one raw
statement), so nothing may listen for its save. The meeting room names the kinds that are
only its talk (`only_for_watchers`), and hands `record` the key each of its changes settles
(`Settles`)."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import Truncator

from agencies.sockets import person_group
from common.prepared import model_field, prepared_cursor, quoted_column
from reviews.models import Event, Invitation, Review

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from agencies.models import User

# A message for the channel layer, and the group it is sent to.
Message: TypeAlias = dict[str, Any]
Delivery: TypeAlias = tuple[str, Message]

LIST_UPDATE = {"type": "person.update", "what": "reviews"}

# kind -> what other apps do when an event of that kind is recorded, in its transaction.
_SUBSCRIBERS: defaultdict[str, list[Callable[[Event], None]]] = defaultdict(list)


def subscribe(kind: str, handler: Callable[[Event], None]) -> None:
    """Call ``handler(event)`` whenever an event of ``kind`` is recorded, inside the
    transaction that records it (so a failure undoes the change that caused it)."""
    if handler not in _SUBSCRIBERS[kind]:
        _SUBSCRIBERS[kind].append(handler)


# Kinds of event that change no list of reviews: sent only to those watching the review.
_WATCHERS_ONLY: set[str] = set()


def only_for_watchers(*kinds: str) -> None:
    """Send events of these kinds to the review's group alone (its page, its meeting room),
    not to the open lists of everyone invited: the meeting room's talk, many a minute."""
    _WATCHERS_ONLY.update(kinds)


class Settles(NamedTuple):
    """A change's idempotency key, kept by the app whose change it is (the meeting room's
    `AppliedChange`): the row of `model` whose `seq` column takes the number of the event
    that answers it."""

    model: type[models.Model]
    pk: int


# Set while a WebSocket consumer applies a change: it sends what was committed itself, from
# its event loop, rather than have the database thread wait for the event loop to do it.
_held: ContextVar[list[Delivery] | None] = ContextVar("held_broadcasts", default=None)


def review_group(review_id: uuid.UUID | str) -> str:
    """The channel-layer group of everyone watching one review (its page, its live room)."""
    return f"review.{review_id}"


def as_message(event: Event) -> Message:
    return {
        "seq": event.seq,
        "kind": event.kind,
        "summary": event.summary,
        "at": event.at.isoformat(),
        "actor": str(event.actor) if event.actor_id else "",
        # The meeting room does not read a person's own changes back to them.
        "actor_id": event.actor_id,
        "data": event.data,
    }


def as_frame(event: Event) -> str:
    """The event as the frame sent to every socket (reviews/consumers.py's protocol),
    encoded once for the whole room rather than once per person."""
    return json.dumps({"type": "event", "event": as_message(event)})


def _next_seq(review_id: uuid.UUID) -> int:
    """Bump the review's event counter and return it, in one statement. The UPDATE locks the
    review row until commit, so two changes to one review can never take the same number."""
    table, pk = Review._meta.db_table, Review._meta.pk
    changed_at = Review._meta.get_field("changed_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET event_seq = event_seq + 1, {changed_at.column} = %s "
            f"WHERE {pk.column} = %s RETURNING event_seq",
            [changed_at.get_db_prep_value(timezone.now(), connection),
             pk.get_db_prep_value(review_id, connection)])
        seq: int = cursor.fetchone()[0]
        return seq


def record(review: Review, kind: str, summary: str, /,
           actor: User | AnonymousUser | None = None, *, settles: Settles | None = None,
           **data: Any) -> Event:
    """Append an event with the review's next sequence number (in the caller's transaction,
    or in one of its own). `settles`: the change's key that this event answers, given the
    event's seq."""
    actor = actor if actor and actor.is_authenticated else None
    # A summary quoting what people typed may outrun the timeline's line: shortened there;
    # `data` keeps what the event is about in full.
    longest = model_field(Event, "summary").max_length
    if longest is not None:
        summary = Truncator(summary).chars(longest)
    event = Event(review_id=review.pk, kind=kind, summary=summary, actor=actor, data=data)
    with transaction.atomic(savepoint=False):
        # Told before it is saved: an event its save recorded (the draft, as the meeting
        # closes) has the next seq, and is broadcast after this one.
        transaction.on_commit(lambda: _committed(event))
        if connection.vendor == "postgresql":
            _numbered_and_inserted(event, settles)
        else:
            event.seq = _next_seq(review.pk)
            event.save(force_insert=True)
            if settles is not None:
                settles.model._default_manager.filter(pk=settles.pk).update(seq=event.seq)
        review.event_seq = event.seq
        for handler in _SUBSCRIBERS.get(kind, ()):
            handler(event)
    return event


def _numbered_and_inserted(event: Event, settles: Settles | None) -> None:
    """Save `event` on PostgreSQL in one statement that bumps the review's counter (locking
    the review row until commit, as `_next_seq` does), inserts the event with that number
    and, if asked, settles the change's key: a round trip less for every event, two for a
    room's comment."""
    using, quote, column = connection.alias, connection.ops.quote_name, quoted_column
    columns = ["review", "at", "actor", "kind", "summary", "data"]
    settle = ""
    params = [model_field(Review, "changed_at").get_db_prep_value(event.at, connection),
              model_field(Review).get_db_prep_value(event.review_id, connection)]
    if settles is not None:
        settle = (f", settled AS (UPDATE {quote(settles.model._meta.db_table)} SET "
                  f"{column(settles.model, 'seq')} = (SELECT event_seq FROM numbered) "
                  f"WHERE {column(settles.model)} = %s)")
        params.append(settles.pk)
    params += [field.get_db_prep_save(getattr(event, field.attname), connection)
               for field in (model_field(Event, name) for name in columns)]
    sql = (f"WITH numbered AS (UPDATE {quote(Review._meta.db_table)} "
           f"SET event_seq = event_seq + 1, {column(Review, 'changed_at')} = %s "
           f"WHERE {column(Review)} = %s RETURNING event_seq){settle} "
           f"INSERT INTO {quote(Event._meta.db_table)} "
           f"({', '.join(column(Event, name) for name in columns)}, {column(Event, 'seq')}) "
           f"VALUES ({', '.join(['%s'] * len(columns))}, (SELECT event_seq FROM numbered)) "
           f"RETURNING {column(Event)}, {column(Event, 'seq')}")
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)  # no review: NULL seq, refused by the NOT NULL column
        event.pk, event.seq = cursor.fetchone()
    event._state.adding, event._state.db = False, using


# Reviews numbered and inserted by one statement each in `record_many`.
MANY_BATCH = 1000
# One review's event for `record_many`: (review, kind, summary, data).
Entry: TypeAlias = tuple[Review, str, str, dict[str, Any]]


def record_many(entries: Iterable[Entry], /, actor: User | AnonymousUser | None = None, *,
                fresh: bool = False) -> list[Event]:
    """Append one event to each of many reviews, in the caller's transaction: for work on a
    whole caseload at once (an import), where `record`, a review at a time, would cost
    round trips by the thousand. Numbered as `record` numbers: each batch of reviews has
    its counters bumped by one UPDATE ... RETURNING, which locks their rows until commit.
    After commit, everyone watching one of the reviews hears its event, unless ``fresh``
    (reviews made in this transaction: nobody watches them yet), and the open lists of the
    people the reviews concern are told once each."""
    author = actor if actor and actor.is_authenticated else None
    listed = list(entries)
    if len({review.pk for review, *_ in listed}) != len(listed):
        raise ValueError("record_many takes one event a review")
    longest = model_field(Event, "summary").max_length
    made: list[Event] = []
    with transaction.atomic(savepoint=False):
        now = timezone.now()
        for start in range(0, len(listed), MANY_BATCH):
            batch = listed[start:start + MANY_BATCH]
            numbers = _next_seqs([review.pk for review, *_ in batch], now)
            # Truncator costs more than the insert: only the summaries that need it.
            events = [Event(review_id=review.pk, seq=numbers[review.pk], at=now, actor=author,
                            kind=kind, data=data,
                            summary=Truncator(summary).chars(longest)
                            if longest and len(summary) > longest else summary)
                      for review, kind, summary, data in batch]
            Event.objects.bulk_create(events)
            for review, *_ in batch:
                review.event_seq = numbers[review.pk]
            made += events
        transaction.on_commit(lambda: _committed_many(made, fresh))
        for event in made:
            for handler in _SUBSCRIBERS.get(event.kind, ()):
                handler(event)
    return made


def _next_seqs(review_ids: list[uuid.UUID], now: datetime) -> dict[uuid.UUID, int]:
    """`_next_seq` for many reviews in one statement: their new numbers, by id."""
    pk, marks = model_field(Review), ", ".join(["%s"] * len(review_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(Review._meta.db_table)} SET event_seq = "
            f"event_seq + 1, {quoted_column(Review, 'changed_at')} = %s "
            f"WHERE {quoted_column(Review)} IN ({marks}) "
            f"RETURNING {quoted_column(Review)}, event_seq",
            [model_field(Review, "changed_at").get_db_prep_value(now, connection),
             *(pk.get_db_prep_value(review_id, connection) for review_id in review_ids)])
        return {pk.to_python(review_id): seq for review_id, seq in cursor.fetchall()}


def _committed_many(events: list[Event], fresh: bool) -> None:
    sent: list[Delivery] = [] if fresh else [
        (review_group(event.review_id),
         {"type": "review.event", "kind": event.kind, "frame": as_frame(event)})
        for event in events]
    people: set[int] = set()
    review_ids = [event.review_id for event in events if event.kind not in _WATCHERS_ONLY]
    for start in range(0, len(review_ids), MANY_BATCH):
        people |= _people_listing_many(review_ids[start:start + MANY_BATCH])
    sent += [(person_group(user_id), LIST_UPDATE) for user_id in sorted(people)]
    held = _held.get()
    if held is not None:
        held.extend(sent)
        return

    async def send_all() -> None:
        layer = get_channel_layer()
        for group, message in sent:
            await layer.group_send(group, message)

    async_to_sync(send_all)()


def deliveries(event: Event) -> list[Delivery]:
    """(group, message) for everyone to tell: whoever watches the review, and, unless it is
    only talk in the meeting room, the open lists ("Reviews due", "My reviews") of its
    coordinator and everyone invited."""
    sent = [(review_group(event.review_id),
             {"type": "review.event", "kind": event.kind, "frame": as_frame(event)})]
    if event.kind not in _WATCHERS_ONLY:
        sent += [(person_group(user_id), LIST_UPDATE)
                 for user_id in _people_listing(event.review_id)]
    return sent


def broadcast(event: Event) -> None:
    layer = get_channel_layer()
    for group, message in deliveries(event):
        async_to_sync(layer.group_send)(group, message)


def _committed(event: Event) -> None:
    held = _held.get()
    if held is None:
        broadcast(event)
    else:
        held.extend(deliveries(event))


@contextmanager
def held_broadcasts() -> Iterator[list[Delivery]]:
    """Collect, instead of sending, the deliveries of the events committed inside: a list of
    (group, message) for the caller to send with `await layer.group_send(...)`. Only what
    was committed is in it."""
    held: list[Delivery] = []
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)


def _people_listing(review_id: uuid.UUID) -> set[int]:
    """The coordinator and every current invitee with an account, in one query."""
    coordinator = Review.objects.filter(pk=review_id).order_by().values_list(
        "coordinator_id", flat=True)
    invited = Invitation.objects.current().filter(review_id=review_id, user__isnull=False) \
        .order_by().values_list("user_id", flat=True)
    return set(coordinator.union(invited))


def _people_listing_many(review_ids: list[uuid.UUID]) -> set[int]:
    """`_people_listing` for many reviews, in one query."""
    coordinators = Review.objects.filter(pk__in=review_ids).order_by().values_list(
        "coordinator_id", flat=True)
    invited = Invitation.objects.current().filter(review_id__in=review_ids,
                                                  user__isnull=False) \
        .order_by().values_list("user_id", flat=True)
    return set(coordinators.union(invited))


def events_after(review: Review, seq: int) -> QuerySet[Event]:
    """What a reconnecting client missed, in order."""
    return review.events.filter(seq__gt=seq).select_related("actor").order_by("seq")
