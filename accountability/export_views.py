"""Downloads of the dashboards' tables, the SEN2 return, and the pages of export jobs.

Who may: anyone with an oversight scope (reviews/access.py) exports the tables they may
see, computed for their scope; only an authority's LA officers make its SEN2 return. A job
and its file belong to the person who asked for it: everyone else gets a 404.
"""

import datetime as dt
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accountability.exports import (
    FORMATS,
    TooManyExports,
    direct_rows,
    download_name,
    request_export,
    table_bytes,
)
from accountability.models import KEEP_FOR, ExportJob
from accountability.sen2 import latest_census_day, records_to_fix
from agencies import audit
from agencies.models import LocalAuthority
from common.downloads import file_download, private
from common.forms import GovukDateField
from reviews.access import oversight_scope
from reviews.presenters import date_text, moment_text


def _measure(scope, key: str):
    """The measure behind `key` if `scope` may see its table; None otherwise. Imported
    when asked, so the exports' own pages never depend on the dashboards loading."""
    from accountability.measures import TABLES, available

    return TABLES[key] if key in available(scope) else None


def _filters(query, scope) -> dict:
    """The measure's parameters from a query string or a form: the dashboards' filters,
    checked the same way; a bad value is a 404, like an unknown table."""
    from accountability.filters import filter_params

    try:
        return filter_params(query, scope)
    except ValueError:
        raise Http404("No such figures") from None


FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel", "xml": "XML"}


# ---------------------------------------------------------------------------
# One dashboard table
# ---------------------------------------------------------------------------


