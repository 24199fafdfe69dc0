import pytest

from reviews.events import events_after, record
from reviews.models import Event

pytestmark = pytest.mark.django_db


def test_events_are_numbered_one_after_another_per_review(review, plan, coordinator):
    from tests.reviews.conftest import make_review

    other = make_review(plan, coordinator)
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

