"""What people bring to a review before its meeting: a professional's advice (in versions,
with progress on each outcome and files attached), the family's views, and independent
advocacy, offered to every family, with the referral that follows their yes."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from agencies.models import Agency
from reviews.models.limits import ANSWER_MAX_LENGTH, SECTION_MAX_LENGTH
from reviews.models.records import Outcome
from reviews.models.workflow import Invitation, Review


class Advice(models.Model):
    """One version of a contributor's advice. A correction after submitting is a new
    version; the earlier stays."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="advice")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    what_is_working = models.TextField(blank=True, max_length=SECTION_MAX_LENGTH)
    what_is_not_working = models.TextField(blank=True, max_length=SECTION_MAX_LENGTH)
    recommended_changes = models.JSONField(default=dict, blank=True,
                                           help_text="Recommended changes keyed by plan section.")
    CHANGE_MAX_LENGTH = SECTION_MAX_LENGTH  # each of the recommended changes
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    was_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["invitation", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "version"], name="advice_version_unique"),
        ]

    def __str__(self):
        return f"Advice v{self.version} from {self.invitation.name}"

    @property
    def may_be_corrected(self) -> bool:
        """Each correction keeps a whole new version, so one invitation's advice stops at
        ADVICE_MAX_VERSIONS: one person cannot pile up versions everyone else carries."""
        return self.version < settings.ADVICE_MAX_VERSIONS

    def record_submission(self, moment, *, late: bool) -> None:
        """Submitted at ``moment``, after the advice date if ``late``. The first version's
        submission is also its invitation's first advice."""
        self.status, self.submitted_at, self.was_late = self.Status.SUBMITTED, moment, late
        self.save(update_fields=["status", "submitted_at", "was_late", "updated_at"])
        if self.version == 1:
            Invitation.objects.filter(pk=self.invitation_id).update(
                first_advice_at=moment, first_advice_late=late)


class OutcomeProgress(models.Model):
    class Progress(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        ON_TRACK = "on_track", "On track"
        NOT_ON_TRACK = "not_on_track", "Not on track"
        NOT_ASSESSED = "not_assessed", "Not assessed"

    advice = models.ForeignKey(Advice, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="+")
    progress = models.CharField(max_length=20, choices=Progress.choices)
    evidence = models.TextField(blank=True, max_length=ANSWER_MAX_LENGTH)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["advice", "outcome"], name="one_progress_per_outcome"),
        ]

    def __str__(self):
        return f"Progress on outcome {self.outcome_id}: {self.get_progress_display()}"


def attachment_path(instance, filename):
    # Random names: no child's name or original file name in the storage path.
    return f"advice/{uuid.uuid4().hex}"


class Attachment(models.Model):
    advice = models.ForeignKey(Advice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self):
        return self.name


class FamilyViews(models.Model):
    """What the family and the child want the review to hear."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="family_views")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    what_is_important = models.TextField(blank=True, max_length=ANSWER_MAX_LENGTH)
    hopes = models.TextField("hopes and aspirations", blank=True, max_length=ANSWER_MAX_LENGTH)
    going_well = models.TextField(blank=True, max_length=ANSWER_MAX_LENGTH)
    hard = models.TextField("what is hard", blank=True, max_length=ANSWER_MAX_LENGTH)
    childs_own_words = models.TextField(blank=True, max_length=ANSWER_MAX_LENGTH)
    childs_own_file = models.FileField(upload_to=attachment_path, blank=True)
    childs_own_file_type = models.CharField(max_length=100, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "author"], name="one_views_per_author"),
        ]

    def __str__(self):
        return f"Family views for review {self.review_id}"


class AdvocacyOffer(models.Model):
    """Independent advocacy as an active offer: made to every family, answer recorded."""

    class Answer(models.TextChoices):
        NOT_YET = "", "Not answered yet"
        YES = "yes", "Yes"
        NO = "no", "No"

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="advocacy")
    offered_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(max_length=3, choices=Answer.choices, blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        # The advocacy dashboard counts offers made in a period.
        indexes = [models.Index(fields=["offered_at"], name="advocacy_offered")]

    def __str__(self):
        return f"Advocacy offer for review {self.review_id}"


class AdvocacyReferral(models.Model):
    """The family's yes to an independent advocate, sent to the authority's advocacy
    provider. The provider's lead (or the review's coordinator) assigns a named advocate,
    who is then invited to the review in the advocate's role; the family is told who it is.
    One per review: a yes after a no opens it again."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE,
                                  related_name="advocacy_referral")
    provider = models.ForeignKey(Agency, on_delete=models.PROTECT,
                                 related_name="advocacy_referrals",
                                 limit_choices_to={"kind": Agency.Kind.ADVOCACY})
    referred_at = models.DateTimeField(default=timezone.now)
    advocate = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    # The family said no after all: the provider need do nothing more.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # A provider's lead lists their referrals, waiting ones first.
        indexes = [models.Index(fields=["provider", "withdrawn_at", "assigned_at"],
                                name="referral_provider_state")]

    def __str__(self):
        return f"Advocacy referral for review {self.review_id}"

    @property
    def is_waiting(self) -> bool:
        return self.withdrawn_at is None and self.advocate_id is None
