"""Asking for the SEN2 return: who may, the form, and the files it makes."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.utils import timezone

from accountability import sen2
from accountability.models import ExportJob
from agencies.models import AuditEntry, Discipline, Role
from reviews.models import Review
from tests.accountability.test_sen2 import SCHEMA
from tests.conftest import make_person, sign_in

pytestmark = pytest.mark.django_db

URL = "/accountability/exports/sen2/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(name="decided")
def decided_fixture(review):
    """The review's meeting was held in June 2025; the plan was maintained."""
    meeting = timezone.make_aware(dt.datetime(2025, 6, 10, 10))
    Review.objects.filter(pk=review.pk).update(meeting_at=meeting, status=Review.Status.DECIDED,
                                               decision="M",
                                               decision_sent_on=dt.date(2025, 7, 1))
    return review


def valid_xml(download) -> ET.Element:
    """A downloaded return, checked against the DfE's structure, parsed."""
    content = b"".join(download.streaming_content)
    SCHEMA.validate(io.BytesIO(content))
    return ET.fromstring(content)


def form_key(client) -> str:
    html = client.get(URL).content.decode()
    return html.split('name="request_key" value="')[1].split('"')[0]


def ask(client, census="15 1 2026", fmt="csv", key=None):
    day, month, year = census.split() if census else ("", "", "")
    return client.post(URL, {"census_0": day, "census_1": month, "census_2": year,
                             "format": fmt, "request_key": key or form_key(client)})


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_the_authoritys_la_officers_may_make_the_return(
        client, review, refused, family_parent, invited_therapist, nhs_trust):
    agency_lead = make_person("lead@test.example", "Lena", "Lead", nhs_trust, Role.LEAD,
                              Discipline.DESIGNATED_CLINICAL_OFFICER)
    for person in [*refused, family_parent, invited_therapist, agency_lead]:
        client.logout()
        sign_in(client, person)
        assert client.get(URL).status_code == 404, person
        assert client.post(URL, {}).status_code == 404, person


def test_the_form_shows_what_the_portal_does_not_hold(client, coordinator,
                                                      django_assert_max_num_queries):
    sign_in(client, coordinator)
    with django_assert_max_num_queries(10):  # and the authority's name, until cached
        html = client.get(URL).content.decode()
    assert "Census date" in html and "does not hold unique pupil numbers" in html
    assert "Which local authority?" not in html, "one authority: nothing to choose"


@time_machine.travel(dt.datetime(2027, 2, 3, 12, tzinfo=dt.UTC))
def test_the_form_offers_the_latest_census_day(client, coordinator):
    sign_in(client, coordinator)
    html = client.get(URL).content.decode()
    assert all(f'value="{part}"' in html for part in ("21", "1", "2027")), \
        "the third Thursday of January 2027"
    assert [sen2.latest_census_day(dt.date(*day)) for day in
            [(2027, 1, 20), (2027, 1, 21), (2026, 12, 31), (2026, 1, 15)]] == [
        dt.date(2026, 1, 15), dt.date(2027, 1, 21), dt.date(2026, 1, 15), dt.date(2026, 1, 15)]


@pytest.mark.parametrize(("census", "error"), [
    ("", "Enter the census date"),
    ("31 2 2026", "Enter a real date"),
    ("1 1 2099", "The census date must be today or in the past"),
])
def test_a_bad_census_date_is_explained_and_what_was_typed_is_kept(client, coordinator,
                                                                    census, error):
    sign_in(client, coordinator)
    response = ask(client, census=census, fmt="xml")
    html = response.content.decode()
    assert response.status_code == 200 and not ExportJob.objects.exists()
    assert "<title>Error: " in html and "govuk-error-summary" in html and error in html
    assert 'value="xml" checked' in html
    if census:
        assert f'value="{census.split()[-1]}"' in html


