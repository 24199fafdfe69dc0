"""Sign-off: the coordinator asks the people at the review to confirm the draft report; each
confirms or comments within a window of working days (REPORT_SIGNOFF_WORKING_DAYS, from
the clock); the coordinator answers each comment or includes it in the report.

Each ``do_`` function changes the report and records an Event in one transaction, and a
repeat (a double click, a second request) changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from outbox.mail import queue_email
from reports import emails
from reports.drafting import save_new_revision
from reports.models import Report, SignOff, SignOffComment
from reviews import clock, events, presenters
from reviews.access import family_told, invitations_told
from reviews.models import FamilyMember, Review


@dataclass(frozen=True)
class Participant:
    """Someone asked to confirm the draft: everyone invited, and the child's family."""

    name: str
    email: str
    user_id: int | None
    role: str


def participants(review: Review) -> list[Participant]:
    """Everyone invited (bar the coordinator, who wrote the draft) and the family members
    with parental responsibility (or the young person), once each by email address."""
    people: dict[str, Participant] = {}
    for invitation in invitations_told(review).order_by("created_at"):
        if invitation.user_id is not None and invitation.user_id == review.coordinator_id:
            continue
        people.setdefault(invitation.email.lower(), Participant(
            invitation.name, invitation.email, invitation.user_id,
            invitation.get_role_display()))
    for member in family_told(review.plan.child_id).exclude(email="").order_by("pk"):
        if member.parental_responsibility or \
                member.relationship == FamilyMember.Relationship.YOUNG_PERSON:
            people.setdefault(member.email.lower(), Participant(
                member.name, member.email, member.user_id, member.get_relationship_display()))
    return list(people.values())


def may_sign_off(access, user) -> bool:
    """Whether this person (with this ReviewAccess) is one of those asked to confirm: not
    the coordinator, who wrote the draft."""
    return (access.invitation is not None or access.is_family) and \
        access.review.coordinator_id != user.pk


def closes_on(requested_on: dt.date) -> dt.date:
    return clock.add_working_days(requested_on, settings.REPORT_SIGNOFF_WORKING_DAYS)


def is_open(report: Report, review: Review, today: dt.date | None = None) -> bool:
    """People may confirm or comment from the request until the window closes, while the
    report is not yet published."""
    today = today or timezone.localdate()
    return (report.signoff_closes_on is not None and today <= report.signoff_closes_on
            and review.report_sent_on is None and review.is_open)


# ---------------------------------------------------------------------------
# Where sign-off stands
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantRow:
    participant: Participant
    confirmed_at: dt.datetime | None
    confirmed_latest: bool
    comments: int

    @property
    def answered(self) -> bool:
        return self.confirmed_at is not None or self.comments > 0


@dataclass(frozen=True)
class SignOffState:
    requested: bool
    closes_on: dt.date | None
    open: bool
    rows: list[ParticipantRow]
    comments: list[SignOffComment]

    @property
    def confirmed(self) -> int:
        return sum(1 for row in self.rows if row.confirmed_at)

    @property
    def waiting(self) -> list[Participant]:
        return [row.participant for row in self.rows if not row.answered]

    @property
    def unresolved(self) -> list[SignOffComment]:
        return [c for c in self.comments if not c.is_resolved]


def signoff_state(report: Report, review: Review, today: dt.date | None = None) -> SignOffState:
    """Who has confirmed, who has commented and who is still to answer: four queries."""
    people = participants(review)
    confirmations = list(report.signoffs.select_related("user"))
    comments = list(report.comments.select_related("author", "answered_by"))
    rows = []
    for person in people:
        mine = [s for s in confirmations if _is(person, s.user_id, s.user.email)]
        said = [c for c in comments if _is(person, c.author_id, c.author.email)]
        rows.append(ParticipantRow(
            person, mine[0].at if mine else None,
            bool(mine) and mine[0].revision_id == report.latest_revision_id, len(said)))
    return SignOffState(report.signoff_requested_at is not None, report.signoff_closes_on,
                        is_open(report, review, today), rows, comments)


def _is(person: Participant, user_id, email: str) -> bool:
    """Whether a response by this user is this person's: by account, or by address for
    someone invited before they had an account."""
    if person.user_id is not None:
        return person.user_id == user_id
    return email.lower() == person.email.lower()


# ---------------------------------------------------------------------------
# The coordinator asks
# ---------------------------------------------------------------------------


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related(
        "review__plan__child", "review__coordinator").get(pk=report.pk)


