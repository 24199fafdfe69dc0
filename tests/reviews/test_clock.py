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
from reviews.clock import (
    LEGAL_DEFAULTS,
    DateWindow,
    DeadlineStatus,
    Outcome,
    SettingType,
    TransferKind,
)

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


# --- year groups (age on 31 August) -------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "on", "offset", "year"),
    [
        pytest.param(
            "2020-08-31", "2024-09-01", 0, 0, id="NC-born-31-Aug-is-4-on-31-Aug-Reception"
        ),
        pytest.param(
            "2020-09-01",
            "2024-09-01",
            0,
            -1,
            id="NC-born-1-Sep-is-3-on-31-Aug-year-before-Reception",
        ),
        pytest.param(
            "2020-08-31", "2024-08-31", 0, -1, id="NC-31-Aug-is-still-the-old-school-year"
        ),
        pytest.param("2019-09-01", "2025-01-15", 0, 0, id="NC-oldest-in-Reception-mid-year"),
        pytest.param("2014-03-15", "2025-07-10", 0, 6, id="NC-Year-6-in-July"),
        pytest.param("2014-03-15", "2025-09-01", 0, 7, id="NC-Year-7-from-1-Sep"),
        pytest.param("2012-02-29", "2023-09-01", 0, 7, id="NC-leap-day-birth-11-on-31-Aug"),
        pytest.param("2009-09-01", "2025-09-01", 0, 11, id="NC-15-on-31-Aug-Year-11"),
        pytest.param("2009-08-31", "2025-09-01", 0, 12, id="NC-16-on-31-Aug-Year-12"),
        pytest.param("2007-08-31", "2025-12-01", 0, 14, id="NC-18-on-31-Aug-Year-14"),
        pytest.param("2020-08-31", "2024-09-01", -1, -1, id="NC-out-of-year-group-offset"),
    ],
)
def test_year_group(born, on, offset, year):
    assert clock.year_group(D(born), D(on), offset=offset) == year


@pytest.mark.parametrize(
    ("year", "pfa"),
    [
        pytest.param(8, False, id="reg-20(6)-Year-8-not-yet"),
        pytest.param(9, True, id="reg-20(6)-from-Year-9"),
        pytest.param(13, True, id="reg-20(6)-beyond-Year-9"),
    ],
)
def test_preparing_for_adulthood_from_year_9(year, pfa):
    assert clock.is_preparing_for_adulthood(year) is pfa


# --- reg 18: phase transfers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "setting", "final_year", "kind"),
    [
        pytest.param(
            -1,
            None,
            None,
            TransferKind.EARLY_YEARS_TO_SCHOOL,
            id="reg-18(3)-year-before-Reception-to-school",
        ),
        pytest.param(-2, None, None, None, id="reg-18-two-years-before-Reception-none"),
        pytest.param(0, None, None, None, id="reg-18-Reception-none"),
        pytest.param(2, None, None, None, id="reg-18(3)-Year-2-none-unless-infant-school"),
        pytest.param(
            2,
            SettingType.INFANT,
            None,
            TransferKind.INFANT_TO_JUNIOR,
            id="reg-18(3)-infant-to-junior",
        ),
        pytest.param(2, SettingType.PRIMARY, None, None, id="reg-18-Year-2-in-a-primary-none"),
        pytest.param(
            6,
            None,
            None,
            TransferKind.PRIMARY_TO_SECONDARY,
            id="reg-18(3)-Year-6-primary-to-secondary",
        ),
        pytest.param(
            6,
            SettingType.JUNIOR,
            None,
            TransferKind.PRIMARY_TO_SECONDARY,
            id="reg-18(3)-junior-to-secondary",
        ),
        pytest.param(
            4,
            SettingType.FIRST,
            None,
            TransferKind.PRIMARY_TO_MIDDLE,
            id="reg-18(3)-first-to-middle",
        ),
        pytest.param(
            8,
            SettingType.MIDDLE,
            None,
            TransferKind.MIDDLE_TO_SECONDARY,
            id="reg-18(3)-middle-to-secondary",
        ),
        pytest.param(
            7,
            SettingType.MIDDLE,
            7,
            TransferKind.MIDDLE_TO_SECONDARY,
            id="reg-18(3)-middle-ending-Year-7",
        ),
        pytest.param(6, SettingType.MIDDLE, None, None, id="reg-18-middle-school-Year-6-stays"),
        pytest.param(9, None, None, None, id="reg-18-Year-9-none"),
        pytest.param(
            11, None, None, TransferKind.SECONDARY_TO_POST_16, id="reg-18(1)(a)-Year-11-to-post-16"
        ),
        pytest.param(
            11,
            SettingType.SECONDARY,
            None,
            TransferKind.SECONDARY_TO_POST_16,
            id="reg-18(1)(a)-secondary-Year-11",
        ),
        pytest.param(
            13,
            SettingType.SECONDARY,
            13,
            TransferKind.SECONDARY_TO_POST_16,
            id="reg-18(1)(a)-leaving-a-sixth-form",
        ),
        pytest.param(12, None, None, None, id="reg-18-Year-12-none"),
        pytest.param(
            12, SettingType.POST_16, None, None, id="reg-18(2)-post-16-moves-are-dated-not-yearly"
        ),
        pytest.param(
            -1,
            SettingType.EARLY_YEARS,
            None,
            TransferKind.EARLY_YEARS_TO_SCHOOL,
            id="reg-18(3)-early-years-setting",
        ),
    ],
)
def test_transfer_for_year(year, setting, final_year, kind):
    assert clock.transfer_for_year(year, setting=setting, final_year=final_year) == kind