def test_the_csv_return_and_its_report_download_and_the_download_is_audited(
        client, coordinator, decided, q_sync, django_capture_on_commit_callbacks):
    sign_in(client, coordinator)
    key = form_key(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, key=key)
    job = ExportJob.objects.get()
    assert response["Location"] == f"/accountability/exports/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "SEN2 return items on 15 January 2026 (CSV)" in page
    assert "EHC plans in force" in page and "Download the validation report" in page
    download = client.get(f"/accountability/exports/{job.pk}/file/")
    assert "sen2-items-998-2026-01-15.csv" in download["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(
        b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert [(r["PersonID"], r["PlanID"], r["ReviewMeeting"], r["ReviewOutcome"],
             r["LastReview"]) for r in rows] == [
        ("T-0001", str(decided.plan_id), "2025-06-10", "M", "2025-07-01")]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORTED, user=coordinator,
                                     detail__contains=str(job.pk)).exists()
    report = client.get(f"/accountability/exports/{job.pk}/report/")
    assert "sen2-items-998-2026-01-15-validation.csv" in report["Content-Disposition"]
    report_rows = list(csv.DictReader(io.StringIO(
        b"".join(report.streaming_content).decode("utf-8-sig"))))
    not_held = [r["Item"] for r in report_rows if r["Problem"] == sen2.NOT_HELD_KIND]
    assert any("UPN" in item.split(", ") for item in not_held)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, key=key)
    assert ExportJob.objects.count() == 1, "a double submit makes one return"


def test_the_xml_return_parses_back(client, coordinator, decided, q_sync,
                                    django_capture_on_commit_callbacks):
    sign_in(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, fmt="xml")
    job = ExportJob.objects.get()
    download = client.get(f"/accountability/exports/{job.pk}/file/")
    assert download["Content-Type"] == "application/xml; charset=utf-8"
    message = valid_xml(download)
    [plan] = message.findall("Persons/Person/Requests/ActivePlans")
    assert (plan.findtext("PlacementDetail/URN"), plan.findtext("ReviewMeeting"),
            plan.findtext("ReviewOutcome"), plan.findtext("LastReview")) == (
        "999001", "2025-06-10", "M", "2025-07-01")


def test_each_xml_return_for_a_census_date_has_the_next_serial_number(
        client, coordinator, decided, q_sync, django_capture_on_commit_callbacks):
    sign_in(client, coordinator)
    for fmt in ("xml", "csv", "xml"):
        with django_capture_on_commit_callbacks(execute=True):
            ask(client, fmt=fmt)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, census="16 1 2026", fmt="xml")
    serials = []
    for job in ExportJob.objects.filter(params__format="xml").order_by("created_at"):
        download = client.get(f"/accountability/exports/{job.pk}/file/")
        message = valid_xml(download)
        serials.append(message.findtext("Header/Source/SerialNo"))
    assert serials == ["001", "002", "001"], "the CSV is not a return; another date starts again"


def test_a_return_with_a_value_that_cannot_be_true_is_not_made_and_names_the_records_to_fix(
        client, coordinator, decided, q_sync, django_capture_on_commit_callbacks,
        django_assert_max_num_queries):
    Review.objects.filter(pk=decided.pk).update(decision_sent_on=dt.date(2025, 6, 1))
    sign_in(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, fmt="xml")
    job = ExportJob.objects.get()
    assert (job.status, bool(job.file), bool(job.report_file)) == ("refused", False, True)
    with django_assert_max_num_queries(9):
        page = client.get(response["Location"]).content.decode()
    assert "The return was not made. 1 record says something that cannot be true. " \
           "Correct them, then make the return again." in page
    assert "T-0001" in page and "5.6 LastReview" in page
    assert "A decision letter dated 1 June 2025 is before its meeting on 10 June 2025" in page
    assert "Download the validation report" in page and 'href="/accountability/exports/sen2/"' \
        in page
    assert "Amira" not in page, "the page names the record by its LA reference"
    assert client.get(f"/accountability/exports/{job.pk}/file/").status_code == 404
    report = client.get(f"/accountability/exports/{job.pk}/report/")
    rows = list(csv.DictReader(io.StringIO(
        b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert (rows[0]["PersonID"], rows[0]["Problem"]) == ("T-0001", sen2.IMPOSSIBLE)
    listing = client.get("/accountability/exports/").content.decode()
    assert "Records to fix" in listing
