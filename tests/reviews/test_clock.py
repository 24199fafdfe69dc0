"""The statutory clock, checked against the rules (docs/statutory-clock.md).

Every expected date here was worked out by hand from the rule named in the case id, never
by calling the clock. Weekdays and bank holidays are England's: 2026 has Good Friday 3 Apr,
Easter Monday 6 Apr, early May 4 May, spring 25 May, summer 31 Aug, Christmas Fri 25 Dec
and Boxing Day (observed) Mon 28 Dec; 2027 has Good Friday 26 Mar, Easter Monday 29 Mar,
3 May, 31 May, 30 Aug, and Christmas/Boxing Day observed Mon 27 / Tue 28 Dec; New Year's
Day 2028 (a Saturday) is observed Mon 3 Jan.
"""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from reviews import clock
from reviews.bank_holidays import bank_holidays
from reviews.clock import LEGAL_DEFAULTS, DateWindow, Outcome, TransferKind

D = date.fromisoformat


# --- CFA 2014 s44(1): review within 12 months of first issue, then of the last review -----


@pytest.mark.parametrize(
    ("issued", "last_review", "due"),
    [
        pytest.param(
            "2024-03-15", None, "2025-03-14", id="CFA-s44(1)-12-months-starting-with-issue-day"
        ),
        pytest.param(
            "2024-02-29", None, "2025-02-28", id="CFA-s44(1)-issued-29-Feb-2024-due-28-Feb-2025"
        ),
        pytest.param(
            "2023-03-01", None, "2024-02-29", id="CFA-s44(1)-issued-1-Mar-2023-runs-to-29-Feb-leap"
        ),
        pytest.param(
            "2024-03-01", None, "2025-02-28", id="CFA-s44(1)-issued-1-Mar-2024-runs-to-28-Feb"
        ),
        pytest.param("2025-01-01", None, "2025-12-31", id="CFA-s44(1)-issued-1-Jan-due-31-Dec"),
        pytest.param("2025-12-31", None, "2026-12-30", id="CFA-s44(1)-issued-31-Dec-due-30-Dec"),
        pytest.param(
            "2023-01-10", "2025-10-10", "2026-10-09", id="CFA-s44(1)(b)-from-the-last-review"
        ),
        pytest.param("2026-05-05", "2028-02-29", "2029-02-28", id="CFA-s44(1)(b)-review-on-29-Feb"),
        pytest.param(None, "2025-06-30", "2026-06-29", id="CFA-s44(1)(b)-last-review-alone"),
    ],
)
def test_next_review_is_due_by_the_day_before_the_anniversary(issued, last_review, due):
    got = clock.next_review_due(
        plan_first_issued=D(issued) if issued else None,
        last_review_meeting=D(last_review) if last_review else None,
    )
    assert got == D(due)


def test_next_review_needs_a_start_date():
    with pytest.raises(ValueError):
        clock.next_review_due()


def test_a_review_before_the_plan_existed_is_refused():
    with pytest.raises(ValueError):
        clock.next_review_due(
            plan_first_issued=D("2025-05-01"), last_review_meeting=D("2025-04-01")
        )


def test_amending_the_plan_does_not_restart_the_twelve_months():
    # CFA s44(1): the next period runs from the review (its meeting, 5 Nov 2025), not from
    # the final amended plan of 14 Jan 2026 (which would give 13 Jan 2027).
    dates = clock.review_deadlines(
        plan_first_issued=D("2025-01-20"),
        meeting=D("2025-11-05"),
        outcome=Outcome.AMEND,
        amendment_notice_sent=D("2025-11-26"),
        final_plan_sent=D("2026-01-14"),
    )
    assert dates.review_due == D("2026-01-19")
    assert dates.following_review_due == D("2026-11-04")


# --- CoP 9.178: under-5s, a review every 3 to 6 months considered ----------------------------


@pytest.mark.parametrize(
    ("last", "start", "end"),
    [
        pytest.param("2025-01-15", "2025-04-15", "2025-07-14", id="CoP-9.178-mid-month"),
        pytest.param("2025-08-31", "2025-11-30", "2026-02-28", id="CoP-9.178-31-Aug-month-ends"),
        pytest.param("2024-02-29", "2024-05-29", "2024-08-28", id="CoP-9.178-from-29-Feb"),
    ],
)
def test_under_five_window_runs_from_three_to_six_months(last, start, end):
    assert clock.under_five_review_window(D(last)) == DateWindow(D(start), D(end))


