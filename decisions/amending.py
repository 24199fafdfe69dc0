"""Amending a plan after a review (SEND Regs 2014 reg 22; Devon [2022]): the proposed
amendments by section, the family's reply, then the final amended plan (or a notice not to
amend). The plan keeps its versions: the copy sent with the proposal and the final plan are
PlanVersions, the final one becomes the plan's current text, the old stays readable.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from agencies import contacts
from decisions import notify
from decisions.closing import close_review
from decisions.models import Amendment, Decision, FamilyResponse, PlanVersion
from meeting.models import Recommendation
from reviews import events, presenters
from reviews.models import Plan, PostalLetter, Review

SECTION_LETTERS = [letter for letter, _ in Plan.SECTIONS]


def locked_review(review: Review) -> Review:
    """The review, fresh and locked until the transaction ends: one decision step at a time.
    Only the review's row is locked (the child's setting may be missing, and PostgreSQL
    cannot lock the empty side of an outer join)."""
    return Review.objects.select_for_update(of=("self",)).select_related(
        "plan__child__setting", "coordinator").get(pk=review.pk)


def clean_proposed(proposed: dict[str, str]) -> dict[str, str]:
    """The non-empty proposals for real sections, trimmed."""
    unknown = set(proposed) - set(SECTION_LETTERS)
    if unknown:
        raise ValueError(f"Not a plan section: {sorted(unknown)}")
    return {letter: text.strip() for letter, text in proposed.items() if text and text.strip()}


def recommended_amendments(review: Review) -> dict[str, str]:
    """What the meeting recommended changing, by section: the officer's starting point."""
    return dict(Recommendation.objects.filter(meeting__review=review).exclude(section="")
                .exclude(text="").values_list("section", "text"))


def overall_recommendation(review: Review) -> str:
    """The meeting's overall recommendation (Recommendation.Overall), or ""."""
    return Recommendation.objects.filter(meeting__review=review, section="").values_list(
        "overall", flat=True).first() or ""


def current_version(plan: Plan, review: Review, actor, today: dt.date) -> PlanVersion:
    """The plan as it stands, as a version: the latest version if nothing has changed since
    it was made, else a new copy."""
    sections = plan.text_of_sections()
    latest = plan.versions.order_by("-number").first()
    if latest is not None and latest.sections == sections:
        return latest
    return _new_version(plan, PlanVersion.Kind.COPY, sections, review, actor, today)


def _new_version(plan, kind, sections, review, actor, today) -> PlanVersion:
    # Called with the review locked: one version at a time per plan's review.
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return PlanVersion.objects.create(plan=plan, number=number, kind=kind, sections=sections,
                                      review=review, made_on=today, made_by=actor)


def propose(decision: Decision, actor, proposed: dict[str, str], today: dt.date) -> Amendment:
    """The proposed amendments, with a copy of the plan as it stands (in the decision's
    transaction)."""
    review = decision.review
    plan = Plan.objects.select_for_update().get(pk=review.plan_id)
    before = current_version(plan, review, actor, today)
    return Amendment.objects.create(decision=decision, proposed=proposed, plan_before=before)


def amendment_of(review: Review) -> Amendment | None:
    return Amendment.objects.select_related("decision", "plan_before", "final_version").filter(
        decision__review=review).first()


def reply_open(review: Review, amendment: Amendment | None) -> bool:
    """The family may reply until the final plan (or a notice not to amend) is issued; a
    reply after the 15 days still reaches the officer, marked late."""
    return amendment is not None and not amendment.is_finished


# ---------------------------------------------------------------------------
# The family's reply
# ---------------------------------------------------------------------------


def do_reply(review: Review, author, *, comments: str = "", named_setting: str = "",
             wants_meeting: bool = False, today: dt.date | None = None) -> FamilyResponse:
    """Record a family member's reply to the proposed amendments (one per person; sending
    again replaces it) and tell the coordinator. The same reply twice changes nothing."""
    today = today or timezone.localdate()
    comments, named_setting = comments.strip(), named_setting.strip()
    if not (comments or named_setting or wants_meeting):
        raise ValidationError("Tell us what you think, name a school or college, or ask to "
                              "meet us", code="empty")
    with transaction.atomic():
        review = locked_review(review)
        amendment = amendment_of(review)
        if not reply_open(review, amendment):
            raise ValidationError("The final plan has been sent, so you cannot reply to the "
                                  "proposed changes now", code="closed")
        response = FamilyResponse.objects.filter(amendment=amendment, author=author).first()
        said = {"comments": comments, "named_setting": named_setting,
                "wants_meeting": wants_meeting}
        if response is not None and all(getattr(response, k) == v for k, v in said.items()):
            return response
        late = today > review.deadlines().representations_end
        changed = response is not None
        response = response or FamilyResponse(amendment=amendment, author=author)
        for name, value in said.items():
            setattr(response, name, value)
        response.sent_at, response.was_late = timezone.now(), late
        response.save()
        asks = [what for what, asked in (("a school or college named", named_setting),
                                         ("to meet an officer", wants_meeting)) if asked]
        summary = (f"{author} {'changed their' if changed else 'sent a'} reply to the proposed "
                   f"amendments{' (after the 15 days)' if late else ''}"
                   + (f"; they ask for {' and '.join(asks)}" if asks else ""))
        event = events.record(review, "amendments.replied", summary, actor=author,
                              response=response.pk, late=late,
                              named_setting=bool(named_setting), wants_meeting=wants_meeting)
        notify.tell_coordinator(
            review, f"reply:{event.seq}",
            "The family replied to the proposed amendments"
            + (" and asked to meet" if wants_meeting else ""))
    return response


