"""Panels this app adds to the review page and the family's review page.

Inclusion tags, so the reviews app's pages need to know nothing of this app's models.
"""

from django import template

register = template.Library()


@register.inclusion_tag("reports/_review_panel.html")
def reports_review_panel(access):
    """The coordinator's (and every reader's) review page."""
    return {"access": access, "review": access.review}


@register.inclusion_tag("reports/_family_panel.html")
def reports_family_panel(access):
    """The family's page for one review."""
    return {"access": access, "review": access.review}
