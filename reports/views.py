"""Pages of the joint outcome: the coordinator's outcome page (draft, sign-off, publish),
the draft editor and its history, the sign-off page for the people at the review, and the
published report.

Views are thin: access from reviews/access.py (a refusal is a 404), changes through
reports/drafting.py, signoff.py and publishing.py, words from reports/presenters.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from reports import comparison, presenters, publishing, signoff
from reports.drafting import DraftConflict, can_draft, do_draft_report, do_save_draft
from reports.forms import AnswerForm, CommentForm, CompareForm, DraftForm, PublishForm
from reports.models import PublishedReport, Report
from reviews import presenters as review_presenters
from reviews.access import ReviewAccess, refusal, review_access
from reviews.models import FamilyMember


def _report(access: ReviewAccess) -> Report | None:
    return Report.objects.filter(review=access.review).select_related(
        "latest_revision__user", "updated_by").first()


def _report_or_404(access: ReviewAccess) -> Report:
    report = _report(access)
    if report is None:
        raise Http404("No report yet")
    return report


def _base(access: ReviewAccess, **extra) -> dict:
    today = timezone.localdate()
    return {"review": access.review, "access": access,
            "summary": review_presenters.review_summary(access.review, today), **extra}


# ---------------------------------------------------------------------------
# The coordinator's outcome page. Its buttons post to views that ask for access before
# the method, so that a refusal is a 404 whatever the method.
# ---------------------------------------------------------------------------


def _outcome_page(request, access: ReviewAccess, answer_forms: dict | None = None):
    review, today = access.review, timezone.localdate()
    report = _report(access)
    context = _base(access, report=report, can_draft=can_draft(review),
                    due=presenters.report_due_row(review, today))
    if report is not None:
        state = signoff.signoff_state(report, review, today)
        versions = list(PublishedReport.objects.filter(review=review).order_by("-version")
                        .values("version", "published_at", "published_by_name",
                                "correction_reason"))
        latest = versions[0] if versions else None
        answer_forms = answer_forms or {}
        context.update(
            state=state,
            drafts=report.revisions.count(),
            saved_text=review_presenters.moment_text(report.updated_at),
            versions=[{**v, "published_text": review_presenters.moment_text(v["published_at"])}
                      for v in versions],
            comments=[(c, answer_forms.get(c.pk) or AnswerForm(prefix=f"c{c.pk}"))
                      for c in state.comments],
            blockers=[] if latest else publishing.first_publication_blockers(report, state,
                                                                              today),
            unchanged_since_published=bool(latest) and _same_as_published(report, review),
            closes=review_presenters.deadline_row(
                "Confirm or comment by", state.closes_on, today) if state.closes_on else None,
            error_form=next((f for f in answer_forms.values() if f.errors), None),
        )
    return render(request, "reports/outcome.html", context)


def _same_as_published(report: Report, review) -> bool:
    latest = publishing.latest_published(review)
    return latest is not None and latest.content == report.content


@login_required
def outcome(request, review_id):
    access = review_access(request.user, review_id, need="manage", request=request)
    return _outcome_page(request, access)


@login_required
def create_draft(request, review_id):
    access = review_access(request.user, review_id, need="manage", request=request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        do_draft_report(access.review, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Draft report made from the meeting record. Check and edit "
                                  "it, then ask the people at the review to confirm it.")
    return redirect("reports:outcome", review_id)


@login_required
def request_signoff(request, review_id):
    access = review_access(request.user, review_id, need="manage", request=request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    report = _report_or_404(access)
    try:
        asked = signoff.do_request_signoff(report, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        report.refresh_from_db()
        if asked:
            messages.success(request, "Everyone invited and the family have been emailed a "
                             "link to check the draft. They have until "
                             f"{review_presenters.date_text(report.signoff_closes_on)}.")
        else:
            messages.info(request, "The people at the review have already been asked.")
    return redirect("reports:outcome", review_id)


@login_required
def comment_action(request, review_id, comment_id):
    access = review_access(request.user, review_id, need="manage", request=request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    report = _report_or_404(access)
    if request.POST.get("action") == "include":
        try:
            done = signoff.do_include_comment(report, comment_id, request.user)
        except ValidationError as error:
            raise Http404(error.messages[0]) from None
        if done:
            messages.success(request, "The comment is now in the draft report, under "
                                      "'Comments on the draft'.")
        return redirect("reports:outcome", review_id)
    form = AnswerForm(request.POST, prefix=f"c{comment_id}")
    if form.is_valid():
        try:
            done = signoff.do_answer_comment(report, comment_id, request.user,
                                             form.cleaned_data["answer"])
        except ValidationError as error:
            raise Http404(error.messages[0]) from None
        if done:
            messages.success(request, "Answer sent. Its author has been emailed a link to "
                                      "read it.")
        return redirect("reports:outcome", review_id)
    return _outcome_page(request, access, answer_forms={int(comment_id): form})


# ---------------------------------------------------------------------------
# Editing the draft, and its history
# ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, review_id):
    access = review_access(request.user, review_id, need="manage", request=request)
    report = _report_or_404(access)
    if not access.review.is_open:
        raise Http404("The review is closed")
    form = DraftForm(request.POST if request.method == "POST" else None,
                     content=report.content, base_revision=report.latest_revision_id)
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_draft(report, request.user, form.content(),
                                  base_revision=form.cleaned_data["base_revision"])
        except DraftConflict as conflict:
            form.add_error(None, f"{conflict.by} saved the draft while you were editing it. "
                                 "Your changes are below, not saved: compare the drafts, "
                                 "then save again to keep yours.")
            form.data = form.data.copy()
            form.data["base_revision"] = Report.objects.get(pk=report.pk).latest_revision_id
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Draft saved." if saved else "No changes to save.")
            return redirect("reports:outcome", review_id)
    return render(request, "reports/edit.html", _base(access, report=report, form=form))


def _numbered(report: Report):
    return list(enumerate(report.revisions.select_related("user").order_by("created_at", "pk"),
                          start=1))


@login_required
def history(request, review_id):
    access = review_access(request.user, review_id, need="manage", request=request)
    report = _report_or_404(access)
    revisions = _numbered(report)
    by_id = {r.pk: (n, r) for n, r in revisions}
    default = {"older": revisions[-2][1].pk if len(revisions) > 1 else revisions[0][1].pk,
               "newer": revisions[-1][1].pk}
    form = CompareForm(request.GET if "older" in request.GET else default,
                       revisions=revisions)
    changes = older = newer = None
    if form.is_valid():
        older, newer = by_id[form.cleaned_data["older"]], by_id[form.cleaned_data["newer"]]
        changes = comparison.compare(older[1].as_object().content, newer[1].as_object().content)
    return render(request, "reports/history.html", _base(
        access, report=report, form=form, changes=changes, older=older, newer=newer,
        revisions=[(n, r, review_presenters.moment_text(r.created_at))
                   for n, r in reversed(revisions)]))


# ---------------------------------------------------------------------------
# Sign-off: the people at the review read the draft and confirm or comment
# ---------------------------------------------------------------------------


def _author_name(access: ReviewAccess, user) -> str:
    if access.invitation is not None:
        return access.invitation.name
    member = FamilyMember.objects.filter(child_id=access.review.plan.child_id,
                                         user=user).first()
    return member.name if member else str(user)


@login_required
@require_http_methods(["GET", "POST"])
def draft(request, review_id):
    access = review_access(request.user, review_id, need="view", request=request)
    report = _report(access)
    participant = signoff.may_sign_off(access, request.user)
    if report is None or not (access.can_manage or (
            participant and report.signoff_requested_at is not None)):
        raise Http404("No draft to read")
    review = access.review
    is_open = signoff.is_open(report, review)
    form = CommentForm(request.POST if request.POST.get("action") == "comment" else None)
    if request.method == "POST":
        if not participant:
            raise Http404("Not asked to confirm")
        if request.POST.get("action") == "confirm":
            try:
                signoff.do_confirm(report, request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Thank you. You have confirmed the draft report "
                                          "is right.")
            return redirect("reports:draft", review_id)
        if form.is_valid():
            try:
                signoff.do_comment(report, request.user, form.cleaned_data["text"],
                                   _author_name(access, request.user))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Thank you. Your comment has been sent to "
                                          f"{review.coordinator}.")
                return redirect("reports:draft", review_id)
    mine = report.comments.filter(author=request.user).select_related("answered_by")
    confirmed = report.signoffs.filter(user=request.user).first()
    return render(request, "reports/draft.html", _base(
        access, report=report, form=form, participant=participant, is_open=is_open,
        show_draft=is_open or access.can_manage, my_comments=list(mine), confirmed=confirmed,
        confirmed_latest=bool(confirmed and confirmed.revision_id == report.latest_revision_id),
        confirmed_text=review_presenters.moment_text(confirmed.at) if confirmed else "",
        closes=review_presenters.deadline_row("Confirm or comment by", report.signoff_closes_on,
                                              timezone.localdate())
        if report.signoff_closes_on else None,
        document=presenters.document(report.content, presenters.document_facts(review),
                                     review.pk)))


# ---------------------------------------------------------------------------
# Publishing, and the published report
# ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, review_id):
    access = review_access(request.user, review_id, need="manage", request=request)
    report = _report_or_404(access)
    review, today = access.review, timezone.localdate()
    latest = publishing.latest_published(review)
    next_version = latest.version + 1 if latest else 1
    form = PublishForm(request.POST if request.method == "POST" else None,
                       initial={"version": next_version}, correcting=latest is not None)
    if request.method == "POST" and form.is_valid():
        try:
            published = publishing.do_publish_report(
                report, request.user, version=form.cleaned_data["version"],
                reason=form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Version {published.version} of the report is "
                             "published. Everyone invited and the family have been emailed "
                             "a link to it.")
            return redirect("reports:published_version", review_id, published.version)
    if latest is None:
        blockers = publishing.first_publication_blockers(
            report, signoff.signoff_state(report, review, today), today)
    else:
        blockers = publishing.correction_blockers(report, latest)
    return render(request, "reports/publish.html", _base(
        access, report=report, form=form, latest=latest, next_version=next_version,
        blockers=blockers, due=presenters.report_due_row(review, today),
        document=presenters.document(report.content, presenters.document_facts(review),
                                     review.pk)))


@login_required
def published(request, review_id, version=None):
    access = review_access(request.user, review_id, need="view", request=request)
    versions = list(PublishedReport.objects.filter(review=access.review).order_by("-version"))
    if not versions:
        raise Http404("Not published yet")
    shown = versions[0] if version is None else next(
        (v for v in versions if v.version == version), None)
    if shown is None:
        raise refusal(request, access, "report version", version)
    return render(request, "reports/published.html", _base(
        access, shown=shown, latest=versions[0],
        versions=[(v, review_presenters.moment_text(v.published_at)) for v in versions],
        published_text=review_presenters.moment_text(shown.published_at),
        back_to_family=access.is_family and not access.is_professional,
        document=presenters.document(shown.content, shown.facts, access.review.pk)))
