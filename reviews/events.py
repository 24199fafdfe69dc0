"""The one event log: every change to a review appends an Event in the change's own
transaction; after commit it is broadcast to whoever is watching the review."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reviews.models import Event, Review


def review_group(review_id) -> str:
    """The channel-layer group of everyone watching one review (its page, its live room)."""
    return f"review.{review_id}"


def as_message(event: Event) -> dict:
    return {
        "seq": event.seq,
        "kind": event.kind,
        "summary": event.summary,
        "at": event.at.isoformat(),
        "actor": str(event.actor) if event.actor_id else "",
        "data": event.data,
    }


def record(review: Review, kind: str, summary: str, /, actor=None, **data) -> Event:
    """Append an event with the review's next sequence number.

    The counter is bumped with a single UPDATE, which locks the review row until commit,
    so two changes to one review can never take the same number.
    """
    with transaction.atomic():
        Review.objects.filter(pk=review.pk).update(event_seq=F("event_seq") + 1,
                                                   changed_at=timezone.now())
        seq = Review.objects.filter(pk=review.pk).values_list("event_seq", flat=True).get()
        event = Event.objects.create(review_id=review.pk, seq=seq, kind=kind, summary=summary,
                                     actor=actor if actor and actor.is_authenticated else None,
                                     data=data)
        transaction.on_commit(lambda: broadcast(event))
    review.event_seq = seq
    return event


def broadcast(event: Event) -> None:
    async_to_sync(get_channel_layer().group_send)(
        review_group(event.review_id), {"type": "review.event", "event": as_message(event)}
    )


def events_after(review: Review, seq: int):
    """What a reconnecting client missed, in order."""
    return review.events.filter(seq__gt=seq).select_related("actor").order_by("seq")