@pytest.mark.parametrize(
    ("kind", "transfer", "deadline"),
    [
        pytest.param(
            TransferKind.PRIMARY_TO_SECONDARY,
            "2025-09-01",
            "2025-02-14",
            id="reg-18(1)(b)-before-15-Feb",
        ),
        pytest.param(
            TransferKind.EARLY_YEARS_TO_SCHOOL,
            "2025-09-01",
            "2025-02-14",
            id="reg-18(1)(b)-early-years",
        ),
        pytest.param(
            TransferKind.INFANT_TO_JUNIOR,
            "2028-09-01",
            "2028-02-14",
            id="reg-18(1)(b)-infant-leap-year",
        ),
        pytest.param(
            TransferKind.MIDDLE_TO_SECONDARY, "2026-09-01", "2026-02-14", id="reg-18(1)(b)-middle"
        ),
        pytest.param(
            TransferKind.EARLY_YEARS_TO_SCHOOL,
            "2027-01-05",
            "2027-02-14",
            id="reg-18(1)(b)-calendar-year-of-a-January-transfer",
        ),
        pytest.param(
            TransferKind.SECONDARY_TO_POST_16,
            "2026-09-01",
            "2026-03-30",
            id="reg-18(1)(a)-before-31-March",
        ),
        pytest.param(
            TransferKind.POST_16_TO_POST_16,
            "2027-01-06",
            "2026-08-06",
            id="reg-18(2)-5-months-before",
        ),
    ],
)
def test_phase_transfer_deadline(kind, transfer, deadline):
    assert clock.phase_transfer_deadline(kind, D(transfer)) == D(deadline)


@pytest.mark.parametrize(
    ("transfer", "deadline"),
    [
        pytest.param("2027-01-06", "2026-08-06", id="reg-18(2)-January-move"),
        pytest.param("2026-04-20", "2025-11-20", id="reg-18(2)-April-move"),
        pytest.param("2026-07-31", "2026-02-28", id="reg-18(2)-31-July-back-to-28-Feb"),
        pytest.param("2028-07-31", "2028-02-29", id="reg-18(2)-31-July-back-to-29-Feb-leap"),
    ],
)
def test_post16_transfer_at_another_time(transfer, deadline):
    assert clock.post16_transfer_deadline(D(transfer)) == D(deadline)


