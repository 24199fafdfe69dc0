"""What imports keep: each school's entry in the DfE's register, beside its agency; and each
import, from its upload to its report."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from agencies.models import Agency, LocalAuthority
from reviews.models import Child


class Establishment(models.Model):
    """A school or college as Get Information about Schools (GIAS) describes it, kept
    beside its agency: the setting type a child there is given, for the clock's phase
    transfers, comes from it."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, primary_key=True,
                                  related_name="establishment")
    establishment_type = models.CharField(max_length=100)
    phase = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=60)
    la_code = models.CharField("DfE local authority number", max_length=3)
    low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    setting_type = models.CharField(
        max_length=20, blank=True, choices=Child._meta.get_field("setting_type").choices,
        help_text="Empty for a school that takes every phase (an all-through or special "
                  "school): the clock then follows the two-tier pattern by year group.")
    special = models.BooleanField(default=False)
    imported_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.agency} ({self.establishment_type})"


def upload_path(instance, filename):
    # Random names: nothing about the authority or a child in the storage path.
    return f"imports/{uuid.uuid4().hex}"


class ImportRun(models.Model):
    """One file imported: uploaded and checked (what would change), then confirmed and
    written by a job; or from the command line, written at once. The file is deleted once
    it is written, refused or abandoned; the report stays."""

    class Kind(models.TextChoices):
        CASELOAD = "caseload", "Caseload (children and their plans)"
        SCHOOLS = "schools", "Schools (the DfE's register, GIAS)"

    class Status(models.TextChoices):
        CHECKING = "checking", "Being checked"
        CHECKED = "checked", "Checked: waiting to be confirmed"
        REFUSED = "refused", "The file was refused"
        QUEUED = "queued", "Waiting to be imported"
        IMPORTING = "importing", "Being imported"
        DONE = "done", "Imported"
        NOT_IMPORTED = "not_imported", "Not imported: rows to fix"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    UNFINISHED = [Status.CHECKING, Status.QUEUED, Status.IMPORTING]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT,
                                  related_name="import_runs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     help_text="Empty for an import from the command line.")
    file = models.FileField(upload_to=upload_path, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    all_or_nothing = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CHECKING)
    progress = models.PositiveSmallIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100),
                                   name="import_progress_is_a_percentage"),
        ]
        indexes = [models.Index(fields=["authority", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} import ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status not in self.UNFINISHED
