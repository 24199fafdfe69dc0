"""The one event log: every change to a review appends an Event in the change's own
transaction; after commit it is broadcast to whoever is watching the review."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.consumers import person_group
from reviews.models import Event, Invitation, Review


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


# Events of the live meeting room (reviews/meeting.py), which come many a minute.
ROOM_KINDS = {"notes.saved", "comment.added", "action.added", "recommendation.set",
              "agenda.moved", "attendance.marked", "attendance.joined"}


def broadcast(event: Event) -> None:
    layer = get_channel_layer()
    async_to_sync(layer.group_send)(
        review_group(event.review_id), {"type": "review.event", "event": as_message(event)}
    )
    if event.kind in ROOM_KINDS:
        return  # what is said in the meeting room changes nobody's list of reviews
    # The review's coordinator and everyone invited see it in their lists ("Reviews due",
    # "My reviews"): tell each of their open tabs to refresh.
    for user_id in _people_listing(event.review_id):
        async_to_sync(layer.group_send)(person_group(user_id),
                                        {"type": "person.update", "what": "reviews"})


def _people_listing(review_id) -> set[int]:
    """The coordinator and every current invitee with an account, in one query."""
    coordinator = Review.objects.filter(pk=review_id).order_by().values_list(
        "coordinator_id", flat=True)
    invited = Invitation.objects.current().filter(review_id=review_id, user__isnull=False) \
        .order_by().values_list("user_id", flat=True)
    return set(coordinator.union(invited))


def events_after(review: Review, seq: int):
    """What a reconnecting client missed, in order."""
    return review.events.filter(seq__gt=seq).select_related("actor").order_by("seq")
