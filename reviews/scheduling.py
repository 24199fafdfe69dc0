"""The coordinator's actions: schedule the meeting, invite people (reviews/invitees.py says
who), send the invitations, withdraw one, cancel the review or hand it over.

Each ``do_<verb>_<thing>`` changes a review and records its Event in one transaction; views
are thin over them and tests call them directly. Dates come from the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from agencies.contacts import authority_contacts
from outbox.mail import queue_email
from reviews import clock, events, post, presenters
from reviews.access import family_told, invitations_told
from reviews.calendar import CANCEL, REQUEST, WITHDRAW, invitation_message
from reviews.contacts import coordinator_contact
from reviews.invitation_links import invitation_link
from reviews.invitees import Invitee
from reviews.models import AdvocacyOffer, Invitation, PostalLetter, Review
from reviews.termly import coordinators_for

# A product warning, not a rule of law: with less than this left before the invitations
# must go, a coordinator is told on the confirmation so they send them now.
INVITATION_WARNING_DAYS = 14


# ---------------------------------------------------------------------------
# Scheduling the meeting
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeCheck:
    """What the clock says about a meeting date, seen from ``today``."""

    meeting: dt.date
    notice_by: dt.date
    review_due: dt.date
    today: dt.date

    @property
    def too_short(self) -> bool:
        """The law's two weeks' notice can no longer be given."""
        return self.notice_by < self.today

    @property
    def warnings(self) -> list[str]:
        words = []
        days_left = (self.notice_by - self.today).days
        if not self.too_short and days_left < INVITATION_WARNING_DAYS:
            words.append(
                f"Send the invitations by {presenters.date_text(self.notice_by)} "
                f"({presenters.relative_text(self.notice_by, self.today)}) to give the "
                f"{clock.words_in_force()['notice']}' notice the law requires."
            )
        if self.meeting > self.review_due:
            words.append(
                f"The meeting is after the review is due "
                f"({presenters.date_text(self.review_due)}): the review will be late."
            )
        return words


def check_notice(review: Review, meeting: dt.date, today: dt.date) -> NoticeCheck:
    return NoticeCheck(
        meeting=meeting,
        notice_by=clock.meeting_notice_by(meeting, durations=clock.durations_from_settings()),
        review_due=review.due_by,
        today=today,
    )


def do_schedule_review(review: Review, actor, *, meeting_at: dt.datetime, minutes: int,
                       place: str = "", link: str = "", short_notice_reason: str = "",
                       today: dt.date | None = None) -> NoticeCheck:
    """Set or move the meeting. Refuses a meeting that cannot have 2 weeks' notice unless
    ``short_notice_reason`` says why; moving it keeps the old time in the event and bumps
    the calendar sequence so calendars update the same entry."""
    today = today or timezone.localdate()
    if review.has_reached(Review.Status.MEETING_HELD) or not review.is_open:
        raise ValidationError("The meeting has been held or the review is closed: it cannot "
                              "be moved now.")
    if not (place.strip() or link.strip()):
        raise ValidationError({"meeting_place": "Enter a place or a link to a video meeting"})
    check = check_notice(review, timezone.localtime(meeting_at).date(), today)
    reason = short_notice_reason.strip()
    # The notice rule is about the time: a new room or link at short notice needs no reason.
    time_changed = review.meeting_at != meeting_at
    if check.too_short and time_changed and not reason:
        raise ValidationError({"short_notice_reason": (
            f"The meeting is less than {clock.words_in_force()['notice']} away: invitations "
            "were due by "
            f"{presenters.date_text(check.notice_by)}. Choose a later date, or say why "
            "it must be this date")})
    if not time_changed:
        reason = reason or review.short_notice_reason
    elif not check.too_short:
        reason = ""
    new = {"meeting_at": meeting_at, "meeting_minutes": minutes, "meeting_place": place.strip(),
           "meeting_link": link.strip(), "short_notice_reason": reason}
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        old_at = review.meeting_at
        if all(getattr(review, field) == value for field, value in new.items()):
            return check  # a double submit: nothing changed, nothing to record
        for field, value in new.items():
            setattr(review, field, value)
        moved = old_at is not None
        if time_changed:
            review.meeting_set_on = today  # everyone invited is asked again from today
        if moved:
            review.calendar_sequence += 1
        if review.can_move_to(Review.Status.SCHEDULED):
            review.status = Review.Status.SCHEDULED
        review.save()
        when = presenters.meeting_text(meeting_at)
        if moved:
            _tell_invitees_of_the_move(review, old_at, today)
            events.record(review, "meeting_rescheduled", f"Meeting changed: {when}", actor=actor,
                          old=old_at.isoformat(), new=meeting_at.isoformat(),
                          place=review.meeting_place, link=review.meeting_link,
                          short_notice_reason=review.short_notice_reason)
        else:
            events.record(review, "meeting_scheduled", f"Meeting set for {when}", actor=actor,
                          new=meeting_at.isoformat(), place=review.meeting_place,
                          link=review.meeting_link,
                          short_notice_reason=review.short_notice_reason)
    return check


def _tell_invitees_of_the_move(review: Review, old_at: dt.datetime, today: dt.date) -> None:
    """Everyone already sent an invitation hears of the new time or place (keyed by the
    calendar sequence, so each change is told once)."""
    context = _email_context(review, today)
    context["old_meeting_text"] = presenters.meeting_text(old_at)
    context["review_url"] = settings.BASE_URL.rstrip("/") + reverse("reviews:home")
    for invitation in invitations_told(review).filter(sent_at__isnull=False):
        text = render_to_string("reviews/email/invitation_changed.txt",
                                {**context, "invitation": invitation,
                                 "advice_due": advice_due_text(invitation)})
        _queue_with_calendar(
            review, invitation, f"review-meeting-moved:{invitation.pk}:{review.calendar_sequence}",
            f"Review meeting for {context['summary'].reference_text} has changed: now "
            f"{context['meeting_date']}", text, REQUEST)


def _queue_with_calendar(review: Review, invitation: Invitation, key: str, subject: str,
                         text: str, change: str) -> None:
    """Email `invitation`'s holder with the calendar message for `change`, and remember its
    SEQUENCE: a reply from their calendar to an earlier one is out of date
    (reviews/calendar_replies.py)."""
    calendar, method = invitation_message(review, invitation, change) or (b"", "")
    queue_email(key, invitation.email, subject, text, calendar=calendar,
                calendar_method=method)
    Invitation.objects.filter(pk=invitation.pk).update(
        calendar_sequence=review.calendar_sequence)


# ---------------------------------------------------------------------------
# Who is invited
# ---------------------------------------------------------------------------


def asks_advice_of(review: Review, role: str, user) -> bool:
    """Everyone invited is asked for advice but the family (who give their views), their
    advocate (who speaks with the family), and the council's SEN officer, who coordinates
    or, where a school convenes, attends for the council: the council's part is the
    decision. A school convening its own review still gives the school's advice (SEND Regs
    2014 reg 20(4))."""
    if role in (Invitation.Role.FAMILY, Invitation.Role.ADVOCATE, Invitation.Role.LA_SEN):
        return False
    return (user is None or user.pk != review.coordinator_id
            or review.convenor == Review.Convenor.SETTING)


def do_add_invitations(review: Review, actor, invitees: list[Invitee]) -> list[Invitation]:
    """Invite these people (not yet sending anything). Someone already invited is left as
    they are, so a double submit adds nobody twice."""
    from django.contrib.auth import get_user_model

    added = []
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        for person in invitees:
            user = person.user or get_user_model().objects.filter(
                email__iexact=person.email).first()
            invitation, created = Invitation.objects.current().get_or_create(
                review=review, email__iexact=person.email,
                defaults={"email": person.email.lower(), "name": person.name,
                          "role": person.role, "agency": person.agency, "user": user,
                          "discipline": person.discipline,
                          "advice_requested": asks_advice_of(review, person.role, user)})
            if created:
                added.append(invitation)
        if added:
            events.record(review, "invitations_added",
                          "Added to the invitation list: " + ", ".join(i.name for i in added),
                          actor=actor, invitations=[str(i.pk) for i in added])
    return added


def do_remove_invitation(invitation: Invitation, actor) -> Invitation:
    """Withdraw an invitation; its link stops working. Kept for the record. Someone who was
    sent the invitation is sent its withdrawal, a new version of the meeting that names
    them as removed (RFC 5546 3.2.5), so the review's calendar sequence goes up."""
    with transaction.atomic():
        removed = Invitation.objects.filter(pk=invitation.pk, removed_at__isnull=True).update(
            removed_at=timezone.now())
        if removed:
            review = Review.objects.select_for_update(of=("self",)).with_child().get(
                pk=invitation.review_id)
            events.record(review, "invitation_removed",
                          f"Removed {invitation.name} ({invitation.get_role_display()})",
                          actor=actor, invitation=str(invitation.pk))
            if invitation.sent_at is not None and review.meeting_at is not None:
                review.calendar_sequence += 1
                review.save(update_fields=["calendar_sequence"])
                _withdraw_for(review, invitation)
    invitation.refresh_from_db()
    return invitation


