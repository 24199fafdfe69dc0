"""A page of a review whose recorded dates are in an order that cannot be true (a decision
letter before its meeting, a final plan before its proposed amendments): the clock refuses
to count from them (clock.FactsOutOfOrder), and the page says so instead of showing dates,
or sending a letter, that would be wrong. Professionals are told which record to correct;
a family is told who will put it right."""

import functools
import logging

from django.shortcuts import render

from agencies.contacts import authority_contacts
from reviews import clock
from reviews.models import Review

logger = logging.getLogger(__name__)


def refuses_impossible_dates(view):
    """Wrap a view of one review (``review_id``) whose access check comes first."""

    @functools.wraps(view)
    def wrapped(request, review_id, *args, **kwargs):
        try:
            return view(request, review_id, *args, **kwargs)
        except clock.FactsOutOfOrder as error:
            # The review's id only: the message names the child by initials.
            logger.error("Review %s has recorded dates out of order", review_id)
            review = Review.objects.select_related("coordinator", "plan__child__authority").get(
                pk=review_id)
            return render(request, "reviews/impossible_dates.html", {
                "review": review, "problem": str(error),
                "professional": request.user.must_use_mfa,
                "contacts": authority_contacts(review.plan.child.authority),
            }, status=409)

    return wrapped