@pytest.mark.parametrize(
    ("born", "on", "setting", "offset", "kind", "transfer", "deadline"),
    [
        pytest.param(
            "2014-03-15",
            "2024-10-10",
            None,
            0,
            TransferKind.PRIMARY_TO_SECONDARY,
            "2025-09-01",
            "2025-02-14",
            id="reg-18(1)(b)-Year-6-autumn",
        ),
        pytest.param(
            "2014-03-15",
            "2025-03-01",
            None,
            0,
            TransferKind.PRIMARY_TO_SECONDARY,
            "2025-09-01",
            "2025-02-14",
            id="reg-18(1)(b)-Year-6-after-the-deadline-stays-this-year",
        ),
        pytest.param(
            "2009-10-10",
            "2025-11-01",
            None,
            0,
            TransferKind.SECONDARY_TO_POST_16,
            "2026-09-01",
            "2026-03-30",
            id="reg-18(1)(a)-Year-11",
        ),
        pytest.param(
            "2021-08-31",
            "2024-10-01",
            None,
            0,
            TransferKind.EARLY_YEARS_TO_SCHOOL,
            "2025-09-01",
            "2025-02-14",
            id="reg-18(1)(b)-turns-4-in-the-year-to-Reception",
        ),
        pytest.param(
            "2019-05-01",
            "2025-12-01",
            SettingType.INFANT,
            0,
            TransferKind.INFANT_TO_JUNIOR,
            "2026-09-01",
            "2026-02-14",
            id="reg-18(1)(b)-Year-2-infant-school",
        ),
        pytest.param(
            "2014-08-20",
            "2025-10-01",
            None,
            -1,
            TransferKind.PRIMARY_TO_SECONDARY,
            "2026-09-01",
            "2026-02-14",
            id="reg-18(1)(b)-summer-born-a-year-behind",
        ),
    ],
)
def test_phase_transfer_due(born, on, setting, offset, kind, transfer, deadline):
    got = clock.phase_transfer_due(D(born), D(on), setting=setting, year_offset=offset)
    assert got == clock.PhaseTransfer(kind=kind, transfer_date=D(transfer), deadline=D(deadline))


@pytest.mark.parametrize(
    ("born", "on", "setting"),
    [
        pytest.param("2019-05-01", "2025-12-01", None, id="reg-18-Year-2-in-a-primary-no-transfer"),
        pytest.param("2010-10-10", "2025-11-01", None, id="reg-18-Year-10-no-transfer"),
    ],
)
def test_no_phase_transfer(born, on, setting):
    assert clock.phase_transfer_due(D(born), D(on), setting=setting) is None


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


# --- a review's dates at once ---------------------------------------------------------------


def test_an_amended_review_has_every_date():
    dates = clock.review_deadlines(
        plan_first_issued=D("2025-01-20"),
        meeting=D("2025-11-05"),
        outcome=Outcome.AMEND,
        decision_sent=D("2025-11-26"),
        amendment_notice_sent=D("2025-11-26"),
        final_plan_sent=D("2026-01-14"),
    )
    assert dates.review_due == D("2026-01-19")  # s44(1)
    assert dates.notice_by == D("2025-10-22")  # reg 20(3)
    assert dates.advice_circulated_by == D("2025-10-22")  # reg 20(4)
    assert dates.report_due == D("2025-11-19")  # reg 20(7)
    assert dates.decision_due == D("2025-12-03")  # regs 20-21
    assert dates.amendment_notice_due == D("2025-12-03")  # Devon
    assert dates.representations_end == D("2025-12-10")  # reg 22(2)(c)
    assert dates.final_plan_due == D("2026-01-21")  # reg 22(3)
    assert dates.amendments_overall_by == D("2026-01-28")  # Devon: 12 weeks
    # The appealable decision is the final plan (14 Jan 2026): + 2 months = Sat 14 Mar.
    assert dates.mediation_contact_by == D("2026-03-14")  # reg 33
    assert dates.appeal_deadline == D("2026-03-16")  # r.20, r.12(2)
    assert dates.following_review_due == D("2026-11-04")
    assert dates.phase_transfer is None
    assert dates.unopposed_plan_due is None


def test_an_amend_decision_is_not_appealable_until_the_final_plan():
    dates = clock.review_deadlines(
        meeting=D("2025-11-05"), outcome=Outcome.AMEND, decision_sent=D("2025-11-26")
    )
    assert dates.appeal_deadline is None
    assert dates.mediation_contact_by is None


