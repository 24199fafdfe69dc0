"""Exports that run in the background: the job, its progress, its file, who may have it,
and how long it is kept."""

import datetime as dt
import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task
from openpyxl import load_workbook

from accountability.exports import Progress, request_export, run_job
from accountability.models import KEEP_FOR, ExportJob
from agencies.models import Membership, Role
from reviews.access import oversight_scope
from tests.conftest import make_person, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(name="colleague")
def colleague_fixture(la_team):
    """Another of the authority's officers: may make exports, but not see this one's."""
    return make_person("colleague@test.example", "Col", "League", la_team, Role.LEAD)


def job_urls(job):
    base = f"/accountability/exports/{job.pk}/"
    return [base, base + "status/", base + "file/", base + "report/"]


def sen2_job(user, authority, fmt="csv"):
    return request_export(user, kind=ExportJob.Kind.SEN2, request_key=uuid.uuid4(),
                          params={"authority": authority.pk, "format": fmt,
                                  "census": "2026-01-15"})


def ready_job(user, expires_in=KEEP_FOR):
    job = ExportJob.objects.create(requester=user, request_key=uuid.uuid4(),
                                   kind=ExportJob.Kind.TABLE,
                                   params={"key": "advocacy", "format": "csv"},
                                   status=ExportJob.Status.READY, progress=100,
                                   filename="advocacy-2027-01-01.csv",
                                   content_type="text/csv; charset=utf-8",
                                   expires_at=timezone.now() + expires_in)
    job.file.save("x", ContentFile(b"\xef\xbb\xbfMonth\r\n"), save=True)
    return job


# A large table, prepared in the background ----------------------------------------------


