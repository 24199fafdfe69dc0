"""Importing from the staff admin: upload, a preview of what would change, then confirm (or
cancel); a large file checked and imported by a job whose progress the page shows; only for
staff who may, and only their own authorities'; every import in the audit trail."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency, AuditEntry, LocalAuthority, Role
from imports.models import ImportRun
from imports.runs import forget_abandoned
from reviews.models import Child, Event
from tests.conftest import make_person, sign_in
from tests.imports.conftest import TEMPLATE, caseload, gias_bytes, row

pytestmark = pytest.mark.django_db

IMPORTS = "/cms/imports/"


@pytest.fixture
def staff_client(client, staff, officer, schools):
    sign_in(client, staff)
    return client


def upload(client, data: bytes, name="caseload.csv", kind="caseload", authority=None,
           **extra):
    authority = authority or LocalAuthority.objects.get(dfe_code="998")
    return client.post(f"{IMPORTS}upload/", {
        "authority": authority.pk, "kind": kind,
        "file": SimpleUploadedFile(name, data, content_type="text/csv"), **extra})


def test_staff_check_a_caseload_see_what_would_change_then_import_it(staff_client, staff):
    response = upload(staff_client, TEMPLATE.read_bytes())

    run = ImportRun.objects.get()
    assert response["Location"] == f"{IMPORTS}{run.pk}/"
    assert (run.status, run.requested_by, bool(run.file)) == (ImportRun.Status.CHECKED,
                                                              staff, True)
    assert not Child.objects.exists()
    page = staff_client.get(response["Location"]).content.decode()
    assert "Checked: waiting to be confirmed" in page
    assert "Nothing was written (a dry run): 2 rows, 2 new." in page

    staff_client.post(f"{IMPORTS}{run.pk}/confirm/")

    run.refresh_from_db()
    assert (run.status, run.confirmed_by, bool(run.file), run.progress) == (
        ImportRun.Status.DONE, staff, False, 100)
    assert set(Child.objects.values_list("la_reference", flat=True)) == {"EX-0001", "EX-0002"}
    assert set(Event.objects.values_list("actor", flat=True)) == {staff.pk}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORTED,
                                   detail__startswith="Caseload")
    assert (entry.user, entry.detail) == (staff, "Caseload of 998 from caseload.csv: 2 new")
    assert "Imported: 2 rows, 2 new." in staff_client.get(f"{IMPORTS}{run.pk}/").content.decode()
    # Confirmed twice (a double click): imported once.
    staff_client.post(f"{IMPORTS}{run.pk}/confirm/")
    assert Child.objects.count() == 2


def test_the_preview_lists_each_bad_row_with_its_column_and_reason(staff_client):
    upload(staff_client, caseload(row(la_reference="GOOD"),
                                  row(la_reference="BAD", parent_email="nobody@")).getvalue())
    run = ImportRun.objects.get()

    page = staff_client.get(f"{IMPORTS}{run.pk}/").content.decode()

    assert "<strong>parent_email</strong>: Enter a valid email address" in page
    assert "Import the rows without problems" in page
    report = staff_client.get(f"{IMPORTS}{run.pk}/report.csv")
    lines = report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Line,Reference,Outcome,Column,Problem,Changed"
    assert lines[1:] == ["2,GOOD,new,,,", "3,BAD,refused,parent_email,Enter a valid email "
                                          "address.,"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORTED).exists()

    staff_client.post(f"{IMPORTS}{run.pk}/confirm/")
    assert list(Child.objects.values_list("la_reference", flat=True)) == ["GOOD"]


def test_cancelling_deletes_the_file_and_writes_nothing(staff_client):
    upload(staff_client, TEMPLATE.read_bytes())
    run = ImportRun.objects.get()
    name = run.file.name

    staff_client.post(f"{IMPORTS}{run.pk}/cancel/")

    run.refresh_from_db()
    assert (run.status, run.file.name) == (ImportRun.Status.CANCELLED, "")
    assert not run.file.storage.exists(name)
    staff_client.post(f"{IMPORTS}{run.pk}/confirm/")
    assert not Child.objects.exists()


def test_a_file_not_confirmed_within_a_day_or_left_unfinished_is_forgotten(staff_client):
    import datetime as dt

    from django.utils import timezone

    upload(staff_client, TEMPLATE.read_bytes())
    run = ImportRun.objects.get()

    stuck = ImportRun.objects.create(authority=run.authority, kind="caseload",
                                     status=ImportRun.Status.IMPORTING)

    assert forget_abandoned(timezone.now()) == 0
    assert forget_abandoned(timezone.now() + dt.timedelta(days=2)) == 2
    run.refresh_from_db()
    stuck.refresh_from_db()
    assert (run.status, run.file.name) == (ImportRun.Status.CANCELLED, "")
    assert stuck.status == ImportRun.Status.FAILED


def test_a_large_file_is_checked_and_imported_by_a_job_with_its_progress_shown(
        staff_client, settings, q_sync, django_capture_on_commit_callbacks):
    settings.IMPORT_DIRECT_BYTES = 100
    rows = [row(la_reference=f"T-{n}") for n in range(30)]

    with django_capture_on_commit_callbacks() as queued:
        upload(staff_client, caseload(*rows).getvalue())
    run = ImportRun.objects.get()
    page = staff_client.get(f"{IMPORTS}{run.pk}/").content.decode()
    assert run.status == ImportRun.Status.CHECKING
    assert '<progress id="import-progress" max="100" value="0">' in page
    assert '<meta http-equiv="refresh" content="3">' in page

    for callback in queued:
        callback()
    run.refresh_from_db()
    assert (run.status, run.progress) == (ImportRun.Status.CHECKED, 100)

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"{IMPORTS}{run.pk}/confirm/")
    run.refresh_from_db()
    assert (run.status, Child.objects.count()) == (ImportRun.Status.DONE, 30)
    assert "http-equiv" not in staff_client.get(f"{IMPORTS}{run.pk}/").content.decode()


def test_a_file_too_large_is_refused_without_being_kept(staff_client, settings):
    settings.IMPORT_MAX_BYTES = 500

    response = upload(staff_client, TEMPLATE.read_bytes() * 3)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file is larger than 500\xa0bytes, the largest the portal takes. Take out the "
        "columns the import does not read, or split the rows into several files and import "
        "each."]
    assert not ImportRun.objects.exists()


def test_a_file_in_the_wrong_encoding_is_refused_with_what_to_fix(staff_client):
    data = caseload(row(last_name="Zoë")).getvalue().decode("utf-8-sig").encode("cp1252")

    upload(staff_client, data)

    run = ImportRun.objects.get()
    assert (run.status, run.file.name) == (ImportRun.Status.REFUSED, "")
    page = staff_client.get(f"{IMPORTS}{run.pk}/").content.decode()
    assert "Line 2 has characters that are not UTF-8 text" in page


def test_the_register_of_schools_is_imported_from_the_admin_too(client, staff, authority):
    sign_in(client, staff)
    upload(client, gias_bytes(), name="edubasealldata.csv", kind="schools")
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.CHECKED

    client.post(f"{IMPORTS}{run.pk}/confirm/")

    assert Agency.objects.filter(kind="school", authority=authority).count() == 4


def test_the_template_is_offered(staff_client):
    response = staff_client.get(f"{IMPORTS}caseload-template.csv")

    assert b"".join(response.streaming_content) == TEMPLATE.read_bytes()


def test_only_staff_who_may_add_children_and_open_reviews_import(client, la_team, staff,
                                                                 officer, schools):
    clerk = make_person("clerk@test.example", "Cleo", "Clerk", la_team, Role.PRACTITIONER,
                        is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(
        codename__in=["access_admin", "view_child", "add_child"]))
    sign_in(client, clerk)

    # Wagtail turns a refusal into a message on its dashboard.
    assert client.get(IMPORTS)["Location"] == "/cms/"
    assert upload(client, TEMPLATE.read_bytes())["Location"] == "/cms/"
    assert not ImportRun.objects.exists()
    assert "Imports" not in client.get("/cms/").content.decode()

    clerk.user_permissions.add(Permission.objects.get(codename="add_review"))
    assert client.get(IMPORTS).status_code == 200
    # The register of schools needs the right to add agencies.
    upload(client, gias_bytes(), kind="schools")
    assert not ImportRun.objects.exists()


def test_another_authority_s_imports_are_not_found(client, staff, officer, schools):
    other = LocalAuthority.objects.create(name="Otherborough Council", dfe_code="997")
    theirs = ImportRun.objects.create(authority=other, kind="caseload", filename="theirs.csv",
                                      status=ImportRun.Status.CHECKED,
                                      report={"kind": "caseload"})
    sign_in(client, staff)

    assert client.get(f"{IMPORTS}{theirs.pk}/").status_code == 404
    assert client.post(f"{IMPORTS}{theirs.pk}/confirm/").status_code == 404
    assert client.get(f"{IMPORTS}{theirs.pk}/report.csv").status_code == 404
    assert "theirs.csv" not in client.get(IMPORTS).content.decode()
    # Nor may a file be imported into it.
    response = upload(client, TEMPLATE.read_bytes(), authority=other)
    assert "authority" in response.context["form"].errors


def test_the_upload_still_needs_its_form_s_token(staff_client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.cookies = staff_client.cookies

    assert upload(strict, TEMPLATE.read_bytes()).status_code == 403
    assert not ImportRun.objects.exists()

    strict.get(f"{IMPORTS}upload/")
    token = strict.cookies["csrftoken"].value
    assert upload(strict, TEMPLATE.read_bytes(), csrfmiddlewaretoken=token).status_code == 302
    assert ImportRun.objects.get().status == ImportRun.Status.CHECKED