def test_a_cease_decision_carries_the_appeal_and_mediation_dates():
    # CFA s45: the cease notice is the appealable decision.
    dates = clock.review_deadlines(
        meeting=D("2026-06-03"),
        outcome=Outcome.CEASE,
        decision_sent=D("2026-06-24"),
        mediation_requested=D("2026-07-10"),
        mediation_ended=D("2026-08-05"),
        mediation_certificate_issued=D("2026-08-07"),
    )
    assert dates.decision_due == D("2026-07-01")
    assert dates.amendment_notice_due is None
    assert dates.final_plan_due is None
    assert dates.mediation_contact_by == D("2026-08-24")
    assert dates.mediation_held_by == D("2026-08-09")
    assert dates.mediation_end_certificate_due == D("2026-08-10")
    # later of 24 Aug (decision + 2 months, in August) and 7 Sep (certificate + 1 month)
    assert dates.appeal_deadline == D("2026-09-07")


def test_a_maintain_decision_with_a_declined_mediation_and_unopposed_appeal():
    dates = clock.review_deadlines(
        outcome=Outcome.MAINTAIN,
        decision_sent=D("2026-10-01"),
        mediation_declined=D("2026-12-23"),
        mediation_certificate_issued=D("2026-11-29"),
        la_told_tribunal_not_opposing=D("2026-12-01"),
    )
    assert dates.mediation_certificate_due == D("2026-12-30")
    assert dates.appeal_deadline == D("2027-01-04")
    assert dates.unopposed_plan_due == D("2027-01-05")


def test_an_under_five_review_lists_its_dates_in_order():
    dates = clock.review_deadlines(
        plan_first_issued=D("2024-05-10"),
        meeting=D("2024-10-15"),
        date_of_birth=D("2021-08-31"),
    )
    assert dates.under_five_window == DateWindow(D("2024-08-10"), D("2024-11-09"))
    assert dates.phase_transfer == clock.PhaseTransfer(
        kind=TransferKind.EARLY_YEARS_TO_SCHOOL,
        transfer_date=D("2025-09-01"),
        deadline=D("2025-02-14"),
    )
    rows = dates.as_list()
    assert [(row.key, row.due) for row in rows] == [
        ("notice_by", D("2024-10-01")),
        ("advice_circulated_by", D("2024-10-01")),
        ("report_due", D("2024-10-29")),
        ("under_five_review_by", D("2024-11-09")),
        ("decision_due", D("2024-11-12")),
        ("phase_transfer_due", D("2025-02-14")),
        ("review_due", D("2025-05-09")),
        ("following_review_due", D("2025-10-14")),
    ]
    assert all(row.label and row.rule for row in rows)


def test_a_post16_move_at_another_time():
    dates = clock.review_deadlines(
        meeting=D("2026-05-12"),
        date_of_birth=D("2008-01-01"),
        post16_transfer_date=D("2027-01-06"),
    )
    assert dates.phase_transfer.kind is TransferKind.POST_16_TO_POST_16
    assert dates.phase_transfer.deadline == D("2026-08-06")  # reg 18(2)


@pytest.mark.parametrize(
    ("born", "window"),
    [
        pytest.param(
            "2020-09-02",
            ("2025-12-01", "2026-02-28"),
            id="CoP-9.178-still-4-when-the-period-starts",
        ),
        pytest.param("2020-09-01", None, id="CoP-9.178-5-on-the-day-the-period-starts"),
    ],
)
def test_the_under_five_window_only_for_under_fives(born, window):
    dates = clock.review_deadlines(plan_first_issued=D("2025-09-01"), date_of_birth=D(born))
    expected = DateWindow(D(window[0]), D(window[1])) if window else None
    assert dates.under_five_window == expected


