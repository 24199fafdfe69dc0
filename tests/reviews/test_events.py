import pytest

from reviews.events import events_after, record
from reviews.models import Event
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_events_are_numbered_one_after_another_per_review(review, plan, coordinator):
    other = ReviewFactory(plan=plan, coordinator=coordinator)
    kinds = [record(review, "a", "A").seq, record(review, "b", "B").seq,
             record(other, "c", "C").seq, record(review, "d", "D").seq]
    assert kinds == [1, 2, 1, 3]


def test_events_cannot_be_changed_or_deleted(review):
    event = record(review, "scheduled", "Meeting set")
    event.summary = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        Event.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(PermissionError):
        Event.objects.all().delete()


def test_a_reconnecting_client_gets_what_it_missed_in_order(review):
    for n in range(5):
        record(review, "note", f"note {n}")
    assert [e.seq for e in events_after(review, 2)] == [3, 4, 5]


def test_the_status_order_lists_every_status_but_cancelled():
    from reviews.models import Review

    assert Review.ORDER == [s for s in Review.Status.values if s != "cancelled"]


def test_an_event_is_stored_as_recorded_and_its_subscribers_told_in_its_transaction(
        review, coordinator):
    """As reports drafts the report when the meeting closes: a subscriber to a kind is
    called with the stored event, on both the ORM path (SQLite) and the one-statement path
    (PostgreSQL)."""
    from reviews import events

    heard = []

    def subscriber(event):
        heard.append((event.pk, event.seq, event.kind))

    events.subscribe("note", subscriber)
    try:
        event = record(review, "note", "A note", actor=coordinator, text="Hello", n=2)
        record(review, "other", "Not subscribed to")
    finally:
        events._SUBSCRIBERS["note"].remove(subscriber)
    stored = Event.objects.get(pk=event.pk)
    assert (stored.seq, stored.kind, stored.summary, stored.actor, stored.data) == (
        1, "note", "A note", coordinator, {"text": "Hello", "n": 2})
    assert stored.at == event.at and heard == [(event.pk, 1, "note")]
    review.refresh_from_db()
    assert review.event_seq == 2
    assert abs(review.changed_at - event.at).total_seconds() < 5


def test_a_subscriber_that_fails_undoes_the_event_it_was_told_of(review):
    from django.db import transaction

    from reviews import events

    def subscriber(event):
        raise RuntimeError("refused")

    events.subscribe("note", subscriber)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            record(review, "note", "A note")
    finally:
        events._SUBSCRIBERS["note"].remove(subscriber)
    assert not Event.objects.filter(review=review).exists()
    review.refresh_from_db()
    assert review.event_seq == 0


def test_a_room_change_keeps_its_key_with_the_seq_it_was_recorded_with(review, coordinator):
    from meeting.models import AppliedChange
    from meeting.room import Conflict, apply_change, do_open_meeting
    from reviews.access import review_access

    do_open_meeting(review, coordinator)
    access = review_access(coordinator, review.pk, need="meeting", audit_read=False)
    item = review.meeting.items.order_by("position").first()
    first = apply_change(access, coordinator, "comment.add", {"item": item.pk, "text": "One"},
                         "key-comment-1")
    assert apply_change(access, coordinator, "comment.add",
                        {"item": item.pk, "text": "One"}, "key-comment-1") is None
    saved = apply_change(access, coordinator, "notes.save",
                         {"item": item.pk, "text": "Notes", "base_version": 0}, "key-notes-1")
    clash = apply_change(access, coordinator, "notes.save",
                         {"item": item.pk, "text": "Mine", "base_version": 0}, "key-notes-2")
    assert isinstance(clash, Conflict) and clash.version == 1
    keys = dict(AppliedChange.objects.filter(review=review).values_list("key", "seq"))
    assert keys == {"key-comment-1": first.seq, "key-notes-1": saved.seq}
    assert saved.seq == first.seq + 1
    assert list(review.events.values_list("seq", flat=True)) == list(range(1, saved.seq + 1))


def test_a_summary_longer_than_the_timeline_holds_is_shortened_not_refused(review):
    """A summary quotes what people typed (an action and who does it, each within its own
    limit): together they may be longer than the timeline's line, which must not fail the
    change (PostgreSQL refuses the row)."""
    event = record(review, "action.added", "Action for " + "w" * 200 + ": " + "a" * 100)
    saved = Event.objects.get(pk=event.pk).summary
    assert len(saved) == Event._meta.get_field("summary").max_length
    assert saved.startswith("Action for www") and saved.endswith("…")
