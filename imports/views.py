"""The imports' staff screens in the Wagtail admin: upload a file, see what it would change
row by row, confirm or cancel, and follow a large import's progress. Only staff who may add
children and open reviews (and, for the register of schools, add agencies) import, and
only for their own authorities (agencies/scope.py); another authority's import is not
found. Each import writes the audit trail, and so does each download of a report."""

import csv
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.base import ModelPermissionPolicy

from agencies import audit
from agencies.models import Agency, AuditEntry, LocalAuthority
from agencies.scope import admin_scope
from imports import runs
from imports.forms import LimitedUpload, UploadForm
from imports.models import ImportRun
from imports.report import CSV_HEADER, HELD_BACK, REFUSED, UPDATED, Report
from reviews.models import Child, Review

TEMPLATE = Path(__file__).resolve().parent / "templates_files" / "caseload-template.csv"
RUNS_PER_PAGE = 25
ROWS_SHOWN = 500  # of a report on the page; the download has every row


def may_import(user, kind: str = ImportRun.Kind.CASELOAD) -> bool:
    needs = [(Child, "add"), (Review, "add")]
    if kind == ImportRun.Kind.SCHOOLS:
        needs = [(Agency, "add")]
    return all(ModelPermissionPolicy(model).user_has_permission(user, action)
               for model, action in needs)


def may_import_something(user) -> bool:
    return any(may_import(user, kind) for kind in ImportRun.Kind.values)


class ImportsView(WagtailAdminTemplateMixin):
    header_icon = "upload"
    page_title = "Imports"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not may_import_something(request.user):
            raise PermissionDenied
        self.scope = admin_scope(request.user)

    def runs(self):
        return self.scope.filter(ImportRun.objects.select_related(
            "authority", "requested_by", "confirmed_by"))

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse("imports:index"), "label": "Imports"}]


class IndexView(ImportsView, TemplateView):
    template_name = "imports/admin/index.html"

    def get_context_data(self, **kwargs):
        page = Paginator(self.runs(), RUNS_PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, **kwargs)


@method_decorator(csrf_exempt, name="dispatch")
class UploadView(ImportsView, FormView):
    """The upload's guard goes first, before the CSRF check reads the request's body, so
    a file larger than the portal takes is never written to disk; the check then runs as
    it would have."""

    template_name = "imports/admin/upload.html"
    form_class = UploadForm
    page_subtitle = "Import a file"

    def dispatch(self, request, *args, **kwargs):
        self.upload = LimitedUpload(request)
        request.upload_handlers.insert(0, self.upload)
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "upload": self.upload,
                "authorities": self.scope.filter(LocalAuthority.objects.all())}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path, submit_button_label="Check the file",
            submit_button_active_label="Checking…", **kwargs)

    def form_valid(self, form):
        kind = form.cleaned_data["kind"]
        if not may_import(self.request.user, kind):
            raise PermissionDenied
        run = runs.start(self.request.user, form.cleaned_data["authority"], kind,
                         form.cleaned_data["file"],
                         all_or_nothing=form.cleaned_data["all_or_nothing"])
        return redirect("imports:run", run.pk)


class RunMixin(ImportsView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.run = get_object_or_404(self.runs(), pk=kwargs["run_id"])


class RunView(RunMixin, TemplateView):
    """Where a run stands: its progress while it is checked or imported (the page reloads
    itself), then the report, and for a checked file the choice to import it."""

    template_name = "imports/admin/run.html"

    def get_page_subtitle(self):
        return f"{self.run.get_kind_display()}, {self.run.authority}"

    def get_context_data(self, **kwargs):
        report = Report.from_json(self.run.report) if self.run.report else None
        shown = [row for row in report.rows
                 if row.problems or row.outcome in (UPDATED, REFUSED, HELD_BACK)] \
            if report else []
        return super().get_context_data(
            run=self.run, report=report, shown=shown[:ROWS_SHOWN],
            more=max(0, len(shown) - ROWS_SHOWN),
            counts=[(outcome, n) for outcome, n in report.counts().items() if n]
            if report else [],
            may_confirm=(self.run.status == ImportRun.Status.CHECKED
                         and may_import(self.request.user, self.run.kind)), **kwargs)


class ConfirmView(RunMixin, View):
    def post(self, request, run_id):
        if not may_import(request.user, self.run.kind):
            raise PermissionDenied
        if runs.confirm(self.run, request.user):
            messages.success(request, f"Importing {self.run.filename}.")
        return redirect("imports:run", run_id)


class CancelView(RunMixin, View):
    def post(self, request, run_id):
        if runs.cancel(self.run):
            messages.success(request, f"{self.run.filename} was not imported, and the file "
                                      "is deleted.")
        return redirect("imports:index")


class ReportView(RunMixin, View):
    def get(self, request, run_id):
        report = Report.from_json(self.run.report)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.run.kind}-import-report-'
            f'{self.run.created_at:%Y-%m-%d}.csv"')
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(CSV_HEADER)
        writer.writerows(report.csv_rows())
        audit.record(AuditEntry.Action.EXPORTED, request, request.user,
                     detail=f"Report of import {self.run.pk}")
        return response


def template_file(request):
    if not may_import(request.user):
        raise PermissionDenied
    return FileResponse(TEMPLATE.open("rb"), as_attachment=True,
                        filename="caseload-template.csv", content_type="text/csv")