def _withdraw_for(review: Review, invitation: Invitation) -> None:
    """Take one person off a meeting that goes ahead without them."""
    reference = f"{review.plan.child.initials} ({review.plan.child.la_reference})"
    _queue_with_calendar(
        review, invitation, f"review-meeting-withdrawn:{invitation.pk}:{review.calendar_sequence}",
        f"Invitation withdrawn: review meeting for {reference}",
        f"Hello {invitation.name},\n\nYou are no longer invited to the review meeting for "
        f"{reference} on {presenters.meeting_text(review.meeting_at)}. The meeting goes "
        "ahead without you, and has been taken out of your calendar. You do not need to do "
        "anything.\n",
        WITHDRAW)


# ---------------------------------------------------------------------------
# Cancelling the review, handing it over
# ---------------------------------------------------------------------------


def _cancel_for(review: Review, invitation: Invitation, why: str) -> None:
    """Take the cancelled meeting out of one person's calendar, if it was ever put there."""
    if invitation.sent_at is None or review.meeting_at is None:
        return
    reference = f"{review.plan.child.initials} ({review.plan.child.la_reference})"
    _queue_with_calendar(
        review, invitation, f"review-meeting-cancelled:{invitation.pk}:{review.calendar_sequence}",
        f"Cancelled: review meeting for {reference}",
        f"Hello {invitation.name},\n\n{why}\n\nThe review meeting for {reference} on "
        f"{presenters.meeting_text(review.meeting_at)} has been taken out of your "
        "calendar.\n",
        CANCEL)


