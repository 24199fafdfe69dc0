"""Letters on paper, for a family who gets theirs by post: printed and posted by the
coordinator, who records the day (reviews/post.py)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from reviews.models.workflow import Review


class PostalLetterQuerySet(models.QuerySet):
    def waiting(self):
        """Letters not yet posted: the family they are for has not been sent them."""
        return self.filter(posted_on__isnull=True)


class PostalLetter(models.Model):
    """A letter to one address of a family that gets its letters by post: written when the
    others' emails are, printed from its PDF and posted by the coordinator, who records the
    day. One per letter and address, however often the step that writes it runs (`key`)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation to the review meeting"
        REPORT = "report", "Report of the review meeting"
        DECISION = "decision", "The council's decision after the review"
        FINAL = "final", "The final plan after the review"
        NOT_AMENDING = "not_amending", "The council has decided not to change the plan"
        CEASED = "ceased", "The plan has ended"
        ORDER = "order", "The Tribunal's order: what the council must do"

    # The letters the family's own time counts from, and the review's date each moves.
    POSTED_ON_FIELD = {Kind.DECISION: "decision_posted_on", Kind.FINAL: "final_plan_posted_on",
                       Kind.NOT_AMENDING: "final_plan_posted_on"}

    key = models.CharField(max_length=200, unique=True)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="postal_letters")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    edition = models.PositiveSmallIntegerField(
        default=1, help_text="Which version of the report, for a corrected report.")
    addressed_to = models.CharField(max_length=500)
    address = models.TextField(help_text="One line of the address a line.")
    to_young_person = models.BooleanField(
        default=False, help_text="Written to the young person: 'your plan'.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    posted_on = models.DateField(null=True, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    objects = PostalLetterQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["posted_on", "created_at"])]

    def __str__(self):
        # Never the address or a name: this ends up in logs and admin history.
        return f"{self.get_kind_display()} ({self.review})"

    def address_lines(self) -> list[str]:
        return self.address.splitlines()

    def count_from(self, review: Review, day: dt.date) -> str | None:
        """Move the day the family's time counts from on ``review`` (not saved) to ``day``,
        when this is a letter it counts from and ``day`` is later; the field moved, or None."""
        field = self.POSTED_ON_FIELD.get(self.kind)
        if field is None or (getattr(review, field) or day) > day:
            return None
        setattr(review, field, day)
        return field
