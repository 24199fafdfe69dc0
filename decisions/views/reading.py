"""Reading the decision: the notice to the family (an HTML letter, printable) and the
plan's versions. Anyone who may see the review may read them (need="view")."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from decisions import presenters as decision_presenters
from decisions.models import PlanVersion
from reviews import presenters
from reviews.access import refusal, review_access
from reviews.impossible_dates import refuses_impossible_dates


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
    tasks = decision_presenters.disagreement_tasks(state) if access.is_family else []
    return render(request, "decisions/notice.html", {
        **decision_presenters.notice_context(state, to, review.decision_sent_on, tasks=tasks),
        "access": access, "back": _back(access),
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
