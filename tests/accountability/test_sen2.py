"""The SEN2 return's items (5.1, 5.4 to 5.8) and its validation report, from the data; its
XML checked against the DfE's structure (accountability/schema/sen2.xsd)."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from django.utils import timezone

from accountability import sen2
from agencies.models import Agency
from reviews.models import Child, Plan, Review
from tests.conftest import hold_contacts
from tests.factories import AuthorityFactory, ChildFactory, PlanFactory, ReviewFactory

pytestmark = pytest.mark.django_db

CENSUS = dt.date(2027, 1, 21)
TODAY = dt.date(2027, 2, 1)
HELD, DECIDED = Review.Status.MEETING_HELD, Review.Status.DECIDED
RECENT = dt.date(2026, 5, 1)  # a plan issued then has no review due on the census date


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def review_on(plan, coordinator, meeting, status=DECIDED, decision="", letter=None, **facts):
    return ReviewFactory(plan=plan, coordinator=coordinator, due_by=meeting,
                         meeting_at=at(meeting), status=status, decision=decision,
                         decision_sent_on=letter, **facts)


def child_with_plan(authority, ref, issued=dt.date(2024, 3, 1), setting="Testshire Primary",
                    **plan_fields):
    """A child at `setting` (a school with a URN unless made otherwise) with a plan whose
    primary need is recorded: every item the portal holds is there."""
    school, _ = Agency.objects.get_or_create(authority=authority, name=setting,
                                             kind=Agency.Kind.SCHOOL,
                                             defaults={"urn": "999001"})
    child = ChildFactory(authority=authority, setting=school, first_name="Test",
                         last_name=f"Child {ref}", la_reference=ref)
    plan = PlanFactory(child=child, first_issued_on=issued)
    Plan.objects.filter(pk=plan.pk).update(**{"primary_need": "SLCN", **plan_fields})
    return plan


@pytest.fixture(autouse=True)
def contacts(authority):
    """The authority holds every contact its letters name (one test takes one away)."""
    return hold_contacts(authority)


def build(authority):
    return sen2.build_return(authority, CENSUS, today=TODAY)


SCHEMA = xmlschema.XMLSchema(Path(sen2.__file__).parent / "schema" / "sen2.xsd")


def xml_of(result, serial_no=1) -> bytes:
    """The return as XML, valid against the DfE's structure (or the test fails saying
    why)."""
    out = io.BytesIO()
    sen2.write_return_xml(result, out, timezone.make_aware(dt.datetime(2027, 2, 1, 9)),
                          serial_no)
    SCHEMA.validate(io.BytesIO(out.getvalue()))
    return out.getvalue()


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


def test_only_the_authoritys_ehc_plans_in_force_on_the_census_date_are_returned(
        authority, coordinator):
    active = child_with_plan(authority, "S-4")
    child_with_plan(authority, "S-5", status=Plan.Status.CEASED, ceased_on=dt.date(2027, 1, 20))
    child_with_plan(authority, "S-6", kind=Plan.Kind.RECORD_OF_SUPPORT)
    child_with_plan(authority, "S-7", issued=dt.date(2027, 1, 22))
    child_with_plan(authority, "S-8", transferred_in_from="919",
                    transferred_in_on=dt.date(2027, 1, 22))
    other = AuthorityFactory(name="Elsewhere Council", dfe_code="997")
    child_with_plan(other, "E-1")
    assert [row.plan_id for row in build(authority).rows] == [str(active.pk)]


def test_a_plan_that_ceased_after_the_census_date_is_returned(authority, coordinator):
    """Returns are made in February: a plan ceased since the census date was in force on
    it, and counts."""
    ceased_since = child_with_plan(authority, "C-1", status=Plan.Status.CEASED,
                                   ceased_on=dt.date(2027, 1, 28))
    review_on(ceased_since, coordinator, dt.date(2026, 10, 5), decision="C",
              letter=dt.date(2026, 10, 20))
    ceased_on_the_day = child_with_plan(authority, "C-2", status=Plan.Status.CEASED,
                                        ceased_on=CENSUS)
    result = build(authority)
    row = row_of(result, ceased_since)
    assert (row.review_meeting, row.review_outcome) == (dt.date(2026, 10, 5), "C")
    assert str(ceased_on_the_day.pk) not in {r.plan_id for r in result.rows}, \
        "a plan ceases on its day: it was not in force on it"
    assert result.to_fix == []


def test_a_plan_ceased_with_no_date_is_named_and_stops_the_return(authority, coordinator):
    undated = child_with_plan(authority, "U-1", status=Plan.Status.CEASED)
    child_with_plan(authority, "U-2")
    result = build(authority)
    assert str(undated.pk) not in {row.plan_id for row in result.rows}
    [problem] = result.to_fix
    assert (problem.person_id, problem.plan_id, problem.item) == ("U-1", str(undated.pk),
                                                                  sen2.PLAN)
    assert "recorded as ceased but not when" in problem.detail
    assert "enter the date it ceased" in problem.detail


def test_a_plan_transferred_in_during_the_collection_year_carries_the_authority_it_came_from(
        authority, coordinator):
    during = child_with_plan(authority, "T-1", transferred_in_from="919",
                             transferred_in_on=dt.date(2026, 6, 1))
    year_before = child_with_plan(authority, "T-2", transferred_in_from="919",
                                  transferred_in_on=dt.date(2025, 12, 31))
    this_january = child_with_plan(authority, "T-3", transferred_in_from="919",
                                   transferred_in_on=dt.date(2027, 1, 5))
    result = build(authority)
    assert [row_of(result, plan).transfer_la for plan in (during, year_before, this_january)] \
        == ["919", "", ""], "2026 is the collection year of the January 2027 census"
    assert result.summary()["with_transfer"] == 1


def test_the_named_setting_is_the_placement_and_the_primary_need_its_first_need(
        authority, coordinator):
    at_school = child_with_plan(authority, "P-1", RECENT, primary_need="ASD")
    nursery = child_with_plan(authority, "P-2", RECENT, setting="Little Acorns Nursery")
    Agency.objects.filter(name="Little Acorns Nursery").update(urn="")
    Child.objects.filter(la_reference="P-2").update(setting_type="early_years")
    no_urn = child_with_plan(authority, "P-3", RECENT, setting="Newly Opened Academy")
    Agency.objects.filter(name="Newly Opened Academy").update(urn="")
    no_setting = child_with_plan(authority, "P-4", RECENT, primary_need="")
    Child.objects.filter(la_reference="P-4").update(setting=None)
    result = build(authority)
    placements = [(row_of(result, plan).urn, row_of(result, plan).sen_setting,
                   row_of(result, plan).primary_need)
                  for plan in (at_school, nursery, no_urn, no_setting)]
    assert placements == [("999001", "", "ASD"), ("", "EYP", "SLCN"), ("", "", "SLCN"),
                          ("", "", "")]
    assert row_of(result, nursery).setting_phase == "Early Years"
    assert problems_of(result, at_school) == problems_of(result, nursery) == []
    assert problems_of(result, no_urn) == [(sen2.PLACEMENT, sen2.MISSING)]
    assert problems_of(result, no_setting) == [(sen2.PLACEMENT, sen2.MISSING),
                                               (sen2.NEED, sen2.MISSING)]
    [detail] = [p.detail for p in result.problems if p.plan_id == str(no_urn.pk)]
    assert "Newly Opened Academy, has no URN" in detail
    assert result.to_fix == [], "what is missing is listed; it does not stop the return"


def test_values_that_cannot_be_true_in_the_plans_facts_stop_the_return(authority, coordinator):
    bad_urn = child_with_plan(authority, "B-1", RECENT, setting="Typo School")
    Agency.objects.filter(name="Typo School").update(urn="99O01")
    own = child_with_plan(authority, "B-2", RECENT, transferred_in_from="998",
                          transferred_in_on=dt.date(2026, 6, 1))
    future = child_with_plan(authority, "B-3", RECENT, status=Plan.Status.CEASED,
                             ceased_on=dt.date(2027, 3, 1))
    result = build(authority)
    assert problems_of(result, bad_urn) == [(sen2.PLACEMENT, sen2.IMPOSSIBLE)]
    assert row_of(result, bad_urn).urn == "", "a value that cannot be a URN is never sent"
    assert problems_of(result, own) == [(sen2.TRANSFER, sen2.IMPOSSIBLE)]
    assert problems_of(result, future) == [(sen2.PLAN, sen2.IMPOSSIBLE)]
    assert len(result.to_fix) == 3


def test_a_return_with_no_plan_in_force_is_refused_as_nothing_to_return(authority):
    child_with_plan(authority, "N-1", issued=dt.date(2027, 1, 22))
    [problem] = build(authority).to_fix
    assert (problem.item, problem.detail) == (
        sen2.RETURN, "No EHC plan was in force on 21 January 2027: there is nothing to "
                     "return. Check the census date.")


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


def another_plan(child, issued):
    plan = PlanFactory(child=child, first_issued_on=issued)
    Plan.objects.filter(pk=plan.pk).update(primary_need="MLD")
    return plan


def test_the_las_lateness_after_the_reported_meeting_is_its_own_fact(authority, coordinator):
    # Meeting 1 December 2025; the proposed amendments on 20 February 2026, 53 days after
    # they were due; the final plan 8 weeks later, on time by reg 22(3) but 8 weeks after
    # the 12 weeks from the meeting ended.
    plan = child_with_plan(authority, "L-1")
    review_on(plan, coordinator, dt.date(2025, 12, 1), decision="A",
              letter=dt.date(2026, 2, 20), amendment_notice_sent_on=dt.date(2026, 2, 20),
              final_plan_sent_on=dt.date(2026, 4, 17))
    late = [(p.item, p.detail) for p in build(authority).problems
            if p.plan_id == str(plan.pk) and p.kind == sen2.LATE]
    assert late == [
        (sen2.LAST_REVIEW, "Send the decision: done 7 weeks and 4 days late. It was due by "
                           "29 December 2025 and was done on 20 February 2026."),
        (sen2.OUTCOME, "Send the proposed amendments: done 7 weeks and 4 days late. It was due "
                       "by 29 December 2025 and was done on 20 February 2026."),
        (sen2.OUTCOME, "Final amended plan, 12 weeks from the meeting: done 7 weeks and 4 days "
                       "late. It was due by 23 February 2026 and was done on 17 April 2026."),
    ]


def test_a_final_plan_before_its_proposed_amendments_is_impossible(authority, coordinator):
    plan = child_with_plan(authority, "L-2")
    review_on(plan, coordinator, dt.date(2026, 3, 2), decision="A",
              letter=dt.date(2026, 3, 20), amendment_notice_sent_on=dt.date(2026, 3, 20),
              final_plan_sent_on=dt.date(2026, 3, 10))
    [(item, kind, detail)] = [(p.item, p.kind, p.detail) for p in build(authority).problems
                              if p.plan_id == str(plan.pk)]
    assert (item, kind) == (sen2.OUTCOME, sen2.IMPOSSIBLE)
    assert detail == ("The final amended plan is dated 10 March 2026, before the proposed "
                      "amendments on 20 March 2026")


def test_a_contact_the_letters_need_is_listed_with_where_to_add_it(authority, contacts):
    contacts["disagreement_resolution"].delete()
    [problem] = [p for p in build(authority).problems if p.item == sen2.CONTACTS]
    assert problem.kind == sen2.MISSING
    assert "does not hold its disagreement resolution service" in problem.detail
    assert "Agencies and people, Local authorities, Testshire County Council" in problem.detail


def test_two_active_plans_for_one_person_are_reported(authority, coordinator):
    plan = child_with_plan(authority, "D-1", issued=dt.date(2026, 3, 1))
    another_plan(plan.child, issued=dt.date(2026, 5, 1))
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
    # The plans, the count of reviews, the reviews, the authority's contacts.
    with django_assert_num_queries(4):
        assert len(build(authority).rows) == 12


# Files ----------------------------------------------------------------------------------


@pytest.fixture(name="result")
def result_fixture(authority, coordinator):
    two_plans = child_with_plan(authority, "F-1", transferred_in_from="919",
                                transferred_in_on=dt.date(2026, 4, 1))
    review_on(two_plans, coordinator, dt.date(2026, 5, 12), decision="A",
              letter=dt.date(2026, 6, 2))
    another_plan(two_plans.child, issued=dt.date(2026, 5, 1))
    child_with_plan(authority, "F-2", issued=dt.date(2026, 10, 1), primary_need="")
    Agency.objects.create(authority=authority, name="Acorns Nursery", kind=Agency.Kind.SCHOOL)
    child_with_plan(authority, "F-3", setting="Acorns Nursery")
    Child.objects.filter(la_reference="F-3").update(setting_type="early_years")
    return build(authority)


def test_the_csv_reads_back_with_every_row(result):
    out = io.StringIO()
    sen2.write_return_csv(result, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert list(rows[0]) == sen2.CSV_HEADER
    assert [r["PersonID"] for r in rows] == ["F-1", "F-1", "F-2", "F-3"]
    reviewed = next(r for r in rows if r["ReviewMeeting"])
    assert (reviewed["LA"], reviewed["TransferLA"], reviewed["URN"], reviewed["SENtype"],
            reviewed["SettingPhase"], reviewed["ReviewMeeting"], reviewed["ReviewOutcome"],
            reviewed["LastReview"]) == ("998", "919", "999001", "SLCN", "", "2026-05-12", "A",
                                        "2026-06-02")
    assert (rows[3]["URN"], rows[3]["SENsetting"], rows[3]["SettingPhase"]) == (
        "", "EYP", "Early Years")
    assert {r["PlanID"] for r in rows} == {row.plan_id for row in result.rows}


def test_the_xml_follows_the_dfes_structure_and_leaves_blank_items_out(result):
    message = ET.fromstring(xml_of(result, serial_no=2))
    assert message.tag == "Message"
    assert message.findtext("Header/CollectionDetails/Collection") == "SEN2"
    assert message.findtext("Header/CollectionDetails/Year") == "2027"
    assert message.findtext("Header/CollectionDetails/ReferenceDate") == "2027-01-21"
    source = message.find("Header/Source")
    assert [(e.tag, e.text) for e in source] == [
        ("SourceLevel", "L"), ("LEA", "998"), ("SoftwareCode", "ehcp-review-portal"),
        ("Release", sen2.release()), ("SerialNo", "002"), ("DateTime", "2027-02-01T09:00:00")]
    people = message.findall("Persons/Person")
    assert [(p.findtext("Surname"), p.findtext("Forename"), p.findtext("PersonBirthDate"))
            for p in people] == [("Child F-1", "Test", "2016-03-14"),
                                 ("Child F-2", "Test", "2016-03-14"),
                                 ("Child F-3", "Test", "2016-03-14")]
    assert message.find(".//PersonID") is None and message.find(".//PlanID") is None, \
        "the portal's own keys are not the DfE's: they stay in the CSV"
    first, second = (requests.find("ActivePlans") for requests in people[0].findall("Requests"))
    assert [e.tag for e in first] == ["TransferLA", "PlacementDetail", "SENneed",
                                      "ReviewMeeting", "ReviewOutcome", "LastReview"]
    assert (first.findtext("TransferLA"), first.findtext("PlacementDetail/URN"),
            first.findtext("PlacementDetail/PlacementRank"), first.findtext("SENneed/SENtype"),
            first.findtext("SENneed/SENtypeRank"), first.findtext("ReviewMeeting"),
            first.findtext("ReviewOutcome"), first.findtext("LastReview")) == (
        "919", "999001", "1", "SLCN", "1", "2026-05-12", "A", "2026-06-02")
    assert [e.tag for e in second] == ["PlacementDetail", "SENneed"], "not transferred in"
    [no_need] = people[1].findall("Requests/ActivePlans")
    assert [e.tag for e in no_need] == ["PlacementDetail"]
    [nursery] = people[2].findall("Requests/ActivePlans/PlacementDetail")
    assert [(e.tag, e.text) for e in nursery] == [("SENsetting", "EYP"), ("PlacementRank", "1")]


def test_the_schema_refuses_what_the_dfe_would(result):
    """The check above means something: a file out of the DfE's order, or with a value the
    DfE does not accept, fails it."""
    good = xml_of(result)
    for wrong in (good.replace(b"<URN>999001</URN>", b"<URN>99001</URN>"),
                  good.replace(b"<SENtype>SLCN</SENtype>", b"<SENtype>Speech</SENtype>"),
                  good.replace(b"<Persons>", b"<People>").replace(b"</Persons>", b"</People>"),
                  good.replace(b"<SerialNo>001</SerialNo>", b"")):
        assert not SCHEMA.is_valid(io.BytesIO(wrong))


def test_what_the_schema_leaves_out_is_what_every_report_says_the_portal_does_not_hold():
    """The portal's schema differs from the DfE's only where an element is marked 'not
    held' (never written; listed in NOT_HELD) or 'when held' (the report names the plan)."""
    marked: dict[str, set[str]] = {"not held": set(), "when held": set()}
    declared = set()
    for component in SCHEMA.iter_components():
        if isinstance(component, xmlschema.validators.XsdElement):
            declared.add(component.name)
            for note in (component.annotation.appinfo if component.annotation else []):
                marked[note.text].add(component.name)
    listed = {name for names, _detail in sen2.NOT_HELD for name in names.split(", ")}
    assert marked["not held"] <= listed <= declared
    assert marked["when held"] == {"PlacementDetail", "SENneed"}
    assert {sen2.PLACEMENT.split()[1], sen2.NEED.split()[1]} == marked["when held"]


