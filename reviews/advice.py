"""What contributors do on a review: answer their invitation, write advice (a draft they
come back to, then a submission, then corrections as new versions), and read the advice
once it is circulated; and the circulation itself.

Views and scheduled jobs call the do_* functions; tests call them directly. Each change
records an Event in the same transaction, every email goes through the outbox with an
idempotency key, and a double click changes nothing the second time. Who may see the review
at all is decided by reviews/access.py before any of this runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from outbox.mail import queue_email
from reviews import clock, events
from reviews.access import Standing, invitations_told, visible_reviews
from reviews.models import Advice, Attachment, Invitation, Outcome, OutcomeProgress, Plan, Review
from reviews.presenters import DeadlineRow, deadline_row, meeting_text

# ---------------------------------------------------------------------------
# Answering an invitation
# ---------------------------------------------------------------------------


def answerable_invitation(review: Review, user, led_agencies,
                          invitation_id=None) -> Invitation | None:
    """The invitation `user` answers on this review: their own, or one addressed to an
    agency they lead (named by `invitation_id`, as the lead's "My reviews" links do)."""
    invitations = Invitation.objects.current().filter(review=review).select_related("agency")
    if invitation_id is None:
        return invitations.filter(user=user).order_by("created_at").first()
    try:
        return invitations.filter(Q(user=user) | Q(agency_id__in=led_agencies)).filter(
            pk=invitation_id).first()
    except ValidationError:  # not a UUID
        return None


def may_decline_for_agency(invitation: Invitation, led_agencies) -> bool:
    """Only an agency can decline an agency's part in a review: through its duty inbox, or
    through one of its leads."""
    if invitation.agency_id is None:
        return False
    duty_inbox = invitation.agency.email.lower()
    return invitation.agency_id in led_agencies or (
        bool(duty_inbox) and invitation.email.lower() == duty_inbox)


_ANSWER_WORDS = {
    Invitation.Answer.ATTENDING: "will attend the meeting",
    Invitation.Answer.NOT_ATTENDING: "will not attend the meeting",
    Invitation.Answer.ADVICE_ONLY: "will send advice only",
    Invitation.Answer.DECLINED: "can't contribute to this review",
}


def do_answer_invitation(invitation: Invitation, actor, answer: str, reason: str = "",
                         now: dt.datetime | None = None, for_agency: bool = False, *,
                         from_calendar: bool = False) -> Invitation:
    """Record the answer to an invitation, when it was given and by whom. The portal is
    the record: saying they can't contribute (or, ``for_agency``, declining for the whole
    agency) needs a reason, which the coordinator reads; they are told by email, so they
    can ask someone else. `from_calendar`: given as a reply from the person's calendar,
    which the event says."""
    if answer not in _ANSWER_WORDS:
        raise ValueError(f"Not an answer to an invitation: {answer!r}")
    declined = answer == Invitation.Answer.DECLINED
    reason = reason.strip() if declined else ""
    if declined and not reason:
        raise ValidationError("Say why you can't contribute", code="reason_required")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related(
            "review__plan__child", "review__coordinator", "agency").get(pk=invitation.pk)
        if invitation.answered_at and (invitation.answer, invitation.declined_reason) == (
                answer, reason):
            return invitation  # the same answer twice (a double click) changes nothing
        invitation.answer = answer
        invitation.declined_reason = reason
        invitation.answered_at = now or timezone.now()
        invitation.save(update_fields=["answer", "declined_reason", "answered_at"])
        words = "declined for the agency" if declined and for_agency else _ANSWER_WORDS[answer]
        how = " (a reply from their calendar)" if from_calendar else ""
        events.record(invitation.review, "invitation_answered", f"{invitation.name} {words}{how}",
                      actor=actor, invitation=str(invitation.pk), answer=answer, reason=reason,
                      **({"via": "calendar"} if from_calendar else {}))
        if declined and actor.pk != invitation.review.coordinator_id:
            _tell_coordinator_of_refusal(invitation, words)
    return invitation


def _tell_coordinator_of_refusal(invitation: Invitation, words: str) -> None:
    """Once per refusal (a change of mind and a second refusal is told again). The reason
    stays in the portal: it may speak of the child."""
    review = invitation.review
    queue_email(
        key=f"invitation-declined:{invitation.pk}:{invitation.answered_at.isoformat()}",
        to=review.coordinator.email,
        subject=f"{invitation.name} {words}: {_reference(review)}",
        text=render_to_string("reviews/email/invitation_declined.txt", {
            "invitation": invitation, "review": review, "words": words,
            "reference": _reference(review), "service_name": settings.SITE_NAME,
            "link": settings.BASE_URL.rstrip("/") + reverse("reviews:review",
                                                            args=[review.pk])}))


# ---------------------------------------------------------------------------
# Where each invitation's advice stands
# ---------------------------------------------------------------------------


def with_advice_state(invitations):
    """`invitations` annotated with their latest advice version's status and their latest
    submission, so that a list of any length reads advice states in the same one query."""
    versions = Advice.objects.filter(invitation=OuterRef("pk")).order_by("-version")
    submitted = versions.filter(status=Advice.Status.SUBMITTED)
    return invitations.annotate(
        latest_advice_status=Subquery(versions.values("status")[:1]),
        last_submitted_at=Subquery(submitted.values("submitted_at")[:1]),
        last_submitted_late=Subquery(submitted.values("was_late")[:1]),
    )


@dataclass(frozen=True)
class AdviceState:
    """Where one invitation's advice stands, as a GOV.UK tag, and its deadline."""

    label: str
    tag_colour: str
    deadline: DeadlineRow | None
    submitted_at: dt.datetime | None = None
    in_draft: bool = False
    declined: bool = False

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


def asks_for_advice(invitation: Invitation) -> bool:
    """Families give their views, not advice, whatever the invitation says."""
    return invitation.advice_requested and invitation.role != Invitation.Role.FAMILY


def advice_state(invitation: Invitation, today: dt.date) -> AdviceState | None:
    """Not started, draft, late, submitted or submitted late; None when no advice is asked.
    Reads the annotations of `with_advice_state`."""
    if not asks_for_advice(invitation):
        return None
    due = invitation.advice_due()
    submitted_at = invitation.last_submitted_at
    in_draft = invitation.latest_advice_status == Advice.Status.DRAFT
    deadline = None
    if due is not None:
        done_on = timezone.localdate(submitted_at) if submitted_at else None
        deadline = deadline_row("Advice due", due, today, done_on=done_on)
    if submitted_at is not None:
        if invitation.last_submitted_late:
            return AdviceState("Submitted late", "orange", deadline, submitted_at, in_draft)
        return AdviceState("Submitted", "green", deadline, submitted_at, in_draft)
    if invitation.answer == Invitation.Answer.DECLINED:
        return AdviceState("Can't contribute", "grey", deadline, declined=True)
    if deadline is not None and deadline.status == clock.DeadlineStatus.LATE:
        return AdviceState("Late", "red", deadline, in_draft=in_draft)
    if in_draft:
        return AdviceState("Draft", "blue", deadline, in_draft=True)
    return AdviceState("Not started", "grey", deadline)


# ---------------------------------------------------------------------------
# "My reviews"
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MyReviewRow:
    invitation: Invitation
    for_agency: bool  # the person leads the agency invited, rather than being invited
    advice: AdviceState | None
    sort_date: dt.date | None  # None: nothing is due until a meeting is set

    @property
    def review(self) -> Review:
        return self.invitation.review

    @property
    def meeting_text(self) -> str:
        return meeting_text(self.review.meeting_at)


def my_review_rows(user, standing: Standing, today: dt.date) -> list[MyReviewRow]:
    """Every current invitation of `user` to an open review they may see, and those of
    agencies they lead, what is due first at the top. One query whatever the caseload."""
    invitations = with_advice_state(
        Invitation.objects.current()
        .filter(Q(user=user) | Q(agency_id__in=standing.led_agencies))
        .filter(review__in=visible_reviews(user, standing).open())
        .select_related("agency", "review__plan__child__setting")
    )
    rows = []
    for invitation in invitations:
        state = advice_state(invitation, today)
        review = invitation.review
        # Advice still owed is due before the meeting; once it is in, the meeting is next.
        if state and not state.is_submitted and state.deadline:
            sort_date = state.deadline.due
        else:
            sort_date = review.meeting_date
        rows.append(MyReviewRow(invitation, for_agency=invitation.user_id != user.pk,
                                advice=state, sort_date=sort_date))
    rows.sort(key=lambda row: (row.sort_date is None, row.sort_date or dt.date.min,
                               row.invitation.created_at))
    return rows


# ---------------------------------------------------------------------------
# Writing advice: drafts, submission, corrections
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AdviceContent:
    """What a contributor typed: progress per outcome id as (progress, evidence), the two
    free-text answers, and recommended changes keyed by plan section letter."""

    progress: dict[int, tuple[str, str]] = field(default_factory=dict)
    what_is_working: str = ""
    what_is_not_working: str = ""
    recommended_changes: dict[str, str] = field(default_factory=dict)


class AdviceAlreadySubmitted(Exception):
    """There is no draft to change: the advice was submitted, and correcting it starts a
    new version (do_correct_advice)."""


def latest_advice(invitation: Invitation) -> Advice | None:
    return invitation.advice.order_by("-version").first()


def current_draft(invitation: Invitation) -> Advice | None:
    """The one draft an invitation can have: its highest version, while not submitted."""
    latest = latest_advice(invitation)
    return latest if latest and latest.status == Advice.Status.DRAFT else None


def _lock(invitation: Invitation) -> Invitation:
    # Serialises saves, submissions and corrections of one invitation's advice, so two
    # clicks cannot both create a version.
    return (Invitation.objects.select_for_update(of=("self",))
            .select_related("review__plan__child").get(pk=invitation.pk))


def do_save_advice(invitation: Invitation, actor, content: AdviceContent,
                   files=(), remove=()) -> Advice:
    """Save the draft (starting version 1 if there is none): the typed content, new files
    as (uploaded file, checked content type) pairs, and attachment ids to remove."""
    with transaction.atomic():
        invitation = _lock(invitation)
        draft = latest_advice(invitation)
        if draft is not None and draft.status == Advice.Status.SUBMITTED:
            raise AdviceAlreadySubmitted
        if draft is None:
            draft = Advice.objects.create(invitation=invitation, version=1, author=actor)
            # Later saves of a draft are the author's own working copy, seen by nobody
            # else: the timeline records the start and the submission, not every keystroke.
            events.record(invitation.review, "advice_started",
                          f"{invitation.name} started their advice", actor=actor,
                          invitation=str(invitation.pk), advice=draft.pk, version=1)
        _write_content(draft, content)
        _remove_attachments(draft, remove)
        _attach(draft, files)
    return draft


def _remove_attachments(draft: Advice, ids) -> None:
    """Drop the chosen files from the draft, and from storage once nothing refers to them:
    a correction shares its files with the version it copies, which must keep them."""
    doomed = list(draft.attachments.filter(pk__in=list(ids)))
    if not doomed:
        return
    Attachment.objects.filter(pk__in=[a.pk for a in doomed]).delete()
    names = {a.file.name for a in doomed}
    orphans = names - set(Attachment.objects.filter(file__in=names)
                          .values_list("file", flat=True))
    storage = Attachment._meta.get_field("file").storage

    def delete_orphans():
        for name in orphans:
            storage.delete(name)

    transaction.on_commit(delete_orphans)


def _write_content(advice: Advice, content: AdviceContent) -> None:
    advice.what_is_working = content.what_is_working
    advice.what_is_not_working = content.what_is_not_working
    advice.recommended_changes = {k: v for k, v in content.recommended_changes.items() if v}
    advice.save()
    outcome_ids = set(Outcome.objects.filter(plan_id=advice.invitation.review.plan_id)
                      .values_list("pk", flat=True))
    # Evidence typed before a progress answer is chosen is kept too: nothing typed is lost.
    typed = {pk: answer for pk, answer in content.progress.items()
             if pk in outcome_ids and any(answer)}
    advice.progress.exclude(outcome_id__in=typed).delete()
    existing = {row.outcome_id: row for row in advice.progress.all()}
    new, changed = [], []
    for outcome_id, (progress, evidence) in typed.items():
        row = existing.get(outcome_id)
        if row is None:
            new.append(OutcomeProgress(advice=advice, outcome_id=outcome_id, progress=progress,
                                       evidence=evidence))
        elif (row.progress, row.evidence) != (progress, evidence):
            row.progress, row.evidence = progress, evidence
            changed.append(row)
    OutcomeProgress.objects.bulk_create(new)
    OutcomeProgress.objects.bulk_update(changed, ["progress", "evidence"])


def _attach(advice: Advice, files) -> None:
    names = set(advice.attachments.values_list("name", "size"))
    for uploaded, content_type in files:
        if (uploaded.name, uploaded.size) in names:
            continue  # the same file sent twice (a double click, or chosen again)
        Attachment.objects.create(advice=advice, file=uploaded, name=uploaded.name[:200],
                                  content_type=content_type, size=uploaded.size)
        names.add((uploaded.name, uploaded.size))


def missing_progress(advice: Advice) -> list[Outcome]:
    """The plan's outcomes this advice has not yet said anything about."""
    answered = advice.progress.exclude(progress="").values("outcome_id")
    return list(Outcome.objects.filter(plan__reviews__invitations__advice=advice)
                .exclude(pk__in=answered))


def do_submit_advice(advice: Advice, actor, now: dt.datetime | None = None) -> Advice:
    """Submit a draft. Late advice (after the review's advice date, from the clock) is
    accepted and flagged; advice arriving after circulation is shared with everyone at once.
    Submitting an already submitted version (a double click) changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _lock(advice.invitation)
        advice = Advice.objects.select_for_update().get(pk=advice.pk)
        if advice.status == Advice.Status.SUBMITTED:
            return advice
        if missing := missing_progress(advice):
            raise ValidationError(
                [f"Say how outcome {outcome.number} is going" for outcome in missing],
                code="incomplete")
        review = invitation.review
        # Late against the date they were given, not the law's date they were asked after.
        due = invitation.advice_due()
        advice.record_submission(now, late=due is not None and timezone.localdate(now) > due)
        version = f" (version {advice.version})" if advice.version > 1 else ""
        late = ", after the advice date" if advice.was_late else ""
        events.record(review, "advice_submitted",
                      f"{invitation.name} submitted their advice{version}{late}", actor=actor,
                      invitation=str(invitation.pk), advice=advice.pk, version=advice.version,
                      late=advice.was_late)
        # Read after the event's write, which waits for a circulation in progress to
        # commit: advice arriving as it goes out is still announced.
        if Review.objects.filter(pk=review.pk, advice_circulated_at__isnull=False).exists():
            _tell_invitees_of_late_advice(review, invitation, advice)
    return advice


def do_correct_advice(invitation: Invitation, actor) -> Advice:
    """Start a correction: a new draft version holding a copy of the last submission.
    Both versions are kept. If a correction is already in draft, that draft is returned;
    once the advice has the most versions allowed, a correction is refused."""
    with transaction.atomic():
        invitation = _lock(invitation)
        previous = latest_advice(invitation)
        if previous is None:
            raise ValueError("There is no advice to correct yet.")
        if previous.status == Advice.Status.DRAFT:
            return previous
        if not previous.may_be_corrected:
            raise ValidationError(
                f"You cannot correct this advice again: it already has the most versions "
                f"allowed ({previous.version}). If something still needs to change, contact "
                f"{invitation.review.coordinator}, who is coordinating the review.",
                code="too_many_versions")
        draft = Advice.objects.create(
            invitation=invitation, version=previous.version + 1, author=actor,
            what_is_working=previous.what_is_working,
            what_is_not_working=previous.what_is_not_working,
            recommended_changes=previous.recommended_changes,
        )
        OutcomeProgress.objects.bulk_create(
            OutcomeProgress(advice=draft, outcome_id=row.outcome_id, progress=row.progress,
                            evidence=row.evidence) for row in previous.progress.all())
        # The stored files are shared, not copied: both versions read the same bytes.
        Attachment.objects.bulk_create(
            Attachment(advice=draft, file=a.file.name, name=a.name,
                       content_type=a.content_type, size=a.size)
            for a in previous.attachments.all())
        events.record(invitation.review, "advice_correction_started",
                      f"{invitation.name} started correcting their advice", actor=actor,
                      invitation=str(invitation.pk), advice=draft.pk, version=draft.version)
    return draft


# ---------------------------------------------------------------------------
# Reading advice
# ---------------------------------------------------------------------------


def readable_advice(access, user):
    """The submitted advice `user` may read on `access.review`: everyone's once it is
    circulated (or to the coordinator), before that only their own."""
    advice = Advice.objects.filter(invitation__review=access.review,
                                   status=Advice.Status.SUBMITTED)
    if not access.sees_all_advice:
        advice = advice.filter(invitation__user=user)
    return advice


def with_content(advice):
    """Everything a page shows of each advice, in a fixed number of queries."""
    return advice.select_related("invitation__agency").prefetch_related(
        Prefetch("progress", queryset=OutcomeProgress.objects.select_related("outcome")
                 .order_by("outcome__number")),
        "attachments",
    )


@dataclass(frozen=True)
class Contribution:
    """One contributor's advice: the latest submitted version and the earlier ones."""

    latest: Advice
    earlier: list[Advice]

    @property
    def invitation(self) -> Invitation:
        return self.latest.invitation

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        return recommended_changes(self.latest)


def contributions(advice) -> list[Contribution]:
    """Group submitted advice by invitation, latest version first, in submission order."""
    by_invitation: dict = {}
    for item in advice.order_by("submitted_at"):
        by_invitation.setdefault(item.invitation_id, []).append(item)
    grouped = [Contribution(latest=versions[-1], earlier=versions[-2::-1])
               for versions in by_invitation.values()]
    grouped.sort(key=lambda c: c.latest.submitted_at)
    return grouped


def attachment_for(access, user, attachment_id) -> Attachment | None:
    """An attachment `user` may download: on advice they may read, or on their own draft."""
    own_draft = Q(advice__status=Advice.Status.DRAFT, advice__invitation__user=user,
                  advice__invitation__review=access.review)
    return Attachment.objects.filter(pk=attachment_id).filter(
        Q(advice__in=readable_advice(access, user)) | own_draft).first()


def recommended_changes(advice: Advice) -> list[tuple[str, str, str]]:
    """(letter, section title, text) for each plan section the advice recommends changing."""
    return [(letter, title, advice.recommended_changes[letter])
            for letter, title in Plan.SECTIONS if advice.recommended_changes.get(letter)]


# ---------------------------------------------------------------------------
# Circulation
# ---------------------------------------------------------------------------


def can_circulate(review: Review) -> bool:
    """Advice goes out once invitations have, and only once."""
    return (review.is_open and review.advice_circulated_at is None
            and review.has_reached(Review.Status.INVITATIONS_SENT))


def do_circulate_advice(review: Review, actor=None, now: dt.datetime | None = None) -> bool:
    """Share all submitted advice with everyone invited (the coordinator's button, or the
    daily job two weeks before the meeting), and email each of them. True if this call
    circulated it; False if it was already circulated or cannot be yet."""
    with transaction.atomic():
        review = Review.objects.select_for_update(of=("self",)).with_child().get(pk=review.pk)
        if not can_circulate(review):
            return False
        review.advice_circulated_at = now or timezone.now()
        fields = ["advice_circulated_at"]
        if review.can_move_to(Review.Status.ADVICE_CIRCULATED):
            review.status = Review.Status.ADVICE_CIRCULATED
            fields.append("status")
        review.save(update_fields=fields)
        submitted = Advice.objects.filter(invitation__review=review,
                                          status=Advice.Status.SUBMITTED)
        count = submitted.values("invitation").distinct().count()
        who = f"by {actor}" if actor else (
            f"automatically, {clock.words_in_force()['advice_circulation']} before the meeting")
        events.record(review, "advice_circulated",
                      f"Advice circulated to everyone invited {who} ({count} sent in)",
                      actor=actor, contributions=count)
        link = _advice_link(review)
        for invitation in invitations_told(review):
            queue_email(
                key=f"circulated:{review.pk}:{invitation.pk}", to=invitation.email,
                subject=f"Advice is ready to read: {_reference(review)}",
                text=render_to_string("reviews/advice/email/circulated.txt", {
                    "invitation": invitation, "review": review, "link": link,
                    "reference": _reference(review), "meeting": meeting_text(review.meeting_at),
                    "service_name": settings.SITE_NAME}),
            )
    return True


def _tell_invitees_of_late_advice(review: Review, author: Invitation, advice: Advice) -> None:
    link = _advice_link(review)
    for invitation in invitations_told(review).exclude(pk=author.pk):
        queue_email(
            key=f"advice-shared:{advice.pk}:{invitation.pk}", to=invitation.email,
            subject=f"New advice to read: {_reference(review)}",
            text=render_to_string("reviews/advice/email/new_advice.txt", {
                "invitation": invitation, "author": author, "advice": advice,
                "review": review, "link": link, "reference": _reference(review),
                "meeting": meeting_text(review.meeting_at),
                "service_name": settings.SITE_NAME}),
        )


def _reference(review: Review) -> str:
    child = review.plan.child
    return f"{review.get_kind_display().lower()} for {child.initials} ({child.la_reference})"


def _advice_link(review: Review) -> str:
    return settings.BASE_URL.rstrip("/") + reverse("reviews:advice_list", args=[review.pk])
