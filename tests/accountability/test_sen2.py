"""The SEN2 return's review items (5.4, 5.5, 5.6) and its validation report, from the data."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from accountability import sen2
from agencies.models import Agency, LocalAuthority
from reviews.models import Plan, Review
from tests.reviews.conftest import make_child, make_plan

pytestmark = pytest.mark.django_db

CENSUS = dt.date(2027, 1, 21)
TODAY = dt.date(2027, 2, 1)
HELD, DECIDED = Review.Status.MEETING_HELD, Review.Status.DECIDED


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def review_on(plan, coordinator, meeting, status=DECIDED, decision="", letter=None):
    return Review.objects.create(plan=plan, coordinator=coordinator, due_by=meeting,
                                 meeting_at=at(meeting), status=status, decision=decision,
                                 decision_sent_on=letter)


def child_with_plan(authority, ref, issued=dt.date(2024, 3, 1), **plan_fields):
    school, _ = Agency.objects.get_or_create(authority=authority, name="Testshire Primary",
                                             kind=Agency.Kind.SCHOOL)
    child = make_child(authority, school, first="Test", last=f"Child {ref}", ref=ref)
    plan = make_plan(child, issued=issued)
    if plan_fields:
        Plan.objects.filter(pk=plan.pk).update(**plan_fields)
    return plan


def build(authority):
    return sen2.build_return(authority, CENSUS, today=TODAY)


def row_of(result, plan):
    [row] = [r for r in result.rows if r.plan_id == str(plan.pk)]
    return row


def problems_of(result, plan):
    return [(p.item, p.kind) for p in result.problems if p.plan_id == str(plan.pk)]


def test_the_items_come_from_the_latest_meeting_and_the_latest_letter_on_the_census_date(
        authority, coordinator):
    plan = child_with_plan(authority, "S-1")
    review_on(plan, coordinator, dt.date(2025, 6, 10), decision="M",
              letter=dt.date(2025, 7, 1))
    review_on(plan, coordinator, dt.date(2026, 5, 12), decision="A",
              letter=dt.date(2026, 6, 2))
    review_on(plan, coordinator, dt.date(2027, 5, 3), status=Review.Status.SCHEDULED)
    row = row_of(build(authority), plan)
    assert (row.review_meeting, row.review_outcome, row.last_review) == (
        dt.date(2026, 5, 12), "A", dt.date(2026, 6, 2))
    assert row.person_id == "S-1"


def test_a_decision_whose_letter_is_after_the_census_date_is_not_returned_yet(
        authority, coordinator):
    plan = child_with_plan(authority, "S-2")
    review_on(plan, coordinator, dt.date(2026, 1, 5), decision="M",
              letter=dt.date(2026, 1, 30))
    review_on(plan, coordinator, dt.date(2027, 1, 10), decision="C",
              letter=dt.date(2027, 1, 28))
    result = build(authority)
    row = row_of(result, plan)
    # 5.4 is the January meeting; 5.5 stays blank until its letter; 5.6 is the last letter
    # on or before the census date, which belongs to the earlier review.
    assert (row.review_meeting, row.review_outcome, row.last_review) == (
        dt.date(2027, 1, 10), "", dt.date(2026, 1, 30))
    assert problems_of(result, plan) == []


def test_meetings_not_held_or_cancelled_are_not_review_meetings(authority, coordinator):
    plan = child_with_plan(authority, "S-3", issued=dt.date(2026, 9, 1))
    review_on(plan, coordinator, dt.date(2026, 12, 1), status=Review.Status.CANCELLED)
    review_on(plan, coordinator, dt.date(2027, 1, 15), status=Review.Status.INVITATIONS_SENT)
    result = build(authority)
    row = row_of(result, plan)
    assert (row.review_meeting, row.review_outcome, row.last_review) == (None, "", None)
    assert problems_of(result, plan) == [], "no review is due yet for a plan this new"


def test_only_the_authoritys_active_ehc_plans_in_force_on_the_census_date_are_returned(
        authority, coordinator):
    active = child_with_plan(authority, "S-4")
    child_with_plan(authority, "S-5", status=Plan.Status.CEASED)
    child_with_plan(authority, "S-6", kind=Plan.Kind.RECORD_OF_SUPPORT)
    child_with_plan(authority, "S-7", issued=dt.date(2027, 1, 22))
    other = LocalAuthority.objects.create(name="Elsewhere Council", dfe_code="997")
    child_with_plan(other, "E-1")
    assert [row.plan_id for row in build(authority).rows] == [str(active.pk)]


def test_missing_values_are_reported_where_the_law_says_they_were_due(
        authority, coordinator):
    never_reviewed = child_with_plan(authority, "M-1", issued=dt.date(2025, 1, 6))
    undecided = child_with_plan(authority, "M-2")
    review_on(undecided, coordinator, dt.date(2026, 11, 2), status=HELD)
    recently_held = child_with_plan(authority, "M-3")
    review_on(recently_held, coordinator, dt.date(2027, 1, 4), status=HELD)
    no_letter = child_with_plan(authority, "M-4")
    review_on(no_letter, coordinator, dt.date(2026, 10, 1), decision="M")
    result = build(authority)
    assert problems_of(result, never_reviewed) == [(sen2.MEETING, sen2.MISSING)]
    assert problems_of(result, undecided) == [(sen2.OUTCOME, sen2.MISSING)], \
        "the decision was due within 4 weeks of 2 November"
    assert problems_of(result, recently_held) == [], "its 4 weeks run past the census date"
    assert problems_of(result, no_letter) == [(sen2.LAST_REVIEW, sen2.MISSING)]
    assert row_of(result, no_letter).review_outcome == "M"
    [detail] = [p.detail for p in result.problems if p.plan_id == str(never_reviewed.pk)]
    assert "due by 5 January 2026" in detail


def test_impossible_values_are_reported(authority, coordinator):
    backwards = child_with_plan(authority, "I-1")
    review_on(backwards, coordinator, dt.date(2026, 6, 10), decision="M",
              letter=dt.date(2026, 6, 1))
    future = child_with_plan(authority, "I-2")
    review_on(future, coordinator, dt.date(2026, 4, 1), decision="M",
              letter=dt.date(2026, 4, 20))
    review_on(future, coordinator, dt.date(2027, 3, 1), status=HELD)
    before_plan = child_with_plan(authority, "I-3", issued=dt.date(2026, 2, 1))
    review_on(before_plan, coordinator, dt.date(2025, 12, 1), decision="M",
              letter=dt.date(2025, 12, 15))
    result = build(authority)
    assert problems_of(result, backwards) == [(sen2.LAST_REVIEW, sen2.IMPOSSIBLE)]
    [detail] = [p.detail for p in result.problems if p.plan_id == str(backwards.pk)]
    assert detail == ("A decision letter dated 1 June 2026 is before its meeting on "
                      "10 June 2026")
    assert problems_of(result, future) == [(sen2.MEETING, sen2.IMPOSSIBLE)]
    assert problems_of(result, before_plan) == [(sen2.MEETING, sen2.IMPOSSIBLE)]


def test_two_active_plans_for_one_person_are_reported(authority, coordinator):
    plan = child_with_plan(authority, "D-1", issued=dt.date(2026, 3, 1))
    make_plan(plan.child, issued=dt.date(2026, 5, 1))
    result = build(authority)
    assert len(result.rows) == 2
    assert [(p.person_id, p.item, p.kind) for p in result.problems] == [
        ("D-1", sen2.PLAN, sen2.IMPOSSIBLE)]


def test_the_return_takes_the_same_few_queries_for_one_plan_or_many(
        authority, coordinator, django_assert_num_queries):
    for n in range(12):
        plan = child_with_plan(authority, f"Q-{n:02}")
        review_on(plan, coordinator, dt.date(2026, 3, 1 + n), decision="M",
                  letter=dt.date(2026, 3, 20 + n))
    with django_assert_num_queries(3):  # the plans, the count of reviews, the reviews
        assert len(build(authority).rows) == 12


# Files ----------------------------------------------------------------------------------


@pytest.fixture(name="result")
def result_fixture(authority, coordinator):
    two_plans = child_with_plan(authority, "F-1")
    review_on(two_plans, coordinator, dt.date(2026, 5, 12), decision="A",
              letter=dt.date(2026, 6, 2))
    make_plan(two_plans.child, issued=dt.date(2026, 5, 1))
    child_with_plan(authority, "F-2", issued=dt.date(2026, 10, 1))
    return build(authority)


def test_the_csv_reads_back_with_every_row(result):
    out = io.StringIO()
    sen2.write_return_csv(result, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert [r["PersonID"] for r in rows] == ["F-1", "F-1", "F-2"]
    reviewed = next(r for r in rows if r["ReviewMeeting"])
    assert (reviewed["LA"], reviewed["ReviewMeeting"], reviewed["ReviewOutcome"],
            reviewed["LastReview"]) == ("998", "2026-05-12", "A", "2026-06-02")
    assert {r["PlanID"] for r in rows} == {row.plan_id for row in result.rows}


def test_the_xml_parses_back_one_person_per_child_and_leaves_blank_items_out(result):
    out = io.BytesIO()
    sen2.write_return_xml(result, out, timezone.make_aware(dt.datetime(2027, 2, 1, 9)))
    message = ET.fromstring(out.getvalue())
    assert message.tag == "Message"
    assert message.findtext("Header/CollectionDetails/Collection") == "SEN2"
    assert message.findtext("Header/CollectionDetails/ReferenceDate") == "2027-01-21"
    assert message.findtext("Header/Source/LEA") == "998"
    people = message.findall("Person")
    assert [p.findtext("PersonID") for p in people] == ["F-1", "F-2"]
    assert len(people[0].findall("ActivePlans")) == 2
    reviewed = next(p for p in people[0].findall("ActivePlans") if p.find("ReviewMeeting")
                    is not None)
    assert (reviewed.findtext("ReviewMeeting"), reviewed.findtext("ReviewOutcome"),
            reviewed.findtext("LastReview")) == ("2026-05-12", "A", "2026-06-02")
    [new_plan] = people[1].findall("ActivePlans")
    assert [child.tag for child in new_plan] == ["PlanID"]


def test_the_validation_report_lists_each_problem_and_says_what_is_not_held(result):
    out = io.StringIO()
    sen2.write_report_csv(result, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    problems = [r for r in rows if r["Problem"] != sen2.NOT_HELD_KIND]
    assert [(r["PersonID"], r["Item"]) for r in problems] == [("F-1", sen2.PLAN)]
    not_held = {r["Item"] for r in rows if r["Problem"] == sen2.NOT_HELD_KIND}
    assert {"UPN", "UniqueLearnerNumber"} <= not_held
