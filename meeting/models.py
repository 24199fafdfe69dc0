"""The live meeting room's records: the meeting of a review, its agenda, what was said
(comments), agreed (actions) and recommended, who has the room open, and the keys that make
each change land once.

The tables were the reviews app's until the room became an app of its own: migration 0001
took them over as they stood, and 0002 named them for this app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from agencies.models import Agency
from reviews.models import Outcome, Plan, Review


class Meeting(models.Model):
    """The live review meeting: one room per review, open until the coordinator closes it."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="meeting")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    current_item = models.ForeignKey("AgendaItem", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    minute_taker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return f"Meeting of review {self.review_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        VIEWS = "views", "The child's and family's views"
        OUTCOME = "outcome", "Progress on an outcome"
        ADVICE = "advice", "Advice from an agency"
        ADULTHOOD = "adulthood", "Preparing for adulthood"
        CHANGES = "changes", "Changes to recommend"
        ACTIONS = "actions", "Actions"
        OTHER = "other", "Other"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    outcome = models.ForeignKey(Outcome, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    notes = models.TextField(blank=True)
    notes_version = models.PositiveIntegerField(default=0)
    notes_updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["meeting", "position"]

    def __str__(self):
        return self.title


class Comment(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        QUESTION = "question", "Question"
        DISAGREE = "disagree", "We disagree"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "at"]

    def __str__(self):
        return f"{self.get_kind_display()} on agenda item {self.item_id}"


class MeetingAction(models.Model):
    """An action agreed in the meeting: what, who, by when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField()
    who = models.CharField(max_length=200, help_text="A person or an agency.")
    who_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    who_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    due_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "at"]

    def __str__(self):
        return f"Action by {self.who}"


class Recommendation(models.Model):
    """What should change in one plan section, or (section "") the overall recommendation."""

    class Overall(models.TextChoices):
        NONE = "", "Not for the overall recommendation"
        MAINTAIN = "maintain", "Maintain the plan as it is"
        AMEND = "amend", "Amend the plan"
        CEASE = "cease", "Cease the plan"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE,
                                related_name="recommendations")
    section = models.CharField(max_length=1, blank=True,
                               choices=[("", "Overall")] + Plan.SECTIONS)
    text = models.TextField(blank=True)
    overall = models.CharField(max_length=10, choices=Overall.choices, blank=True)
    agreed_by = models.TextField(blank=True, help_text="Who agreed, as recorded in the meeting.")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "section"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "section"],
                                    name="one_recommendation_per_section"),
        ]

    def __str__(self):
        if self.section:
            return f"Recommendation for section {self.section}"
        return "Overall recommendation"


class Presence(models.Model):
    """Who has the room open, one row per open connection. Rows are removed on disconnect;
    a heartbeat keeps `last_seen` fresh so a crashed server's rows age out."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200, unique=True)
    joined_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["review", "last_seen"])]

    def __str__(self):
        return f"Presence in review {self.review_id}"


class AppliedChange(models.Model):
    """A client's idempotency key, kept so that a change resent after a dropped connection is
    applied once."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    seq = models.PositiveIntegerField(null=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "key"], name="change_applied_once"),
        ]

    def __str__(self):
        return f"Change {self.key} in review {self.review_id}"
