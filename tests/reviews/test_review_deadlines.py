import pytest

from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_a_second_review_is_due_12_months_after_the_first_meeting(plan, coordinator):
    import datetime as dt
    from zoneinfo import ZoneInfo


    first = ReviewFactory(plan=plan, coordinator=coordinator)
    first.meeting_at = dt.datetime(2026, 1, 12, 10, tzinfo=ZoneInfo("Europe/London"))
    first.status = "closed"
    first.save()
    second = ReviewFactory(plan=plan, coordinator=coordinator)
    # Plan first issued 20 January 2025; amending it does not restart the clock, the last
    # review meeting does: within 12 months of 12 January 2026.
    assert second.deadlines().review_due == dt.date(2027, 1, 11)
    assert first.deadlines().review_due == dt.date(2026, 1, 19)
