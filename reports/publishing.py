"""Publishing the joint outcome: an immutable, numbered version, emailed (as a link) to
everyone invited and the family. The first publication is the date the law's 2-week
deadline is checked against (Review.report_sent_on); a correction is a new version with
its reason, and the earlier versions stay readable.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from outbox.mail import queue_email
from reports import emails, signoff
from reports.models import PublishedReport, Report
from reports.presenters import document, document_facts
from reviews import events, post, presenters
from reviews.access import family_told, invitations_told
from reviews.models import FamilyMember, PostalLetter, Review


def latest_published(review: Review) -> PublishedReport | None:
    return PublishedReport.objects.filter(review=review).order_by("-version").first()


def first_publication_blockers(report: Report, state: signoff.SignOffState,
                               today: dt.date) -> list[str]:
    """Why the report cannot be published for the first time yet, in words to act on."""
    reasons = []
    if not report.content.get("overall", {}).get("choice"):
        reasons.append("Choose the overall recommendation (maintain, amend or cease) in the "
                       "draft.")
    if not state.requested:
        reasons.append("Ask the people at the review to confirm the draft first.")
        return reasons
    if state.unresolved:
        n = len(state.unresolved)
        reasons.append(f"Answer or include {n} comment{'s' if n != 1 else ''} on the draft.")
    if state.waiting and state.closes_on and today <= state.closes_on:
        n = len(state.waiting)
        reasons.append(f"{n} {'person has' if n == 1 else 'people have'} until "
                       f"{presenters.date_text(state.closes_on)} to confirm or comment.")
    return reasons


def correction_blockers(report: Report, latest: PublishedReport) -> list[str]:
    if report.content == latest.content:
        return [f"The draft is the same as version {latest.version}. Change the draft first."]
    if not report.content.get("overall", {}).get("choice"):
        return ["Choose the overall recommendation (maintain, amend or cease) in the draft."]
    return []


def recipients(review: Review) -> list[tuple[str, str]]:
    """(name, email) of everyone invited and the family, once each."""
    people: dict[str, tuple[str, str]] = {}
    for invitation in invitations_told(review).order_by("created_at"):
        people.setdefault(invitation.email.lower(), (invitation.name, invitation.email))
    for member in family_told(review.plan.child_id).exclude(email="").order_by("pk"):
        if member.parental_responsibility or \
                member.relationship == FamilyMember.Relationship.YOUNG_PERSON:
            people.setdefault(member.email.lower(), (member.name, member.email))
    return list(people.values())


def do_publish_report(report: Report, actor, *, version: int, reason: str = "",
                      today: dt.date | None = None) -> PublishedReport:
    """Publish the draft as ``version`` (the next number, as the publishing page showed
    it). Publishing the same version twice returns the first: one version, one email each.
    """
    today = today or timezone.localdate()
    reason = reason.strip()
    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).select_related(
            "review__plan__child__setting", "review__coordinator").get(pk=report.pk)
        review = report.review
        already = PublishedReport.objects.filter(review=review, version=version).first()
        if already is not None:
            return already
        latest = latest_published(review)
        if version != (latest.version + 1 if latest else 1):
            raise ValidationError("The report was published by someone else while this page "
                                  "was open. Check the latest version and try again.")
        if not review.is_open:
            raise ValidationError("The review is closed: its report can no longer change.")
        if latest is None:
            problems = first_publication_blockers(
                report, signoff.signoff_state(report, review, today), today)
        else:
            problems = correction_blockers(report, latest)
            if not reason:
                problems.insert(0, "Enter why the report is being corrected.")
        if problems:
            raise ValidationError(problems)
        published = PublishedReport.objects.create(
            review=review, report=report, version=version, content=report.content,
            facts=document_facts(review), revision_id=report.latest_revision_id,
            published_by=actor, published_by_name=str(actor), correction_reason=reason)
        if latest is None:
            _mark_sent(review, today)
            events.record(review, "report.published",
                          "Report of the meeting published and sent to everyone invited",
                          actor=actor, version=version)
        else:
            events.record(review, "report.corrected",
                          f"Report corrected (version {version}) and sent to everyone "
                          "invited", actor=actor, version=version, reason=reason)
        for name, email in recipients(review):
            queue_email(f"report-published:{review.pk}:v{version}:{emails.address_key(email)}",
                        email, *emails.published(review, published, name))
        post.queue_letters(review, PostalLetter.Kind.REPORT, edition=version)
    return published


@post.letter_body(PostalLetter.Kind.REPORT)
def report_letter(letter: PostalLetter, review: Review, day: dt.date) -> str:
    """The published version the letter was written for, as the report's page shows it."""
    shown = PublishedReport.objects.get(review=review, version=letter.edition)
    return render_to_string("reports/letter.html", {
        "shown": shown, "document": document(shown.content, shown.facts, review.pk)})


def _mark_sent(review: Review, today: dt.date) -> None:
    """The first publication is the day the report was sent (regs 20(7), 21(7))."""
    review.report_sent_on = today
    fields = ["report_sent_on"]
    if review.can_move_to(Review.Status.REPORT_SENT):
        review.status = Review.Status.REPORT_SENT
        fields.append("status")
    review.save(update_fields=fields)
