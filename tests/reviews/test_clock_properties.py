"""No date the clock gives falls before the step it is counted from (issue #15), and no
date a person is given falls before the day they are asked (issue #16): properties over
every function of the clock that takes a date, for any dates from 2015 to 2045.

The hand-worked cases are in test_clock.py; these say what must hold for all the others.
"""

import datetime as dt
import inspect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews import clock
from reviews.clock import OrderRequirement, Outcome

DAYS = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2045, 12, 31))
GAPS = st.integers(min_value=0, max_value=400)  # days between two steps, in order
EXAMPLES = settings(max_examples=300, deadline=None)

# Every function that counts forward from the date it is given: the date it gives must
# fall on or after it.
FORWARD = {
    "next_review_due": lambda day: clock.next_review_due(plan_first_issued=day),
    "under_five_review_window": lambda day: clock.under_five_review_window(day).start,
    "report_due": clock.report_due,
    "decision_due": clock.decision_due,
    "amendment_notice_due": clock.amendment_notice_due,
    "representations_end": clock.representations_end,
    "final_plan_due": clock.final_plan_due,
    "amendments_overall_by": clock.amendments_overall_by,
    "mediation_contact_by": clock.mediation_contact_by,
    "mediation_certificate_due": clock.mediation_certificate_due,
    "mediation_held_by": clock.mediation_held_by,
    "appeal_deadline": clock.appeal_deadline,
    "unopposed_appeal_plan_due": clock.unopposed_appeal_plan_due,
    "tribunal_order_due": lambda day: min(clock.tribunal_order_due(requirement, day)
                                          for requirement in OrderRequirement),
    "next_working_day": clock.next_working_day,
    "add_working_days": lambda day: clock.add_working_days(day, 1),
    "reply_due": lambda day: clock.reply_due(day - dt.timedelta(days=30), day),
    "compulsory_school_age_ends": clock.compulsory_school_age_ends,
}
# Counted back from a later event (the meeting, the term, the move): the date is before
# that event. They are the LA's deadlines, shown to the LA, never a date given to a
# person asked after it (that is reply_due's).
BACKWARD = {
    "meeting_notice_by": clock.meeting_notice_by,
    "advice_circulation_by": clock.advice_circulation_by,
    "termly_list_due": clock.termly_list_due,
    "post16_transfer_deadline": clock.post16_transfer_deadline,
    "phase_transfer_deadline": lambda day: clock.phase_transfer_deadline(
        clock.TransferKind.PRIMARY_TO_SECONDARY, day.replace(month=9, day=1)),
}
# Take dates but give no deadline: ages, years, working-day tests and counts, statuses,
# and the functions over a review's facts that have properties of their own below.
NOT_A_DEADLINE = {
    "age_on", "school_year_start", "year_group", "is_under_five", "is_working_day",
    "working_days_between", "phase_transfer_due", "deadline_status", "review_deadlines",
    "lateness", "born_before_school_age_ended", "served_on",
}


def test_every_function_that_takes_a_date_is_held_to_a_property():
    takes_dates = {
        name for name, function in inspect.getmembers(clock, inspect.isfunction)
        if function.__module__ == clock.__name__ and not name.startswith("_")
        and any("date" in str(parameter.annotation)
                for parameter in inspect.signature(function).parameters.values())
    }
    assert takes_dates == set(FORWARD) | set(BACKWARD) | NOT_A_DEADLINE


@pytest.mark.parametrize("name", sorted(FORWARD))
@EXAMPLES
@given(day=DAYS)
def test_a_date_counted_forward_is_never_before_its_start(name, day):
    assert FORWARD[name](day) >= day


@pytest.mark.parametrize("name", sorted(BACKWARD))
@EXAMPLES
@given(day=DAYS)
def test_a_date_counted_back_is_before_its_event(name, day):
    event = day.replace(month=9, day=1) if name == "phase_transfer_deadline" else day
    assert BACKWARD[name](day) < event


@EXAMPLES
@given(born=DAYS, on=DAYS)
def test_compulsory_school_age_ends_on_a_june_friday_at_15_or_16_and_the_cutoff_agrees(
        born, on):
    ends = clock.compulsory_school_age_ends(born)
    assert (ends.month, ends.weekday()) == (6, 4)
    assert (ends + dt.timedelta(days=7)).month == 7, "the last Friday of the month"
    assert clock.age_on(born, ends) in (15, 16)
    assert clock.year_group(born, ends) == 11, "the end of Year 11"
    assert (ends <= on) == (born < clock.born_before_school_age_ended(on))


