"""Drafting the joint outcome from what the review holds, and saving the coordinator's edits.

The draft is one JSON document (``draft_content`` gives its shape). It is made when the
meeting closes (reports/apps.py subscribes to the `meeting.closed` event) or by the
coordinator from the outcome page, and each save is a Wagtail revision, so every version
of the draft is kept, with who and when.

Each part of the draft fits the editor's limit for it (the Report model's): a draft the
editor refused as it stood could never be saved. What several people wrote into one part
is shared out between them when it would not fit (``fit_together``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from meeting.models import Comment, Meeting
from reports.models import Report
from reviews import advice as advice_actions
from reviews import events
from reviews.models import Advice, FamilyViews, Invitation, Plan, Review
from reviews.words import explain_once, role_words
from reviews.young_person import marking_the_young_person

logger = logging.getLogger(__name__)

SCHEMA = 1


class Attendance:
    """How each person invited took part, as the report says it."""

    ATTENDED = "attended"
    APOLOGIES = "apologies"
    ABSENT = "absent"
    UNKNOWN = "unknown"
    CHOICES = [(ATTENDED, "Attended"), (APOLOGIES, "Sent apologies"),
               (ABSENT, "Did not attend"), (UNKNOWN, "Not recorded")]
    LABELS = dict(CHOICES)


OVERALL_CHOICES = [("maintain", "Maintain the plan as it is"), ("amend", "Amend the plan"),
                   ("cease", "Cease the plan")]
OVERALL_LABELS = dict(OVERALL_CHOICES)
SECTION_TITLES = dict(Plan.SECTIONS)

# The family's answers, in the order their form asks them.
VIEWS_QUESTIONS = [("what_is_important", "What is important to {name}"),
                   ("going_well", "What is going well"),
                   ("hard", "What is hard"),
                   ("hopes", "Hopes for the future")]


class DraftConflict(Exception):
    """Someone saved the draft after this editor opened it."""

    def __init__(self, by: str):
        super().__init__(by)
        self.by = by


# ---------------------------------------------------------------------------
# Fitting what people wrote into the report's limits
# ---------------------------------------------------------------------------

SHORTENED = " […] (Shortened for the report. The full text is kept with the review.)"


def fit(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else as much of it as fits, saying so."""
    if len(text) <= limit:
        return text
    if limit <= len(SHORTENED):
        return text[:max(limit, 0)]
    return text[:limit - len(SHORTENED)].rstrip() + SHORTENED


