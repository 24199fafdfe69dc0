"""The SQL the dashboards count with agrees with the clock (reviews/clock.py) on the edge
dates: a step done on the clock's last day is on time, a day later is late, whatever the
time of day in Europe/London and whichever side of a clock change."""

import datetime as dt

import pytest

from accountability.measures import RULES, STATES, Filters, transfers_in_period
from agencies.models import Discipline
from reviews import clock
from reviews.access import oversight_scope
from reviews.models import Invitation, Review
from tests.accountability.conftest import add_review, at, invite
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

# (meeting date, hour): an ordinary day; just after midnight in summer time, when the
# UTC date is the day before; the day the clocks go forward; a leap year's February.
MEETINGS = [(dt.date(2025, 3, 10), 10), (dt.date(2025, 6, 10), 0),
            (dt.date(2025, 3, 30), 3), (dt.date(2024, 2, 15), 14)]
DURATIONS = clock.LEGAL_DEFAULTS


def states(review, key, today=dt.date(2030, 1, 1)):
    """The states the rule's SQL puts the review in (exactly one, if the SQL is right)."""
    f = Filters.of(oversight_scope(review.coordinator), year=2025, today=today)
    return [name for name in STATES
            if Review.objects.filter(RULES[key].state(name, f), pk=review.pk).exists()]


def meeting_review(child, coordinator, meeting, hour, **facts):
    made = add_review(child, coordinator, due=meeting + dt.timedelta(days=30),
                      status=Review.Status.CLOSED, **facts)
    Review.objects.filter(pk=made.pk).update(meeting_at=at(meeting, hour))
    return Review.objects.get(pk=made.pk)


@pytest.mark.parametrize(("meeting", "hour"), MEETINGS)
@pytest.mark.parametrize(("key", "rule", "field"), [
    ("report", clock.report_due, "report_sent_on"),
    ("decision", clock.decision_due, "decision_sent_on"),
])
def test_a_date_step_is_on_time_on_the_clocks_last_day_and_late_the_day_after(
        coordinator, child, meeting, hour, key, rule, field):
    last_day = rule(meeting, durations=DURATIONS)
    on_time = meeting_review(child, coordinator, meeting, hour, **{field: last_day})
    late = meeting_review(child, coordinator, meeting, hour,
                          **{field: last_day + dt.timedelta(days=1)})
    assert states(on_time, key) == ["on_time"]
    assert states(late, key) == ["late"]


def test_a_report_exactly_14_days_after_the_meeting_is_on_time_and_15_days_late(
        coordinator, child):
    meeting = dt.date(2025, 3, 10)
    assert states(meeting_review(child, coordinator, meeting, 10,
                                 report_sent_on=dt.date(2025, 3, 24)), "report") == ["on_time"]
    assert states(meeting_review(child, coordinator, meeting, 10,
                                 report_sent_on=dt.date(2025, 3, 25)), "report") == ["late"]


@pytest.mark.parametrize(("meeting", "hour"), MEETINGS)
@pytest.mark.parametrize(("key", "rule", "field"), [
    ("invitations", clock.meeting_notice_by, "invitations_sent_at"),
    ("advice", clock.advice_circulation_by, "advice_circulated_at"),
])
def test_a_moment_step_counts_by_its_day_in_london(coordinator, child, meeting, hour, key,
                                                   rule, field):
    last_day = rule(meeting, durations=DURATIONS)
    # 11:30pm on the last day is on time; half past midnight the next day is late, though
    # in summer time it is still the last day in UTC.
    on_time = meeting_review(child, coordinator, meeting, hour)
    late = meeting_review(child, coordinator, meeting, hour)
    Review.objects.filter(pk=on_time.pk).update(**{field: at(last_day, 23) +
                                                   dt.timedelta(minutes=30)})
    Review.objects.filter(pk=late.pk).update(**{field: at(last_day + dt.timedelta(days=1), 0)
                                                + dt.timedelta(minutes=30)})
    assert states(on_time, key) == ["on_time"]
    assert states(late, key) == ["late"]


