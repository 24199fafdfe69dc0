"""Importing a caseload: the template's rows become children with plans and open reviews
the clock dates; a messy file's bad rows are reported, column and reason, and only the good
ones written; the same file twice changes nothing; a changed row updates its child and
says so on their review; two authorities never reach each other's children."""

import datetime as dt

import pytest
from django.urls import reverse

from agencies.models import Agency, AuditEntry, Discipline, LocalAuthority, Role
from imports.caseload import import_caseload
from imports.report import HELD_BACK, NEW, REFUSED, UNCHANGED, UPDATED
from outbox.models import Email
from reviews import clock, events
from reviews.models import Child, Event, FamilyMember, Plan, Review
from tests.conftest import make_person, sign_in
from tests.imports.conftest import TEMPLATE, caseload, row

pytestmark = pytest.mark.django_db


def imported(file, authority, **options):
    return import_caseload(file, authority, filename="caseload.csv", **options)


def outcomes(report) -> dict:
    return {r.reference: r.outcome for r in report.rows}


def problems(report) -> dict:
    return {r.reference: [(p.column, p.reason) for p in r.problems] for r in report.rows}


def everything() -> tuple:
    """What the import writes, as it stands."""
    return (list(Child.objects.order_by("la_reference").values()),
            list(Plan.objects.order_by("pk").values()),
            list(FamilyMember.objects.order_by("pk").values()),
            list(Review.objects.order_by("pk").values()),
            Event.objects.count())


# ---------------------------------------------------------------------------
# The template, there and back
# ---------------------------------------------------------------------------


def test_the_template_imports_as_it_reads_and_again_changes_nothing(authority, officer,
                                                                     schools):
    report = imported(TEMPLATE.open("rb"), authority)

    assert (report.written, outcomes(report)) == (True, {"EX-0001": NEW, "EX-0002": NEW})
    assert all(not r.problems for r in report.rows)
    amira = Child.objects.get(la_reference="EX-0001")
    assert (amira.full_name, amira.date_of_birth, amira.setting, amira.setting_type,
            amira.year_group_offset, amira.upn, amira.uln) == (
        "Amira Example", dt.date(2016, 5, 14), schools["100000"], "primary", 0,
        "Z998123416001", "")
    plan = amira.plans.get()
    assert (plan.kind, plan.status, plan.first_issued_on, plan.primary_need) == (
        Plan.Kind.EHCP, Plan.Status.ACTIVE, dt.date(2022, 3, 1), "ASD")
    assert [(m.name, m.email, m.phone, m.relationship) for m in amira.family.all()] == [
        ("Sam Example", "sam.example@example.org", "01632 960 001", "parent")]
    held, review = plan.reviews.order_by("created_at")
    assert (held.status, held.meeting_date, held.coordinator) == (
        Review.Status.CLOSED, dt.date(2025, 2, 20), officer)
    # The next review is due 12 months from the last meeting, by the clock.
    assert (review.status, review.coordinator, review.convenor, review.due_by) == (
        Review.Status.DUE, officer, Review.Convenor.LA,
        clock.next_review_due(last_review_meeting=dt.date(2025, 2, 20)))
    assert review.previous_meeting_date() == dt.date(2025, 2, 20)
    assert review.deadlines().review_due == review.due_by
    assert [(e.seq, e.kind) for e in review.events.all()] == [(1, "review_opened")]
    assert [(e.seq, e.kind) for e in held.events.all()] == [(1, "review_imported")]

    leo = Child.objects.get(la_reference="EX-0002")
    assert (leo.setting.name, leo.setting_type, leo.year_group_offset, leo.upn, leo.uln) == (
        "Testbridge Academy", "secondary", -1, "V998123409017", "5000000012")
    assert sorted((m.relationship, m.name, m.email) for m in leo.family.all()) == [
        ("parent", "Chris Sample", "chris.sample@example.org"),
        ("parent", "Jo Sample", "jo.sample@example.org"),
        ("young_person", "Leo Sample", "leo.sample@example.org")]

    before = everything()
    again = imported(TEMPLATE.open("rb"), authority)
    assert outcomes(again) == {"EX-0001": UNCHANGED, "EX-0002": UNCHANGED}
    assert everything() == before