@login_required
def export(request, key):
    """The table `key` as CSV or Excel, for the filters in the query string: written now
    when it is small, otherwise offered as a background job."""
    scope = oversight_scope(request.user)
    fmt = request.GET.get("format", "csv")
    measure = _measure(scope, key)
    if measure is None or fmt not in FORMATS:
        raise Http404("No such table")
    filters = _filters(request.GET, scope)
    table = measure(scope, **filters)
    if len(table.rows) > direct_rows():
        return render(request, "accountability/exports/large.html", {
            "table": table, "format": fmt, "filters": filters,
            "request_key": uuid.uuid4(), "keep_hours": _keep_hours()})
    audit.exported(request, f"{table.title} ({FORMAT_NAMES[fmt]}) downloaded", len(table.rows))
    response = HttpResponse(table_bytes(table, fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(
        True, download_name(table.key, fmt, timezone.localdate()))
    return private(response)


@login_required
@require_POST
def export_in_background(request, key):
    scope = oversight_scope(request.user)
    fmt = request.POST.get("format", "")
    measure = _measure(scope, key)
    if measure is None or fmt not in FORMATS:
        raise Http404("No such table")
    try:
        request_key = uuid.UUID(request.POST.get("request_key", ""))
    except ValueError:
        raise Http404("No such form") from None
    try:
        job = request_export(request.user, kind=ExportJob.Kind.TABLE, request_key=request_key,
                             params={"key": key, "format": fmt,
                                     "filters": _filters(request.POST, scope)})
    except TooManyExports as refused:
        messages.error(request, str(refused))
        return redirect("accountability:export_jobs")
    audit.exported(request, f"{describe(job)}: export {job.pk} requested")
    return redirect("accountability:export_job", job.pk)


# ---------------------------------------------------------------------------
# The SEN2 return
# ---------------------------------------------------------------------------


class Sen2Form(forms.Form):
    authority = forms.TypedChoiceField(label="Which local authority?", coerce=int,
                                       widget=forms.RadioSelect,
                                       error_messages={"required": "Select a local authority"})
    census = GovukDateField(
        label="Census date",
        help_text="The SEN2 census date is the third Thursday in January, for example "
                  "15 1 2026. The latest is filled in.")
    format = forms.ChoiceField(
        label="Format", widget=forms.RadioSelect, initial="csv",
        choices=[("csv", "CSV, to check in a spreadsheet"),
                 ("xml", "XML, the return's own format")],
        error_messages={"required": "Select a format"})
    request_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, authorities, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.only_authority = authorities[0].pk if len(authorities) == 1 else None
        if self.only_authority:
            del self.fields["authority"]  # nothing to choose
        else:
            self.fields["authority"].choices = [(a.pk, a.name) for a in authorities]
        self.fields["census"].error_messages["required"] = "Enter the census date"

    def authority_id(self) -> int:
        return self.only_authority or self.cleaned_data["authority"]

    def clean_census(self):
        census = self.cleaned_data["census"]
        if census > self.today:
            raise ValidationError("The census date must be today or in the past")
        return census


@login_required
def sen2(request):
    scope = oversight_scope(request.user)
    if not scope.sees_authority:
        raise Http404("No such page")
    authorities = list(LocalAuthority.objects.filter(pk__in=scope.authorities))
    today = timezone.localdate()
    form = Sen2Form(request.POST or None, authorities=authorities, today=today,
                    initial={"request_key": uuid.uuid4(), "census": latest_census_day(today)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = request_export(request.user, kind=ExportJob.Kind.SEN2,
                                 request_key=data["request_key"],
                                 params={"authority": form.authority_id(),
                                         "format": data["format"],
                                         "census": data["census"].isoformat()})
        except TooManyExports as refused:
            form.add_error(None, str(refused))  # the form keeps what was chosen
        else:
            audit.exported(request, f"{describe(job)}: export {job.pk} requested")
            return redirect("accountability:export_job", job.pk)
    return render(request, "accountability/exports/sen2.html",
                  {"form": form, "keep_hours": _keep_hours()})


# ---------------------------------------------------------------------------
# A job: its page, its progress, its files
# ---------------------------------------------------------------------------


def describe(job: ExportJob) -> str:
    """What a job makes, in words: its page's title and its line in the list."""
    fmt = FORMAT_NAMES.get(job.params.get("format"), "")
    if job.kind == ExportJob.Kind.SEN2:
        census = date_text(dt.date.fromisoformat(job.params["census"]))
        return f"SEN2 return items on {census} ({fmt})"
    return f"{job.summary.get('title') or job.params.get('key')} ({fmt})"


def _own_job(user, job_id) -> ExportJob:
    return get_object_or_404(ExportJob, pk=job_id, requester=user)


def _keep_hours() -> int:
    return int(KEEP_FOR.total_seconds() // 3600)


@login_required
def export_jobs(request):
    """The person's own exports of the last day, newest first."""
    scope = oversight_scope(request.user)
    if scope.is_empty:
        raise Http404("No such page")
    jobs = ExportJob.objects.filter(requester=request.user,
                                    created_at__gte=timezone.now() - KEEP_FOR)[:50]
    return render(request, "accountability/exports/list.html", {
        "jobs": [(job, describe(job), moment_text(job.created_at)) for job in jobs],
        "sees_authority": scope.sees_authority,
        "keep_hours": _keep_hours()})


# The records a refused SEN2 return's page names; the validation report lists them all.
RECORDS_SHOWN = 20


@login_required
def export_job(request, job_id):
    job = _own_job(request.user, job_id)
    summary = job.summary if job.kind == ExportJob.Kind.SEN2 else {}
    census = dt.date.fromisoformat(summary["census"]) if summary else None
    report = job.is_report_downloadable()
    to_fix = []
    if report and job.status == ExportJob.Status.REFUSED:
        with job.report_file.open("rb") as opened:
            to_fix = records_to_fix(opened, RECORDS_SHOWN)
    return render(request, "accountability/exports/job.html", {
        "job": job,
        "what": describe(job),
        "census": date_text(census) if census else "",
        "collection_year": census.year - 1 if census else None,
        "downloadable": job.is_downloadable(),
        "report": report,
        "to_fix": to_fix,
        "expires": moment_text(job.expires_at) if job.expires_at else "",
        "problem_counts": sorted(summary.get("problem_counts", {}).items()),
        "summary": summary,
        "keep_hours": _keep_hours(),
    })


@login_required
def export_job_status(request, job_id):
    """What the page's script polls to move its progress bar."""
    job = _own_job(request.user, job_id)
    response = JsonResponse({"status": job.status, "progress": job.progress,
                             "finished": job.is_finished})
    response["Cache-Control"] = "no-store"
    return response


def _may_download(user, job: ExportJob, report=False) -> bool:
    """The requester, while the file (or the validation report) is kept, and while they
    still hold the standing that let them ask for it."""
    if not (job.is_report_downloadable() if report else job.is_downloadable()):
        return False
    scope = oversight_scope(user)
    if job.kind == ExportJob.Kind.SEN2:
        return job.params.get("authority") in scope.authorities
    return not scope.is_empty


@login_required
def export_job_file(request, job_id):
    job = _own_job(request.user, job_id)
    if not _may_download(request.user, job):
        raise Http404("No such file")
    audit.exported(request, f"{describe(job)}: export {job.pk} downloaded", job.rows)
    return file_download(job.file.open("rb"), job.filename, job.content_type)


@login_required
def export_job_report(request, job_id):
    job = _own_job(request.user, job_id)
    if not _may_download(request.user, job, report=True):
        raise Http404("No such file")
    audit.exported(request, f"{describe(job)}: export {job.pk} validation report downloaded",
                   job.summary.get("problems"))
    return file_download(job.report_file.open("rb"), job.report_filename, FORMATS["csv"])
