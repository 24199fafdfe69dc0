"""Every dashboard table as CSV or Excel, and the background jobs for the large ones.

The writers take a Table (accountability/tables.py), the same object the page renders, so
a file always carries the numbers on the screen. A small table is written in the request;
one longer than direct_rows(), and every SEN2 return, is prepared by a django-q2 job that
reports its progress on the ExportJob row and keeps the file for KEEP_FOR.
"""

import csv
import datetime as dt
import io
import logging
import tempfile
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from accountability.measures import TABLES, available
from accountability.models import KEEP_FOR, ExportJob
from accountability.tables import Table
from reviews.access import oversight_scope

logger = logging.getLogger(__name__)



def direct_rows() -> int:
    """Above this many rows a table is written by a job, not in the request: openpyxl
    writes about 20,000 cells a second, so 2,000 rows of a dozen columns take about a
    second. The setting EXPORT_DIRECT_ROWS changes it."""
    return getattr(settings, "EXPORT_DIRECT_ROWS", 2000)

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportRefused(Exception):
    """The requester may no longer see what the job would export."""


class NotMade(Exception):
    """The preparer will not make the file until its requester fixes what it names; `made`
    says what it did make to show them (the SEN2 validation report)."""

    def __init__(self, reason: str, made: "Made"):
        super().__init__(reason)
        self.made = made


class TooManyExports(Exception):
    """The person already has as many exports waiting or being prepared as one may."""

    def __init__(self, limit: int):
        super().__init__(
            f"You already have {limit} files being prepared, the most you can have at once. "
            "Wait for one of them to finish, then ask for this one again.")


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text  # shown as text, never run
    return text