def test_a_dry_run_reports_the_same_and_writes_nothing(authority, officer, schools):
    report = imported(TEMPLATE.open("rb"), authority, dry_run=True)

    assert outcomes(report) == {"EX-0001": NEW, "EX-0002": NEW}
    assert (report.written, Child.objects.count(), Review.objects.count()) == (False, 0, 0)
    assert report.summary().startswith("Nothing was written (a dry run)")


def test_reviews_already_late_show_as_late_on_the_coordinator_s_list(client, authority,
                                                                      officer, schools):
    imported(TEMPLATE.open("rb"), authority)
    sign_in(client, officer)

    response = client.get(reverse("reviews:due"))

    summaries = {s.la_reference: s for s in response.context["summaries"]}
    assert set(summaries) == {"EX-0001", "EX-0002"}
    today = dt.date.today()
    for summary in summaries.values():
        review = Review.objects.get(pk=summary.review_id)
        assert (review.due_by < today) == summary.next_deadline.is_late
    page = response.content.decode()
    assert "Amira Example" in page and "EX-0001" in page


# ---------------------------------------------------------------------------
# A messy file
# ---------------------------------------------------------------------------


@pytest.fixture
def elsewhere(db):
    """A child with a plan at another authority, with a UPN."""
    other = LocalAuthority.objects.create(name="Otherborough Council", dfe_code="997")
    child = Child.objects.create(authority=other, first_name="Robin", last_name="Away",
                                 date_of_birth=dt.date(2014, 1, 1), la_reference="OB-9",
                                 upn="N998123416002")
    Plan.objects.create(child=child, first_issued_on=dt.date(2020, 1, 1))
    return child


MESSY = [
    row(la_reference="GOOD-1"),
    row(la_reference="BORN-LATE", date_of_birth="01/01/2022", plan_first_issued="01/09/2021"),
    row(la_reference="EARLY-MEETING", last_review_meeting="01/06/2021"),
    row(la_reference="FUTURE-MEETING", last_review_meeting="01/01/2099"),
    row(la_reference="NO-SCHOOL", setting_urn="999999"),
    row(la_reference="NO-OFFICER", coordinator_email="nobody@example.org"),
    row(la_reference="BAD-EMAIL", parent_email="pat.tester@"),
    row(la_reference="BAD-PHONE", parent_phone="12345"),
    row(la_reference="TWICE"),
    row(la_reference="TWICE", first_name="Other"),
    row(la_reference="AWAY", upn="N998123416002"),
    row(la_reference="BAD-UPN", upn="A998123416002"),
    row(la_reference="BAD-ULN", uln="5000000013"),
    row(la_reference="BAD-NEED", primary_need="XYZ"),
    row(la_reference="NO-NAME", first_name=""),
    row(la_reference="BAD-DATE", date_of_birth="31/02/2015"),
    row(la_reference="GOOD-2", primary_need="NSA", notes="not read"),
]