@EXAMPLES
@given(decision=DAYS, gap=st.none() | GAPS)
def test_the_appeal_is_never_before_the_decision_or_the_certificate(decision, gap):
    certificate = decision + dt.timedelta(days=gap) if gap is not None else None
    deadline = clock.appeal_deadline(decision, certificate)
    assert deadline >= max(decision, certificate or decision)
    # And it is a day the Tribunal can receive it (r.12(2), r.12(3)(a)).
    assert clock.is_working_day(deadline)
    assert deadline.month != 8
    assert not ((deadline.month, deadline.day) >= (12, 25) or (deadline.month, deadline.day)
                == (1, 1))


@EXAMPLES
@given(law_date=DAYS, asked=DAYS, meeting_gap=st.none() | GAPS)
def test_a_person_is_given_a_date_no_earlier_than_they_are_asked_or_the_law(
        law_date, asked, meeting_gap):
    meeting = asked + dt.timedelta(days=meeting_gap) if meeting_gap is not None else None
    given_date = clock.reply_due(law_date, asked, meeting=meeting)
    assert given_date >= asked
    assert given_date >= law_date


@st.composite
def review_facts(draw):
    """A review's facts in an order that can happen: each step on or after the one it
    follows."""
    outcome = draw(st.sampled_from(Outcome))
    meeting = draw(DAYS)
    issued = meeting - dt.timedelta(days=draw(GAPS))

    def after(day):
        return day + dt.timedelta(days=draw(GAPS))

    facts = {"plan_first_issued": issued, "meeting": meeting, "outcome": outcome,
             "decision_sent": after(meeting)}
    if outcome is Outcome.AMEND:
        facts["amendment_notice_sent"] = facts["decision_sent"]
        if draw(st.booleans()):
            facts["final_plan_sent"] = after(facts["amendment_notice_sent"])
    appealable = facts.get("final_plan_sent") if outcome is Outcome.AMEND \
        else facts["decision_sent"]
    if appealable is not None:
        for name in ("mediation_requested", "mediation_declined", "mediation_ended",
                     "la_told_tribunal_not_opposing"):
            if draw(st.booleans()):
                facts[name] = after(appealable)
        if draw(st.booleans()):
            facts["mediation_certificate_issued"] = after(appealable)
            if draw(st.booleans()):
                facts["tribunal_order_made"] = after(facts["mediation_certificate_issued"])
                facts["order_requires"] = frozenset(draw(st.sets(st.sampled_from(
                    OrderRequirement), min_size=1)))
    return facts, appealable


# The step each of a review's dates is counted from.
STARTS = {
    "report_due": "meeting", "decision_due": "meeting", "amendment_notice_due": "meeting",
    "amendments_overall_by": "meeting", "following_review_due": "meeting",
    "representations_end": "amendment_notice_sent", "final_plan_due": "amendment_notice_sent",
    "mediation_contact_by": "appealable", "appeal_deadline": "appealable",
    "mediation_certificate_due": "mediation_declined",
    "mediation_held_by": "mediation_requested",
    "mediation_end_certificate_due": "mediation_ended",
    "unopposed_plan_due": "la_told_tribunal_not_opposing",
    "order_placement_due": "tribunal_order_made", "order_provision_due": "tribunal_order_made",
    "review_due": "plan_first_issued",
}


@EXAMPLES
@given(review_facts())
def test_no_date_of_a_review_falls_before_the_step_it_is_counted_from(drawn):
    facts, appealable = drawn
    dates = clock.review_deadlines(**facts)
    steps = {**facts, "appealable": appealable}
    # The letters' own dates among them: the family's comments and the final plan from
    # the letter with the proposed amendments, mediation and the appeal from the letter
    # they may appeal.
    for row in dates.as_list():
        if row.key in STARTS:
            assert row.due >= steps[STARTS[row.key]], row.key


@EXAMPLES
@given(meeting=DAYS, gap=st.integers(min_value=1, max_value=400))
def test_a_step_dated_before_the_one_it_follows_is_refused(meeting, gap):
    with pytest.raises(clock.FactsOutOfOrder):
        clock.review_deadlines(meeting=meeting, outcome=Outcome.MAINTAIN,
                               decision_sent=meeting - dt.timedelta(days=gap))


@EXAMPLES
@given(sent=DAYS, posted=DAYS)
def test_a_notice_is_served_neither_before_it_was_sent_nor_before_it_was_posted(sent, posted):
    served = clock.served_on(sent, posted)
    assert served >= sent and served >= posted
    assert clock.served_on(sent, None) == sent