def test_without_a_meeting_the_transfer_is_for_the_school_year_the_review_is_due():
    # Due 19 Nov 2025 (s44(1)); in 2025/26 a child born 15 Mar 2015 is in Year 6 (10 on
    # 31 Aug 2025), so the plan must name a secondary school before 15 Feb 2026.
    dates = clock.review_deadlines(plan_first_issued=D("2024-11-20"), date_of_birth=D("2015-03-15"))
    assert dates.review_due == D("2025-11-19")
    assert dates.phase_transfer == clock.PhaseTransfer(
        kind=TransferKind.PRIMARY_TO_SECONDARY,
        transfer_date=D("2026-09-01"),
        deadline=D("2026-02-14"),
    )


def test_no_facts_no_dates():
    dates = clock.review_deadlines()
    assert dates == clock.ReviewDeadlines()
    assert dates.as_list() == []


# --- status for the GOV.UK tags -------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "done_on", "soon", "status", "colour"),
    [
        pytest.param("2026-03-11", None, 7, DeadlineStatus.LATE, "red", id="late-the-day-after"),
        pytest.param(
            "2026-03-10", None, 7, DeadlineStatus.DUE_SOON, "yellow", id="due-soon-on-the-day"
        ),
        pytest.param(
            "2026-03-03", None, 7, DeadlineStatus.DUE_SOON, "yellow", id="due-soon-7-days-before"
        ),
        pytest.param(
            "2026-03-02", None, 7, DeadlineStatus.NOT_DUE, "blue", id="not-due-8-days-before"
        ),
        pytest.param(
            "2026-03-09", None, 0, DeadlineStatus.NOT_DUE, "blue", id="not-due-with-no-warning"
        ),
        pytest.param(
            "2026-04-01", "2026-03-10", 7, DeadlineStatus.DONE, "green", id="done-on-the-last-day"
        ),
        pytest.param(
            "2026-04-01", "2026-03-11", 7, DeadlineStatus.DONE_LATE, "orange", id="done-a-day-late"
        ),
    ],
)
def test_deadline_status(today, done_on, soon, status, colour):
    got = clock.deadline_status(
        D("2026-03-10"), D(today), done_on=D(done_on) if done_on else None, due_soon_days=soon
    )
    assert got is status
    assert got.tag_colour == colour


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


# --- the date a person is given (issue #16) --------------------------------------------------


@pytest.mark.parametrize(
    ("law_date", "asked", "meeting", "given"),
    [
        pytest.param("2026-11-23", "2026-10-12", "2026-12-07", "2026-11-23",
                     id="asked-in-good-time-the-laws-date"),
        # A meeting set at short notice on 7 December for 14 December: the law's date for
        # advice (30 November) passed a week before anyone was asked.
        pytest.param("2026-11-30", "2026-12-07", "2026-12-14", "2026-12-11",
                     id="laws-date-passed-5-working-days-capped-before-the-meeting"),
        pytest.param("2026-11-23", "2026-12-07", "2027-01-18", "2026-12-14",
                     id="laws-date-passed-5-working-days"),
        pytest.param("2026-12-08", "2026-12-07", "2027-01-18", "2026-12-14",
                     id="laws-date-tomorrow-too-close"),
        pytest.param("2026-12-21", "2026-12-18", "2027-02-01", "2026-12-29",
                     id="5-working-days-across-Christmas"),
        pytest.param("2026-11-30", "2026-12-14", "2026-12-14", "2026-12-14",
                     id="asked-on-the-meeting-day-never-before-it"),
    ],
)
def test_a_person_is_never_given_a_date_before_they_are_asked(law_date, asked, meeting, given):
    assert clock.reply_due(D(law_date), D(asked), meeting=D(meeting)) == D(given)


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


# --- lateness is the LA's, as its own fact -----------------------------------------------------


def test_a_late_amendment_notice_is_the_las_lateness_not_an_earlier_final_plan_date():
    # Meeting 1 Dec 2026; the proposed amendments went on 20 Feb 2027.
    dates = clock.review_deadlines(
        meeting=D("2026-12-01"), outcome=Outcome.AMEND, decision_sent=D("2027-02-20"),
        amendment_notice_sent=D("2027-02-20"))
    assert dates.representations_end == D("2027-03-06")
    assert dates.final_plan_due == D("2027-04-17")
    on_time = {"notice_by": D("2026-11-02"), "advice_circulated_by": D("2026-11-17"),
               "report_due": D("2026-12-10"), "review_due": D("2026-12-01")}
    late = clock.lateness(dates, on_time | {"decision_due": D("2027-02-20"),
                                            "amendment_notice_due": D("2027-02-20")},
                          D("2027-03-01"))
    assert [(row.deadline.key, row.days) for row in late] == [
        ("decision_due", 53),  # due 29 December 2026
        ("amendment_notice_due", 53),
        ("amendments_overall_by", 6),  # the 12 weeks ended on 23 February: missed
    ]
    assert late[-1].done_on is None


