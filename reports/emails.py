"""The report's emails: each is a subject and a text with a link, never the report's
content, and no child's name (initials and LA reference only)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from reviews import presenters
from reviews.models import Review


def address_key(email: str) -> str:
    """A short, stable stand-in for an address in an outbox key (keys have a length limit)."""
    return hashlib.sha256(email.lower().encode()).hexdigest()[:20]


def reference(review: Review) -> str:
    """'annual review for AE (T-0001)'."""
    child = review.plan.child
    return f"{review.get_kind_display().lower()} for {child.initials} ({child.la_reference})"


def link(name: str, review: Review, *args) -> str:
    return settings.BASE_URL.rstrip("/") + reverse(name, args=[review.pk, *args])


def _render(template: str, review: Review, **context) -> str:
    return render_to_string(f"reports/email/{template}", {
        "reference": reference(review), "service_name": settings.SITE_NAME,
        "coordinator": review.coordinator, **context})


def signoff_requested(review, report, person) -> tuple[str, str]:
    return (f"Please check the draft report: {reference(review)}",
            _render("signoff_requested.txt", review, person=person,
                    closes_on=presenters.date_text(report.signoff_closes_on),
                    link=link("reports:draft", review)))


def comment_received(review, comment) -> tuple[str, str]:
    return (f"A comment on the draft report: {reference(review)}",
            _render("comment_received.txt", review, comment=comment,
                    link=link("reports:outcome", review)))


def comment_answered(review, comment) -> tuple[str, str]:
    return (f"Your comment on the draft report has been answered: {reference(review)}",
            _render("comment_answered.txt", review, comment=comment,
                    link=link("reports:draft", review)))


def published(review, published_report, name: str) -> tuple[str, str]:
    corrected = published_report.version > 1
    subject = ("The review report has been corrected" if corrected
               else "The review report is ready to read")
    return (f"{subject}: {reference(review)}",
            _render("published.txt", review, name=name, corrected=corrected,
                    published=published_report, link=link("reports:published", review)))