def do_request_signoff(report: Report, actor, today: dt.date | None = None) -> bool:
    """Open the window and email everyone asked a link to the draft (not the draft itself).
    False if sign-off was already asked for."""
    today = today or timezone.localdate()
    with transaction.atomic():
        report = _locked(report)
        review = report.review
        if report.signoff_requested_at is not None:
            return False
        if review.report_sent_on is not None or not review.is_open:
            raise ValidationError("The report has been published: sign-off is over.")
        report.signoff_requested_at = timezone.now()
        report.signoff_requested_by = actor
        report.signoff_closes_on = closes_on(today)
        report.save(update_fields=["signoff_requested_at", "signoff_requested_by",
                                   "signoff_closes_on"])
        people = participants(review)
        events.record(review, "report.signoff_requested",
                      f"Asked {len(people)} people to confirm the draft report by "
                      f"{presenters.date_text(report.signoff_closes_on)}", actor=actor,
                      closes_on=report.signoff_closes_on.isoformat())
        for person in people:
            queue_email(f"report-signoff:{report.pk}:{emails.address_key(person.email)}",
                        person.email, *emails.signoff_requested(review, report, person))
    return True


# ---------------------------------------------------------------------------
# The people asked confirm or comment
# ---------------------------------------------------------------------------


def _refuse_unless_open(report: Report) -> None:
    if not is_open(report, report.review):
        raise ValidationError("The time to confirm or comment on the draft has passed. "
                              "Contact the person who runs the review.")


def do_confirm(report: Report, user) -> bool:
    """Record that ``user`` confirms the draft as it stands. False if they had confirmed
    this draft already."""
    with transaction.atomic():
        report = _locked(report)
        _refuse_unless_open(report)
        done = SignOff.objects.filter(report=report, user=user).first()
        if done is not None and done.revision_id == report.latest_revision_id:
            return False
        SignOff.objects.update_or_create(report=report, user=user, defaults={
            "revision_id": report.latest_revision_id, "at": timezone.now()})
        events.record(report.review, "report.confirmed",
                      f"{user} confirmed the draft report", actor=user,
                      revision=report.latest_revision_id)
    return True


def _refuse_if_too_long(field: str, text: str, subject: str) -> None:
    # The forms refuse it first; this keeps the model's limit for any other caller.
    limit = SignOffComment._meta.get_field(field).max_length
    if len(text) > limit:
        raise ValidationError({field: f"{subject} must be {limit:,} characters or fewer"})


def do_comment(report: Report, user, text: str, author_name: str = "") -> SignOffComment:
    """Record what ``user`` says is wrong or missing, and tell the coordinator. The same
    comment sent twice is kept once."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter your comment"})
    _refuse_if_too_long("text", text, "Your comment")
    with transaction.atomic():
        report = _locked(report)
        _refuse_unless_open(report)
        same = report.comments.filter(author=user, text=text).first()
        if same is not None:
            return same
        comment = SignOffComment.objects.create(
            report=report, author=user, author_name=author_name or str(user), text=text,
            revision_id=report.latest_revision_id)
        review = report.review
        events.record(review, "report.commented",
                      f"{comment.author_name} commented on the draft report", actor=user,
                      comment=comment.pk)
        queue_email(f"report-comment:{comment.pk}", review.coordinator.email,
                    *emails.comment_received(review, comment))
    return comment


# ---------------------------------------------------------------------------
# The coordinator answers or includes each comment
# ---------------------------------------------------------------------------


def _comment_of(report: Report, comment_id) -> SignOffComment:
    comment = report.comments.select_related("author").filter(pk=comment_id).first()
    if comment is None:
        raise ValidationError("That comment is not on this report.")
    return comment


def do_answer_comment(report: Report, comment_id, actor, answer: str) -> bool:
    """Answer a comment; its author is emailed a link to read the answer. False if the
    comment was already answered or included."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Enter your answer"})
    _refuse_if_too_long("answer", answer, "The answer")
    with transaction.atomic():
        report = _locked(report)
        comment = _comment_of(report, comment_id)
        if comment.is_resolved:
            return False
        comment.answer = answer
        comment.answered_by = actor
        comment.answered_at = timezone.now()
        comment.save(update_fields=["answer", "answered_by", "answered_at"])
        events.record(report.review, "report.comment_answered",
                      f"Answered {comment.author_name}'s comment on the draft report",
                      actor=actor, comment=comment.pk)
        queue_email(f"report-comment-answered:{comment.pk}", comment.author.email,
                    *emails.comment_answered(report.review, comment))
    return True


def do_include_comment(report: Report, comment_id, actor) -> bool:
    """Put a comment into the report, attributed, as a new revision of the draft. False if
    the comment was already answered or included."""
    with transaction.atomic():
        report = _locked(report)
        comment = _comment_of(report, comment_id)
        if comment.is_resolved:
            return False
        content = {**report.content, "comments": [*report.content.get("comments", []), {
            "who": comment.author_name, "text": comment.text,
            "on": timezone.localdate(comment.at).isoformat()}]}
        save_new_revision(report, actor, content)
        comment.included_at = timezone.now()
        comment.save(update_fields=["included_at"])
        events.record(report.review, "report.comment_included",
                      f"Included {comment.author_name}'s comment in the draft report",
                      actor=actor, comment=comment.pk, revision=report.latest_revision_id)
    return True
