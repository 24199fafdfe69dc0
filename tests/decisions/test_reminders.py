"""The daily job reminds coordinators of the decision and the final plan from the clock: a
week before each is due, and once when it is late; never twice."""

import datetime as dt

import pytest
from django_q.tasks import async_task

from decisions.deciding import do_record_decision
from outbox.models import Email

pytestmark = pytest.mark.django_db

# The meeting was on 3 March 2027: the decision is due on 31 March.


def run_day(day: dt.date):
    async_task("decisions.tasks.daily_decisions_for", day)


def reminders(coordinator):
    return list(Email.objects.filter(to=coordinator.email, key__contains=":remind:")
                .order_by("created_at").values_list("subject", flat=True))


def test_the_coordinator_hears_a_week_before_the_decision_is_due_and_once_when_late(
        q_sync, review, coordinator):
    run_day(dt.date(2027, 3, 23))
    assert reminders(coordinator) == []
    for day in range(24, 32):
        run_day(dt.date(2027, 3, day))
    run_day(dt.date(2027, 4, 1))
    run_day(dt.date(2027, 4, 2))
    assert reminders(coordinator) == [
        "The decision is due on 31 March 2027: AE (T-0001)",
        "The decision is late (due 31 March 2027): AE (T-0001)",
    ]


def test_no_reminder_once_the_decision_is_sent(q_sync, review, coordinator):
    do_record_decision(review, coordinator, outcome="M", reasons="Fine.",
                       today=dt.date(2027, 3, 20))
    run_day(dt.date(2027, 3, 30))
    run_day(dt.date(2027, 4, 5))
    assert reminders(coordinator) == []


def test_the_final_plan_is_chased_once_the_familys_15_days_are_over(
        q_sync, review, coordinator):
    do_record_decision(review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Check-in."}, today=dt.date(2027, 3, 24))
    run_day(dt.date(2027, 4, 7))  # the family can still reply
    run_day(dt.date(2027, 5, 12))  # a week before 19 May
    run_day(dt.date(2027, 5, 20))
    assert reminders(coordinator) == [
        "The final amended plan is due on 19 May 2027: AE (T-0001)",
        "The final amended plan is late (due 19 May 2027): AE (T-0001)",
    ]
