"""The LA officer's pages: record the decision, send the final amended plan or a notice not
to amend, and keep the record of mediation and any appeal.

Only the local authority decides (reviews/access.py, need="decide"), even where a school
convened the review. Views are thin: the steps are in deciding.py, amending.py and
disagreeing.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from common.forms import posted
from decisions import amending, deciding, disagreeing
from decisions.forms import (
    OUTCOME_FORMS,
    OUTCOME_SLUGS,
    RECOMMENDATION_SLUGS,
    ChooseOutcomeForm,
    DisagreementFactsForm,
    FinalPlanForm,
    NotAmendingForm,
    TribunalOrderForm,
)
from decisions.models import Decision, Disagreement
from meeting.models import Recommendation
from reviews import presenters
from reviews.access import review_access
from reviews.models import Review


def _page(request, template, access, **context):
    review = access.review
    return render(request, template, {
        "review": review, "summary": presenters.review_summary(review, timezone.localdate()),
        **context})


def _back_to_review(review_id):
    return redirect("reviews:review", review_id=review_id)


@login_required
@require_http_methods(["GET", "POST"])
def record(request, review_id):
    access = review_access(request.user, review_id, need="decide", request=request)
    review = access.review
    if Decision.objects.filter(review=review).exists():
        messages.info(request, "The decision has been sent already.")
        return redirect("decisions:notice", review_id)
    recommended = amending.overall_recommendation(review)
    form = ChooseOutcomeForm(posted(request),
                             initial={"outcome": RECOMMENDATION_SLUGS.get(recommended, "")})
    if request.method == "POST" and form.is_valid():
        return redirect("decisions:record_outcome", review_id, form.cleaned_data["outcome"])
    return _page(request, "decisions/record.html", access, form=form,
                 can_record=deciding.can_record(review),
                 recommended=Recommendation.Overall(recommended).label if recommended else "",
                 due=review.deadlines().decision_due)


@login_required
@require_http_methods(["GET", "POST"])
def record_outcome(request, review_id, outcome):
    access = review_access(request.user, review_id, need="decide", request=request)
    review = access.review
    if outcome not in OUTCOME_SLUGS:
        raise Http404("No such decision")
    code = OUTCOME_SLUGS[outcome]
    form = OUTCOME_FORMS[code].for_review(posted(request), review)
    if request.method == "POST" and form.is_valid():
        try:
            deciding.do_record_decision(review, request.user, outcome=code,
                                        **form.decision_facts())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, SENT[code])
            return _back_to_review(review_id)
    return _page(request, f"decisions/record_{outcome}.html", access, form=form,
                 outcome=outcome, due=review.deadlines().decision_due)


SENT = {
    Review.Decision.MAINTAIN: "Decision sent: the plan is maintained. The family have been "
                              "emailed a link to the letter, and the plan's next review is open.",
    Review.Decision.AMEND: "Decision sent with the proposed amendments, a copy of the plan and "
                           "the evidence. The family have been emailed a link to the letter.",
    Review.Decision.CEASE: "Decision to cease sent. The family and the school or college have "
                           "been emailed. The plan stays in force until the time to appeal has "
                           "passed.",
}


def _unfinished_amendment(request, review):
    amendment = amending.amendment_of(review)
    if amendment is None or amendment.is_finished:
        messages.info(request, "There are no proposed amendments waiting for a final plan.")
        return None
    return amendment


@login_required
@require_http_methods(["GET", "POST"])
def final_plan(request, review_id):
    access = review_access(request.user, review_id, need="decide", request=request)
    review = access.review
    amendment = _unfinished_amendment(request, review)
    if amendment is None:
        return _back_to_review(review_id)
    form = FinalPlanForm(posted(request), plan=review.plan, proposed=amendment.proposed)
    if request.method == "POST" and form.is_valid():
        try:
            version = amending.do_issue_final_plan(review, request.user, form.sections())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Final amended plan sent (version {version.number}). "
                                      f"The family have been emailed, and the plan's next "
                                      f"review is open.")
            return _back_to_review(review_id)
    return _page(request, "decisions/final_plan.html", access, form=form, amendment=amendment,
                 replies=_replies(amendment), deadlines=review.deadlines())


@login_required
@require_http_methods(["GET", "POST"])
def not_amending(request, review_id):
    access = review_access(request.user, review_id, need="decide", request=request)
    review = access.review
    amendment = _unfinished_amendment(request, review)
    if amendment is None:
        return _back_to_review(review_id)
    form = NotAmendingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            amending.do_decide_not_to_amend(review, request.user, form.cleaned_data["reasons"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Notice sent: the plan will not be amended. The family "
                                      "have been emailed, and the plan's next review is open.")
            return _back_to_review(review_id)
    return _page(request, "decisions/not_amending.html", access, form=form,
                 amendment=amendment, replies=_replies(amendment),
                 deadlines=review.deadlines())


def _replies(amendment):
    return list(amendment.responses.select_related("author").order_by("sent_at"))


@login_required
@require_http_methods(["GET", "POST"])
def disagreement(request, review_id):
    access = review_access(request.user, review_id, need="decide", request=request)
    review = access.review
    decision = (Decision.objects.select_related("disagreement").filter(review=review).first())
    if decision is None:
        raise Http404("No decision yet")
    form = DisagreementFactsForm(posted(request), initial=DisagreementFactsForm.initial_for(
        decision.disagreement_or_none))
    if request.method == "POST" and form.is_valid():
        try:
            disagreeing.do_record_facts(review, request.user, form.facts(),
                                        form.cleaned_data["appeal_result"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Mediation and appeal record saved.")
            return _back_to_review(review_id)
    return _page(request, "decisions/disagreement.html", access, form=form, decision=decision)


@login_required
@require_http_methods(["GET", "POST"])
def tribunal_order(request, review_id):
    access = review_access(request.user, review_id, need="decide", request=request)
    review = access.review
    decision = (Decision.objects.select_related("disagreement", "tribunal_order")
                .filter(review=review).first())
    disagreement = decision.disagreement_or_none if decision else None
    if disagreement is None or (
            disagreement.appeal_result != Disagreement.AppealResult.FOR_FAMILY):
        raise Http404("No appeal decided for the family")
    order = decision.tribunal_order_or_none
    form = TribunalOrderForm(posted(request),
                             initial=TribunalOrderForm.initial_for(order, disagreement))
    if request.method == "POST" and form.is_valid():
        try:
            disagreeing.do_record_order(review, request.user, **form.facts())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The Tribunal's order is saved. Its dates are on the "
                                      "review and in the family's letter.")
            return _back_to_review(review_id)
    return _page(request, "decisions/tribunal_order.html", access, form=form,
                 decision=decision, order=order,
                 deadlines=review.deadlines(**decision.clock_facts()))
