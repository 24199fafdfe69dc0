"""Exports that run in the background: who asked, for what, how far along, and the file.

A file is kept for KEEP_FOR after it is made, then deleted by the hourly retention job
(accountability.tasks.delete_expired_exports). Only its requester may see the job or
download the file.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

KEEP_FOR = timedelta(hours=24)


def export_path(instance, filename):
    # Random names: nothing about the authority or a child in the storage path.
    return f"exports/{uuid.uuid4().hex}"


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        TABLE = "table", "Dashboard table"
        SEN2 = "sen2", "SEN2 return"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being prepared"
        READY = "ready", "Ready"
        REFUSED = "refused", "Records to fix"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Deleted"

    UNFINISHED = [Status.QUEUED, Status.RUNNING]
    # What is kept for KEEP_FOR: a file made, or a refusal's report saying what to fix.
    KEPT = [Status.READY, Status.REFUSED]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="export_jobs")
    # The form's one-time key: a double submit finds the job the first submit made.
    request_key = models.UUIDField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=export_path, blank=True)
    filename = models.CharField(max_length=120, blank=True,
                                help_text="The name the download is saved under.")
    content_type = models.CharField(max_length=100, blank=True)
    report_file = models.FileField(upload_to=export_path, blank=True,
                                   help_text="The SEN2 validation report.")
    summary = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["requester", "request_key"],
                                    name="one_export_per_submitted_form"),
            models.CheckConstraint(condition=models.Q(progress__lte=100),
                                   name="export_progress_is_a_percentage"),
        ]
        indexes = [models.Index(fields=["requester", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} export ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status not in self.UNFINISHED

    @property
    def report_filename(self) -> str:
        return self.filename.rsplit(".", 1)[0] + "-validation.csv"

    @property
    def rows(self) -> int | None:
        """How many rows its file holds, once made: an SEN2 return has one per plan."""
        return self.summary.get("plans" if self.kind == self.Kind.SEN2 else "rows")

    def is_downloadable(self, now=None) -> bool:
        return self.status == self.Status.READY and bool(self.file) and self._kept(now)

    def is_report_downloadable(self, now=None) -> bool:
        return self.status in self.KEPT and bool(self.report_file) and self._kept(now)

    def _kept(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at > (now or timezone.now())
