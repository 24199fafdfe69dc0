"""Closing a review when its work is done, and opening the plan's next review."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reviews import events
from reviews.models import Plan, Review
from reviews.termly import do_open_review


def close_review(review: Review, actor, why: str) -> Review | None:
    """Close the review and, while the plan is in force, make sure its next review is open:
    due 12 months after this review's meeting (the clock, through do_open_review; an
    amendment does not restart the 12 months). Returns the next review, if one is open."""
    with transaction.atomic():
        closed = Review.objects.filter(pk=review.pk).exclude(
            status__in=[Review.Status.CLOSED, Review.Status.CANCELLED]).update(
            status=Review.Status.CLOSED, closed_at=timezone.now())
        if closed:
            review.status = Review.Status.CLOSED
            events.record(review, "review.closed", f"Review closed: {why}", actor=actor)
        if Plan.objects.filter(pk=review.plan_id, status=Plan.Status.ACTIVE).exists():
            return _next_review(review, actor)
    return None


def _next_review(review: Review, actor) -> Review | None:
    try:
        # Whoever arranged this review arranges the next, until the council says otherwise.
        return do_open_review(review.plan, review.coordinator, actor=actor,
                              convenor=review.convenor)
    except ValidationError:
        # Someone opened it already: it is the one that is due.
        return review.plan.reviews.open().first()