@pytest.mark.parametrize(
    ("born", "on", "under_five"),
    [
        pytest.param("2020-09-01", "2025-08-31", True, id="CoP-9.178-day-before-5th-birthday"),
        pytest.param("2020-09-01", "2025-09-01", False, id="CoP-9.178-on-5th-birthday"),
        pytest.param("2020-02-29", "2025-02-28", True, id="FLRA-1969-s9-leap-day-birthday-not-yet"),
        pytest.param(
            "2020-02-29", "2025-03-01", False, id="FLRA-1969-s9-leap-day-birthday-1-March"
        ),
    ],
)
def test_under_five(born, on, under_five):
    assert clock.is_under_five(D(born), D(on)) is under_five


# --- CoP 9.172 and regs 20-21: before and after the meeting ----------------------------------


@pytest.mark.parametrize(
    ("term_start", "list_by"),
    [
        pytest.param("2027-01-05", "2026-12-22", id="CoP-9.172-spring-term"),
        pytest.param("2027-04-19", "2027-04-05", id="CoP-9.172-summer-term"),
        pytest.param("2026-09-02", "2026-08-19", id="CoP-9.172-autumn-term"),
    ],
)
def test_termly_list_goes_two_weeks_before_term(term_start, list_by):
    assert clock.termly_list_due(D(term_start)) == D(list_by)


@pytest.mark.parametrize(
    ("meeting", "notice_by"),
    [
        pytest.param("2026-10-14", "2026-09-30", id="reg-20(3)-two-weeks-before"),
        pytest.param("2026-01-10", "2025-12-27", id="reg-20(3)-across-the-new-year"),
        pytest.param("2024-03-07", "2024-02-22", id="reg-20(3)-back-across-29-Feb-2024"),
        pytest.param("2025-03-07", "2025-02-21", id="reg-20(3)-back-across-28-Feb-2025"),
    ],
)
def test_notice_and_advice_go_two_weeks_before_the_meeting(meeting, notice_by):
    assert clock.meeting_notice_by(D(meeting)) == D(notice_by)
    # reg 20(4): the advice has the same two weeks.
    assert clock.advice_circulation_by(D(meeting)) == D(notice_by)


@pytest.mark.parametrize(
    ("meeting", "report", "decision"),
    [
        pytest.param("2026-10-14", "2026-10-28", "2026-11-11", id="regs-20(7)-and-20-21-plain"),
        pytest.param(
            "2026-12-18",
            "2027-01-01",
            "2027-01-15",
            id="regs-20-21-calendar-days-onto-a-bank-holiday",
        ),
        pytest.param("2028-02-15", "2028-02-29", "2028-03-14", id="regs-20-21-across-29-Feb-2028"),
        pytest.param("2027-02-15", "2027-03-01", "2027-03-15", id="regs-20-21-across-28-Feb-2027"),
    ],
)
def test_report_in_two_weeks_and_decision_in_four(meeting, report, decision):
    assert clock.report_due(D(meeting)) == D(report)
    assert clock.decision_due(D(meeting)) == D(decision)


def test_proposed_amendments_go_with_the_four_week_decision():
    # Devon [2022] EWHC 493 (Admin): 14 Oct 2026 + 4 weeks.
    assert clock.amendment_notice_due(D("2026-10-14")) == D("2026-11-11")


# --- reg 22: representations and the final amended plan --------------------------------------


@pytest.mark.parametrize(
    ("served", "last_day"),
    [
        pytest.param("2026-11-11", "2026-11-25", id="reg-22(2)(c)-15-days-counting-the-day-served"),
        pytest.param("2028-02-20", "2028-03-05", id="reg-22(2)(c)-across-29-Feb-2028"),
        pytest.param("2027-02-20", "2027-03-06", id="reg-22(2)(c)-across-28-Feb-2027"),
    ],
)
def test_representations_window(served, last_day):
    assert clock.representations_end(D(served)) == D(last_day)


