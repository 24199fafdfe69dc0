"""Recording the LA's decision after a review.

Views call these functions; tests call them directly. Each change records an Event in the
same transaction, and a double submit changes nothing the second time.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies import contacts
from decisions import amending, notify
from decisions.closing import close_review
from decisions.models import Decision
from reviews import events, presenters
from reviews.models import Review

Outcome = Review.Decision


def can_record(review: Review) -> bool:
    """From the meeting on, until decided. The report normally comes first, but a late
    report must not make the decision late too: sent before the report is published, the
    decision says why (``before_report_reason``)."""
    return (review.meeting_at is not None and review.has_reached(Review.Status.MEETING_HELD)
            and review.can_move_to(Review.Status.DECIDED))


def do_record_decision(review: Review, actor, *, outcome: str, reasons: str,
                       proposed: dict[str, str] | None = None, cease_ground: str = "",
                       family_consulted_on: dt.date | None = None,
                       setting_consulted_on: dt.date | None = None,
                       before_report_reason: str = "",
                       today: dt.date | None = None) -> Decision:
    """Record and send the decision; the letter is dated ``today``.

    - maintain: the review closes and the plan's next review opens;
    - amend: the proposed amendments (by section) go with the decision, with a copy of the
      current plan and the evidence (Devon [2022]); the review stays open for the final plan;
    - cease: only on a lawful ground (CFA 2014 s45), after consulting the family and the
      setting (SEND Regs 2014 reg 31), and telling the family, the setting and the health
      commissioning body (reg 31(2)); the plan stays until the appeal window closes.

    The decision waits for the published report of the meeting, or ``before_report_reason``
    says why it cannot (kept on the record and in the review's timeline).
    """
    today = today or timezone.localdate()
    reasons = (reasons or "").strip()
    before_report_reason = (before_report_reason or "").strip()
    proposed = amending.clean_proposed(proposed or {}) if outcome == Outcome.AMEND else {}
    _check(outcome, reasons, proposed, cease_ground, family_consulted_on,
           setting_consulted_on, today)
    # The letter names who can help; it does not go without them (an amendment is not yet
    # appealable, so it does not name mediation).
    contacts.require(review.plan.child.authority, contacts.EVERY_LETTER
                     if outcome == Outcome.AMEND else contacts.APPEALABLE_LETTER)
    with transaction.atomic():
        review = amending.locked_review(review)
        existing = Decision.objects.filter(review=review).first()
        if existing is not None:
            if existing.outcome == outcome:
                return existing  # the same decision sent twice (a double click)
            raise ValidationError("A decision has already been sent for this review",
                                  code="decided")
        if not can_record(review) or review.meeting_date > today:
            raise ValidationError("The decision can be recorded once the meeting has been "
                                  "held", code="not_yet")
        if review.report_sent_on is not None:
            before_report_reason = ""
        elif not before_report_reason:
            raise ValidationError(REPORT_FIRST, code="no_report")
        decision = Decision.objects.create(
            review=review, outcome=outcome, reasons=reasons,
            cease_ground=cease_ground if outcome == Outcome.CEASE else "",
            family_consulted_on=family_consulted_on if outcome == Outcome.CEASE else None,
            setting_consulted_on=setting_consulted_on if outcome == Outcome.CEASE else None,
            before_report_reason=before_report_reason, decided_by=actor)
        facts = {"decision": outcome, "decision_sent_on": today,
                 "status": Review.Status.DECIDED}
        if outcome == Outcome.AMEND:
            amending.propose(decision, actor, proposed, today)
            facts["amendment_notice_sent_on"] = today
        Review.objects.filter(pk=review.pk).update(**facts)
        for name, value in facts.items():
            setattr(review, name, value)
        due = review.deadlines().decision_due
        events.record(review, "decision.recorded", _summary(decision, due, today),
                      actor=actor, outcome=outcome, letter_date=today.isoformat(),
                      late=today > due, before_report=before_report_reason)
        notify.tell_family(review, "decision", setting_too=outcome == Outcome.CEASE)
        if outcome == Outcome.CEASE:
            notify.tell_commissioner(review, today)
        if outcome == Outcome.MAINTAIN:
            close_review(review, actor, "The plan is maintained")
    return decision


REPORT_FIRST = ("The report of the meeting is not published yet. Publish it first, or say why "
                "the decision cannot wait for it")


def _check(outcome, reasons, proposed, cease_ground, family_consulted_on,
           setting_consulted_on, today) -> None:
    if outcome not in Outcome.values:
        raise ValueError(f"Not a decision: {outcome!r}")
    if not reasons:
        raise ValidationError("Give the reasons for the decision", code="reasons")
    if outcome == Outcome.AMEND and not proposed:
        raise ValidationError("Propose at least one amendment", code="no_amendments")
    if outcome != Outcome.CEASE:
        return
    if cease_ground not in Decision.Ground.values:
        raise ValidationError("A plan may cease only if the local authority is no longer "
                              "responsible, or the plan is no longer necessary",
                              code="ground")
    if family_consulted_on is None or setting_consulted_on is None:
        raise ValidationError("Consult the family and the setting before deciding to cease "
                              "the plan", code="not_consulted")
    if max(family_consulted_on, setting_consulted_on) > today:
        raise ValidationError("The consultation must have happened already", code="future")


_OUTCOME_WORDS = {
    Outcome.MAINTAIN: "maintain the plan unchanged",
    Outcome.AMEND: "amend the plan; the proposed amendments, the current plan and the "
                   "evidence went with it",
    Outcome.CEASE: "cease the plan",
}


def _summary(decision: Decision, due: dt.date, today: dt.date) -> str:
    late = f" ({presenters.relative_text(due, today)})" if today > due else ""
    before = " before the report was published" if decision.before_report_reason else ""
    return f"Decision sent{before}{late}: {_OUTCOME_WORDS[decision.outcome]}"