@pytest.mark.parametrize("hour", [0, 23])
def test_held_within_12_months_is_the_meeting_day_in_london_against_due_by(
        coordinator, child, hour):
    due = dt.date(2025, 6, 10)
    on_day = add_review(child, coordinator, due=due, status=Review.Status.MEETING_HELD,
                        meeting=due)
    day_after = add_review(child, coordinator, due=due, status=Review.Status.MEETING_HELD,
                           meeting=due + dt.timedelta(days=1))
    Review.objects.filter(pk=on_day.pk).update(meeting_at=at(due, hour))
    Review.objects.filter(pk=day_after.pk).update(meeting_at=at(due + dt.timedelta(days=1),
                                                                hour))
    assert states(on_day, "held") == ["on_time"]
    assert states(day_after, "held") == ["late"]


def test_a_meeting_set_but_not_held_is_not_a_review_held(coordinator, child):
    due = dt.date(2025, 6, 10)
    scheduled = add_review(child, coordinator, due=due, status=Review.Status.SCHEDULED,
                           meeting=due)
    assert states(scheduled, "held", today=due) == ["not_due"]
    assert states(scheduled, "held", today=due + dt.timedelta(days=1)) == ["overdue"]


@pytest.mark.parametrize(("meeting", "notice"), [
    (dt.date(2025, 3, 20), dt.date(2025, 6, 18)),  # a notice 13 weeks late: still 8 weeks
    (dt.date(2025, 3, 20), dt.date(2025, 3, 27)),  # an early notice
    (dt.date(2024, 1, 5), dt.date(2024, 1, 31)),  # across 29 February
])
def test_the_final_plan_is_the_clocks_8_weeks_from_the_notice(coordinator, child, meeting,
                                                              notice):
    due = clock.final_plan_due(notice, durations=DURATIONS)
    facts = {"decision": "A", "amendment_notice_sent_on": notice}
    on_time = meeting_review(child, coordinator, meeting, 10, final_plan_sent_on=due, **facts)
    late = meeting_review(child, coordinator, meeting, 10,
                          final_plan_sent_on=due + dt.timedelta(days=1), **facts)
    assert states(on_time, "final_plan") == ["on_time"]
    assert states(late, "final_plan") == ["late"]


@pytest.mark.parametrize(("rule", "clock_rule", "fact"), [
    ("amendment_notice", clock.amendment_notice_due, "amendment_notice_sent_on"),
    ("amendments_overall", clock.amendments_overall_by, "final_plan_sent_on"),
])
def test_the_amendments_lateness_is_the_clocks_from_the_meeting(coordinator, child, rule,
                                                                clock_rule, fact):
    meeting = dt.date(2024, 1, 5)  # the 12 weeks run across 29 February
    due = clock_rule(meeting, durations=DURATIONS)
    on_time = meeting_review(child, coordinator, meeting, 10, decision="A", **{fact: due})
    late = meeting_review(child, coordinator, meeting, 10, decision="A",
                          **{fact: due + dt.timedelta(days=1)})
    assert states(on_time, rule) == ["on_time"]
    assert states(late, rule) == ["late"]


def ordered(child, coordinator, made_on, **compliance):
    """A closed review whose decision to cease the family appealed and won, with the
    Tribunal's order to amend the plan's provision and the school it names."""
    from decisions.models import Decision, Disagreement, TribunalOrder

    review = meeting_review(child, coordinator, dt.date(2025, 1, 15), 10, decision="C",
                            decision_sent_on=dt.date(2025, 2, 5))
    decision = Decision.objects.create(
        review=review, outcome="C", reasons="Needs met.", cease_ground="not_necessary",
        family_consulted_on=dt.date(2025, 1, 20), setting_consulted_on=dt.date(2025, 1, 20),
        decided_by=coordinator)
    Disagreement.objects.create(decision=decision, appeal_made_on=dt.date(2025, 3, 1),
                                appeal_decided_on=made_on, appeal_result="family")
    TribunalOrder.objects.create(decision=decision, made_on=made_on, amend_provision=True,
                                 amend_placement=True, **compliance)
    return review