def test_a_table_too_long_to_write_at_once_is_offered_as_a_job_and_downloads_when_ready(
        client, coordinator, review, settings, q_sync, django_capture_on_commit_callbacks):
    settings.EXPORT_DIRECT_ROWS = 0
    sign_in(client, coordinator)
    offer = client.get("/accountability/exports/table/advocacy/?format=xlsx&year=2026")
    assert offer.status_code == 200
    html = offer.content.decode()
    assert "Prepare a large download" in html and "deleted 24 hours after" in html
    key = html.split('name="request_key" value="')[1].split('"')[0]
    form = {"request_key": key, "format": "xlsx", "year": "2026"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accountability/exports/table/advocacy/background/", form)
    job = ExportJob.objects.get()
    assert response["Location"] == f"/accountability/exports/{job.pk}/"
    assert (job.status, job.progress, job.params["filters"]["year"]) == ("ready", 100, 2026)
    assert job.expires_at - job.finished_at == KEEP_FOR
    page = client.get(response["Location"]).content.decode()
    assert "Your file is ready" in page and "Download advocacy-" in page
    download = client.get(f"/accountability/exports/{job.pk}/file/")
    assert download["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    from accountability.measures import TABLES

    screen = TABLES["advocacy"](oversight_scope(coordinator), year=2026)
    assert [[c.value for c in row] for row in sheet.iter_rows()][1:] == screen.values()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accountability/exports/table/advocacy/background/", form)
    assert ExportJob.objects.count() == 1, "a double submit makes one job"


# Who may see a job -----------------------------------------------------------------------


def test_only_the_requester_sees_the_job_its_progress_and_its_files(
        client, coordinator, colleague, refused, authority, plan, q_sync,
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = sen2_job(coordinator, authority)
    for url in job_urls(job):
        client.logout()
        assert "/accounts/login/" in client.get(url)["Location"], url
    for person in [colleague, *refused]:
        client.logout()
        sign_in(client, person)
        for url in job_urls(job):
            assert client.get(url).status_code == 404, (person, url)
    client.logout()
    sign_in(client, coordinator)
    for url in job_urls(job):
        assert client.get(url).status_code == 200, url


def test_a_requester_who_has_lost_their_standing_can_no_longer_download(
        client, coordinator, authority, plan, q_sync, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = sen2_job(coordinator, authority)
    sign_in(client, coordinator)
    Membership.objects.filter(user=coordinator).update(is_active=False)
    assert client.get(f"/accountability/exports/{job.pk}/file/").status_code == 404


def test_a_job_refuses_a_requester_who_lost_their_standing_before_it_ran(
        coordinator, authority):
    job = sen2_job(coordinator, authority)
    Membership.objects.filter(user=coordinator).update(is_active=False)
    assert run_job(job.pk) == "refused"
    job.refresh_from_db()
    assert (job.status, bool(job.file)) == ("failed", False)
    assert "Only the authority's SEND officers" in job.error


def test_families_and_contributors_have_no_exports_page(
        client, family_parent, invited_therapist, coordinator):
    for person in (family_parent, invited_therapist):
        client.logout()
        sign_in(client, person)
        assert client.get("/accountability/exports/").status_code == 404
    client.logout()
    sign_in(client, coordinator)
    assert client.get("/accountability/exports/").status_code == 200


# Progress --------------------------------------------------------------------------------


def test_the_page_of_a_job_in_progress_shows_a_bar_that_its_script_keeps_current(
        client, coordinator, authority, django_assert_max_num_queries):
    job = sen2_job(coordinator, authority)  # no worker: it stays queued
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, progress=40)
    sign_in(client, coordinator)
    with django_assert_max_num_queries(9):
        html = client.get(f"/accountability/exports/{job.pk}/").content.decode()
    assert '<progress id="export-progress"' in html and 'value="40"' in html
    assert f'data-export-status="/accountability/exports/{job.pk}/status/"' in html
    assert "portal/export-progress.js" in html
    assert "Refresh this page" in html, "without JavaScript, a link does the job"
    # The session, the person and the two-step check, the job, and saving the session.
    with django_assert_max_num_queries(8):
        status = client.get(f"/accountability/exports/{job.pk}/status/")
    assert status.json() == {"status": "running", "progress": 40, "finished": False}
    assert status["Cache-Control"] == "no-store"
    assert client.get(f"/accountability/exports/{job.pk}/file/").status_code == 404


def test_progress_only_moves_forward_and_reaches_100_only_with_the_file(coordinator, authority):
    job = sen2_job(coordinator, authority)
    progress = Progress(job)
    seen = []
    for percent in (5, 40.7, 30, 100, 120):
        progress.at(percent)
        job.refresh_from_db()
        seen.append(job.progress)
    assert seen == [5, 40, 40, 99, 99]
    progress.stage(40, 90)(0.5)
    job.refresh_from_db()
    assert job.progress == 99, "a stage never moves it back"


def test_a_job_runs_once_however_often_it_is_queued(coordinator, authority, plan):
    job = sen2_job(coordinator, authority)
    assert run_job(job.pk) == "ready"
    assert run_job(job.pk) == "not queued"


# Keeping files for a short, stated time ---------------------------------------------------


def test_files_are_deleted_by_the_hourly_job_once_their_time_is_up(
        client, coordinator, q_sync):
    old = ready_job(coordinator, expires_in=-dt.timedelta(minutes=1))
    fresh = ready_job(coordinator)
    old_name, fresh_name = old.file.name, fresh.file.name
    async_task("accountability.tasks.delete_expired_exports")
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, old.file.name) == ("expired", "")
    assert not default_storage.exists(old_name)
    assert fresh.status == "ready" and default_storage.exists(fresh_name)
    sign_in(client, coordinator)
    assert client.get(f"/accountability/exports/{old.pk}/file/").status_code == 404
    page = client.get(f"/accountability/exports/{old.pk}/").content.decode()
    assert "This file has been deleted: files are kept for 24 hours" in page


def test_a_file_past_its_time_is_not_downloadable_even_before_the_job_runs(client, coordinator):
    old = ready_job(coordinator, expires_in=-dt.timedelta(seconds=1))
    sign_in(client, coordinator)
    assert client.get(f"/accountability/exports/{old.pk}/file/").status_code == 404


def test_a_refused_returns_report_is_kept_for_the_same_time_then_deleted(
        client, coordinator, authority, q_sync):
    job = sen2_job(coordinator, authority)  # no plan in force: nothing to return
    assert run_job(job.pk) == "records to fix"
    job.refresh_from_db()
    report = job.report_file.name
    sign_in(client, coordinator)
    assert client.get(f"/accountability/exports/{job.pk}/report/").status_code == 200
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    assert client.get(f"/accountability/exports/{job.pk}/report/").status_code == 404
    async_task("accountability.tasks.delete_expired_exports")
    job.refresh_from_db()
    assert (job.status, job.report_file.name) == ("expired", "")
    assert not default_storage.exists(report)


def test_a_job_left_unfinished_by_a_dead_worker_is_cleared_after_a_day(coordinator, q_sync,
                                                                       authority):
    stuck = sen2_job(coordinator, authority)
    ExportJob.objects.filter(pk=stuck.pk).update(
        status=ExportJob.Status.RUNNING, created_at=timezone.now() - KEEP_FOR)
    async_task("accountability.tasks.delete_expired_exports")
    stuck.refresh_from_db()
    assert stuck.status == "expired"


def test_the_retention_job_is_scheduled_hourly_once():
    schedule = Schedule.objects.get(func="accountability.tasks.delete_expired_exports")
    assert (schedule.schedule_type, schedule.repeats) == (Schedule.HOURLY, -1)


def test_the_exports_page_lists_only_the_persons_own_recent_exports(
        client, coordinator, colleague, authority, plan, q_sync,
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = sen2_job(coordinator, authority, fmt="xml")
    long_ago = ready_job(coordinator)
    ExportJob.objects.filter(pk=long_ago.pk).update(created_at=timezone.now() - 2 * KEEP_FOR)
    sign_in(client, coordinator)
    html = client.get("/accountability/exports/").content.decode()
    assert f'href="/accountability/exports/{job.pk}/"' in html
    assert "SEN2 return items on 15 January 2026 (XML)" in html and "Ready" in html
    assert str(long_ago.pk) not in html
    assert 'href="/accountability/exports/sen2/"' in html
    client.logout()
    sign_in(client, colleague)
    assert str(job.pk) not in client.get("/accountability/exports/").content.decode()
