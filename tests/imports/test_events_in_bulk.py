"""Events recorded for many reviews at once (events.record_many) are numbered after each
review's own, as `record` numbers them, and reach those watching after commit: the
reviews' own pages unless the reviews are new, and everyone's lists once each."""

import datetime as dt

import pytest
from django.db import transaction

from reviews import events
from reviews.models import Child, Plan, Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviews(authority, coordinator):
    made = []
    for n in range(3):
        child = Child.objects.create(authority=authority, first_name="Kim", last_name=f"K{n}",
                                     date_of_birth=dt.date(2015, 1, 1), la_reference=f"K-{n}")
        plan = Plan.objects.create(child=child, first_issued_on=dt.date(2022, 1, 1))
        made.append(Review.objects.create(plan=plan, coordinator=coordinator,
                                          due_by=dt.date(2023, 1, 1)))
    return made


def test_each_review_s_event_follows_its_own(reviews, coordinator):
    events.record(reviews[0], "note", "First")
    events.record(reviews[0], "note", "Second")

    made = events.record_many([(review, "record_imported", f"Updated {n}", {"n": n})
                               for n, review in enumerate(reviews)], coordinator)

    assert [(e.review_id, e.seq, e.summary, e.data) for e in made] == [
        (reviews[0].pk, 3, "Updated 0", {"n": 0}), (reviews[1].pk, 1, "Updated 1", {"n": 1}),
        (reviews[2].pk, 1, "Updated 2", {"n": 2})]
    assert [r.event_seq for r in Review.objects.order_by("plan__child__la_reference")] == [
        3, 1, 1]
    assert all(e.actor == coordinator for e in made)
    assert events.record(reviews[1], "note", "Next").seq == 2


def test_one_event_a_review(reviews):
    with pytest.raises(ValueError):
        events.record_many([(reviews[0], "a", "A", {}), (reviews[0], "b", "B", {})])


@pytest.mark.django_db(transaction=True)
def test_after_commit_the_pages_and_the_lists_are_told(reviews, coordinator):
    with events.held_broadcasts() as sent:
        with transaction.atomic():
            events.record_many([(review, "record_imported", "Updated", {})
                                for review in reviews])
    assert sorted(group for group, _ in sent) == sorted(
        [events.review_group(review.pk) for review in reviews]
        + [f"person.{coordinator.pk}"])

    with events.held_broadcasts() as fresh:
        with transaction.atomic():
            events.record_many([(review, "review_opened", "Opened", {})
                                for review in reviews], fresh=True)
    assert [group for group, _ in fresh] == [f"person.{coordinator.pk}"]


def test_a_long_summary_is_shortened_to_the_timeline_s_line(reviews):
    made = events.record_many([(reviews[0], "record_imported", "x" * 400, {}),
                               (reviews[1], "record_imported", "short", {})])

    assert [len(e.summary) for e in made] == [300, 5]
    assert made[0].summary.endswith("…")
