"""The statutory clock on a review as a whole: every date at once from a review's facts,
each date's status for the GOV.UK tags, the date a person is given, and which lateness is
the council's. Every expected date was worked out by hand from the rule named, never by
calling the clock; the calendar facts are in test_clock.py's note."""

from datetime import date

import pytest

from reviews import clock
from reviews.clock import DateWindow, DeadlineStatus, Outcome, TransferKind

D = date.fromisoformat


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


@pytest.mark.parametrize("today", ["2026-03-09", "2026-03-10", "2026-09-22"])
def test_a_date_the_law_does_not_set_is_guidance_never_late(today):
    got = clock.deadline_status(D("2026-03-10"), D(today), statutory=False)
    assert got is DeadlineStatus.GUIDANCE and got.tag_colour == "grey"
    assert got.label == "Guidance, not a legal deadline"
    done = clock.deadline_status(D("2026-03-10"), D(today), done_on=D("2026-04-01"),
                                 statutory=False)
    assert done is DeadlineStatus.DONE, "done after a guidance date is not done late"


@pytest.mark.parametrize(("record_of_support", "under_five_review", "statutory"), [
    (False, False, True),
    (True, False, False),  # not an EHC plan: no review duty
    (False, True, False),  # CoP 9.178: to consider, may be streamlined
    (True, True, False),
])
def test_which_reviews_run_on_the_laws_clock(record_of_support, under_five_review, statutory):
    assert clock.review_is_statutory(record_of_support=record_of_support,
                                     under_five_review=under_five_review) is statutory


def test_the_under_5_window_is_guidance_even_in_a_statutory_review():
    assert not clock.is_statutory("under_five_review_by")
    assert clock.is_statutory("review_due")
    assert not clock.is_statutory("review_due", review_statutory=False)


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
