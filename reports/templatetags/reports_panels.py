"""Panels this app adds to the review page and the family's review page.

Inclusion tags, so the reviews app's pages need to know nothing of this app's models. Each
runs one query.
"""

from django import template
from django.utils import timezone

from reports import presenters, signoff

register = template.Library()


def _panel_context(access, user) -> dict:
    review, today = access.review, timezone.localdate()
    report = presenters.report_with_counts(review)
    return {
        "access": access, "review": review, "report": report,
        "panel": presenters.report_panel(review, report, today),
        "asked_to_check": bool(report and signoff.may_sign_off(access, user)
                               and signoff.is_open(report, review, today)),
    }


@register.inclusion_tag("reports/_review_panel.html", takes_context=True)
def reports_review_panel(context, access):
    """The coordinator's (and every reader's) review page."""
    return _panel_context(access, context["request"].user)


@register.inclusion_tag("reports/_family_panel.html", takes_context=True)
def reports_family_panel(context, access):
    """The family's page for one review."""
    return _panel_context(access, context["request"].user)
