"""Ceasing a plan: it stays in force until the time to appeal has passed with no appeal (the
daily django-q2 job, run synchronously here on fixed days), or until an appeal ends; an
appeal decided for the family keeps the plan and opens its next review."""

import datetime as dt

import pytest
from django_q.models import Schedule
from django_q.tasks import async_task

from decisions.deciding import do_record_decision
from decisions.disagreeing import do_ask_for_mediation, do_record_facts, do_tell_appealing
from decisions.models import Decision
from outbox.models import Email
from reviews.models import Event, Plan, Review
from tests.decisions.conftest import held_review

pytestmark = pytest.mark.django_db

LETTER = dt.date(2027, 1, 11)  # the appeal deadline is 11 March 2027, a Thursday


@pytest.fixture
def to_cease(plan, coordinator, family_parent, school):
    school.email = "office@primary.test.example"
    school.save()
    review = held_review(plan, coordinator, dt.date(2026, 12, 16))
    do_record_decision(review, coordinator, outcome="C", reasons="Needs met.",
                       cease_ground="not_necessary", family_consulted_on=dt.date(2027, 1, 4),
                       setting_consulted_on=dt.date(2027, 1, 5), today=LETTER)
    review.refresh_from_db()
    return review


def run_day(day: dt.date):
    """The daily job for ``day``, through django-q2 as the schedule runs it."""
    async_task("decisions.tasks.daily_decisions_for", day)


def plan_status():
    return Plan.objects.get().status


def test_the_daily_job_is_scheduled_once():
    job = Schedule.objects.get(func="decisions.tasks.daily_decisions")
    assert (job.schedule_type, job.repeats) == (Schedule.DAILY, -1)


def test_the_plan_ceases_the_day_after_the_appeal_deadline_passes_with_no_appeal(
        q_sync, to_cease, family_parent):
    run_day(dt.date(2027, 3, 11))
    assert plan_status() == Plan.Status.ACTIVE, "the last day to appeal"
    run_day(dt.date(2027, 3, 12))
    assert plan_status() == Plan.Status.CEASED
    review = Review.objects.get(pk=to_cease.pk)
    assert review.status == Review.Status.CLOSED
    assert Decision.objects.get().plan_ceased_on == dt.date(2027, 3, 12)
    assert Plan.objects.get().ceased_on == dt.date(2027, 3, 12), "the plan's own fact: SEN2"
    assert not Plan.objects.get().reviews.open().exists(), "a ceased plan has no next review"
    assert Event.objects.filter(review=review, kind="plan.ceased").count() == 1
    ceased = Email.objects.filter(key__contains=":ceased:")
    assert set(ceased.values_list("to", flat=True)) == {family_parent.email,
                                                        "office@primary.test.example"}


def test_running_the_job_again_changes_nothing(q_sync, to_cease):
    run_day(dt.date(2027, 3, 12))
    counts = (Email.objects.count(), Event.objects.count())
    run_day(dt.date(2027, 3, 12))
    run_day(dt.date(2027, 3, 13))
    assert (Email.objects.count(), Event.objects.count()) == counts


def test_a_missed_day_is_caught_up(q_sync, to_cease):
    run_day(dt.date(2027, 3, 20))
    assert plan_status() == Plan.Status.CEASED


def test_an_appeal_keeps_the_plan_until_it_is_decided_for_the_local_authority(
        q_sync, to_cease, family_parent, coordinator):
    do_tell_appealing(to_cease, family_parent, dt.date(2027, 3, 1), today=dt.date(2027, 3, 1))
    run_day(dt.date(2027, 5, 1))
    assert plan_status() == Plan.Status.ACTIVE
    do_record_facts(to_cease, coordinator, {"appeal_decided_on": dt.date(2027, 6, 30)},
                    appeal_result="la", today=dt.date(2027, 7, 1))
    assert plan_status() == Plan.Status.CEASED
    assert Plan.objects.get().ceased_on == dt.date(2027, 7, 1)
    assert Review.objects.get(pk=to_cease.pk).status == Review.Status.CLOSED


def test_an_appeal_decided_for_the_family_keeps_the_plan_and_opens_its_next_review(
        q_sync, to_cease, family_parent, coordinator):
    do_tell_appealing(to_cease, family_parent, dt.date(2027, 3, 1), today=dt.date(2027, 3, 1))
    do_record_facts(to_cease, coordinator, {"appeal_decided_on": dt.date(2027, 6, 30)},
                    appeal_result="family", today=dt.date(2027, 7, 1))
    run_day(dt.date(2027, 7, 2))
    assert plan_status() == Plan.Status.ACTIVE
    assert Review.objects.get(pk=to_cease.pk).status == Review.Status.CLOSED
    # 12 months starting with the meeting on 16 December 2026.
    assert Plan.objects.get().reviews.open().get().due_by == dt.date(2027, 12, 15)


def test_mediation_in_progress_holds_the_plan_until_a_month_after_the_certificate(
        q_sync, to_cease, family_parent, coordinator):
    do_ask_for_mediation(to_cease, family_parent, today=dt.date(2027, 2, 1))
    run_day(dt.date(2027, 3, 20))
    assert plan_status() == Plan.Status.ACTIVE, "no certificate yet"
    do_record_facts(to_cease, coordinator, {"mediation_ended_on": dt.date(2027, 2, 26),
                                            "mediation_certificate_on": dt.date(2027, 3, 1)},
                    today=dt.date(2027, 3, 20))
    run_day(dt.date(2027, 4, 1))
    assert plan_status() == Plan.Status.ACTIVE, "1 month from the certificate: 1 April"
    run_day(dt.date(2027, 4, 2))
    assert plan_status() == Plan.Status.CEASED


def test_the_health_commissioning_body_is_told_of_the_decision_once_by_initials(
        plan, coordinator, nhs_trust, authority):
    """SEND Regs 2014 reg 31(2): the family, the setting and the responsible commissioning
    body are told of a decision to cease."""
    nhs_trust.email = "SEND.Team@ICB.test.example"
    nhs_trust.save()
    authority.health_commissioner = nhs_trust
    authority.save()
    review = held_review(plan, coordinator, dt.date(2026, 12, 16))
    for _ in range(2):  # a double click
        do_record_decision(review, coordinator, outcome="C", reasons="Needs met.",
                           cease_ground="not_necessary", family_consulted_on=dt.date(2027, 1, 4),
                           setting_consulted_on=dt.date(2027, 1, 5), today=LETTER)
    told = Email.objects.get(to="send.team@icb.test.example")
    child = plan.child
    assert child.la_reference in told.subject and child.la_reference in told.text
    assert "11 January 2027" in told.text
    assert child.first_name not in told.text and child.last_name not in told.text
    assert not Email.objects.filter(to=coordinator.email).exists()


def test_without_a_commissioning_body_on_record_the_coordinator_is_asked_to_tell_them(
        to_cease, coordinator):
    asked = Email.objects.get(to=coordinator.email)
    assert "health commissioning body" in asked.subject
    assert not Email.objects.filter(key__contains=":commissioner:").exists()


def test_a_decision_to_amend_tells_no_commissioning_body(plan, coordinator, nhs_trust,
                                                          authority):
    nhs_trust.email = "send@icb.test.example"
    nhs_trust.save()
    authority.health_commissioner = nhs_trust
    authority.save()
    review = held_review(plan, coordinator, dt.date(2026, 12, 16))
    do_record_decision(review, coordinator, outcome="M", reasons="All is well.", today=LETTER)
    assert not Email.objects.filter(to="send@icb.test.example").exists()