@pytest.mark.parametrize(("rule", "requirement", "fact"), [
    ("order_provision", clock.OrderRequirement.AMEND_PROVISION, "provision_amended_on"),
    ("order_placement", clock.OrderRequirement.AMEND_PLACEMENT, "placement_amended_on"),
])
def test_complying_with_a_tribunal_order_is_the_clocks(coordinator, child, rule, requirement,
                                                       fact):
    made_on = dt.date(2025, 2, 20)  # across the end of a February
    due = clock.tribunal_order_due(requirement, made_on, durations=DURATIONS)
    assert states(ordered(child, coordinator, made_on, **{fact: due}), rule) == ["on_time"]
    assert states(ordered(child, coordinator, made_on, **{fact: due + dt.timedelta(days=1)}),
                  rule) == ["late"]
    waiting = ordered(child, coordinator, made_on)
    assert states(waiting, rule, today=due) == ["not_due"]
    assert states(waiting, rule, today=due + dt.timedelta(days=1)) == ["overdue"]


@pytest.mark.parametrize(("setting_type", "born"), [
    ("primary", dt.date(2014, 1, 1)),  # Year 6 in 2024/25: before 15 February
    ("secondary", dt.date(2009, 1, 10)),  # Year 11: before 31 March
    ("", dt.date(2009, 2, 2)),  # no setting type, Year 11 by age: before 31 March
    ("", dt.date(2014, 3, 3)),  # no setting type, Year 6 by age: before 15 February
])
def test_a_phase_transfer_deadline_is_the_clocks(coordinator, authority, school, setting_type,
                                                 born):
    child = ChildFactory(setting=school, setting_type=setting_type, date_of_birth=born)
    meeting = dt.date(2024, 11, 5)
    transfer = clock.phase_transfer_due(
        born, meeting, setting=clock.SettingType(setting_type) if setting_type else None)
    on_time = meeting_review(child, coordinator, meeting, 10, kind=Review.Kind.PHASE_TRANSFER,
                             final_plan_sent_on=transfer.deadline)
    late = meeting_review(child, coordinator, meeting, 10, kind=Review.Kind.PHASE_TRANSFER,
                          final_plan_sent_on=transfer.deadline + dt.timedelta(days=1))
    assert states(on_time, "phase_transfer") == ["on_time"]
    assert states(late, "phase_transfer") == ["late"]
    # And the transfer is counted in the month of its deadline, and only then.
    f = Filters.of(oversight_scope(coordinator), year=transfer.deadline.year,
                   from_month=transfer.deadline.month, to_month=transfer.deadline.month)
    other = f.months(6, 6)
    assert Review.objects.filter(transfers_in_period(f)).count() == 2
    assert Review.objects.filter(transfers_in_period(other)).count() == 0


def test_advice_is_never_sent_only_once_the_clocks_advice_date_has_passed(
        coordinator, child, nhs_trust, therapist):
    from accountability.measures import MEASURES

    meeting = dt.date(2025, 6, 10)
    review = meeting_review(child, coordinator, meeting, 10)
    invite(review, nhs_trust, user=therapist, discipline=Discipline.SPEECH_AND_LANGUAGE,
           sent=dt.date(2025, 5, 1))
    due = review.advice_due()  # the clock's, through the model
    assert due == clock.advice_circulation_by(meeting, durations=DURATIONS)

    def row(today):
        table = MEASURES["participation"].build(Filters.of(
            oversight_scope(coordinator), year=2025, today=today))
        values = {c.key: cell.value for c, cell in zip(table.columns, table.rows[0],
                                                      strict=True)}
        return values["never"], values["not_due"]

    assert row(due) == (0, 1)
    assert row(due + dt.timedelta(days=1)) == (1, 0)
    assert Invitation.objects.count() == 1