@pytest.mark.parametrize(
    ("notice", "final_plan_by"),
    [
        pytest.param("2026-11-11", "2027-01-06", id="reg-22(3)-8-weeks-from-the-notice"),
        pytest.param("2028-01-02", "2028-02-27", id="reg-22(3)-across-February-2028"),
        # The case: a notice sent on 20 February 2027, 11 weeks after a meeting on
        # 1 December 2026, still gives the LA 8 weeks from it (reg 22(3)); the 12 weeks
        # from the meeting ended on 23 February and are the LA's lateness, not this date.
        pytest.param("2027-02-20", "2027-04-17", id="reg-22(3)-a-late-notice-still-8-weeks"),
    ],
)
def test_final_amended_plan_within_8_weeks_of_the_notice(notice, final_plan_by):
    assert clock.final_plan_due(D(notice)) == D(final_plan_by)


@pytest.mark.parametrize(
    ("meeting", "overall"),
    [
        pytest.param("2026-12-01", "2027-02-23", id="Devon-4-then-8-weeks"),
        pytest.param("2025-11-05", "2026-01-28", id="Devon-12-weeks-from-the-meeting"),
    ],
)
def test_the_amendments_overall_are_12_weeks_from_the_meeting(meeting, overall):
    assert clock.amendments_overall_by(D(meeting)) == D(overall)


def test_the_12_weeks_follow_the_decision_and_final_plan_durations():
    # No separate setting: 4 + 8 weeks are the decision's and the final plan's own.
    durations = LEGAL_DEFAULTS.overridden({"decision_weeks": 6, "final_plan_weeks": 10})
    assert clock.amendments_overall_by(D("2026-12-01"), durations=durations) == D("2027-03-23")


# --- working days (SEND Regs 2014 reg 2; HESC Rules r.1(3)) ----------------------------------


def test_englands_weekday_bank_holidays_for_2026():
    # England only: no 2 January or St Andrew's Day (Scotland), no first Monday of August.
    weekdays = sorted(d for d in bank_holidays(2026) if d.weekday() < 5)
    assert weekdays == [
        D("2026-01-01"), D("2026-04-03"), D("2026-04-06"), D("2026-05-04"),
        D("2026-05-25"), D("2026-08-31"), D("2026-12-25"), D("2026-12-28"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("day", "working"),
    [
        pytest.param("2027-03-26", False, id="reg-2-Good-Friday-2027"),
        pytest.param("2027-03-29", False, id="reg-2-Easter-Monday-2027"),
        pytest.param("2027-03-30", True, id="reg-2-Tuesday-after-Easter"),
        pytest.param("2026-12-24", True, id="reg-2-Christmas-Eve-is-a-working-day"),
        pytest.param("2026-12-25", False, id="reg-2-Christmas-Day"),
        pytest.param("2026-12-28", False, id="reg-2-Boxing-Day-substitute-2026"),
        pytest.param("2027-12-27", False, id="reg-2-Christmas-substitute-2027"),
        pytest.param("2027-12-28", False, id="reg-2-Boxing-Day-substitute-2027"),
        pytest.param("2028-01-03", False, id="reg-2-New-Year-substitute-2028"),
        pytest.param("2027-05-03", False, id="reg-2-early-May-2027"),
        pytest.param("2027-05-31", False, id="reg-2-late-May-2027"),
        pytest.param("2027-08-30", False, id="reg-2-August-bank-holiday-2027"),
        pytest.param("2023-05-08", False, id="reg-2-coronation-by-proclamation"),
        pytest.param("2026-08-15", False, id="reg-2-Saturday"),
        pytest.param("2026-08-17", True, id="reg-2-ordinary-Monday"),
    ],
)
def test_is_working_day(day, working):
    assert clock.is_working_day(D(day)) is working


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        pytest.param("2027-03-25", 3, "2027-04-01", id="reg-2-across-Easter-2027"),
        pytest.param("2026-12-23", 3, "2026-12-30", id="reg-2-across-Christmas-2026"),
        pytest.param("2027-12-24", 1, "2027-12-29", id="reg-2-across-Christmas-2027-substitutes"),
        pytest.param("2027-12-31", 1, "2028-01-04", id="reg-2-across-New-Year-2028-substitute"),
        pytest.param("2027-05-28", 1, "2027-06-01", id="reg-2-across-late-May-2027"),
        pytest.param("2027-08-27", 1, "2027-08-31", id="reg-2-across-August-bank-holiday-2027"),
        pytest.param("2023-05-05", 1, "2023-05-09", id="reg-2-across-the-coronation"),
        pytest.param("2026-03-09", 3, "2026-03-12", id="reg-2-plain-week"),
        pytest.param("2026-03-13", 1, "2026-03-16", id="reg-2-over-a-weekend"),
        pytest.param(
            "2027-03-27", 1, "2027-03-30", id="reg-2-from-a-Saturday-before-Easter-Monday"
        ),
        pytest.param("2026-12-24", 0, "2026-12-24", id="reg-2-zero-days"),
        pytest.param("2027-04-01", -3, "2027-03-25", id="reg-2-counting-back-over-Easter"),
    ],
)
def test_add_working_days(start, days, end):
    assert clock.add_working_days(D(start), days) == D(end)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        pytest.param("2027-03-25", "2027-04-01", 3, id="reg-2-Easter-2027"),
        pytest.param("2026-12-23", "2026-12-30", 3, id="reg-2-Christmas-2026"),
        pytest.param("2026-12-21", "2027-01-04", 7, id="reg-2-Christmas-to-New-Year-2026"),
        pytest.param("2027-08-27", "2027-09-03", 4, id="reg-2-August-bank-holiday-2027"),
        pytest.param("2027-04-01", "2027-03-25", -3, id="reg-2-backwards"),
        pytest.param("2026-03-10", "2026-03-10", 0, id="reg-2-same-day"),
    ],
)
def test_working_days_between(start, end, count):
    assert clock.working_days_between(D(start), D(end)) == count


