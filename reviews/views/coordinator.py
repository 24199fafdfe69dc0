"""Pages for the coordinator journeys: reviews due, the review page, scheduling the meeting,
inviting people, and the link in every invitation email.

Views are thin: access from reviews/access.py, changes through reviews/scheduling.py,
words from reviews/presenters.py.
"""

import datetime as dt
import re

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from agencies.adapters import sign_in_to_answer
from agencies.models import Agency
from agencies.throttle import guards_secret_link
from common.forms import GovukDateField, LongText
from common.paging import page_links
from reviews import clock, presenters, scheduling, termly
from reviews.access import (
    Standing,
    does_next_step,
    next_step_theirs,
    oversight_scope,
    refusal,
    review_access,
    visible_reviews,
)
from reviews.clock_sql import YEAR_GROUPS, born_in_year_group
from reviews.impossible_dates import refuses_impossible_dates
from reviews.models import Advice, Child, Invitation, Review
from reviews.words import YOUNG_PERSON_WORDS
from reviews.young_person import marking_the_young_person, who_sees

# "Reviews due" shows what falls due within this horizon (issue #3), plus everything late
# or already under way.
DUE_HORIZON = dt.timedelta(weeks=12)
# The law's durations in words, as the settings in force (read at start-up) say them.
LAW = clock.words_in_force()
REVIEWS_PER_PAGE = 25
COUNTED_STEPS = ("schedule", "invite", "chase_advice", "circulate", "hold_meeting",
                 "send_report", "decide")


# ---------------------------------------------------------------------------
# Reviews due
# ---------------------------------------------------------------------------


class DueFilterForm(forms.Form):
    setting = forms.ChoiceField(required=False)
    coordinator = forms.ChoiceField(required=False)
    convenor = forms.ChoiceField(label="Arranged by", required=False, choices=[
        ("", "Any"), (Review.Convenor.LA, "The council"),
        (Review.Convenor.SETTING, "The school or college")])
    year_group = forms.TypedChoiceField(
        label="Year group", required=False, coerce=int, empty_value=None,
        choices=[("", "Any")] + [(y, presenters.year_group_label(y)) for y in YEAR_GROUPS])
    status = forms.ChoiceField(
        required=False, choices=[("", "Any")] + [
            (s.value, s.label) for s in Review.Status
            if s not in (Review.Status.CLOSED, Review.Status.CANCELLED)])
    kind = forms.ChoiceField(label="Kind of review", required=False,
                             choices=[("", "Any")] + list(Review.Kind.choices))

    def __init__(self, data, *, settings_, coordinators):
        super().__init__(data)
        self.fields["setting"].choices = [("", "Any")] + [(str(a.pk), a.name) for a in settings_]
        self.fields["coordinator"].choices = [("", "Any")] + [(str(u.pk), str(u))
                                                              for u in coordinators]

    def filter(self, reviews, today):
        if not self.is_valid():
            return reviews
        data = self.cleaned_data
        if data["setting"]:
            reviews = reviews.filter(plan__child__setting_id=data["setting"])
        if data["coordinator"]:
            reviews = reviews.filter(coordinator_id=data["coordinator"])
        if data["convenor"]:
            reviews = reviews.filter(convenor=data["convenor"])
        if data["status"]:
            reviews = reviews.filter(status=data["status"])
        if data["kind"]:
            reviews = reviews.filter(kind=data["kind"])
        if data["year_group"] is not None:
            offsets = (Child.objects.filter(pk__in=reviews.values("plan__child"))
                       .order_by().values_list("year_group_offset", flat=True).distinct())
            children = Child.objects.filter(
                born_in_year_group(data["year_group"], today, list(offsets)))
            reviews = reviews.filter(plan__child__in=children)
        return reviews

    @property
    def active(self) -> list[str]:
        """The filters applied, in words, for the 'selected filters' panel."""
        if not self.is_valid():
            return []
        labels = []
        for name, value in self.cleaned_data.items():
            if value not in ("", None):
                choices = dict((str(k), v) for k, v in self.fields[name].choices)
                labels.append(f"{self.fields[name].label or name.title()}: "
                              f"{choices.get(str(value), value)}")
        return labels


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


_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> dt.time:
    """'10:30', '14.00', '2pm', '2:30pm' -> a time; ValueError otherwise."""
    match = _TIME.match(text or "")
    if not match:
        raise ValueError(text)
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "pm" else 0)
    return dt.time(hour, minute)


