"""Every export of the dashboards' tables and of the SEN2 return goes in the audit trail:
what, in which format, how many rows when known, by whom and through which route, and
never a child's name."""

import pytest

from accountability.models import ExportJob
from agencies.models import AuditEntry
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

EXPORTED = AuditEntry.Action.EXPORTED


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def exports():
    return list(AuditEntry.objects.filter(action=EXPORTED).order_by("at", "pk"))


def no_child_named(entries, child):
    return all(child.first_name not in e.detail and child.last_name not in e.detail
               for e in entries)


def test_a_table_downloaded_at_once_is_recorded_with_its_format_and_rows(
        client, coordinator, review, child):
    sign_in(client, coordinator)
    response = client.get("/accountability/exports/table/advocacy/?format=xlsx")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    from accountability.measures import TABLES
    from reviews.access import oversight_scope

    table = TABLES["advocacy"](oversight_scope(coordinator))
    [entry] = exports()
    assert (entry.user, entry.route, entry.review_id) == (
        coordinator, "accountability/exports/table/<str:key>/", None)
    assert entry.detail == f"{table.title} (Excel) downloaded, {len(table.rows)} rows"
    assert no_child_named([entry], child)


def test_a_table_asked_for_in_the_background_is_recorded_when_asked_and_when_downloaded(
        client, coordinator, review, settings, q_sync, django_capture_on_commit_callbacks):
    settings.EXPORT_DIRECT_ROWS = 0
    sign_in(client, coordinator)
    assert client.get("/accountability/exports/table/advocacy/?format=csv").status_code == 200
    assert exports() == [], "offering a job exports nothing"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accountability/exports/table/advocacy/background/",
                    {"request_key": "6f1c1f8e-5c55-4b4a-9f0e-3a1d2b7c9e10", "format": "csv"})
    job = ExportJob.objects.get()
    assert client.get(f"/accountability/exports/{job.pk}/file/").status_code == 200
    asked, downloaded = exports()
    assert asked.detail == f"advocacy (CSV): export {job.pk} requested"
    assert asked.route == "accountability/exports/table/<str:key>/background/"
    assert downloaded.detail == (f"{job.summary['title']} (CSV): export {job.pk} downloaded, "
                                 f"{job.summary['rows']} rows")
    assert downloaded.route == "accountability/exports/<uuid:job_id>/file/"
    assert {asked.user, downloaded.user} == {coordinator}


def test_the_sen2_return_and_its_report_are_recorded_as_exports(
        client, coordinator, review, child, q_sync, django_capture_on_commit_callbacks):
    from tests.accountability.test_sen2_views import ask

    sign_in(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client)
    job = ExportJob.objects.get()
    assert client.get(f"/accountability/exports/{job.pk}/file/").status_code == 200
    assert client.get(f"/accountability/exports/{job.pk}/report/").status_code == 200
    what = "SEN2 return items on 15 January 2026 (CSV)"
    assert [(e.detail, e.route) for e in exports()] == [
        (f"{what}: export {job.pk} requested", "accountability/exports/sen2/"),
        (f"{what}: export {job.pk} downloaded, {job.summary['plans']} rows",
         "accountability/exports/<uuid:job_id>/file/"),
        (f"{what}: export {job.pk} validation report downloaded, "
         f"{job.summary['problems']} rows", "accountability/exports/<uuid:job_id>/report/")]
    assert no_child_named(exports(), child)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.RECORD_VIEWED).exists()