def test_the_validation_report_lists_what_stops_the_return_first_then_what_is_not_held(
        authority, coordinator, result):
    backwards = child_with_plan(authority, "G-1")
    review_on(backwards, coordinator, dt.date(2026, 6, 10), decision="M",
              letter=dt.date(2026, 6, 1))
    out = io.StringIO()
    sen2.write_report_csv(build(authority), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    found = [(r["PersonID"], r["Item"], r["Problem"]) for r in rows
             if r["Problem"] != sen2.NOT_HELD_KIND]
    # F-1's amend decision has no proposed amendments recorded: the notice and the 12
    # weeks to the final plan are late, after what stops the return.
    assert found == [
        ("G-1", sen2.LAST_REVIEW, sen2.IMPOSSIBLE), ("F-1", sen2.PLAN, sen2.IMPOSSIBLE),
        ("F-1", sen2.OUTCOME, sen2.LATE), ("F-1", sen2.OUTCOME, sen2.LATE),
        ("F-2", sen2.NEED, sen2.MISSING), ("F-3", sen2.MEETING, sen2.MISSING)]
    not_held = {r["Item"] for r in rows if r["Problem"] == sen2.NOT_HELD_KIND}
    assert "UPN, UniqueLearnerNumber, UPNunknown" in not_held
    assert rows[-1]["Problem"] == sen2.NOT_HELD_KIND
    with io.BytesIO(out.getvalue().encode()) as report:
        assert [r["PersonID"] for r in sen2.records_to_fix(report, limit=1)] == ["G-1"]
