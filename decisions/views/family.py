"""What a family does about the decision, one thing a page: reply about the proposed
changes, say they disagree, ask for mediation, tell us they have appealed.

These stay open after the review closes (a maintain decision closes it at once, and the
appeal window runs on), so they ask for need="view" and then that the person is family.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from agencies.contacts import authority_contacts
from decisions import amending, disagreeing
from decisions import presenters as decision_presenters
from decisions.forms import AppealForm, AskForMediationForm, DisagreeForm, ReplyForm
from decisions.models import FamilyResponse
from reviews.access import review_access


def family_access(request, review_id):
    access = review_access(request.user, review_id, need="view", request=request)
    if not access.is_family:
        raise Http404("No such review")
    return access


@dataclass(frozen=True)
class Step:
    """One thing a family can do: its form, its page, whether it is open now, the action,
    and the words after it is done."""

    form_class: type
    template: str
    is_open: Callable
    act: Callable
    thanks: str
    initial: Callable = lambda state, user: {}


def _reply_initial(state, user) -> dict:
    reply = FamilyResponse.objects.filter(amendment=state.amendment, author=user).first()
    if reply is None:
        return {}
    return {"comments": reply.comments, "named_setting": reply.named_setting,
            "wants_meeting": "yes" if reply.wants_meeting else "no"}


STEPS = {
    "reply": Step(
        ReplyForm, "decisions/family/reply.html",
        is_open=lambda state: state.amending,
        act=lambda review, user, data: amending.do_reply(
            review, user, comments=data["comments"], named_setting=data["named_setting"],
            wants_meeting=data["wants_meeting"] == "yes"),
        thanks="Thank you. We have your reply. The person who runs the review will read it "
               "before the final plan is written.",
        initial=_reply_initial),
    "disagree": Step(
        DisagreeForm, "decisions/family/disagree.html",
        is_open=lambda state: state.decision is not None,
        act=lambda review, user, data: disagreeing.do_say_disagree(review, user, data["text"]),
        thanks="Thank you. We have told the person who runs the review that you disagree. "
               "They will contact you.",
        initial=lambda state, user: {"text": state.disagreement.what_they_disagree_with}
        if state.disagreement else {}),
    "mediation": Step(
        AskForMediationForm, "decisions/family/mediation.html",
        is_open=lambda state: state.appealable,
        act=lambda review, user, data: disagreeing.do_ask_for_mediation(review, user),
        thanks="Thank you. We have your request for mediation. We will contact you to arrange "
               "it."),
    "appeal": Step(
        AppealForm, "decisions/family/appeal.html",
        is_open=lambda state: state.appealable,
        act=lambda review, user, data: disagreeing.do_tell_appealing(review, user,
                                                                     data["appealed_on"]),
        thanks="Thank you for telling us about your appeal."),
}


@login_required
@require_http_methods(["GET", "POST"])
def family_step(request, review_id, step):
    access = family_access(request, review_id)
    review = access.review
    today = timezone.localdate()
    state = decision_presenters.decision_state(review, today)
    what = STEPS[step]
    if state.decision is None or not what.is_open(state):
        messages.info(request, "You cannot do that now.")
        return redirect("reviews:family_review", review_id)
    form = what.form_class(request.POST if request.method == "POST" else None,
                           initial=what.initial(state, request.user))
    if request.method == "POST" and form.is_valid():
        try:
            what.act(review, request.user, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, what.thanks)
            return redirect("reviews:family_review", review_id)
    to = decision_presenters.addressee(review, request.user, is_family=True)
    return render(request, what.template, {
        "review": review, "form": form, "state": state, "to": to,
        "dates": decision_presenters.key_dates(state),
        "contacts": authority_contacts(review.plan.child.authority),
    })
