"""'Reviews due' puts the most urgent first: by the statutory date its next step is due,
late first, whatever the review's own due date (issue #16, item 11). The order is SQL, held
here to the clock's own answer (`presenters.step_deadline`)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from reviews import presenters
from reviews.models import Review
from tests.conftest import ON_TODAY, sign_in
from tests.factories import PlanFactory, ReviewFactory

pytestmark = [pytest.mark.django_db, ON_TODAY]

LONDON = ZoneInfo("Europe/London")


def review_at(plan, coordinator, status, *, due_by, meeting_at=None):
    return ReviewFactory(plan=plan, coordinator=coordinator, status=status, due_by=due_by,
                         meeting_at=meeting_at)


def plan_for(school, name):
    first, last = name.split()
    return PlanFactory(child__setting=school, child__first_name=first, child__last_name=last)


def test_a_late_step_comes_before_one_due_soon_whatever_the_reviews_due_dates(
        client, coordinator, authority, school):
    """Samir's decision is due in 4 days (his review was due long ago); Harry's meeting is
    12 days late. Harry is first."""
    today = timezone.localdate()
    samir = review_at(plan_for(school, "Samir Haddad"), coordinator, Review.Status.REPORT_SENT,
                      due_by=today - dt.timedelta(days=40),
                      meeting_at=timezone.now() - dt.timedelta(days=24))
    harry = review_at(plan_for(school, "Harry Brooks"), coordinator, Review.Status.DUE,
                      due_by=today - dt.timedelta(days=12))
    isla = review_at(plan_for(school, "Isla Murphy"), coordinator, Review.Status.DUE,
                     due_by=today + dt.timedelta(days=2))
    decided = review_at(plan_for(school, "Tyler Green"), coordinator, Review.Status.DECIDED,
                        due_by=today - dt.timedelta(days=90),
                        meeting_at=timezone.now() - dt.timedelta(days=60))
    sign_in(client, coordinator)
    page = client.get("/reviews/due/")
    shown = [s.review_id for s in page.context["summaries"]]
    assert shown == [harry.pk, isla.pk, samir.pk, decided.pk]
    deadlines = [s.next_deadline for s in page.context["summaries"]]
    assert deadlines[0].relative_text == "12 days late"
    assert deadlines[2].relative_text == "in 4 days"
    assert deadlines[3] is None, "nothing the council must do next by a date"


@pytest.mark.parametrize("status", [s for s in Review.ORDER if s != Review.Status.CLOSED])
@pytest.mark.parametrize("meeting_at", [
    dt.datetime(2027, 6, 16, 0, 30, tzinfo=LONDON),  # summer time: the UTC day is the 15th
    dt.datetime(2027, 3, 28, 10, 0, tzinfo=LONDON),  # the day the clocks go forward
    dt.datetime(2028, 3, 14, 23, 45, tzinfo=LONDON),  # a leap February behind the notice
])
def test_the_order_is_the_date_the_page_shows_for_the_next_step(coordinator, plan, status,
                                                                 meeting_at):
    due_by = dt.date(2027, 7, 1)
    review = review_at(plan, coordinator, status,
                       due_by=due_by, meeting_at=None if status == "due" else meeting_at)
    in_sql = presenters.most_urgent_first(Review.objects.filter(pk=review.pk)).values_list(
        "next_due", flat=True).get()
    step = presenters.next_step(status)
    shown = presenters.step_deadline(review, step, dt.date(2027, 1, 1))
    assert in_sql == (shown.due if shown else None), step