def test_a_messy_file_reports_each_bad_row_and_imports_only_the_good(authority, officer,
                                                                    schools, elsewhere):
    from tests.imports.conftest import COLUMNS

    report = imported(caseload(*MESSY, columns=[*COLUMNS, "notes"]), authority)

    found = problems(report)
    expected = {
        "BORN-LATE": ("plan_first_issued", "before the child was born"),
        "EARLY-MEETING": ("last_review_meeting", "before the plan was first issued"),
        "FUTURE-MEETING": ("last_review_meeting", "in the future"),
        "NO-SCHOOL": ("setting_urn", "No school with URN 999999"),
        "NO-OFFICER": ("coordinator_email", "Nobody with the email nobody@example.org"),
        "BAD-EMAIL": ("parent_email", "Enter a valid email address"),
        "BAD-PHONE": ("parent_phone", "Enter a phone number like"),
        "AWAY": ("upn", "has a plan with another local authority"),
        "BAD-UPN": ("upn", "check letter is wrong"),
        "BAD-ULN": ("uln", "check digit is wrong"),
        "BAD-NEED": ("primary_need", "Enter one of the SEN2 codes"),
        "NO-NAME": ("first_name", "Enter the child's first name"),
        "BAD-DATE": ("date_of_birth", "is not a date"),
    }
    for reference, (column, reason) in expected.items():
        assert [(c, r) for c, r in found[reference] if reason in r] == [
            (column, next(r for c, r in found[reference] if reason in r))], reference
        assert outcomes(report)[reference] == REFUSED
    twice = [r for r in report.rows if r.reference == "TWICE"]
    assert [(r.outcome, r.problems[0].column, r.problems[0].reason) for r in twice] == [
        (REFUSED, "la_reference", "TWICE is also on line 11: each child once in the file"),
        (REFUSED, "la_reference", "TWICE is also on line 10: each child once in the file")]
    # Nothing of the other authority's child is named.
    assert "OB-9" not in str(found) and "Otherborough" not in str(found)
    # A warning does not stop a row.
    assert outcomes(report)["GOOD-2"] == NEW and found["GOOD-2"][0][0] == "primary_need"
    assert report.ignored == ["notes"]
    assert set(Child.objects.filter(authority=authority).values_list(
        "la_reference", flat=True)) == {"GOOD-1", "GOOD-2"}
    assert Plan.objects.get(child__la_reference="GOOD-2").primary_need == ""


def test_all_or_nothing_writes_nothing_when_a_row_is_refused(authority, officer, schools):
    report = imported(caseload(row(la_reference="A"), row(la_reference="B", setting_urn="1")),
                      authority, all_or_nothing=True)

    assert outcomes(report) == {"A": HELD_BACK, "B": REFUSED}
    assert (report.written, Child.objects.count()) == (False, 0)


def test_a_run_that_fails_part_way_leaves_the_database_as_it_was(authority, officer, schools):
    imported(caseload(row(la_reference="A")), authority)
    before = (everything(), AuditEntry.objects.count())

    def fail(event):
        raise RuntimeError("the disk is full")

    events.subscribe("review_opened", fail)
    try:
        with pytest.raises(RuntimeError):
            imported(caseload(row(la_reference="A", last_name="Changed"),
                              row(la_reference="B")), authority)
    finally:
        events._SUBSCRIBERS["review_opened"].remove(fail)

    assert (everything(), AuditEntry.objects.count()) == before


# ---------------------------------------------------------------------------
# A later file
# ---------------------------------------------------------------------------


def test_a_changed_row_updates_the_child_and_says_so_on_their_review(authority, officer,
                                                                     schools):
    imported(caseload(row(la_reference="A"), row(la_reference="B")), authority)
    review = Review.objects.get(plan__child__la_reference="A", status=Review.Status.DUE)

    report = imported(caseload(
        row(la_reference="A", last_name="Renamed", setting_urn="100002",
            parent_phone="07700 900 111", plan_first_issued="01/10/2021"),
        row(la_reference="B")), authority)

    assert outcomes(report) == {"A": UPDATED, "B": UNCHANGED}
    changed = next(r for r in report.rows if r.reference == "A").changed
    assert changed == ["last_name", "setting_urn", "plan_first_issued", "parent_phone",
                       "next review due"]
    child = Child.objects.get(la_reference="A")
    assert (child.last_name, child.setting.urn, child.setting_type) == (
        "Renamed", "100002", "infant")
    assert child.family.get().phone == "07700 900 111"
    review.refresh_from_db()
    assert review.due_by == clock.next_review_due(plan_first_issued=dt.date(2021, 10, 1))
    event = review.events.last()
    assert (event.seq, event.kind) == (2, "record_imported")
    assert event.summary.startswith("Updated from the council's records: last_name, "
                                    "setting_urn, plan_first_issued, parent_phone; the "
                                    "meeting must now be held by ")