def write_csv(header: list[str], rows: Iterable[list], out, progress=None, total=0) -> None:
    """UTF-8 with a byte order mark, which Excel needs to read anything beyond ASCII."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_value(label) for label in header])
    for n, row in enumerate(rows, 1):
        writer.writerow([csv_value(value) for value in row])
        _report(progress, n, total)


def write_xlsx(title: str, header: list[str], rows: Iterable[list], out, progress=None,
               total=0) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(title))
    sheet.append([_xlsx_cell(sheet, label) for label in header])
    for n, row in enumerate(rows, 1):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        _report(progress, n, total)
    book.save(out)


def _xlsx_cell(sheet, value):
    """A plain value where openpyxl stores it right (the common case, and the fast one);
    a cell of its own for text it would take as a formula, and for dates to show as
    dates."""
    if isinstance(value, str):
        if not value.startswith("="):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text stays text: openpyxl would store "=..." as a formula
        return cell
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=timezone.localtime(value).replace(tzinfo=None))
        cell.number_format = "d mmmm yyyy h:mm"  # Excel has no time zones
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "d mmmm yyyy"
        return cell
    return value


def sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()
    return cleaned[:31] or "Figures"


def _report(progress, n, total):
    if progress and total:
        progress(n / total)


def table_file(table: Table, fmt: str, out_binary, progress=None) -> None:
    """Write `table` as `fmt` (csv or xlsx) to a binary file object."""
    header = [column.label for column in table.columns]
    rows = table.values()
    if fmt == "csv":
        write_text(out_binary, lambda text: write_csv(header, rows, text, progress, len(rows)))
    else:
        write_xlsx(table.title, header, rows, out_binary, progress, len(rows))


def write_text(out_binary, write: Callable) -> None:
    """Run `write` on a UTF-8 text view of a binary file, leaving the file open."""
    text = io.TextIOWrapper(out_binary, encoding="utf-8", newline="")
    write(text)
    text.flush()
    text.detach()


def table_bytes(table: Table, fmt: str) -> bytes:
    out = io.BytesIO()
    table_file(table, fmt, out)
    return out.getvalue()


def download_name(key: str, fmt: str, today: dt.date) -> str:
    """Keys are stable words (never a child's name), so they name the file."""
    return f"{key}-{today.isoformat()}.{fmt}"


# ---------------------------------------------------------------------------
# Jobs
# ---------------------------------------------------------------------------


def request_export(user, *, kind: str, params: dict, request_key) -> ExportJob:
    """Queue an export for `user`. The same form submitted twice finds the first job.

    The workers that prepare exports also send every email: a person with
    EXPORT_JOBS_PER_PERSON exports waiting or being prepared is refused (TooManyExports)
    until one finishes, and what they asked for before is kept."""
    with transaction.atomic():
        # The person's row, locked, serialises their requests: two at once cannot both
        # count a free place and both take it. (SQLite's writes take turns already.)
        get_user_model().objects.select_for_update().get(pk=user.pk)
        job = ExportJob.objects.filter(requester=user, request_key=request_key).first()
        if job is not None:
            return job
        limit = settings.EXPORT_JOBS_PER_PERSON
        fail_given_up(ExportJob.objects.filter(requester=user))
        waiting = ExportJob.objects.filter(requester=user, status__in=ExportJob.UNFINISHED)
        if waiting.count() >= limit:
            raise TooManyExports(limit)
        job = ExportJob.objects.create(requester=user, request_key=request_key, kind=kind,
                                       params=params)
        transaction.on_commit(lambda: async_task("accountability.tasks.run_export",
                                                 str(job.pk), task_name=f"export-{job.pk}"))
    return job


class Progress:
    """Writes a job's progress as it goes, once per whole percent, in a stage's share."""

    def __init__(self, job: ExportJob):
        self.job_id = job.pk
        self.last = 0

    def at(self, percent: float) -> None:
        percent = max(0, min(99, int(percent)))  # 100 only once the file is saved
        if percent > self.last:
            self.last = percent
            ExportJob.objects.filter(pk=self.job_id).update(progress=percent)

    def stage(self, start: float, end: float) -> Callable[[float], None]:
        """A callback taking 0..1 through one stage of the work."""
        return lambda fraction: self.at(start + (end - start) * fraction)


def run_job(job_id) -> str:
    """Prepare one export; the django-q2 task. Safe to run twice: only a queued job is
    claimed, with a conditional UPDATE that one worker wins."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, progress=0, started_at=timezone.now())
    if not claimed:
        return "not queued"
    job = ExportJob.objects.select_related("requester").get(pk=job_id)
    progress = Progress(job)
    try:
        with tempfile.TemporaryFile() as main, tempfile.TemporaryFile() as report:
            try:
                made = _prepare(job, main, report, progress)
            except NotMade as refused:
                _save(job, refused.made, None, report, ExportJob.Status.REFUSED, str(refused))
                return "records to fix"
            _save(job, made, main, report)
    except ExportRefused as refused:
        _fail(job, str(refused))
        return "refused"
    except Exception:
        # The job's page must say it failed rather than spin for ever; the details
        # (which may name a record) go to the log, not to the page.
        logger.exception("Export %s failed", job.pk)
        _fail(job, "Something went wrong while preparing the file.")
        return "failed"
    return "ready"


# Preparers of the other kinds of file, (job, main, report, progress) -> Made, by job kind:
# accountability/sen2.py adds the SEN2 return's when the app is ready, so that this module
# (which it builds on) does not import it back.
PREPARERS: dict[str, Callable] = {}


def _prepare(job: ExportJob, main, report, progress: Progress) -> "Made":
    if job.kind in PREPARERS:
        return PREPARERS[job.kind](job, main, report, progress)
    return _prepare_table(job, main, progress)


class Made:
    """What a preparer made: the download's name and type, and figures for the page."""

    def __init__(self, filename, content_type, summary=None, report_name=""):
        self.filename = filename
        self.content_type = content_type
        self.summary = summary or {}
        self.report_name = report_name


def _prepare_table(job: ExportJob, out, progress: Progress) -> Made:
    scope = oversight_scope(job.requester)
    key = job.params.get("key")
    if key not in available(scope):
        raise ExportRefused("You can no longer see these figures.")
    fmt = job.params["format"]
    progress.at(5)
    # The requester's scope today, not when they asked: a lead who has left sees nothing.
    table = TABLES[key](scope, **job.params.get("filters", {}))
    progress.at(40)
    table_file(table, fmt, out, progress.stage(40, 95))
    return Made(download_name(table.key, fmt, timezone.localdate()), FORMATS[fmt],
                {"rows": len(table.rows), "title": table.title})


def _save(job: ExportJob, made: Made, main, report, status=ExportJob.Status.READY,
          error="") -> None:
    """Keep what was made: the file, unless `main` is None (a refusal keeps only the
    report), and the report."""
    if main is not None:
        main.seek(0)
        job.file.save(made.filename, File(main), save=False)
    if made.report_name:
        report.seek(0)
        job.report_file.save(made.report_name, File(report), save=False)
    now = timezone.now()
    job.filename = made.filename
    job.content_type = made.content_type
    job.summary = made.summary
    job.status = status
    job.error = error
    job.progress = 100
    job.finished_at = now
    job.expires_at = now + KEEP_FOR
    job.save(update_fields=["file", "report_file", "filename", "content_type", "summary",
                            "status", "error", "progress", "finished_at", "expires_at"])


def _fail(job: ExportJob, reason: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=reason,
                                               finished_at=timezone.now())


def fail_given_up(jobs) -> int:
    """Fail the `jobs` still being prepared longer than the cluster lets a task run: it
    stopped them, and only a queued job is claimed again, so they would never finish and
    would hold their requester's places (EXPORT_JOBS_PER_PERSON) until deleted."""
    cut_off = timezone.now() - dt.timedelta(seconds=settings.Q_CLUSTER["timeout"])
    return jobs.filter(status=ExportJob.Status.RUNNING, started_at__lt=cut_off).update(
        status=ExportJob.Status.FAILED, finished_at=timezone.now(),
        error="It took too long to prepare. Ask for it again, perhaps for fewer rows.")


def delete_expired(now: dt.datetime) -> int:
    """Fail the jobs their worker gave up on; delete every file past its time, and every
    job left unfinished for longer than a file is kept (a worker that died). The rows stay,
    marked deleted, so a requester's page says what happened."""
    fail_given_up(ExportJob.objects.all())
    past = ExportJob.objects.filter(status__in=ExportJob.KEPT, expires_at__lte=now)
    stale = ExportJob.objects.filter(
        status__in=ExportJob.UNFINISHED,
        created_at__lte=now - KEEP_FOR)
    count = 0
    for job in [*past, *stale]:
        _delete_files(job)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file="",
                                                   report_file="")
        count += 1
    return count


def _delete_files(job: ExportJob) -> None:
    for stored in (job.file, job.report_file):
        if stored:
            stored.delete(save=False)
