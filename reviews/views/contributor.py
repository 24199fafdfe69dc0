"""Pages for the contributor journeys: "My reviews", answering an invitation, the advice form
and its check-your-answers page, reading advice, circulating it, and downloading files.

Thin views: each asks reviews/access.py first, then calls reviews/advice.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from agencies import audit
from common import autosave
from common.downloads import file_download
from reviews import advice as actions
from reviews.access import Standing, oversight_scope, refusal, review_access
from reviews.forms_advice import AdviceForm, AnswerForm
from reviews.models import Advice, Invitation, Outcome
from reviews.presenters import deadline_row, review_summary
from reviews.uploads import download_name


@login_required
def my_reviews(request):
    standing = Standing.of(request.user)
    rows = actions.my_review_rows(request.user, standing, timezone.localdate())
    return render(request, "reviews/contributor/mine.html", {
        "rows": rows, "sees_figures": not oversight_scope(request.user, standing).is_empty})


def _advice_context(access, **extra):
    today = timezone.localdate()
    due = access.invitation.advice_due() if access.invitation else access.review.advice_due()
    return {
        "review": access.review, "invitation": access.invitation,
        "summary": review_summary(access.review, today),
        "advice_deadline": deadline_row("Advice due", due, today) if due else None,
        **extra,
    }


@login_required
def answer(request, review_id):
    access = review_access(request.user, review_id, need="view", request=request)
    led = Standing.of(request.user).led_agencies
    invitation = actions.answerable_invitation(access.review, request.user, led,
                                               request.GET.get("invitation"))
    if invitation is None:
        raise Http404("No invitation to answer")
    may_decline = actions.may_decline_for_agency(invitation, led)
    initial = {"answer": invitation.answer, "reason": invitation.declined_reason}
    form = AnswerForm(request.POST if request.method == "POST" else None, initial=initial,
                      invitation=invitation, may_decline=may_decline)
    if request.method == "POST" and form.is_valid():
        actions.do_answer_invitation(invitation, request.user, form.cleaned_data["answer"],
                                     form.cleaned_data["reason"], for_agency=may_decline)
        messages.success(request, "Your answer has been recorded. The coordinator can see it.")
        return redirect("reviews:home")  # each person's own list of reviews
    return render(request, "reviews/contributor/answer.html", _advice_context(
        access, form=form, invitation=invitation, asks_for_advice=actions.asks_for_advice(
            invitation), for_agency=invitation.user_id != request.user.pk))


def _advice_form(review, *args, **kwargs) -> AdviceForm:
    return AdviceForm(*args, plan=review.plan,
                      outcomes=Outcome.objects.filter(plan_id=review.plan_id), **kwargs)


def _without_removals(data):
    # After a save the removed files are gone; asking to remove them again is no error.
    data = data.copy()
    data.setlist("remove", [])
    return data


@login_required
def advice_form(request, review_id):
    access = review_access(request.user, review_id, need="advise", request=request)
    invitation = access.invitation
    if autosave.requested(request):
        return _autosave_advice(request, access)
    draft = actions.current_draft(invitation)
    if draft is None and invitation.advice.exists():
        return redirect("reviews:advice_list", review_id)  # submitted: correct it from there
    review = access.review
    attachments = list(draft.attachments.all()) if draft else []
    if request.method != "POST":
        form = _advice_form(review, initial=AdviceForm.initial_from(draft),
                            attachments=attachments)
        return render(request, "reviews/advice/form.html",
                      _advice_context(access, form=form, draft=draft))
    form = _advice_form(review, request.POST, request.FILES, attachments=attachments)
    if form.is_valid():
        try:
            draft = actions.do_save_advice(invitation, request.user, form.content(),
                                           files=form.new_files(), remove=form.removed())
        except actions.AdviceAlreadySubmitted:
            messages.info(request, "You have already submitted this advice. To change it, "
                                   "correct your advice.")
            return redirect("reviews:advice_list", review_id)
        if request.POST.get("action") != "continue":
            messages.success(request, "Your advice has been saved as a draft. You can come "
                                      "back to it at any time.")
            return redirect("reviews:mine")
        form = _advice_form(review, _without_removals(request.POST),
                            attachments=draft.attachments.all())
        if form.is_valid() and form.require_progress():
            return redirect("reviews:advice_check", review_id)
    return render(request, "reviews/advice/form.html",
                  _advice_context(access, form=form, draft=draft))


def _autosave_advice(request, access):
    """The advice as it is typed (common/autosave.py): the draft's words and choices; files
    and removals wait for the form's own buttons."""
    form = _advice_form(access.review, request.POST)  # no attachments: none to remove
    if not form.is_valid():
        return autosave.not_saved(autosave.first_error(form))
    try:
        actions.do_save_advice(access.invitation, request.user, form.content())
    except actions.AdviceAlreadySubmitted:
        return autosave.not_saved("You have already submitted this advice", status=409)
    return autosave.saved()


