"""The person who runs a review, with a way to reach them, on every page a family sees.

An inclusion tag, so that the pages of the reports and decisions apps a family reads show
the same words as the reviews app's own.
"""

from django import template

from reviews.contacts import coordinator_contact

register = template.Library()


@register.inclusion_tag("reviews/family/_contact.html", takes_context=True)
def review_contact(context, review, row=False):
    """A section headed "If you have a question", or with ``row`` a summary list row (a
    card's). Nothing for the coordinator themselves. One query."""
    user = context["request"].user
    if user.pk == review.coordinator_id:
        return {"contact": None}
    return {"contact": coordinator_contact(review), "row": row}