def test_a_new_coordinator_is_handed_the_review_and_told(authority, officer, schools,
                                                          la_team):
    imported(caseload(row(la_reference="A")), authority)
    other = make_person("other.officer@example.org", "Olive", "Other", la_team,
                        Role.COORDINATOR, Discipline.SEN_OFFICER)

    report = imported(caseload(row(la_reference="A",
                                   coordinator_email="Other.Officer@example.org")), authority)

    assert next(r for r in report.rows).changed == ["coordinator_email"]
    review = Review.objects.get(plan__child__la_reference="A", status=Review.Status.DUE)
    assert review.coordinator == other
    assert list(review.events.values_list("kind", flat=True)) == [
        "review_opened", "record_imported", "coordinator_changed"]
    assert Email.objects.filter(to=other.email).exists()


def test_a_child_missing_from_a_later_file_is_reported_and_kept(authority, officer, schools):
    imported(caseload(row(la_reference="A"), row(la_reference="B")), authority)

    report = imported(caseload(row(la_reference="A")), authority)

    assert report.missing == ["B"]
    assert "held here are not in this file" in report.lines()[-1]
    assert Child.objects.filter(la_reference="B").exists()


def test_a_later_meeting_in_the_file_starts_the_next_review_s_twelve_months(authority,
                                                                          officer, schools):
    imported(caseload(row(la_reference="A")), authority)
    # A review opened today: a meeting after it is the portal's to record, not the file's.
    Review.objects.filter(plan__child__la_reference="A").update(
        created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))

    report = imported(caseload(row(la_reference="A", last_review_meeting="15/06/2023")),
                      authority)

    assert next(r for r in report.rows).changed == ["last_review_meeting", "next review due"]
    review = Review.objects.get(plan__child__la_reference="A", status=Review.Status.DUE)
    assert review.previous_meeting_date() == dt.date(2023, 6, 15)
    assert review.due_by == clock.next_review_due(last_review_meeting=dt.date(2023, 6, 15))


# ---------------------------------------------------------------------------
# Two authorities
# ---------------------------------------------------------------------------


def test_two_authorities_never_see_each_other_s_children_through_the_import(
        authority, officer, schools):
    other = LocalAuthority.objects.create(name="Otherborough Council", dfe_code="997")
    team = Agency.objects.create(authority=other, name="Otherborough SEND",
                                 kind=Agency.Kind.LA_SEND)
    make_person("officer@other.example", "Ola", "Other", team, Role.COORDINATOR)
    Agency.objects.create(authority=other, name="Other School", kind=Agency.Kind.SCHOOL,
                          urn="300000")

    mine = imported(caseload(row(la_reference="SAME", upn="Z998123416001")), authority)
    theirs = imported(caseload(row(la_reference="SAME", first_name="Theirs",
                                   setting_urn="300000",
                                   coordinator_email="officer@other.example"),
                               row(la_reference="ONLY-THEIRS", setting_urn="100000",
                                   coordinator_email="case.officer@example.org")), other)

    assert outcomes(mine) == {"SAME": NEW}
    # Their file cannot name this authority's school or officer.
    assert outcomes(theirs) == {"SAME": NEW, "ONLY-THEIRS": REFUSED}
    assert {c.authority_id: c.first_name for c in Child.objects.filter(
        la_reference="SAME")} == {authority.pk: "Alex", other.pk: "Theirs"}
    again = imported(caseload(row(la_reference="SAME", upn="Z998123416001")), authority)
    assert (outcomes(again), again.missing) == ({"SAME": UNCHANGED}, [])
    # A child with a plan here cannot be imported there by their UPN.
    refused = imported(caseload(row(la_reference="NEW", upn="Z998123416001",
                                    setting_urn="300000",
                                    coordinator_email="officer@other.example")), other)
    assert problems(refused)["NEW"] == [("upn", "A child with this UPN has a plan with "
                                                "another local authority: it must cease (or "
                                                "its transfer to you be recorded) there first")]
    assert refused.missing == ["SAME"]