def do_cancel_review(review: Review, actor, reason: str) -> Review:
    """Cancel a review before its meeting is held: everyone invited gets a calendar
    cancellation (the same UID, a higher SEQUENCE)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the review is cancelled"})
    with transaction.atomic():
        review = Review.objects.select_for_update(of=("self",)).with_child().get(pk=review.pk)
        if review.status == Review.Status.CANCELLED:
            return review  # a double submit
        if not review.can_move_to(Review.Status.CANCELLED):
            raise ValidationError("The meeting has been held: this review can no longer be "
                                  "cancelled")
        review.status = Review.Status.CANCELLED
        review.cancelled_reason = reason
        review.calendar_sequence += 1
        review.save(update_fields=["status", "cancelled_reason", "calendar_sequence"])
        for invitation in review.invitations.current():
            _cancel_for(review, invitation, "This review meeting has been cancelled.")
        events.record(review, "review_cancelled", "Review cancelled", actor=actor, reason=reason)
    return review


def do_hand_over(review: Review, actor, *, coordinator, convenor: str) -> Review:
    """Name who arranges the review and who coordinates it: the council may ask the child's
    school or college to arrange and hold the meeting (SEND Regs 2014 reg 20(1)), take it
    back, or give it to another officer. Until the meeting is held; the decision stays the
    council's either way. The new coordinator is told by email."""
    if not review.is_open or review.has_reached(Review.Status.MEETING_HELD):
        raise ValidationError("The meeting has been held: whoever arranged it sends the "
                              "report, and the council decides.")
    if not coordinators_for(review.plan.child, convenor).filter(pk=coordinator.pk).exists():
        raise ValidationError({"coordinator": "Choose someone who may coordinate this review"})
    with transaction.atomic():
        review = Review.objects.select_for_update(of=("self",)).with_child().get(pk=review.pk)
        if (review.coordinator_id, review.convenor) == (coordinator.pk, convenor):
            return review  # a double submit
        review.coordinator, review.convenor = coordinator, convenor
        review.save(update_fields=["coordinator", "convenor"])
        arranged = presenters.arranged_by(review)
        event = events.record(
            review, "coordinator_changed",
            f"{capfirst(arranged)} arranges the review; {coordinator} coordinates it",
            actor=actor, coordinator=coordinator.pk, convenor=convenor)
        if coordinator.pk != getattr(actor, "pk", None):
            summary = presenters.review_summary(review, timezone.localdate())
            queue_email(
                f"review-coordinator:{review.pk}:{event.seq}", coordinator.email,
                f"You now coordinate the review for {summary.reference_text}",
                render_to_string("reviews/email/coordinator_changed.txt", {
                    "review": review, "summary": summary, "coordinator": coordinator,
                    "arranged_by": arranged, "service_name": settings.SITE_NAME,
                    "link": settings.BASE_URL.rstrip("/") + reverse("reviews:review",
                                                                    args=[review.pk])}))
    return review


# ---------------------------------------------------------------------------
# Sending the invitations
# ---------------------------------------------------------------------------


def invited_roles(review: Review, invitations) -> set[str]:
    """The roles ``invitations`` (the review's current ones) cover; the family's too where
    a family member gets letters by post, since their invitation is a letter."""
    roles = {invitation.role for invitation in invitations}
    if Invitation.Role.FAMILY not in roles and family_told(review.plan.child_id).filter(
            by_post=True).exists():
        roles.add(Invitation.Role.FAMILY)
    return roles


def missing_roles(review: Review) -> list[str]:
    """The required roles (SEND Regs 2014 regs 20(3), 21(3)) nobody is invited for yet."""
    invited = invited_roles(review, review.invitations.current().only("role"))
    return [role for role in Invitation.REQUIRED_ROLES if role not in invited]


