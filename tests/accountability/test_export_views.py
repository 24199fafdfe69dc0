"""Downloading a dashboard table: who may, and that the file carries the screen's numbers."""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accountability.exports import csv_value
from agencies.models import Agency, Discipline, Role
from reviews.access import oversight_scope
from reviews.models import Invitation
from tests.conftest import ON_TODAY, make_person, sign_in
from tests.factories import ReviewFactory
from tests.reviews.conftest import invite_person

pytestmark = [pytest.mark.django_db, ON_TODAY]


def url(key, fmt="csv", **filters):
    query = "&".join(f"{name}={value}" for name, value in {"format": fmt, **filters}.items())
    return f"/accountability/exports/table/{key}/?{query}"


def tables():
    from accountability.measures import TABLES

    return TABLES


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture(name="other_trust")
def other_trust_fixture(authority):
    return Agency.objects.create(authority=authority, name="Otherford NHS Trust",
                                 kind=Agency.Kind.NHS)


@pytest.fixture(name="agency_lead")
def agency_lead_fixture(nhs_trust):
    return make_person("lead@test.example", "Lena", "Lead", nhs_trust, Role.LEAD,
                       Discipline.DESIGNATED_CLINICAL_OFFICER)


@pytest.fixture(name="invited")
def invited_fixture(review, invited_therapist, other_trust):
    """Two trusts asked for advice on the review this year."""
    physio = make_person("physio@other.example", "Phil", "Physio", other_trust,
                         Role.PRACTITIONER, Discipline.PHYSIOTHERAPIST)
    invite_person(review, physio, agency=other_trust, discipline=Discipline.PHYSIOTHERAPIST)
    Invitation.objects.filter(review=review).update(sent_at=timezone.now())
    return review


def test_anonymous_visitors_are_sent_to_sign_in(client, review):
    response = client.get(url("participation"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_families_contributors_and_strangers_get_a_404(
        client, invited, refused, family_parent, invited_therapist):
    for person in [*refused, family_parent, invited_therapist]:
        client.logout()
        sign_in(client, person)
        assert client.get(url("participation")).status_code == 404, person


def test_an_unknown_table_format_or_filter_is_a_404(client, coordinator):
    sign_in(client, coordinator)
    assert client.get(url("no_such_table")).status_code == 404
    assert client.get(url("participation", fmt="pdf")).status_code == 404
    assert client.get(url("participation", from_month=12, to_month=1)).status_code == 404


def test_every_table_the_dashboards_offer_downloads_with_the_numbers_on_the_screen(
        client, invited, coordinator):
    sign_in(client, coordinator)
    scope = oversight_scope(coordinator)
    for key, measure in tables().items():
        screen = measure(scope)
        as_csv = client.get(url(key))
        assert as_csv.status_code == 200, key
        assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in as_csv["Content-Disposition"] and key in as_csv[
            "Content-Disposition"]
        assert read_csv(as_csv) == [[c.label for c in screen.columns],
                                    *[[csv_value(v) for v in row] for row in screen.values()]]
        as_xlsx = client.get(url(key, "xlsx"))
        assert as_xlsx.status_code == 200, key
        # A spreadsheet has no empty text: "" reads back as an empty cell.
        assert read_xlsx(as_xlsx) == [[c.label for c in screen.columns],
                                      *[[None if v == "" else v for v in row]
                                        for row in screen.values()]]


def test_the_file_carries_the_filters_on_the_screen(client, invited, coordinator):
    sign_in(client, coordinator)
    year = timezone.localdate().year - 1
    screen = tables()["participation"](oversight_scope(coordinator), year=year)
    assert screen.rows == [], "nobody was invited last year"
    assert read_csv(client.get(url("participation", year=year)))[1:] == []
    assert len(read_csv(client.get(url("participation")))) == 3, "this year: two agencies"


def test_an_agency_lead_gets_only_their_own_agencys_rows(client, invited, agency_lead):
    sign_in(client, agency_lead)
    rows = read_csv(client.get(url("participation")))
    assert [row[0] for row in rows[1:]] == ["Testshire NHS Trust"]
    cells = {cell for row in read_xlsx(client.get(url("participation", "xlsx")))
             for cell in row}
    assert "Testshire NHS Trust" in cells
    assert not any("Otherford" in str(cell) for cell in cells)


def test_an_agency_lead_cannot_download_the_authoritys_tables(client, invited, agency_lead):
    sign_in(client, agency_lead)
    for key in ("timeliness", "coordinator_caseload", "dfe_annual_reviews"):
        assert client.get(url(key)).status_code == 404, key


@pytest.mark.parametrize("reviews", [1, 12])
def test_a_download_runs_a_bounded_number_of_queries(
        client, coordinator, plan, reviews, django_assert_max_num_queries):
    for _ in range(reviews):
        ReviewFactory(plan=plan, coordinator=coordinator, meeting_in_days=-10)
    sign_in(client, coordinator)
    with django_assert_max_num_queries(15):
        assert client.get(url("timeliness_by_month", "xlsx")).status_code == 200
