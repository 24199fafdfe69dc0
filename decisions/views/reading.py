"""Reading the decision: the notice to the family (an HTML letter, printable) and the
plan's versions. Anyone who may see the review may read them (need="view")."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from agencies.contacts import authority_contacts
from decisions import presenters as decision_presenters
from decisions.models import Decision, PlanVersion
from reviews import presenters
from reviews.access import refusal, review_access
from reviews.impossible_dates import refuses_impossible_dates

# The two lawful grounds (CFA 2014 s45), as the letter says them.
GROUND_WORDS = {
    Decision.Ground.NOT_RESPONSIBLE: "we are no longer responsible for {whom}. This can "
                                     "happen after a move to another council's area",
    Decision.Ground.NOT_NECESSARY: "the plan is no longer needed: {whom} can get the right "
                                   "help without one",
}


def _back(access) -> str:
    name = "reviews:family_review" if access.is_family else "reviews:review"
    return reverse(name, args=[access.review.pk])


@login_required
@refuses_impossible_dates
def notice(request, review_id):
    access = review_access(request.user, review_id, need="view", request=request)
    review = access.review
    today = timezone.localdate()
    state = decision_presenters.decision_state(review, today)
    if state.decision is None:
        raise Http404("No decision yet")
    to = decision_presenters.addressee(review, request.user, access.is_family)
    whom = "you" if to.young_person else review.plan.child.first_name
    amendment = state.amendment
    return render(request, "decisions/notice.html", {
        "access": access, "review": review, "child": review.plan.child, "state": state,
        "decision": state.decision, "amendment": amendment, "to": to,
        "authority": review.plan.child.authority,
        "letter_date": presenters.date_text(review.decision_sent_on),
        "dates": decision_presenters.key_dates(state),
        "family_dates": decision_presenters.family_dates(state),
        "contacts": authority_contacts(review.plan.child.authority),
        "ground": GROUND_WORDS.get(state.decision.cease_ground, "").format(whom=whom),
        "tasks": decision_presenters.disagreement_tasks(state) if access.is_family else [],
        "back": _back(access),
    })


@login_required
def plan_version(request, review_id, number):
    access = review_access(request.user, review_id, need="view", request=request)
    review = access.review
    versions = list(PlanVersion.objects.filter(plan_id=review.plan_id).order_by("number"))
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise refusal(request, access, "plan version", number)
    sections = review.plan.text_of_sections()
    current = next((v for v in reversed(versions) if v.sections == sections), None)
    return render(request, "decisions/plan_version.html", {
        "review": review, "child": review.plan.child, "version": version,
        "versions": versions, "current": current,
        "made_on": presenters.date_text(version.made_on), "back": _back(access),
    })
