"""The imports' staff screens, mounted in the Wagtail admin (imports/wagtail_hooks.py)."""

from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("caseload-template.csv", views.template_file, name="template"),
    path("<uuid:run_id>/", views.RunView.as_view(), name="run"),
    path("<uuid:run_id>/confirm/", views.ConfirmView.as_view(), name="confirm"),
    path("<uuid:run_id>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("<uuid:run_id>/report.csv", views.ReportView.as_view(), name="report"),
]
