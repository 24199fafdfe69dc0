"""The joint outcome of a review (the report of the meeting, SEND Regs 2014 regs 20(7),
21(7)): one draft per review, kept as Wagtail revisions; the sign-off of the people at the
review; and each published version, which never changes.

The draft's content is one JSON document (reports/drafting.py gives its shape), so that a
revision holds the whole draft and any two can be compared section by section.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.models import RevisionMixin

from common.append_only import AppendOnlyModel, AppendOnlyQuerySet
from reviews.models import REASON_MAX_LENGTH, SECTION_MAX_LENGTH, Review


class Report(RevisionMixin, models.Model):
    """The draft joint outcome. Every save is a revision (who and when); the draft's own
    row always holds the latest one.

    Wagtail's DraftStateMixin is not used: it keeps one live copy, overwritten on each
    publish, where the law's record needs every published version kept with the reason
    for a correction (PublishedReport). Two coordinators editing at once are caught by
    comparing the revision each started from, rather than LockableMixin's locks, which
    outlive a closed browser tab.
    """

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="report")
    content = models.JSONField(default=dict)
    # The longest text each part of the content holds, as drafted and as edited. A part
    # drafted from one record holds it whole: an advice summary is two sections of advice
    # with their labels, and a meeting's notes are the room's longest. A part that several
    # people wrote (progress on an outcome, the family's views) is shared out between them
    # when it would not fit (reports/drafting.py), so a drafted report always saves.
    TEXT_MAX_LENGTH = 25_000
    NOTE_MAX_LENGTH = REASON_MAX_LENGTH  # a note on attendance, who agreed a recommendation
    NAME_MAX_LENGTH = 200  # who will do an action, who disagreed
    TITLE_MAX_LENGTH = 300  # what a disagreement was about: an agenda item's title
    drafted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    signoff_requested_at = models.DateTimeField(null=True, blank=True)
    signoff_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+")
    signoff_closes_on = models.DateField(
        null=True, blank=True,
        help_text="The last day the people at the review may confirm or comment.")

    def __str__(self):
        # Wagtail logs this and stores it on each revision: no child's name.
        return f"Report of the {self.review}"


class SignOff(models.Model):
    """One person's confirmation that the draft is right, and the draft they confirmed."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="signoffs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    revision = models.ForeignKey("wagtailcore.Revision", null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="one_signoff_per_person"),
        ]

    def __str__(self):
        return f"Confirmed by {self.user} on {self.at:%Y-%m-%d}"


class SignOffComment(models.Model):
    """What someone says is wrong or missing in the draft. The coordinator answers it or
    includes it in the report before publishing."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    author_name = models.CharField(max_length=200)
    text = models.TextField(max_length=SECTION_MAX_LENGTH)
    revision = models.ForeignKey("wagtailcore.Revision", null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True, max_length=SECTION_MAX_LENGTH)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    included_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"Comment by {self.author_name} on {self.at:%Y-%m-%d}"

    @property
    def is_resolved(self) -> bool:
        return self.answered_at is not None or self.included_at is not None


class PublishedReport(AppendOnlyModel):
    """One published version of the joint outcome, exactly as it was shared. A correction
    is a new version with its reason; the earlier ones stay readable."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE,
                               related_name="published_reports")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="published")
    version = models.PositiveSmallIntegerField()
    content = models.JSONField()
    facts = models.JSONField(help_text="Who and what the report is about, as published.")
    revision = models.ForeignKey("wagtailcore.Revision", null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_by_name = models.CharField(max_length=200)
    correction_reason = models.TextField(blank=True, max_length=REASON_MAX_LENGTH)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["review", "version"]
        constraints = [
            models.UniqueConstraint(fields=["review", "version"],
                                    name="one_published_report_per_version"),
        ]

    def __str__(self):
        return f"Version {self.version} of the report of the {self.review}"