def test_the_familys_windows_are_never_lateness():
    dates = clock.review_deadlines(outcome=Outcome.MAINTAIN, decision_sent=D("2026-10-01"))
    assert dates.appeal_deadline is not None
    assert clock.lateness(dates, {}, D("2027-06-01")) == []


@pytest.mark.parametrize(
    ("facts", "named"),
    [
        pytest.param({"meeting": D("2027-03-03"), "decision_sent": D("2027-03-01"),
                      "outcome": Outcome.MAINTAIN},
                     "The decision letter is dated 1 March 2027, before the review meeting on "
                     "3 March 2027", id="a-letter-before-its-meeting"),
        pytest.param({"meeting": D("2027-03-03"), "outcome": Outcome.AMEND,
                      "amendment_notice_sent": D("2027-03-10"),
                      "final_plan_sent": D("2027-03-09")},
                     "The final amended plan is dated 9 March 2027, before the proposed "
                     "amendments on 10 March 2027", id="a-final-plan-before-its-notice"),
        pytest.param({"outcome": Outcome.MAINTAIN, "decision_sent": D("2027-03-10"),
                      "mediation_certificate_issued": D("2027-03-01")},
                     "The mediation certificate is dated 1 March 2027, before the decision "
                     "the family may appeal on 10 March 2027", id="a-certificate-before-it"),
        pytest.param({"outcome": Outcome.CEASE, "decision_sent": D("2027-03-10"),
                      "tribunal_order_made": D("2027-02-01")},
                     "The Tribunal's order is dated 1 February 2027, before the decision the "
                     "family may appeal on 10 March 2027", id="an-order-before-the-decision"),
    ],
)
def test_facts_out_of_order_are_refused_naming_both(facts, named):
    with pytest.raises(clock.FactsOutOfOrder) as refused:
        clock.review_deadlines(**facts)
    assert str(refused.value) == named


def test_a_certificate_before_the_decision_is_refused_by_the_appeal_deadline_too():
    with pytest.raises(clock.FactsOutOfOrder, match="mediation certificate"):
        clock.appeal_deadline(D("2027-03-10"), D("2027-03-01"))


@pytest.mark.parametrize(
    ("born", "ends"),
    [
        pytest.param("2009-03-15", "2025-06-27", id="s8-16-in-March-last-Friday-of-that-June"),
        pytest.param("2009-08-31", "2025-06-27", id="s8(4)-16-in-August-ends-the-June-before"),
        pytest.param("2008-09-01", "2025-06-27", id="s8-16-in-September-ends-next-June"),
        pytest.param("2008-08-31", "2024-06-28", id="s8-a-day-older-a-year-earlier"),
        pytest.param("2007-01-10", "2023-06-30", id="s8-30-June-itself-a-Friday"),
        pytest.param("2008-02-29", "2024-06-28", id="s8-leap-day-birth"),
    ],
)
def test_compulsory_school_age_ends_on_the_last_friday_of_june(born, ends):
    assert clock.compulsory_school_age_ends(D(born)) == D(ends)


@pytest.mark.parametrize(
    ("on", "cutoff"),
    [
        pytest.param("2025-06-26", "2008-09-01", id="the-day-before-the-last-Friday"),
        pytest.param("2025-06-27", "2009-09-01", id="from-the-last-Friday"),
        pytest.param("2025-12-01", "2009-09-01", id="the-autumn-after"),
    ],
)
def test_who_has_passed_compulsory_school_age_is_told_by_date_of_birth(on, cutoff):
    assert clock.born_before_school_age_ended(D(on)) == D(cutoff)
