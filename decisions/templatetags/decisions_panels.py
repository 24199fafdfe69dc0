"""Panels this app adds to the review page and the family's review page.

Inclusion tags, so the reviews app's pages need to know nothing of this app's models.
"""

from django import template
from django.utils import timezone

from decisions import presenters

register = template.Library()


@register.inclusion_tag("decisions/_review_panel.html", takes_context=True)
def decisions_review_panel(context, access):
    """The coordinator's (and every reader's) review page: the decision's dates and, for
    LA officers, each next step."""
    review = access.review
    return {"access": access, "review": review,
            "panel": presenters.officer_panel(review, access.can_decide, timezone.localdate())}


@register.inclusion_tag("decisions/_family_panel.html", takes_context=True)
def decisions_family_panel(context, access):
    """The family's page for one review: the decision, their rights and what they can do."""
    review = access.review
    return {"access": access, "review": review,
            "panel": presenters.family_panel(review, context["request"].user,
                                             timezone.localdate())}
