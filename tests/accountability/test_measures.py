"""Every figure for the hand-made authority (conftest.py), against answers worked out by
hand from its facts. Judged on TODAY, 1 December 2025, for the calendar year 2025."""

import pytest

from accountability.measures import TABLES, available
from reviews.access import oversight_scope
from tests.accountability.conftest import TODAY

pytestmark = pytest.mark.django_db


def figures(table) -> dict:
    """{row label: {column key: value}}; rows keyed by their first cell (and the second,
    for tables with two label columns)."""
    labels = 2 if [c.key for c in table.columns[1:2]] == ["team"] else 1
    out = {}
    for row in table.rows:
        label = " / ".join(str(cell.value) for cell in row[:labels])
        out[label] = {column.key: cell.value
                      for column, cell in zip(table.columns[labels:], row[labels:], strict=True)}
    return out


def run(key, user, **params):
    return figures(TABLES[key](oversight_scope(user), year=2025, today=TODAY, **params))


def timeliness_row(counted, on_time, late, overdue, not_due):
    decided = on_time + late + overdue
    return {"counted": counted, "on_time": on_time,
            "on_time_pct": round(100 * on_time / decided, 1) if decided else None,
            "late": late, "overdue": overdue,
            "late_pct": round(100 * (late + overdue) / decided, 1) if decided else None,
            "not_due": not_due}


def test_timeliness_for_the_authority(testshire, coordinator):
    rows = run("timeliness", coordinator)
    # Due in 2025 (R6 cancelled, left out): held by due_by R1 R5 R7 R8 R9 R10; R2 held
    # 5 days late; R3 not held, due 31 May; R4 due 20 December.
    assert rows["Reviews held within 12 months"] == timeliness_row(9, 6, 1, 1, 1)
    # Meetings in 2025, not the under-5 review R5: R1 exactly 14 days before, R2, R9 on
    # time; R10 10 days before.
    assert rows["Invitations sent at least 2 weeks before the meeting"] == \
        timeliness_row(4, 3, 1, 0, 0)
    # R2 exactly 14 days, R9 15 days: on time; R1 13 days: late; R10 never circulated.
    assert rows["Advice circulated at least 2 weeks before the meeting"] == \
        timeliness_row(4, 2, 1, 1, 0)
    # R1 exactly 14 days after, R5, R9 on time; R2 15 days: late; R10 none, overdue.
    assert rows["Meeting reports sent within 2 weeks"] == timeliness_row(5, 3, 1, 1, 0)
    # R1 28 days, R9 on time; R2 29 days late; R5 and R10 no decision, overdue.
    assert rows["Decisions sent within 4 weeks of the meeting"] == \
        timeliness_row(5, 2, 1, 2, 0)
    # Amend decisions after 2025 meetings. R2: the proposed amendments on 18 April, 29 days
    # after the meeting (late); its final plan on 13 June, exactly 8 weeks after them (on
    # time), but 12 weeks + 1 day after the meeting (the whole amendment late). R9 on time.
    assert rows["Proposed amendments sent within 4 weeks of the meeting"] == \
        timeliness_row(2, 1, 1, 0, 0)
    assert rows["Amended plans issued within 8 weeks of the proposed amendments"] == \
        timeliness_row(2, 2, 0, 0, 0)
    assert rows["Amended plans issued within 12 weeks of the meeting"] == \
        timeliness_row(2, 1, 1, 0, 0)
    # Moves in September 2025: R7 (primary) by 14 February, R8 (secondary) on 30 March:
    # on time; R9 (Year 11 by age) on 31 March: late; R10 (primary) no plan yet: overdue.
    assert rows["Phase transfers amended by 15 February or 31 March"] == \
        timeliness_row(4, 2, 1, 1, 0)