# --- mediation (SEND Regs 2014 regs 33-39) ---------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "contact_by"),
    [
        pytest.param("2026-01-31", "2026-03-31", id="reg-33-2-months"),
        pytest.param("2025-12-31", "2026-02-28", id="reg-33-31-Dec-to-28-Feb-no-weekend-roll"),
        pytest.param("2027-12-31", "2028-02-29", id="reg-33-31-Dec-to-29-Feb-leap"),
        pytest.param("2026-06-15", "2026-08-15", id="reg-33-no-Tribunal-August-extension"),
    ],
)
def test_mediation_contact_within_two_months(decision, contact_by):
    assert clock.mediation_contact_by(D(decision)) == D(contact_by)


@pytest.mark.parametrize(
    ("event", "due"),
    [
        pytest.param("2027-03-25", "2027-04-01", id="reg-34-declined-before-Easter"),
        pytest.param("2026-12-23", "2026-12-30", id="reg-39-mediation-ended-before-Christmas"),
        pytest.param("2026-08-05", "2026-08-10", id="reg-39-over-a-weekend"),
    ],
)
def test_mediation_certificate_in_three_working_days(event, due):
    assert clock.mediation_certificate_due(D(event)) == D(due)


@pytest.mark.parametrize(
    ("informed", "held_by"),
    [
        pytest.param("2026-12-10", "2027-01-09", id="regs-36-37-30-days-over-New-Year"),
        pytest.param("2028-02-10", "2028-03-11", id="regs-36-37-leap-February"),
        pytest.param("2027-02-10", "2027-03-12", id="regs-36-37-common-February"),
    ],
)
def test_mediation_held_within_thirty_days(informed, held_by):
    assert clock.mediation_held_by(D(informed)) == D(held_by)


# --- appeal (HESC Rules 2008 r.20(1)(c), r.12) -----------------------------------------------


