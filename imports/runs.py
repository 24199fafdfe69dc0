"""An import from the admin, in two steps: the file uploaded is checked (a dry run: the
report says what would change), then, once a member of staff confirms, imported. A small
file is checked and imported in the request; a larger one by a django-q2 job that writes
its progress on the run, which the admin's page shows. The file is deleted as soon as the
run ends, one way or another."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from imports.caseload import import_caseload
from imports.models import ImportRun
from imports.reading import FileRefused
from imports.report import Report
from imports.schools import import_schools

logger = logging.getLogger(__name__)

# Each kind's import: (file, authority, *, filename, dry_run, all_or_nothing, actor,
# progress) -> Report.
IMPORTERS: dict[str, Callable[..., Report]] = {
    ImportRun.Kind.CASELOAD: import_caseload,
    ImportRun.Kind.SCHOOLS: lambda file, authority, *, all_or_nothing, **kwargs:
        import_schools(file, authority, **kwargs),
}


def direct_bytes() -> int:
    """Files up to this size are checked and imported in the request (a thousand rows or
    so, a second or two); larger ones by a job. The setting IMPORT_DIRECT_BYTES changes it."""
    return getattr(settings, "IMPORT_DIRECT_BYTES", 200 * 1024)


def remember(report: Report, authority, kind: str, user=None) -> ImportRun:
    """An import run from the command line, kept on record beside the admin's."""
    now = timezone.now()
    return ImportRun.objects.create(
        authority=authority, kind=kind, requested_by=user, filename=report.filename[:200],
        status=ImportRun.Status.DONE if report.written else ImportRun.Status.NOT_IMPORTED,
        progress=100, report=report.as_json(), created_at=now, started_at=now,
        confirmed_at=now, finished_at=now)


def start(user, authority, kind: str, upload, *, all_or_nothing: bool = False) -> ImportRun:
    """Keep the uploaded file and check it: now if it is small, else by a job."""
    run = ImportRun(authority=authority, kind=kind, requested_by=user,
                    filename=upload.name[:200], all_or_nothing=all_or_nothing)
    run.file.save("upload", upload, save=False)
    run.save()
    _then(run, "imports.tasks.check_run", check)
    return run


def confirm(run: ImportRun, user) -> bool:
    """Import a checked file; False if it was not waiting (confirmed twice, cancelled)."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.CHECKED).update(
        status=ImportRun.Status.QUEUED, progress=0, confirmed_at=timezone.now(),
        confirmed_by=user)
    if claimed:
        _then(run, "imports.tasks.import_run", apply)
    return bool(claimed)


def cancel(run: ImportRun) -> bool:
    cancelled = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.CHECKED).update(
        status=ImportRun.Status.CANCELLED, finished_at=timezone.now())
    if cancelled:
        run.refresh_from_db()
        _forget_file(run)
    return bool(cancelled)


def _then(run: ImportRun, task: str, inline: Callable[[object], str]) -> None:
    if run.file.size <= direct_bytes():
        inline(run.pk)
    else:
        transaction.on_commit(lambda: async_task(task, str(run.pk), task_name=f"{task}-{run.pk}"))


def check(run_id) -> str:
    """The dry run; the django-q2 task for a large file. Claimed once, by the first to
    start it."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.CHECKING,
                                       started_at__isnull=True).update(started_at=timezone.now())
    if not claimed:
        return "not waiting"
    return _run(ImportRun.objects.get(pk=run_id), dry_run=True)


def apply(run_id) -> str:
    """The import itself, once confirmed; the django-q2 task for a large file."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.IMPORTING)
    if not claimed:
        return "not queued"
    return _run(ImportRun.objects.select_related("confirmed_by").get(pk=run_id), dry_run=False)


def _run(run: ImportRun, *, dry_run: bool) -> str:
    last = [0]

    def progress(fraction: float) -> None:
        percent = max(0, min(99, int(fraction * 100)))
        if percent > last[0]:
            last[0] = percent
            ImportRun.objects.filter(pk=run.pk).update(progress=percent)

    importer = IMPORTERS[run.kind]
    try:
        with run.file.open("rb") as file:
            report = importer(file, run.authority, filename=run.filename, dry_run=dry_run,
                              all_or_nothing=run.all_or_nothing,
                              actor=None if dry_run else run.confirmed_by, progress=progress)
    except FileRefused as refused:
        return _end(run, ImportRun.Status.REFUSED, error=str(refused))
    except Exception:
        # The page must say it failed rather than wait for ever; the details (which may
        # name a child) go to the log, not to the page. The transaction wrote nothing.
        logger.exception("Import %s failed", run.pk)
        return _end(run, ImportRun.Status.FAILED,
                    error="Something went wrong, and nothing was imported. Try again; if it "
                          "happens again, tell the portal's support team.")
    if dry_run:
        status = ImportRun.Status.CHECKED
    else:
        status = ImportRun.Status.DONE if report.written else ImportRun.Status.NOT_IMPORTED
    return _end(run, status, report=report.as_json())


def _end(run: ImportRun, status: str, *, error: str = "", report: dict | None = None) -> str:
    fields = {"status": status, "error": error, "progress": 100}
    if report is not None:
        fields["report"] = report
    if status != ImportRun.Status.CHECKED:
        fields["finished_at"] = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(**fields)
    if status != ImportRun.Status.CHECKED:
        _forget_file(run)
    return status


def _forget_file(run: ImportRun) -> None:
    """The uploaded file holds every child's details: gone once it is not needed."""
    if run.file:
        run.file.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(file="")


def forget_abandoned(now=None) -> int:
    """Cancel the runs checked and never confirmed or cancelled within a day, fail those a
    worker stopped working on (a day unfinished: it died), and delete their files."""
    cut_off = (now or timezone.now()) - dt.timedelta(days=1)
    old = ImportRun.objects.filter(created_at__lt=cut_off)
    abandoned = list(old.filter(status=ImportRun.Status.CHECKED))
    for run in abandoned:
        cancel(run)
    stuck = list(old.filter(status__in=ImportRun.UNFINISHED))
    for run in stuck:
        _end(run, ImportRun.Status.FAILED, error="It stopped before it finished, and nothing "
                                                 "was imported. Upload the file again.")
    return len(abandoned) + len(stuck)
