"""Pages for the coordinator journeys: reviews due, the review page, scheduling the meeting,
inviting people, and the link in every invitation email.

Views are thin: access from reviews/access.py, changes through reviews/scheduling.py,
words from reviews/presenters.py.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from agencies.adapters import sign_in_to_answer
from agencies.models import Agency
from common.paging import page_links
from reviews import clock, invitation_links, invitees, presenters, scheduling
from reviews.access import (
    Standing,
    does_next_step,
    next_step_theirs,
    oversight_scope,
    refusal,
    review_access,
    visible_reviews,
)
from reviews.forms_coordinator import (
    AddPersonForm,
    CancelForm,
    DueFilterForm,
    HandOverForm,
    ScheduleForm,
    SuggestedForm,
)
from reviews.impossible_dates import refuses_impossible_dates
from reviews.models import Advice, Invitation, Review
from reviews.words import YOUNG_PERSON_WORDS
from reviews.young_person import marking_the_young_person, who_sees

# "Reviews due" shows what falls due within this horizon (issue #3), plus everything late
# or already under way.
DUE_HORIZON = dt.timedelta(weeks=12)
REVIEWS_PER_PAGE = 25
COUNTED_STEPS = ("schedule", "invite", "chase_advice", "circulate", "hold_meeting",
                 "send_report", "decide")


# ---------------------------------------------------------------------------
# Reviews due
# ---------------------------------------------------------------------------


def reviews_needing_action(user, standing, today):
    """Open reviews due within the horizon or overdue, and every review under way."""
    return (visible_reviews(user, standing).open()
            .filter(Q(due_by__lte=today + DUE_HORIZON) | ~Q(status=Review.Status.DUE)))


def _workbench_heading(standing: Standing) -> str:
    """The council's officers act on every review of their authority; a SENCO's list is
    their own school's children."""
    if standing.la_authorities:
        return "Reviews needing action"
    names = list(Agency.objects.filter(pk__in=standing.settings).order_by("name")
                 .values_list("name", flat=True))
    return f"Reviews at {names[0]}" if len(names) == 1 else "Reviews at your schools"