@pytest.mark.parametrize(
    ("decision", "certificate", "deadline"),
    [
        pytest.param("2026-03-12", None, "2026-05-12", id="r.20(1)(c)(i)-2-months"),
        pytest.param("2026-03-04", None, "2026-05-05", id="r.12(2)-lands-on-early-May-2026"),
        pytest.param("2027-03-03", None, "2027-05-04", id="r.12(2)-lands-on-early-May-2027"),
        pytest.param("2027-01-26", None, "2027-03-30", id="r.12(2)-lands-on-Good-Friday-2027"),
        pytest.param("2026-12-31", None, "2027-03-01", id="r.12(2)-31-Dec-to-Sun-28-Feb"),
        pytest.param("2027-12-31", None, "2028-02-29", id="r.20-31-Dec-to-29-Feb-leap"),
        pytest.param("2026-05-31", None, "2026-07-31", id="r.12(3)(a)-Fri-31-July-is-not-August"),
        pytest.param("2026-06-01", None, "2026-09-01", id="r.12(3)(a)-1-August-to-1-September"),
        pytest.param("2026-06-15", None, "2026-09-01", id="r.12(3)(a)-August-to-Tue-1-Sep-2026"),
        pytest.param("2026-06-30", None, "2026-09-01", id="r.12(3)(a)-30-August-2026"),
        pytest.param("2024-06-10", None, "2024-09-02", id="r.12(3)(a)-August-1-Sep-2024-a-Sunday"),
        pytest.param("2029-06-20", None, "2029-09-03",
                     id="r.12(3)(a)-August-1-Sep-2029-a-Saturday"),
        pytest.param("2026-10-24", None, "2026-12-24", id="r.12(3)(a)-24-Dec-not-extended"),
        pytest.param(
            "2026-10-25", None, "2027-01-04",
            id="r.12(3)(a)-25-Dec-to-first-working-day-after-1-Jan",
        ),
        pytest.param("2026-10-31", None, "2027-01-04", id="r.12(3)(a)-31-Dec"),
        pytest.param(
            "2027-11-01", None, "2028-01-04", id="r.12(3)(a)-1-Jan-2028-past-the-3-Jan-substitute"
        ),
        pytest.param("2026-11-02", None, "2027-01-04", id="r.12(2)-2-Jan-a-Saturday"),
        # r.12(2) then r.12(3)(a): a limit on a weekend that the next working day would put
        # in August or the Christmas window goes on past it.
        pytest.param("2027-05-31", None, "2027-09-01",
                     id="r.12(2)-Sat-31-July-2027-to-Mon-2-Aug-then-r.12(3)(a)-to-1-Sep"),
        pytest.param("2022-10-24", None, "2023-01-03",
                     id="r.12(2)-Sat-24-Dec-2022-to-Wed-28-Dec-then-r.12(3)(a)-to-3-Jan"),
        pytest.param("2021-10-24", None, "2021-12-24", id="r.12(3)(a)-Fri-24-Dec-2021-stays"),
        pytest.param(
            "2026-10-01",
            "2026-11-29",
            "2027-01-04",
            id="r.20(1)(c)(ii)-certificate-later-into-Christmas",
        ),
        pytest.param(
            "2026-10-01", "2026-12-01", "2027-01-04", id="r.20(1)(c)(ii)-certificate-to-1-Jan"
        ),
        pytest.param(
            "2026-02-02",
            "2026-02-10",
            "2026-04-02",
            id="r.20(1)(c)-decision-later-than-certificate",
        ),
        pytest.param(
            "2027-12-01", "2028-01-31", "2028-02-29", id="r.20(1)(c)(ii)-31-Jan-plus-1-month-leap"
        ),
        pytest.param(
            "2026-12-31", "2027-01-31", "2027-03-01", id="r.20(1)(c)(ii)-31-Jan-plus-1-month-common"
        ),
        pytest.param(
            "2026-05-01", "2026-07-20", "2026-09-01", id="r.20(1)(c)(ii)-certificate-into-August"
        ),
    ],
)
def test_appeal_deadline(decision, certificate, deadline):
    got = clock.appeal_deadline(D(decision), D(certificate) if certificate else None)
    assert got == D(deadline)


@pytest.mark.parametrize(
    ("told", "due"),
    [
        pytest.param("2026-12-01", "2027-01-05", id="reg-45(4)-5-weeks"),
        pytest.param("2028-02-01", "2028-03-07", id="reg-45(4)-leap-February"),
        pytest.param("2027-02-01", "2027-03-08", id="reg-45(4)-common-February"),
    ],
)
def test_unopposed_appeal_plan_within_five_weeks(told, due):
    assert clock.unopposed_appeal_plan_due(D(told)) == D(due)


# --- Tribunal orders (SEND Regs 2014 reg 44) ---------------------------------------------------


@pytest.mark.parametrize(
    ("requirement", "made", "due"),
    [
        pytest.param(clock.OrderRequirement.AMEND_PROVISION, "2027-06-10", "2027-07-15",
                     id="reg-44(2)(e)-amend-provision-5-weeks"),
        pytest.param(clock.OrderRequirement.AMEND_PLACEMENT, "2027-06-10", "2027-06-24",
                     id="reg-44(2)(f)-name-the-school-2-weeks"),
        pytest.param(clock.OrderRequirement.CONTINUE, "2027-06-10", "2027-06-10",
                     id="reg-44(2)(g)-continue-to-maintain-immediately"),
    ],
)
def test_complying_with_a_tribunal_order(requirement, made, due):
    assert clock.tribunal_order_due(requirement, D(made)) == D(due)


