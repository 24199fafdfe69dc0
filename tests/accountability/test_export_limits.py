"""How many exports one person may have waiting or being prepared at once: the workers that
prepare them also send every email. The next is refused with a message that says to wait,
nothing asked for before is lost, and two requests at once cannot both take the last place."""

import threading
import uuid

import pytest
from django.conf import settings
from django.db import connections
from django_q.brokers import get_broker

from accountability.exports import TooManyExports, request_export
from accountability.models import ExportJob
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

TABLE_URL = "/accountability/exports/table/advocacy/background/"
WAIT = ("You already have 3 files being prepared, the most you can have at once. Wait for "
        "one of them to finish, then ask for this one again.")


@pytest.fixture(autouse=True)
def _three_at_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORT_DIRECT_ROWS = 0
    settings.EXPORT_JOBS_PER_PERSON = 3


def ask(client, key=None):
    """What the 'Prepare a large download' page posts. No worker runs here: jobs stay
    queued."""
    return client.post(TABLE_URL, {"request_key": key or str(uuid.uuid4()), "format": "csv",
                                   "year": "2026"})


def queued_job(user) -> ExportJob:
    return request_export(user, kind=ExportJob.Kind.TABLE, request_key=uuid.uuid4(),
                          params={"key": "advocacy", "format": "csv", "filters": {}})


def test_the_fourth_export_at_once_is_refused_on_the_exports_page_and_nothing_is_lost(
        client, coordinator):
    sign_in(client, coordinator)
    for _ in range(3):
        assert "/accountability/exports/" in ask(client)["Location"]
    response = ask(client)
    assert response["Location"] == "/accountability/exports/"
    page = client.get(response["Location"]).content.decode()
    assert "govuk-notification-banner" in page and 'role="alert"' in page
    assert WAIT in page
    assert page.count("Waiting to start") == 3, "the three asked for are listed, still waiting"
    assert ExportJob.objects.filter(status=ExportJob.Status.QUEUED).count() == 3


def test_a_finished_export_frees_its_place(client, coordinator):
    jobs = [queued_job(coordinator) for _ in range(3)]
    with pytest.raises(TooManyExports):
        queued_job(coordinator)
    ExportJob.objects.filter(pk=jobs[0].pk).update(status=ExportJob.Status.FAILED)
    assert queued_job(coordinator).status == ExportJob.Status.QUEUED
    ExportJob.objects.filter(pk=jobs[1].pk).update(status=ExportJob.Status.READY)
    assert queued_job(coordinator).status == ExportJob.Status.QUEUED


def test_the_same_form_sent_again_at_the_limit_finds_its_job(client, coordinator):
    sign_in(client, coordinator)
    key = str(uuid.uuid4())
    first = ask(client, key)
    ask(client), ask(client)
    assert ask(client, key)["Location"] == first["Location"]
    assert ExportJob.objects.count() == 3


def test_the_limit_is_each_persons_own(coordinator, la_team):
    from agencies.models import Role
    from tests.conftest import make_person

    colleague = make_person("colleague@test.example", "Col", "League", la_team, Role.LEAD)
    for _ in range(3):
        queued_job(coordinator)
    assert queued_job(colleague).requester == colleague


def test_a_sen2_return_at_the_limit_is_refused_and_the_form_keeps_what_was_chosen(
        client, coordinator):
    for _ in range(3):
        queued_job(coordinator)
    sign_in(client, coordinator)
    page = client.get("/accountability/exports/sen2/").content.decode()
    key = page.split('name="request_key" value="')[1].split('"')[0]
    response = client.post("/accountability/exports/sen2/", {
        "census_0": "15", "census_1": "1", "census_2": "2026", "format": "xml",
        "request_key": key})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "govuk-error-summary" in html and WAIT in html
    assert 'value="15"' in html and 'value="xml" checked' in html
    assert ExportJob.objects.count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not settings.DATABASE_URL, reason=(
    "two transactions at once need PostgreSQL: SQLite's in-memory test database refuses the "
    "second at once (\"table is locked\") instead of making it wait, as its file does"))
def test_two_requests_at_once_for_the_last_place_make_one_job(coordinator):
    queued_job(coordinator), queued_job(coordinator)
    start = threading.Barrier(2)
    outcomes = []

    def request():
        start.wait()
        try:
            queued_job(coordinator)
            outcomes.append("queued")
        except TooManyExports:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["queued", "refused"]
        assert ExportJob.objects.filter(status=ExportJob.Status.QUEUED).count() == 3
    finally:
        get_broker().purge_queue()  # the jobs queued for a worker that never comes


def test_an_export_its_worker_gave_up_on_fails_and_frees_its_place(coordinator, settings):
    """The cluster stops a job after Q_TIMEOUT seconds, and only a queued job is ever
    claimed again: one still "being prepared" after that will never finish."""
    import datetime as dt

    from django.utils import timezone

    from accountability.exports import delete_expired

    jobs = [queued_job(coordinator) for _ in range(3)]
    cut_off = timezone.now() - dt.timedelta(seconds=settings.Q_CLUSTER["timeout"] + 60)
    ExportJob.objects.filter(pk=jobs[0].pk).update(status=ExportJob.Status.RUNNING,
                                                   started_at=cut_off)
    ExportJob.objects.filter(pk=jobs[1].pk).update(status=ExportJob.Status.RUNNING,
                                                   started_at=timezone.now())
    assert queued_job(coordinator).status == ExportJob.Status.QUEUED
    given_up = ExportJob.objects.get(pk=jobs[0].pk)
    assert given_up.status == ExportJob.Status.FAILED
    assert "took too long" in given_up.error
    assert ExportJob.objects.get(pk=jobs[1].pk).status == ExportJob.Status.RUNNING

    ExportJob.objects.filter(pk=jobs[1].pk).update(started_at=cut_off)
    delete_expired(timezone.now())  # the hourly job fails the rest
    assert ExportJob.objects.get(pk=jobs[1].pk).status == ExportJob.Status.FAILED