def do_send_invitations(review: Review, actor, today: dt.date | None = None) -> list[Invitation]:
    """Email everyone invited who has not had an email yet, each with their own link.

    Refused until the meeting is set and all five required roles are invited. Each
    invitation is claimed with a conditional UPDATE, so two clicks at once still send one
    email per person (and never a second link that would break the first)."""
    today = today or timezone.localdate()
    if review.meeting_at is None:
        raise ValidationError("Schedule the meeting before sending the invitations")
    if not review.is_open or review.has_reached(Review.Status.MEETING_HELD):
        raise ValidationError("The meeting has been held or the review is closed")
    sent = []
    with transaction.atomic():
        review = Review.objects.select_for_update(of=("self",)).with_child().get(pk=review.pk)
        missing = missing_roles(review)
        if missing:
            raise ValidationError(
                "Invite someone for every role the law requires before sending. Still "
                "missing: " + "; ".join(Invitation.Role(r).label.lower() for r in missing))
        context = _email_context(review, today)
        pending = list(invitations_told(review).filter(sent_at__isnull=True))
        _newer_than_withdrawals(review, pending)
        for invitation in pending:
            token = invitation.issue_token()
            invitation.sent_at = timezone.now()  # the day they are asked: their dates count from it
            claimed = Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
                sent_at=invitation.sent_at, token_hash=invitation.token_hash)
            if not claimed:
                continue
            subject, text = invitation_email(context, invitation, token)
            _queue_with_calendar(review, invitation, f"review-invitation:{invitation.pk}",
                                 subject, text, REQUEST)
            sent.append(invitation)
        if not sent:
            return []
        # A family that gets letters by post has no link to open: its invitation is a letter.
        post.queue_letters(review, PostalLetter.Kind.INVITATION)
        AdvocacyOffer.objects.get_or_create(review=review)
        if review.can_move_to(Review.Status.INVITATIONS_SENT):
            review.status = Review.Status.INVITATIONS_SENT
            review.invitations_sent_at = timezone.now()
            review.save(update_fields=["status", "invitations_sent_at"])
        events.record(review, "invitations_sent",
                      "Invitations sent to " + ", ".join(i.name for i in sent),
                      actor=actor, invitations=[str(i.pk) for i in sent])
    return sent


def _newer_than_withdrawals(review: Review, pending: list[Invitation]) -> None:
    """Someone invited again after their invitation was withdrawn must be sent a version
    of the meeting newer than the withdrawal, or their calendar ignores it as old."""
    withdrawn = {email.lower() for email in review.invitations.filter(
        removed_at__isnull=False, sent_at__isnull=False,
        calendar_sequence__gte=review.calendar_sequence).values_list("email", flat=True)}
    if any(invitation.email.lower() in withdrawn for invitation in pending):
        review.calendar_sequence += 1
        review.save(update_fields=["calendar_sequence"])


def _email_context(review: Review, today: dt.date) -> dict:
    """What every invitation email of one review shares, read once per send."""
    contacts = authority_contacts(review.plan.child.authority)
    return {
        "summary": presenters.review_summary(review, today),
        "meeting_date": presenters.date_text(review.meeting_date),
        "service_name": settings.SITE_NAME,
        "authority_name": review.plan.child.authority.name,
        "advocacy": contacts.advocacy,
        "sendiass": contacts.sendiass,
        "contact": coordinator_contact(review),
    }


def advice_due_text(invitation: Invitation) -> str:
    """The date this person is given for their advice or views, as an email says it."""
    due = invitation.advice_due()
    return presenters.date_text(due) if due else ""


def invitation_email(context: dict, invitation: Invitation, token: str) -> tuple[str, str]:
    """Subject and text: which review (initials and LA reference, never the name), what is
    asked of this person and by when, and their own link."""
    template = ("reviews/email/invitation_family.txt"
                if invitation.role == Invitation.Role.FAMILY
                else "reviews/email/invitation_professional.txt")
    text = render_to_string(template, {**context, "invitation": invitation,
                                       "advice_due": advice_due_text(invitation),
                                       "link": invitation_link(token)})
    subject = (f"Review meeting for {context['summary'].reference_text} on "
               f"{context['meeting_date']}: you are invited")
    return subject, text


@post.letter_body(PostalLetter.Kind.INVITATION)
def invitation_letter(letter: PostalLetter, review: Review, day: dt.date) -> str:
    """The family's invitation email on paper, asking for their views by the date a family
    member asked on the letter's date is given."""
    due = review.advice_due_given(day)
    text = render_to_string("reviews/email/invitation_family.txt", {
        **_email_context(review, day), "invitation": {"name": letter.addressed_to},
        "advice_due": presenters.date_text(due) if due else "", "link": ""})
    return post.email_text(text)