def test_a_tribunal_order_puts_its_dates_among_the_reviews():
    dates = clock.review_deadlines(
        meeting=D("2026-11-04"), outcome=Outcome.CEASE, decision_sent=D("2026-11-25"),
        tribunal_order_made=D("2027-06-10"),
        order_requires=frozenset({clock.OrderRequirement.CONTINUE,
                                  clock.OrderRequirement.AMEND_PROVISION}))
    assert dates.order_provision_due == D("2027-07-15")
    assert dates.order_placement_due is None
    rows = {row.key: row for row in dates.as_list()}
    assert rows["order_provision_due"].whose is clock.Whose.LA
    assert rows["order_provision_due"].rule == "SEND Regs 2014 reg 44(2)(e), (h)"


# --- durations are settings -----------------------------------------------------------------


def test_the_defaults_are_the_law():
    assert LEGAL_DEFAULTS == clock.StatutoryDurations(
        review_interval_months=12,  # CFA s44(1)
        under_five_min_months=3,  # CoP 9.178
        under_five_max_months=6,
        termly_list_weeks=2,  # CoP 9.172
        notice_weeks=2,  # reg 20(3)
        advice_circulation_weeks=2,  # reg 20(4)
        report_weeks=2,  # reg 20(7)
        decision_weeks=4,  # regs 20-21
        representations_days=15,  # reg 22(2)(c)
        final_plan_weeks=8,  # reg 22(3)
        phase_transfer_before=(2, 15),  # reg 18(1)(b)
        post16_transfer_before=(3, 31),  # reg 18(1)(a)
        post16_transfer_notice_months=5,  # reg 18(2)
        preparing_for_adulthood_from_year=9,  # reg 20(6)
        mediation_contact_months=2,  # reg 33
        mediation_certificate_working_days=3,  # regs 34, 39
        mediation_held_days=30,  # regs 36-37
        appeal_months=2,  # HESC r.20(1)(c)(i)
        appeal_after_certificate_months=1,  # HESC r.20(1)(c)(ii)
        unopposed_appeal_weeks=5,  # reg 45(4)
        order_amend_provision_weeks=5,  # reg 44(2)(e), (h)
        order_amend_placement_weeks=2,  # reg 44(2)(f)
        reply_working_days=5,  # not the law: the portal's least time to reply
    )


def test_durations_can_be_overridden_in_settings(settings):
    settings.STATUTORY_DURATIONS = {"decision_weeks": 6, "phase_transfer_before": [3, 1]}
    d = clock.durations_from_settings()
    assert clock.decision_due(D("2026-10-14"), durations=d) == D("2026-11-25")
    assert clock.phase_transfer_deadline(
        TransferKind.PRIMARY_TO_SECONDARY, D("2027-09-01"), durations=d
    ) == D("2027-02-28")
    # What was not overridden stays the law.
    assert clock.report_due(D("2026-10-14"), durations=d) == D("2026-10-28")


def test_an_unknown_duration_setting_is_refused(settings):
    settings.STATUTORY_DURATIONS = {"decison_weeks": 6}
    with pytest.raises(ValueError, match="decison_weeks"):
        clock.durations_from_settings()


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"report_weeks": "2"}, id="a-string"),
        pytest.param({"report_weeks": 0}, id="zero"),
        pytest.param({"report_weeks": True}, id="a-bool"),
        pytest.param({"phase_transfer_before": (2, 30)}, id="30-February"),
        pytest.param({"phase_transfer_before": 15}, id="not-a-pair"),
    ],
)
def test_a_bad_duration_is_refused(overrides):
    with pytest.raises(ValueError):
        LEGAL_DEFAULTS.overridden(overrides)


def test_the_clock_imports_without_django():
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = "import sys, reviews.clock; assert 'django' not in sys.modules, 'django imported'"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_a_bad_duration_setting_stops_the_portal_starting(tmp_path):
    # Not at the first page that asks the clock: at start-up, before anything is served.
    (tmp_path / "bad_durations.py").write_text(
        "from portal.settings import *  # noqa\nSTATUTORY_DURATIONS = {'report_weeks': 0}\n")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bad_durations",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), str(root)])}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=root,
                            env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "report_weeks" in result.stderr
