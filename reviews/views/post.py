"""Letters by post, for the coordinator side: the letters waiting to be printed and
posted, each letter's PDF, and recording the day it was posted (reviews/post.py)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from agencies import audit
from common.forms import GovukDateField
from reviews import post, presenters
from reviews.access import Standing, managed_reviews, may_manage_any, refusal, review_access
from reviews.models import PostalLetter


@login_required
def to_post(request):
    """Every letter waiting to be posted on the reviews this person runs, oldest first."""
    standing = Standing.of(request.user)
    if not may_manage_any(request.user, standing):
        audit.refused(request, request.user, None, "letters to post")
        raise Http404("No letters")
    letters = (PostalLetter.objects.filter(posted_on__isnull=True,
                                           review__in=managed_reviews(request.user, standing))
               .select_related("review__plan__child").order_by("created_at", "pk"))
    return render(request, "reviews/post/to_post.html", {
        "rows": [(letter, presenters.date_text(timezone.localdate(letter.created_at)))
                 for letter in letters]})


def _letter(request, review_id, letter_id) -> PostalLetter:
    access = review_access(request.user, review_id, need="manage", request=request)
    letter = PostalLetter.objects.filter(review=access.review, pk=letter_id).first()
    if letter is None:
        raise refusal(request, access, "letter", letter_id)
    letter.review = access.review
    return letter


@login_required
def letter_pdf(request, review_id, letter_id):
    letter = _letter(request, review_id, letter_id)
    audit.file_downloaded(request, letter.review, f"letter by post {letter.pk}")
    response = HttpResponse(post.render_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{post.filename(letter)}"'
    return response


class PostedForm(forms.Form):
    posted_on = GovukDateField(label="When was it posted?", help_text="For example, 27 3 2027")


@login_required
def letter_posted(request, review_id, letter_id):
    letter = _letter(request, review_id, letter_id)
    if letter.posted_on is not None:
        messages.info(request, f"That letter was posted on "
                               f"{presenters.date_text(letter.posted_on)}.")
        return redirect("reviews:to_post")
    form = PostedForm(request.POST or None, initial={"posted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            letter = post.do_record_posted(letter, form.cleaned_data["posted_on"], request.user)
        except ValidationError as error:
            form.add_error("posted_on", error)
        else:
            messages.success(request, f"{letter.get_kind_display()} to {letter.addressed_to}: "
                             f"sent by post on {presenters.date_text(letter.posted_on)}.")
            return redirect("reviews:to_post")
    return render(request, "reviews/post/posted.html", {"letter": letter, "form": form})