def fit_together(parts: list[str], limit: int, sep: str = "\n\n") -> str:
    """``parts`` joined by ``sep`` in at most ``limit`` characters. When they do not all
    fit, the room is shared out: shorter parts stay whole and the longer ones are cut to
    the same length, so one person's long answer never pushes out another's."""
    room = limit - len(sep) * max(len(parts) - 1, 0)
    shares = {}
    for taken, i in enumerate(sorted(range(len(parts)), key=lambda i: len(parts[i]))):
        shares[i] = min(len(parts[i]), room // (len(parts) - taken))
        room -= shares[i]
    return fit(sep.join(fit(part, shares[i]) for i, part in enumerate(parts)), limit)


# ---------------------------------------------------------------------------
# What the review holds, as a draft
# ---------------------------------------------------------------------------


def _attendance(invitation: Invitation) -> dict:
    note = ""
    if invitation.attended:
        status = Attendance.ATTENDED
    elif invitation.answer == Invitation.Answer.DECLINED:
        status, note = Attendance.APOLOGIES, invitation.declined_reason
    elif invitation.answer == Invitation.Answer.ADVICE_ONLY:
        status, note = Attendance.APOLOGIES, "Sent advice instead"
    elif invitation.answer == Invitation.Answer.NOT_ATTENDING:
        status = Attendance.APOLOGIES
    elif invitation.attended is False:
        status = Attendance.ABSENT
    else:
        status = Attendance.UNKNOWN
    return {"name": invitation.name,
            "role": role_words(invitation, with_agency=False,
                               young_person=invitation.is_young_person),
            "agency": invitation.agency.name if invitation.agency_id else "",
            "status": status, "note": fit(note, Report.NOTE_MAX_LENGTH)}


def _contributor(invitation: Invitation) -> str:
    """'Theo Rapist, Speech and language therapist at Testshire NHS Trust'."""
    who = invitation.name
    if invitation.discipline:
        who += f", {role_words(invitation, with_agency=False)}"
    if invitation.agency_id and invitation.agency.name != invitation.name:
        who += f" at {invitation.agency.name}"
    return who


def _views(review: Review) -> dict:
    name = review.plan.child.first_name
    views = list(FamilyViews.objects.filter(review=review, submitted_at__isnull=False)
                 .select_related("author").order_by("submitted_at"))
    family, child, files = [], [], []
    for entry in views:
        answers = [f"{label.format(name=name)}: {getattr(entry, field).strip()}"
                   for field, label in VIEWS_QUESTIONS if getattr(entry, field).strip()]
        if answers and len(views) > 1:
            answers.insert(0, f"From {entry.author}:")
        family += answers
        if entry.childs_own_words.strip():
            child.append(entry.childs_own_words.strip())
        if entry.childs_own_file:
            files.append(entry.pk)
    return {"family": fit_together(family, Report.TEXT_MAX_LENGTH),
            "child": fit_together(child, Report.TEXT_MAX_LENGTH), "files": files}


def _latest_advice(review: Review):
    """Each current contributor's latest submitted advice: only submitted advice counts."""
    submitted = Advice.objects.filter(invitation__review=review,
                                      invitation__removed_at__isnull=True,
                                      status=Advice.Status.SUBMITTED)
    return [c.latest for c in advice_actions.contributions(advice_actions.with_content(submitted))]


def _progress(review: Review, latest) -> list[dict]:
    by_outcome: dict[int, list[str]] = {}
    for advice in latest:
        for entry in advice.progress.all():
            line = f"{_contributor(advice.invitation)}: {entry.get_progress_display()}."
            if entry.evidence.strip():
                line += f" {entry.evidence.strip()}"
            by_outcome.setdefault(entry.outcome_id, []).append(line)
    return [{"number": o.number, "outcome": o.text,
             "text": fit_together(by_outcome.get(o.pk, []), Report.TEXT_MAX_LENGTH)}
            for o in review.plan.outcomes.order_by("number")]


def _advice_summary(advice: Advice) -> str:
    parts = []
    if advice.what_is_working.strip():
        parts.append(f"What is working: {advice.what_is_working.strip()}")
    if advice.what_is_not_working.strip():
        parts.append(f"What is not working: {advice.what_is_not_working.strip()}")
    return fit_together(parts, Report.TEXT_MAX_LENGTH)


def _advice(latest) -> list[dict]:
    return [{"who": _contributor(a.invitation), "advice_id": a.pk, "version": a.version,
             "submitted_on": timezone.localdate(a.submitted_at).isoformat(),
             "summary": _advice_summary(a)} for a in latest]


def _meeting_record(meeting: Meeting | None) -> dict:
    if meeting is None:
        return {"notes": [], "actions": [], "changes": {}, "overall": {}, "disagreements": []}
    items = list(meeting.items.order_by("position").prefetch_related(Prefetch(
        "comments", to_attr="disagreements",
        queryset=Comment.objects.filter(kind=Comment.Kind.DISAGREE).select_related("author")
        .order_by("at", "pk"))))
    recommendations = list(meeting.recommendations.all())
    overall = next((r for r in recommendations if not r.section), None)
    return {
        "notes": [{"title": i.title, "text": _fitted(i.notes)} for i in items],
        "actions": [{"what": _fitted(a.what), "who": fit(a.who, Report.NAME_MAX_LENGTH),
                     "due_on": a.due_on.isoformat() if a.due_on else ""}
                    for a in meeting.actions.order_by("at", "pk")],
        "changes": {r.section: _with_agreement(r.text, r.agreed_by)
                    for r in recommendations if r.section and r.text.strip()},
        "overall": {"choice": overall.overall, "text": _fitted(overall.text),
                    "agreed_by": fit(overall.agreed_by.strip(), Report.NOTE_MAX_LENGTH)}
        if overall else {},
        "disagreements": [{"who": fit(str(c.author), Report.NAME_MAX_LENGTH),
                           "about": fit(item.title, Report.TITLE_MAX_LENGTH),
                           "text": _fitted(c.text)}
                          for item in items for c in item.disagreements],
    }


def _fitted(text: str) -> str:
    return fit(text.strip(), Report.TEXT_MAX_LENGTH)


def _with_agreement(text: str, agreed_by: str) -> str:
    parts = [text.strip()]
    if agreed_by.strip():
        parts.append(f"Agreed by: {agreed_by.strip()}")
    return fit_together(parts, Report.TEXT_MAX_LENGTH)


def draft_content(review: Review) -> dict:
    """The joint outcome as the review holds it: attendance and apologies; the child's and
    family's views; progress on each outcome from each contributor; each agency's advice
    in summary (with the advice to link to); the notes per agenda item; the actions; the
    changes recommended per plan section; the overall recommendation; and every
    disagreement recorded in the meeting, attributed (SEND Regs 2014 regs 20(7), 21(7))."""
    meeting = Meeting.objects.filter(review=review).first()
    latest = _latest_advice(review)
    record = _meeting_record(meeting)
    return _explained({
        "schema": SCHEMA,
        "meeting_on": _meeting_day(review, meeting).isoformat(),
        "attendance": [_attendance(i) for i in marking_the_young_person(
            review.invitations.current(), review.plan.child_id)
            .select_related("agency").order_by("created_at")],
        "views": _views(review),
        "progress": _progress(review, latest),
        "advice": _advice(latest),
        **record,
        "comments": [],
    })


def _explained(content: dict) -> dict:
    """Each acronym in the roles explained the first time the report uses it: in the
    attendance, then progress, then advice, as the report reads."""
    places = ([(row, "role") for row in content["attendance"]]
              + [(row, "text") for row in content["progress"]]
              + [(row, "who") for row in content["advice"]])
    for (row, key), text in zip(places, explain_once([row[key] for row, key in places]),
                                strict=True):
        row[key] = text
    return content


def _meeting_day(review: Review, meeting: Meeting | None) -> dt.date:
    if review.meeting_at:
        return review.meeting_date
    when = meeting.opened_at if meeting else timezone.now()
    return timezone.localdate(when)


# ---------------------------------------------------------------------------
# Making the draft
# ---------------------------------------------------------------------------


def can_draft(review: Review, now: dt.datetime | None = None) -> bool:
    """A draft can be made once the meeting has been held: closed in the room, or its
    time has passed (a meeting held without the room)."""
    now = now or timezone.now()
    if not review.is_open:
        return False
    return review.has_reached(Review.Status.MEETING_HELD) or bool(
        review.meeting_at and review.meeting_at <= now)


def do_draft_report(review: Review, actor=None) -> Report:
    """The review's draft report, made from the meeting the first time; once made, it is
    returned as it is (a second close or a double click makes no second draft)."""
    with transaction.atomic():
        locked = Review.objects.select_for_update(of=("self",)).with_child().get(pk=review.pk)
        existing = Report.objects.filter(review=locked).first()
        if existing is not None:
            return existing
        if not can_draft(locked):
            raise ValidationError("The draft report can be made once the meeting has been held.")
        report = Report.objects.create(review=locked, content=draft_content(locked),
                                       updated_by=actor)
        report.save_revision(user=actor, clean=False)
        events.record(locked, "report.drafted", "Draft report made from the meeting record",
                      actor=actor, revision=report.latest_revision_id)
    return report


def draft_when_meeting_closes(event) -> None:
    """The meeting has closed: draft the report in the same transaction. A failure here
    must not stop the meeting closing, so it is logged and the coordinator can make the
    draft from the outcome page."""
    try:
        with transaction.atomic():
            do_draft_report(Review.objects.get(pk=event.review_id), actor=event.actor)
    except Exception:
        logger.exception("Could not draft the report of review %s", event.review_id)


# ---------------------------------------------------------------------------
# Saving the coordinator's edits
# ---------------------------------------------------------------------------


def revision_number(report: Report, revision_id: int | None) -> int:
    """Drafts are numbered 1, 2, 3... in the order they were saved."""
    if revision_id is None:
        return 0
    return report.revisions.filter(pk__lte=revision_id).count()


def do_save_draft(report: Report, actor, content: dict, *, base_revision: int | None,
                  summary: str = "") -> bool:
    """Save the edited draft as a new revision. Refuses (DraftConflict) if someone saved
    after ``base_revision``, the revision the editor started from, so nobody overwrites
    another's work unseen. False if nothing changed."""
    with transaction.atomic():
        report = (Report.objects.select_for_update(of=("self",)).select_related("review")
                  .get(pk=report.pk))
        if not report.review.is_open:
            raise ValidationError("The review is closed: its report can no longer change.")
        if base_revision is not None and report.latest_revision_id != base_revision:
            latest = report.latest_revision
            raise DraftConflict(str(latest.user) if latest and latest.user else "someone")
        if content == report.content:
            return False
        save_new_revision(report, actor, content)
        number = revision_number(report, report.latest_revision_id)
        events.record(report.review, "report.saved",
                      summary or f"Draft report saved (draft {number})", actor=actor,
                      revision=report.latest_revision_id)
    return True


def save_new_revision(report: Report, actor, content: dict) -> None:
    """Write ``content`` to the draft and keep it as a revision; the caller holds the
    report's row lock and records the event."""
    report.content = content
    report.updated_at = timezone.now()
    report.updated_by = actor
    report.save(update_fields=["content", "updated_at", "updated_by"])
    report.save_revision(user=actor, clean=False)