@login_required
def due(request):
    """The council's officers' and the SENCOs' home: the reviews in their care, the most
    urgent first, each saying whose the next step is."""
    standing = Standing.of(request.user)
    if not (standing.la_authorities or standing.settings):
        raise Http404("Not a coordinator")
    today = timezone.localdate()
    base = reviews_needing_action(request.user, standing, today)
    form = DueFilterForm(
        request.GET or None,
        settings_=Agency.objects.filter(pk__in=base.values("plan__child__setting")),
        coordinators=get_user_model().objects.filter(pk__in=base.values("coordinator")))
    reviews = form.filter(base, today)
    counts = presenters.count_next_steps(
        reviews.filter(next_step_theirs(request.user, standing)))
    # Only the council decides: a school's list does not offer it as a step.
    steps = [key for key in COUNTED_STEPS if standing.la_authorities or key != "decide"]
    rows = presenters.with_outstanding_advice(presenters.most_urgent_first(reviews.with_child()))
    page = Paginator(rows, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    summaries = [presenters.review_summary(r, today) for r in page]
    return render(request, "reviews/coordinator/due.html", {
        "page_heading": _workbench_heading(standing),
        "horizon": f"{DUE_HORIZON.days // 7} weeks",
        "for_school": not standing.la_authorities,
        "form": form,
        "counts": [(presenters.STEPS[key], counts[key]) for key in steps],
        "page": page,
        "page_links": page_links(page, query),
        "summaries": summaries,
        "rows": [(summary, does_next_step(request.user, review, standing))
                 for summary, review in zip(summaries, page, strict=True)],
        "clear_url": reverse("reviews:due"),
        "sees_figures": not oversight_scope(request.user, standing).is_empty,
    })


# ---------------------------------------------------------------------------
# The review page
# ---------------------------------------------------------------------------


# What follows the decision letter (the family's windows, mediation, the appeal and any
# Tribunal order) is the decision panel's, with the facts it depends on.
AFTER_THE_DECISION = {"representations_end", "mediation_contact_by",
                      "mediation_certificate_due", "mediation_held_by",
                      "mediation_end_certificate_due", "appeal_deadline", "unopposed_plan_due",
                      "order_placement_due", "order_provision_due"}


# The review's own steps, up to the final plan: the decision panel shows lateness after it.
_REVIEW_STEPS = {"review_due", "notice_by", "advice_circulated_by", "report_due",
                 "decision_due", "amendment_notice_due", "final_plan_due",
                 "amendments_overall_by", "phase_transfer_due"}


def _stage_dates(review: Review, deadlines: clock.ReviewDeadlines, done_on: dict,
                 today: dt.date):
    """The clock's dates the authority works to, each marked done on the day it was met;
    guidance dates are never late."""
    return [presenters.deadline_row(
                d.label, d.due, today, done_on=done_on.get(d.key),
                statutory=clock.is_statutory(d.key, review_statutory=review.is_statutory))
            for d in deadlines.as_list() if d.key not in AFTER_THE_DECISION]


# Where each invitation's advice stands: (tag, tag colour). Family views are the family
# helper's, so a family invitation is "not asked" here.
_ADVICE_STATES = {
    "declined": ("Can't contribute", "grey"),
    "not_asked": ("", ""),
    "sent": ("Sent", "green"),
    "sent_late": ("Sent late", "orange"),
    "late": ("Late", "red"),
    "awaited": ("Not sent yet", "grey"),
}


def _advice_row(invitation, today) -> dict:
    """One invitation and where its advice stands: when the latest submitted version came
    and whether it was late, never its content."""
    latest = invitation.submitted[0] if invitation.submitted else None
    advice_due = invitation.advice_due()  # the date they were given, never the law's
    if invitation.answer == Invitation.Answer.DECLINED:
        state, text = "declined", ""  # the reason is in the answer beside it
    elif not invitation.advice_requested or invitation.role == Invitation.Role.FAMILY:
        state, text = "not_asked", "Not asked for advice"
    elif latest is not None:
        state = "sent_late" if latest.was_late else "sent"
        text = f"Sent {presenters.date_text(timezone.localdate(latest.submitted_at))}"
    elif advice_due and advice_due < today:
        state, text = "late", f"Was due {presenters.date_text(advice_due)}"
    else:
        state = "awaited"
        text = f"Due {presenters.date_text(advice_due)}" if advice_due else ""
    tag, colour = _ADVICE_STATES[state]
    return {"invitation": invitation, "state": state, "advice_tag": tag,
            "advice_colour": colour, "advice_text": text,
            "role": YOUNG_PERSON_WORDS if invitation.is_young_person
            else invitation.get_role_display()}


def _tasks(review: Review, invitation_rows, can_decide: bool) -> list[dict]:
    invited_roles = scheduling.invited_roles(review, [row["invitation"]
                                                      for row in invitation_rows])
    asked = [r for r in invitation_rows if r["state"] in ("sent", "sent_late", "late", "awaited")]
    received = [r for r in asked if r["state"] in ("sent", "sent_late")]
    late = [r["invitation"].name for r in asked if r["state"] == "late"]
    refused = [r["invitation"].name for r in invitation_rows if r["state"] == "declined"]
    before_meeting = review.is_open and not review.has_reached(Review.Status.MEETING_HELD)
    stages = [
        {"name": "Schedule the meeting",
         "url": reverse("reviews:schedule", args=[review.pk]) if before_meeting else None,
         "done": review.meeting_at is not None,
         "hint": presenters.meeting_text(review.meeting_at)},
        {"name": "Invite the people",
         "url": reverse("reviews:invite", args=[review.pk]) if before_meeting else None,
         "done": review.has_reached(Review.Status.INVITATIONS_SENT)
         and all(r["invitation"].sent_at for r in invitation_rows),
         "roles": [(Invitation.Role(role).label, role in invited_roles)
                   for role in Invitation.REQUIRED_ROLES]},
        {"name": "Advice", "url": reverse("reviews:advice_list", args=[review.pk]),
         "done": bool(asked) and len(received) == len(asked),
         "hint": ". ".join(filter(None, [
             f"{len(received)} of {len(asked)} received" if asked else "",
             f"Late: {', '.join(late)}" if late else "",
             f"Can't contribute: {', '.join(refused)} (invite someone else?)" if refused
             else ""]))},
        {"name": "Circulate the advice",
         "url": reverse("reviews:advice_list", args=[review.pk]),
         "done": review.has_reached(Review.Status.ADVICE_CIRCULATED)},
        {"name": "The meeting", "url": reverse("reviews:meeting", args=[review.pk]),
         "done": review.has_reached(Review.Status.MEETING_HELD)},
        # Done when it happened, not when a later step moved the review on past it: a
        # decision sent before the report leaves the report still to publish.
        {"name": "The joint outcome report",
         "url": reverse("reports:outcome", args=[review.pk]),
         "done": review.report_sent_on is not None},
        {"name": "The local authority's decision",
         "url": reverse("decisions:record", args=[review.pk]) if can_decide else None,
         "done": review.decision_sent_on is not None, "councils": True},
    ]
    # The first stage not done is the one to do now; those after it cannot start yet.
    # The decision is the council's: a school that arranged the review waits for it.
    current = next((i for i, s in enumerate(stages) if not s["done"]), len(stages))
    for i, stage in enumerate(stages):
        stage["state"] = "done" if stage["done"] else "now" if i == current else "later"
        if stage["state"] == "now" and stage.get("councils") and not can_decide:
            stage["state"] = "council"
        stage["id"] = f"task-{i}"
    return stages


@login_required
@refuses_impossible_dates
def review_page(request, review_id):
    access = review_access(request.user, review_id, need="view", request=request)
    if access.is_family and not access.is_professional:
        return redirect("reviews:family_review", review_id=review_id)
    review = access.review
    today = timezone.localdate()
    invitations = list(
        marking_the_young_person(review.invitations.current(), review.plan.child_id)
        .select_related("agency").order_by("created_at")
        .prefetch_related(Prefetch(
            "advice", to_attr="submitted",
            queryset=Advice.objects.filter(status=Advice.Status.SUBMITTED)
            .order_by("-version"))))
    invitation_rows = [_advice_row(i, today) for i in invitations]
    deadlines, done_on = review.deadlines(), review.deadlines_met_on()
    return render(request, "reviews/coordinator/review.html", {
        "review": review,
        "access": access,
        "who_sees": who_sees(review.plan.child, "the")
        if access.can_manage and review.plan.child.decides_for_themselves() else None,
        "summary": presenters.review_summary(review, today),
        "dates": _stage_dates(review, deadlines, done_on, today),
        "lateness": presenters.lateness_lines(deadlines, done_on, today, keys=_REVIEW_STEPS)
        if access.can_manage and review.is_statutory else [],
        "tasks": _tasks(review, invitation_rows, access.can_decide) if access.can_manage else [],
        "can_hand_over": access.is_la_officer and review.is_open
        and not review.has_reached(Review.Status.MEETING_HELD),
        "invitation_rows": invitation_rows,
        "events": [(e, presenters.moment_text(e.at))
                   for e in review.events.select_related("actor").order_by("-seq")],
    })


# ---------------------------------------------------------------------------
# Schedule the meeting
# ---------------------------------------------------------------------------


def _schedule_initial(review: Review) -> dict:
    if review.meeting_at is None:
        return {}
    local = timezone.localtime(review.meeting_at)
    return {"meeting_date": local.date(), "meeting_time": local.strftime("%H:%M"),
            "meeting_minutes": review.meeting_minutes, "meeting_place": review.meeting_place,
            "meeting_link": review.meeting_link,
            "short_notice_reason": review.short_notice_reason}


@login_required
def schedule(request, review_id):
    access = review_access(request.user, review_id, need="manage", request=request)
    review = access.review
    form = ScheduleForm(request.POST or None, initial=_schedule_initial(review))
    if request.method == "POST" and form.is_valid():
        try:
            check = scheduling.do_schedule_review(
                review, request.user, meeting_at=form.meeting_at(),
                minutes=form.cleaned_data["meeting_minutes"],
                place=form.cleaned_data["meeting_place"],
                link=form.cleaned_data["meeting_link"],
                short_notice_reason=form.cleaned_data["short_notice_reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            review.refresh_from_db()
            when = presenters.meeting_text(review.meeting_at)
            messages.success(request, f"Meeting set for {when}. Next, invite the people.")
            for warning in check.warnings:
                messages.warning(request, warning)
            return redirect("reviews:review", review_id=review.pk)
    show_reason = bool(form["short_notice_reason"].errors or form["short_notice_reason"].value())
    return render(request, "reviews/coordinator/schedule.html", {
        "review": review, "form": form, "show_reason": show_reason,
        "summary": presenters.review_summary(review, timezone.localdate()),
    })


@login_required
def hand_over(request, review_id):
    """The council names who arranges the review and who coordinates it."""
    access = review_access(request.user, review_id, need="council", request=request)
    review = access.review
    form = HandOverForm(request.POST or None, child=review.plan.child,
                        initial={"coordinator": f"{review.convenor}:{review.coordinator_id}"})
    if request.method == "POST" and form.is_valid():
        person, convenor = form.chosen()
        try:
            review = scheduling.do_hand_over(review, request.user, coordinator=person,
                                             convenor=convenor)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            told = f" {person} has been told." if person != request.user else ""
            messages.success(request, f"{person} coordinates this review. "
                             f"{capfirst(presenters.arranged_by(review))} arranges the "
                             f"meeting.{told}")
            return redirect("reviews:review", review_id=review.pk)
    return render(request, "reviews/coordinator/hand_over.html", {
        "review": review, "form": form,
        "summary": presenters.review_summary(review, timezone.localdate()),
    })


@login_required
def cancel(request, review_id):
    access = review_access(request.user, review_id, need="manage", request=request)
    review = access.review
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scheduling.do_cancel_review(review, request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Review cancelled. Everyone invited has been told.")
            return redirect("reviews:review", review_id=review.pk)
    return render(request, "reviews/coordinator/cancel.html", {
        "review": review, "form": form,
        "summary": presenters.review_summary(review, timezone.localdate()),
    })


# ---------------------------------------------------------------------------
# Invite people and send the invitations
# ---------------------------------------------------------------------------


@login_required
def invite(request, review_id):
    access = review_access(request.user, review_id, need="manage", request=request)
    review = access.review
    invitations = list(
        marking_the_young_person(review.invitations.current(), review.plan.child_id)
        .select_related("agency").order_by("created_at"))
    invited = {i.email.lower() for i in invitations}
    proposals = [p for p in invitees.proposed_invitees(review) if p.email.lower() not in invited]
    action = request.POST.get("action")
    data = request.POST if request.method == "POST" else None
    suggested = SuggestedForm(data if action == "suggested" else None, proposals=proposals)
    add = AddPersonForm(data if action == "add" else None,
                        authority_id=review.plan.child.authority_id)
    send = forms.Form(data if action == "send" else None)

    if action == "suggested" and suggested.is_valid():
        added = scheduling.do_add_invitations(review, request.user, suggested.chosen())
        messages.success(request, f"Added {len(added)} {'person' if len(added) == 1 else 'people'}"
                         " to the invitation list. They get nothing until you send.")
        return redirect("reviews:invite", review_id=review.pk)
    if action == "add" and add.is_valid():
        added = scheduling.do_add_invitations(review, request.user, [add.invitee()])
        if added:
            messages.success(request, f"Added {added[0].name} to the invitation list.")
        else:
            messages.info(request, f"{add.cleaned_data['email']} is already invited.")
        return redirect("reviews:invite", review_id=review.pk)
    if action == "send" and send.is_valid():
        try:
            sent = scheduling.do_send_invitations(review, request.user)
        except ValidationError as error:
            send.add_error(None, error)
        else:
            if sent:
                messages.success(request, f"Invitations sent to {len(sent)} "
                                 f"{'person' if len(sent) == 1 else 'people'}. "
                                 "Each has their own link to answer and send advice.")
            else:
                messages.info(request, "Everyone on the list has already been sent an invitation.")
            return redirect("reviews:review", review_id=review.pk)

    invited_roles = scheduling.invited_roles(review, invitations)
    return render(request, "reviews/coordinator/invite.html", {
        "review": review,
        "summary": presenters.review_summary(review, timezone.localdate()),
        "suggested": suggested, "add": add, "send": send,
        "proposals": [{"proposal": p, "checked": p.key in (suggested["people"].value() or [])}
                      for p in proposals],
        "invitations": [(i, YOUNG_PERSON_WORDS if i.is_young_person
                         else i.get_role_display()) for i in invitations],
        "unsent": sum(1 for i in invitations if i.sent_at is None),
        "roles": [(Invitation.Role(role).label, role in invited_roles)
                  for role in Invitation.REQUIRED_ROLES],
        "has_errors": bool(suggested.errors or add.errors or send.errors),
    })


@require_POST
@login_required
def remove_invitation(request, review_id, invitation_id):
    access = review_access(request.user, review_id, need="manage", request=request)
    invitation = Invitation.objects.current().filter(pk=invitation_id,
                                                     review=access.review).first()
    if invitation is None:
        raise refusal(request, access, "invitation", invitation_id)
    scheduling.do_remove_invitation(invitation, request.user)
    messages.success(request, f"{invitation.name} is no longer invited."
                     + (" Their link no longer works." if invitation.sent_at else ""))
    return redirect("reviews:invite", review_id=review_id)


# ---------------------------------------------------------------------------
# The link in every invitation email
# ---------------------------------------------------------------------------


def _task_url(invitation: Invitation) -> str:
    review_id = invitation.review_id
    if invitation.role == Invitation.Role.FAMILY:
        return reverse("reviews:family_review", args=[review_id])
    if invitation.advice_requested:
        return reverse("reviews:advice", args=[review_id])
    return reverse("reviews:review", args=[review_id])


def invitation_link(request, token):
    """Opening the link changes nothing (mail scanners open links): the invited person,
    signed in, goes to their task, or first confirms if the invitation is not yet theirs."""
    invitation = invitation_links.invitation_for_token(token)
    if invitation is None:
        return render(request, "reviews/coordinator/invitation_invalid.html", status=404)
    user = request.user
    if not user.is_authenticated:
        return sign_in_to_answer(request, invitation.email,
                                 invitation_links.REVIEW_INVITATION_SESSION_KEY, str(invitation.pk))
    if not invitation_links.invitation_is_for(invitation, user):
        return render(request, "reviews/coordinator/invitation_invalid.html",
                      {"other_account": True}, status=404)
    if request.method == "POST":
        invitation_links.do_accept_invitation(invitation, user)
    elif not invitation_links.invitation_is_accepted(invitation, user):
        return render(request, "reviews/coordinator/invitation_confirm.html", {
            "invitation": invitation,
            "summary": presenters.review_summary(invitation.review, timezone.localdate())})
    return redirect(_task_url(invitation))