@login_required
def advice_check(request, review_id):
    access = review_access(request.user, review_id, need="advise", request=request)
    invitation = access.invitation
    if request.method == "POST":
        version = request.POST.get("version", "")
        advice = invitation.advice.filter(version=int(version)).first() \
            if version.isdigit() else None
        if advice is None:
            return redirect("reviews:advice", review_id)
        try:
            actions.do_submit_advice(advice, request.user)
        except ValidationError:
            return redirect("reviews:advice_check", review_id)  # shows what is missing
        return redirect("reviews:advice_sent", review_id)
    draft = actions.current_draft(invitation)
    if draft is None:
        return redirect("reviews:advice", review_id)
    draft = actions.with_content(Advice.objects.filter(pk=draft.pk)).get()
    answered = {row.outcome_id: row for row in draft.progress.all()}
    outcome_rows = [(outcome, answered.get(outcome.pk))
                    for outcome in Outcome.objects.filter(plan_id=access.review.plan_id)]
    return render(request, "reviews/advice/check.html", _advice_context(
        access, advice=draft, outcome_rows=outcome_rows,
        missing=actions.missing_progress(draft),
        changes=actions.recommended_changes(draft)))


@login_required
def advice_sent(request, review_id):
    access = review_access(request.user, review_id, need="advise", request=request)
    advice = access.invitation.advice.filter(status=Advice.Status.SUBMITTED).order_by(
        "-version").first()
    if advice is None:
        return redirect("reviews:advice", review_id)
    return render(request, "reviews/advice/sent.html", _advice_context(access, advice=advice))


@login_required
def advice_correct(request, review_id):
    access = review_access(request.user, review_id, need="advise", request=request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not access.invitation.advice.exists():
        return redirect("reviews:advice", review_id)
    try:
        actions.do_correct_advice(access.invitation, request.user)
    except ValidationError as refused:
        messages.error(request, refused.message)
        return redirect("reviews:advice_list", review_id)
    return redirect("reviews:advice", review_id)


@login_required
def advice_list(request, review_id):
    access = review_access(request.user, review_id, need="view", request=request)
    today = timezone.localdate()
    readable = actions.with_content(actions.readable_advice(access, request.user))
    context = {
        "access": access, "review": access.review,
        "summary": review_summary(access.review, today),
        "contributions": actions.contributions(readable),
        "can_circulate": access.can_manage and actions.can_circulate(access.review),
        "own_latest": actions.latest_advice(access.invitation) if access.can_advise else None,
    }
    due = access.review.advice_due()
    if due:
        done_on = (timezone.localdate(access.review.advice_circulated_at)
                   if access.review.advice_circulated_at else None)
        context["circulation_deadline"] = deadline_row("Circulate advice", due, today, done_on)
    if access.can_manage:
        requested = actions.with_advice_state(
            access.review.invitations.current().filter(advice_requested=True)
            .exclude(role=Invitation.Role.FAMILY).select_related("agency", "review"))
        context["requested"] = [(i, actions.advice_state(i, today)) for i in requested]
    return render(request, "reviews/advice/list.html", context)


@login_required
def advice_version(request, review_id, advice_id):
    access = review_access(request.user, review_id, need="view", request=request)
    advice = actions.with_content(actions.readable_advice(access, request.user)).filter(
        pk=advice_id).first()
    if advice is None:
        raise refusal(request, access, "advice", advice_id)
    latest = actions.readable_advice(access, request.user).filter(
        invitation_id=advice.invitation_id).order_by("-version").first()
    return render(request, "reviews/advice/version.html", {
        "review": access.review, "advice": advice, "latest": latest,
        "changes": actions.recommended_changes(advice),
        "summary": review_summary(access.review, timezone.localdate()),
    })


@login_required
def circulate(request, review_id):
    # Access first: a refusal is a 404 whatever the method, so nothing is given away.
    access = review_access(request.user, review_id, need="manage", request=request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if actions.do_circulate_advice(access.review, actor=request.user):
        messages.success(request, "The advice has been shared. Everyone invited has been sent "
                                  "an email saying it is ready to read.")
    else:
        messages.info(request, "The advice was not shared: it can be shared once, after the "
                               "invitations have gone out.")
    return redirect("reviews:advice_list", review_id)


@login_required
def attachment(request, review_id, attachment_id):
    access = review_access(request.user, review_id, need="view", request=request)
    found = actions.attachment_for(access, request.user, attachment_id)
    if found is None:
        raise refusal(request, access, "attachment", attachment_id)
    audit.file_downloaded(request, access.review, f"advice attachment {found.pk}")
    return file_download(found.file.open("rb"), download_name(found.name, found.content_type),
                         found.content_type)
