"""The DfE's register of schools, as published, imported into the authority's agencies of
kind school: found again by URN, each with the setting type the clock needs."""

import io

import pytest

from agencies.models import Agency
from imports.models import Establishment
from imports.report import NEW, REFUSED, SKIPPED, UNCHANGED, UPDATED
from imports.schools import import_schools, setting_type_of
from tests.imports.conftest import GIAS_ROWS, caseload, gias_bytes, row

pytestmark = pytest.mark.django_db


def outcomes(report) -> dict:
    return {r.reference: r.outcome for r in report.rows}


def test_the_register_s_open_schools_of_the_authority_become_its_schools(authority):
    report = import_schools(io.BytesIO(gias_bytes()), authority, filename="edubase.csv")

    assert outcomes(report) == {"100000": NEW, "100001": NEW, "100002": NEW, "100003": NEW,
                                "100004": SKIPPED}
    assert report.notes == ["1 establishments of other authorities were not read."]
    schools = {a.urn: a for a in Agency.objects.filter(authority=authority, kind="school")}
    brookside = schools["100000"]
    assert (brookside.name, brookside.phone, brookside.website) == (
        "Brookside Primary School", "01632960100", "https://www.brookside.example.org")
    entries = {e.agency.urn: (e.setting_type, e.special, e.status, e.la_code)
               for e in Establishment.objects.select_related("agency")}
    assert entries == {
        "100000": ("primary", False, "Open", "998"),
        "100001": ("secondary", False, "Open", "998"),
        "100002": ("infant", False, "Open", "998"),
        # Every phase, 2 to 19: the clock's two-tier pattern by year group.
        "100003": ("", True, "Open", "998"),
    }


def test_the_same_register_twice_changes_nothing_and_a_change_is_reported(authority):
    import_schools(io.BytesIO(gias_bytes()), authority)
    again = import_schools(io.BytesIO(gias_bytes()), authority)
    assert set(outcomes(again).values()) == {UNCHANGED, SKIPPED}

    rows = [list(r) for r in GIAS_ROWS]
    rows[0][3] = "Brookside Church of England Primary School"
    rows[1][6] = "Closed"
    changed = import_schools(io.BytesIO(gias_bytes(rows)), authority)

    assert outcomes(changed)["100000"] == UPDATED
    assert Agency.objects.get(urn="100000").name == "Brookside Church of England Primary School"
    # A school held here that closes is kept, its record says so, and the report warns.
    closed = next(r for r in changed.rows if r.reference == "100001")
    assert (closed.outcome, closed.problems[0].column) == (UPDATED,
                                                           "EstablishmentStatus (name)")
    assert Establishment.objects.get(agency__urn="100001").status == "Closed"


def test_schools_the_caseload_names_elsewhere_are_imported_too(authority):
    report = import_schools(io.BytesIO(gias_bytes()), authority, also_urns={"200000"})

    assert outcomes(report)["200000"] == NEW
    college = Agency.objects.get(urn="200000")
    assert (college.authority, college.name, college.establishment.setting_type) == (
        authority, "Faraway Café College", "post_16")


def test_a_name_the_authority_already_uses_gets_its_town(authority):
    Agency.objects.create(authority=authority, name="Testbridge Academy", kind="other")

    import_schools(io.BytesIO(gias_bytes()), authority)

    assert Agency.objects.get(urn="100001").name == "Testbridge Academy (Testbridge)"


def test_a_school_entered_by_hand_is_found_by_its_urn_and_given_its_entry(authority):
    hand = Agency.objects.create(authority=authority, name="Brookside Primary",
                                 kind="school", urn="100000", phone="01632 999 999")

    report = import_schools(io.BytesIO(gias_bytes()), authority)

    assert outcomes(report)["100000"] == UPDATED
    hand.refresh_from_db()
    assert (hand.name, hand.phone, hand.establishment.setting_type) == (
        "Brookside Primary School", "01632 999 999", "primary")


def test_a_bad_row_is_refused_and_the_others_imported(authority):
    rows = [list(r) for r in GIAS_ROWS]
    rows[2][0] = "12A"

    report = import_schools(io.BytesIO(gias_bytes(rows)), authority)

    bad = next(r for r in report.rows if r.reference == "12A")
    assert (bad.outcome, [(p.column, p.reason) for p in bad.problems]) == (
        REFUSED, [("URN", "A URN is six digits")])
    assert Agency.objects.filter(kind="school").count() == 3


def test_the_register_as_re_saved_in_utf8_reads_too(authority):
    import_schools(io.BytesIO(gias_bytes(encoding="utf-8")), authority, also_urns={"200000"})

    assert Agency.objects.filter(name="Faraway Café College").exists()


@pytest.mark.parametrize("phase, low, high, expected", [
    ("Nursery", 2, 5, "early_years"),
    ("Primary", 4, 7, "infant"),
    ("Primary", 7, 11, "junior"),
    ("Primary", 4, 9, "first"),
    ("Primary", 3, 11, "primary"),
    ("Middle deemed primary", 8, 12, "middle"),
    ("Middle deemed secondary", 9, 13, "middle"),
    ("Secondary", 11, 18, "secondary"),
    ("16 plus", 16, 99, "post_16"),
    ("All-through", 4, 18, ""),
    ("Not applicable", 2, 19, ""),
    ("Not applicable", 3, 11, "primary"),
    ("Not applicable", 11, 16, "secondary"),
    ("Not applicable", 16, 25, "post_16"),
    ("Not applicable", None, None, ""),
])
def test_the_setting_type_comes_from_the_phase_and_the_ages(phase, low, high, expected):
    assert setting_type_of(phase, low, high) == expected


def test_the_placements_are_read_from_a_caseload_file():
    from imports.schools import placements

    file = caseload(row(setting_urn="200000"), row(la_reference="T-2", setting_urn=""))

    assert placements(file) == {"200000"}