class ScheduleForm(forms.Form):
    meeting_date = GovukDateField(label="Date of the meeting",
                                  help_text="For example, 27 3 2027")
    meeting_time = forms.CharField(label="Start time", max_length=10,
                                   help_text="For example, 10:30am or 14:00")
    meeting_minutes = forms.TypedChoiceField(
        label="How long will it last?", coerce=int, initial=90,
        choices=[(30, "30 minutes"), (45, "45 minutes"), (60, "1 hour"),
                 (90, "1 hour 30 minutes"), (120, "2 hours"), (180, "3 hours")])
    meeting_place = forms.CharField(label="Place", required=False, max_length=300,
                                    help_text="The room and address, if people meet in person")
    meeting_link = forms.URLField(
        label="Video meeting link", required=False, max_length=500, assume_scheme="https",
        error_messages={"invalid": "Enter the video meeting link as it is in the invitation, "
                                   "starting https://"},
        help_text="A Microsoft Teams, Google Meet or Jitsi link, starting https://")
    short_notice_reason = LongText.of(
        Review, "short_notice_reason", subject="The reason", rows=3, required=False,
        label=f"Why must the meeting be at less than {LAW['notice']}' notice?")

    def clean_meeting_time(self):
        try:
            return parse_time(self.cleaned_data["meeting_time"])
        except ValueError:
            raise ValidationError("Enter a time such as 10:30am or 14:00") from None

    def clean_meeting_date(self):
        day = self.cleaned_data["meeting_date"]
        if day < timezone.localdate():
            raise ValidationError("The date of the meeting must be today or in the future")
        return day

    def clean_meeting_link(self):
        link = self.cleaned_data["meeting_link"]
        if link and not link.startswith("https://"):
            raise ValidationError("Enter a video meeting link that starts with https://")
        return link

    def meeting_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.cleaned_data["meeting_date"],
                                                       self.cleaned_data["meeting_time"]))


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


class HandOverForm(forms.Form):
    coordinator = forms.ChoiceField(
        label="Who coordinates this review?", widget=forms.RadioSelect,
        help_text="The council may ask the child's school or college to arrange and hold "
                  "the meeting and send the report; its SENCO then coordinates the review. "
                  "The council still decides after the meeting.",
        error_messages={"required": "Choose who coordinates this review"})

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.people, choices = {}, []
        places = [(Review.Convenor.LA, "the council")]
        if child.setting_id:
            places.append((Review.Convenor.SETTING, child.setting.name))
        for convenor, place in places:
            for person in termly.coordinators_for(child, convenor).order_by("last_name",
                                                                             "first_name"):
                key = f"{convenor}:{person.pk}"
                self.people[key] = (person, convenor)
                choices.append((key, f"{person}, for {place}"))
        self.fields["coordinator"].choices = choices

    def chosen(self) -> tuple:
        return self.people[self.cleaned_data["coordinator"]]


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


class CancelForm(forms.Form):
    reason = LongText.of(
        Review, "cancelled_reason", subject="The reason", rows=4,
        label="Why is the review cancelled?",
        help_text="Everyone invited is told, and the meeting leaves their calendars.",
        error_messages={"required": "Enter why the review is cancelled"})


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


class AddPersonForm(forms.Form):
    name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(label="Role in this review", choices=Invitation.Role.choices)
    agency = forms.ModelChoiceField(label="Organisation", required=False,
                                    queryset=Agency.objects.none(),
                                    empty_label="None, or not listed")

    def __init__(self, *args, authority_id, **kwargs):
        super().__init__(*args, prefix="add", **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(authority_id=authority_id)

    def invitee(self) -> scheduling.Invitee:
        data = self.cleaned_data
        return scheduling.Invitee(name=data["name"], email=data["email"], role=data["role"],
                                  agency=data["agency"])


class SuggestedForm(forms.Form):
    people = forms.MultipleChoiceField(label="People to invite",
                                       widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": "Tick at least one person"})

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = proposals
        self.fields["people"].choices = [(p.key, p.name) for p in proposals]
        self.fields["people"].initial = [p.key for p in proposals if p.suggested]

    def chosen(self) -> list[scheduling.Invitee]:
        keys = set(self.cleaned_data["people"])
        return [p for p in self.proposals if p.key in keys]


@login_required
def invite(request, review_id):
    access = review_access(request.user, review_id, need="manage", request=request)
    review = access.review
    invitations = list(
        marking_the_young_person(review.invitations.current(), review.plan.child_id)
        .select_related("agency").order_by("created_at"))
    invited = {i.email.lower() for i in invitations}
    proposals = [p for p in scheduling.proposed_invitees(review) if p.email.lower() not in invited]
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
    invitation = scheduling.invitation_for_token(token)
    if invitation is None:
        return render(request, "reviews/coordinator/invitation_invalid.html", status=404)
    user = request.user
    if not user.is_authenticated:
        return sign_in_to_answer(request, invitation.email,
                                 scheduling.REVIEW_INVITATION_SESSION_KEY, str(invitation.pk))
    if not scheduling.invitation_is_for(invitation, user):
        return render(request, "reviews/coordinator/invitation_invalid.html",
                      {"other_account": True}, status=404)
    if request.method == "POST":
        scheduling.do_accept_invitation(invitation, user)
    elif not scheduling.invitation_is_accepted(invitation, user):
        return render(request, "reviews/coordinator/invitation_confirm.html", {
            "invitation": invitation,
            "summary": presenters.review_summary(invitation.review, timezone.localdate())})
    return redirect(_task_url(invitation))


urlpatterns = [
    path("due/", due, name="due"),
    path("<uuid:review_id>/", review_page, name="review"),
    path("<uuid:review_id>/schedule/", schedule, name="schedule"),
    path("<uuid:review_id>/cancel/", cancel, name="cancel"),
    path("<uuid:review_id>/coordinator/", hand_over, name="hand_over"),
    path("<uuid:review_id>/invite/", invite, name="invite"),
    path("<uuid:review_id>/invite/<uuid:invitation_id>/remove/", remove_invitation,
         name="remove_invitation"),
    path("i/<str:token>/", guards_secret_link(invitation_link), name="invitation_link"),
]