def test_timeliness_by_month_for_one_rule(testshire, coordinator):
    rows = run("timeliness_by_month", coordinator, rule="decision")
    assert list(rows) == [f"{m} 2025" for m in (
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December")]
    assert rows["January 2025"] == timeliness_row(2, 1, 0, 1, 0)  # R9 on time, R10
    assert rows["March 2025"] == timeliness_row(2, 1, 1, 0, 0)  # R1, R2
    assert rows["June 2025"] == timeliness_row(1, 0, 0, 1, 0)  # R5
    assert rows["February 2025"] == timeliness_row(0, 0, 0, 0, 0)


def test_a_month_range_narrows_every_rule(testshire, coordinator):
    rows = run("timeliness", coordinator, from_month=3, to_month=3)
    assert rows["Reviews held within 12 months"] == timeliness_row(3, 2, 1, 0, 0)  # R1 R2 R9
    assert rows["Decisions sent within 4 weeks of the meeting"] == \
        timeliness_row(2, 1, 1, 0, 0)
    # Only the 31 March deadline falls in March: R8 on time, R9 late.
    assert rows["Phase transfers amended by 15 February or 31 March"] == \
        timeliness_row(2, 1, 1, 0, 0)


def test_timeliness_by_school_and_by_coordinator(testshire, coordinator):
    by_school = run("timeliness_by_school", coordinator)
    assert by_school == {
        "Testshire Academy": timeliness_row(4, 2, 0, 1, 1),  # R3 R4 R8 R9
        "Testshire Primary": timeliness_row(4, 3, 1, 0, 0),  # R1 R2 R7 R10
        "No school recorded": timeliness_row(1, 1, 0, 0, 0),  # R5
    }
    by_coordinator = run("timeliness_by_coordinator", coordinator)
    assert by_coordinator == {
        "Bob Builder": timeliness_row(4, 2, 0, 1, 1),  # R3 R4 R5 R9
        "Cora Ordinator": timeliness_row(5, 4, 1, 0, 0),  # R1 R2 R7 R8 R10
    }


def test_filters_by_school_and_coordinator(testshire, coordinator, school, bob):
    rows = run("timeliness", coordinator, school=school.pk, coordinator=bob.pk)
    assert rows["Reviews held within 12 months"]["counted"] == 0
    rows = run("timeliness", coordinator, school=school.pk)
    assert rows["Reviews held within 12 months"] == timeliness_row(4, 3, 1, 0, 0)


def test_coordinator_caseload_by_stage_and_lateness(testshire, coordinator):
    rows = run("coordinator_caseload", coordinator)
    zero = dict.fromkeys(["due", "scheduled", "invited", "circulated", "held", "reported",
                          "decided"], 0)
    # Cora: R2 decided, nothing outstanding; R10 held with advice, report and decision
    # overdue. Bob: R3 scheduled but due in May (late); R4 due 20 December; R5 reported,
    # its decision overdue.
    assert rows["Cora Ordinator"] == {**zero, "open": 2, "held": 1, "decided": 1, "late": 1}
    assert rows["Bob Builder"] == {**zero, "open": 3, "due": 1, "scheduled": 1,
                                   "reported": 1, "late": 2}


def test_educational_psychologists_outstanding_advice(testshire, coordinator):
    rows = run("ep_caseload", coordinator)
    # Eve: R3 (advice due 27 December), R4 (no meeting), R10 (due 6 January: late); R2
    # sent, R5 declined. The duty inbox: R3.
    assert rows == {
        "Eve Psych": {"outstanding": 3, "outstanding_late": 1, "outstanding_not_due": 2},
        "An agency's inbox, no named psychologist": {
            "outstanding": 1, "outstanding_late": 0, "outstanding_not_due": 1},
    }


NHS = {"invitations": 5, "asked": 4, "on_time": 1, "late": 1, "never": 1, "not_due": 1,
       "on_time_pct": 33.3, "attended": 1, "absent": 1, "attended_pct": 50.0,
       "median_days": 3.5}
EPS = {"invitations": 6, "asked": 6, "on_time": 1, "late": 0, "never": 2, "not_due": 3,
       "on_time_pct": 33.3, "attended": 1, "absent": 0, "attended_pct": 100.0,
       "median_days": 4.0}


def test_agency_participation(testshire, coordinator):
    # NHS, sent in 2025: R1 on time (same day, 0 days), R2 late (7 days; its correction
    # is not a second return), R10 never, R3 not due, R4 attendance only (no advice asked).
    # EPS: R2 on time (4 days), R3 x2 and R4 not due, R10 never, R5 declined (never).
    assert run("participation", coordinator) == {
        "Testshire NHS Trust": NHS, "Testshire Psychology Service": EPS}


def test_agency_participation_by_team(testshire, coordinator):
    rows = run("participation_by_team", coordinator)
    assert rows["Testshire NHS Trust / Speech and language therapist"] == {
        **NHS, "invitations": 4, "attended": 1, "absent": 1}
    assert rows["Testshire NHS Trust / Occupational therapist"] == {
        "invitations": 1, "asked": 0, "on_time": 0, "late": 0, "never": 0, "not_due": 0,
        "on_time_pct": None, "attended": 0, "absent": 0, "attended_pct": None,
        "median_days": None}
    # The psychology service has one team: its row would only repeat the table by agency.
    assert len(rows) == 2


def test_an_agency_lead_sees_only_their_own_agency(testshire, nhs_lead, ep_lead):
    assert run("participation", nhs_lead) == {"Testshire NHS Trust": NHS}
    assert run("participation", ep_lead) == {"Testshire Psychology Service": EPS}
    assert list(run("ep_caseload", ep_lead)) == [
        "Eve Psych", "An agency's inbox, no named psychologist"]
    assert run("ep_caseload", nhs_lead) == {}
    for key in ("timeliness", "coordinator_caseload", "advocacy", "dfe_annual_reviews"):
        assert key not in available(oversight_scope(nhs_lead))
        assert run(key, nhs_lead) == {}, key


def test_advocacy_offers_by_month(testshire, coordinator):
    rows = run("advocacy", coordinator)
    empty = {"made": 0, "accepted": 0, "declined": 0, "unanswered": 0, "accepted_pct": None}
    assert rows["January 2025"] == {**empty, "made": 1, "unanswered": 1, "accepted_pct": 0.0}
    assert rows["February 2025"] == {**empty, "made": 1, "accepted": 1, "accepted_pct": 100.0}
    assert rows["March 2025"] == {**empty, "made": 1, "declined": 1, "accepted_pct": 0.0}
    assert rows["April 2025"] == {**empty, "made": 1, "declined": 1, "accepted_pct": 0.0}
    assert rows["May 2025"] == empty
    # The offer for R9 was made in December 2024: not this year.
    assert rows["All of January to December 2025"] == {
        "made": 5, "accepted": 2, "declined": 2, "unanswered": 1, "accepted_pct": 40.0}


def test_the_dfe_annual_review_measures(testshire, coordinator):
    rows = run("dfe_annual_reviews", coordinator)
    got = {label: (row["count"], row["pct"]) for label, row in rows.items()}
    # Annual and transfer reviews due in 2025: R1 R2 R3 R4 R7 R8 R9 R10 (R5 is an
    # under-5 review, R6 cancelled). Held: all but R3 and R4.
    assert got == {
        "Reviews expected": (8, None),
        "Reviews completed": (6, 75.0),
        "Reviews not completed": (2, 25.0),
        "Outcome: plan amended": (4, 66.7),  # R2 R7 R8 R9
        "Outcome: plan ceased": (0, 0.0),
        "Outcome: plan maintained": (1, 16.7),  # R1
        "Outcome: none recorded": (1, 16.7),  # R10
        "Decision within 4 weeks": (4, 66.7),  # R1 R7 R8 R9
        "Decision over 4 weeks": (1, 16.7),  # R2
        "No decision letter yet": (1, 16.7),  # R10
    }


def test_families_and_practitioners_see_no_tables(testshire, therapist, psychologist,
                                                  senco, outsider):
    for person in (therapist, psychologist, senco, outsider):
        assert available(oversight_scope(person)) == [], person


def test_bad_parameters_are_refused(coordinator, authority):
    scope = oversight_scope(coordinator)
    for params in ({"from_month": 5, "to_month": 4}, {"rule": "nonsense"},
                   {"authority": authority.pk + 1}, {"year": "x"}):
        with pytest.raises(ValueError):
            TABLES["timeliness"](scope, **params)
