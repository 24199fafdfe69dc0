"""Turn a report into what pages show: the document (draft or published) ready for its
template, where the report stands for the review page's panel, and its deadline from the
clock. Templates stay dumb; this is tested.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from reports.drafting import OVERALL_LABELS, SECTION_TITLES, Attendance
from reports.models import PublishedReport, Report, SignOff, SignOffComment
from reviews import clock, presenters
from reviews.models import Review

# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------


def document_facts(review: Review) -> dict:
    """Who and what the report is about, kept with each published version as it was."""
    child = review.plan.child
    on = review.meeting_date or timezone.localdate()
    return {
        "child_name": child.full_name,
        "la_reference": child.la_reference,
        "date_of_birth": child.date_of_birth.isoformat(),
        "setting": child.setting.name if child.setting_id else "",
        "year_group": presenters.year_group_label(child.year_group(on)),
        "review_kind": review.get_kind_display(),
        "plan_kind": review.plan.get_kind_display(),
        "coordinator": str(review.coordinator),
    }


def _day(iso: str) -> str:
    return presenters.date_text(dt.date.fromisoformat(iso)) if iso else ""


def document(content: dict, facts: dict, review_id) -> dict:
    """The report as its template shows it: labels for codes, dates in words, links to the
    full advice, and only the sections and rows that say something."""
    meeting_on = dt.date.fromisoformat(content["meeting_on"])
    durations = clock.durations_from_settings()
    overall = content.get("overall") or {}
    views = content.get("views") or {}
    return {
        "facts": {**facts, "date_of_birth": _day(facts.get("date_of_birth", ""))},
        "meeting_text": presenters.date_text(meeting_on),
        "decision_due_text": presenters.date_text(clock.decision_due(meeting_on,
                                                                     durations=durations)),
        "attendance": [{**row, "status_label": Attendance.LABELS.get(row["status"], "")}
                       for row in content.get("attendance", [])],
        "views": {"family": views.get("family", ""), "child": views.get("child", ""),
                  "files": [reverse("reviews:family_views_file", args=[review_id, pk])
                            for pk in views.get("files", [])]},
        "progress": content.get("progress", []),
        "advice": [{**row, "submitted_text": _day(row["submitted_on"]),
                    "url": reverse("reviews:advice_version", args=[review_id, row["advice_id"]])}
                   for row in content.get("advice", [])],
        "notes": [row for row in content.get("notes", []) if row["text"]],
        "actions": [{**row, "due_text": _day(row["due_on"]) or "No date set"}
                    for row in content.get("actions", [])],
        "changes": [{"letter": letter, "title": title, "text": content["changes"][letter]}
                    for letter, title in SECTION_TITLES.items()
                    if content.get("changes", {}).get(letter)],
        "overall": {**overall, "label": OVERALL_LABELS.get(overall.get("choice", ""), "")},
        "disagreements": content.get("disagreements", []),
        "comments": [{**row, "on_text": _day(row.get("on", ""))}
                     for row in content.get("comments", [])],
    }


# ---------------------------------------------------------------------------
# The report's deadline, from the clock
# ---------------------------------------------------------------------------


def report_due_row(review: Review, today: dt.date) -> presenters.DeadlineRow | None:
    """Within 2 weeks of the meeting (SEND Regs 2014 regs 20(7), 21(7)); done on the day
    the report was first published."""
    if review.meeting_date is None:
        return None
    due = clock.report_due(review.meeting_date, durations=clock.durations_from_settings())
    return presenters.deadline_row("Send the meeting report", due, today,
                                   done_on=review.report_sent_on)


# ---------------------------------------------------------------------------
# The panels on the review pages
# ---------------------------------------------------------------------------


def _count(model_queryset):
    return Subquery(model_queryset.order_by().values("report").annotate(n=Count("pk"))
                    .values("n"), output_field=IntegerField())


def report_with_counts(review: Review) -> Report | None:
    """The review's report with its sign-off counts and latest published version, in one
    query."""
    published = PublishedReport.objects.filter(review=OuterRef("review")).order_by("-version")
    return (Report.objects.filter(review=review).annotate(
        confirmed=_count(SignOff.objects.filter(report=OuterRef("pk"))),
        commented=_count(SignOffComment.objects.filter(report=OuterRef("pk"))),
        unresolved=_count(SignOffComment.objects.filter(
            report=OuterRef("pk"), answered_at__isnull=True, included_at__isnull=True)),
        published_version=Subquery(published.values("version")[:1]),
        published_at=Subquery(published.values("published_at")[:1]),
    ).first())


@dataclass(frozen=True)
class ReportPanel:
    """Where the joint outcome stands, in the words and tag the review page shows."""

    state: str  # "none", "draft", "signoff", "signoff_closed", "published"
    headline: str
    detail: str
    due: presenters.DeadlineRow | None
    published_version: int | None

    @property
    def is_late(self) -> bool:
        return bool(self.due and self.due.status == clock.DeadlineStatus.LATE)

    @property
    def was_late(self) -> bool:
        return bool(self.due and self.due.status == clock.DeadlineStatus.DONE_LATE)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def report_panel(review: Review, report: Report | None, today: dt.date) -> ReportPanel:
    due = report_due_row(review, today)
    version = getattr(report, "published_version", None)
    if report is None:
        return ReportPanel("none", "No draft yet",
                           "The draft is made from the meeting record when the meeting "
                           "closes.", due, None)
    if version:
        return ReportPanel(
            "published", f"Published: version {version}",
            f"Version {version} published on "
            f"{presenters.date_text(timezone.localdate(report.published_at))}.", due, version)
    if report.signoff_closes_on is None:
        return ReportPanel("draft", "Draft", "Not yet sent to the people at the review to "
                           "confirm.", due, None)
    confirmed = report.confirmed or 0
    counts = (f"{confirmed} {'person' if confirmed == 1 else 'people'} confirmed, "
              f"{_plural(report.commented or 0, 'comment')}"
              + (f" ({report.unresolved} to answer)" if report.unresolved else ""))
    if today <= report.signoff_closes_on:
        return ReportPanel("signoff", "Waiting for people to confirm the draft",
                           f"Open until {presenters.date_text(report.signoff_closes_on)}: "
                           f"{counts}.", due, None)
    return ReportPanel("signoff_closed", "Comments to answer" if report.unresolved
                       else "The time to confirm has closed",
                       f"The time to confirm closed on "
                       f"{presenters.date_text(report.signoff_closes_on)}: {counts}.", due, None)