# ---------------------------------------------------------------------------
# The final plan, or a notice not to amend
# ---------------------------------------------------------------------------


def _finishing(review: Review, today: dt.date) -> Amendment:
    """The review's unfinished amendment, once the family's 15 days are over; the review is
    locked by the caller."""
    amendment = amendment_of(review)
    if amendment is None:
        raise ValidationError("This review has no proposed amendments", code="no_amendment")
    if amendment.is_finished:
        raise ValidationError("The final plan has already been sent", code="finished")
    if PostalLetter.objects.waiting().filter(review=review,
                                             kind=PostalLetter.Kind.DECISION).exists():
        # The family's 15 days count from the day it is posted (clock.served_on).
        raise ValidationError("The proposed amendments are still to be posted to the family. "
                              "Post them and record the day on Letters to post: the family "
                              "then has 15 days to reply.", code="not_posted")
    window_end = review.deadlines().representations_end
    if today <= window_end:
        raise ValidationError(
            f"The family can reply until {presenters.date_text(window_end)}. You can send the "
            f"final plan from {presenters.date_text(window_end + dt.timedelta(days=1))}.",
            code="too_soon")
    return amendment


def do_issue_final_plan(review: Review, actor, sections: dict[str, str],
                        today: dt.date | None = None) -> PlanVersion:
    """Issue the final amended plan: a new version that becomes the plan's current text
    (the old stays readable); the family is told; the review closes and the next one opens,
    due 12 months after this review's meeting."""
    today = today or timezone.localdate()
    sections = {letter: (sections.get(letter) or "").strip() for letter in SECTION_LETTERS}
    sections = {letter: text for letter, text in sections.items() if text}
    contacts.require(review.plan.child.authority, contacts.APPEALABLE_LETTER)
    with transaction.atomic():
        review = locked_review(review)
        amendment = _finishing(review, today)
        plan = Plan.objects.select_for_update().get(pk=review.plan_id)
        before = plan.text_of_sections()
        plan.sections = sections
        if plan.text_of_sections() == before:
            raise ValidationError("The plan is the same as before. Change at least one "
                                  "section, or decide not to amend the plan", code="unchanged")
        version = _new_version(plan, PlanVersion.Kind.AMENDED, plan.text_of_sections(), review,
                               actor, today)
        Plan.objects.filter(pk=plan.pk).update(sections=sections)
        _finish(review, amendment, actor, today, Amendment.Result.AMENDED, "", version)
        events.record(review, "amendments.final_plan",
                      f"Final amended plan issued (version {version.number})"
                      + _late(review, today), actor=actor, version=version.number,
                      final_plan_date=today.isoformat())
        notify.tell_family(review, "final", setting_too=True)
        close_review(review, actor, "the final amended plan was issued")
    return version


def do_decide_not_to_amend(review: Review, actor, reasons: str,
                           today: dt.date | None = None) -> Amendment:
    """Send the notice of a decision not to amend, with reasons (reg 22(4)); the plan stays
    as it was; the review closes and the next one opens."""
    today = today or timezone.localdate()
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError("Give the reasons for not amending the plan", code="reasons")
    contacts.require(review.plan.child.authority, contacts.APPEALABLE_LETTER)
    with transaction.atomic():
        review = locked_review(review)
        amendment = _finishing(review, today)
        _finish(review, amendment, actor, today, Amendment.Result.NOT_AMENDED, reasons, None)
        events.record(review, "amendments.not_amended",
                      "Notice sent: the plan will not be amended" + _late(review, today),
                      actor=actor, final_plan_date=today.isoformat())
        notify.tell_family(review, "not_amending", setting_too=True)
        close_review(review, actor, "the local authority decided not to amend the plan")
    return amendment


def _finish(review, amendment, actor, today, result, reasons, version) -> None:
    Amendment.objects.filter(pk=amendment.pk).update(
        result=result, result_reasons=reasons, final_version=version, finished_by=actor,
        finished_at=timezone.now())
    Review.objects.filter(pk=review.pk).update(final_plan_sent_on=today)
    review.final_plan_sent_on = today


def _late(review: Review, today: dt.date) -> str:
    due = review.deadlines().final_plan_due
    return f" ({presenters.relative_text(due, today)})" if due and today > due else ""
