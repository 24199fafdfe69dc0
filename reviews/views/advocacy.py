"""The advocacy provider's pages: the families referred to it, and choosing each family's
advocate. For the provider's lead, and for whoever manages the review."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from agencies.models import Agency
from common.forms import posted
from reviews import presenters
from reviews.access import Standing, review_access, visible_reviews
from reviews.advocacy import advocates_to_choose, do_assign_advocate, may_assign, referral_of
from reviews.contacts import coordinator_contact
from reviews.models import AdvocacyReferral, FamilyMember


class ChooseAdvocateForm(forms.Form):
    advocate = forms.TypedChoiceField(
        label="Who will be the family's advocate?", widget=forms.RadioSelect, coerce=int,
        error_messages={"required": "Select the advocate"})

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {m.user_id: m.user for m in memberships}
        self.fields["advocate"].choices = [
            (m.user_id, f"{m.user}{f', {m.job_title}' if m.job_title else ''}")
            for m in memberships]


@login_required
def referrals(request):
    """Every family referred to the providers this person leads, waiting ones first; a 404
    for anyone who leads none."""
    standing = Standing.of(request.user)
    providers = Agency.objects.filter(pk__in=standing.led_agencies, kind=Agency.Kind.ADVOCACY)
    if not providers.exists():
        raise Http404("Not the lead of an advocacy service")
    rows = list(AdvocacyReferral.objects.filter(
        provider__in=providers, review__in=visible_reviews(request.user, standing))
        .select_related("review__plan__child", "advocate", "provider")
        .order_by("assigned_at", "-referred_at"))
    return render(request, "reviews/advocacy/referrals.html", {
        "waiting": [r for r in rows if r.is_waiting],
        "done": [r for r in rows if not r.is_waiting],
    })


@login_required
@require_http_methods(["GET", "POST"])
def referral(request, review_id):
    access = review_access(request.user, review_id, need="view", request=request)
    review = access.review
    found = referral_of(review)
    if found is None or not may_assign(request.user, access, found):
        raise Http404("No referral")
    form = ChooseAdvocateForm(posted(request), memberships=advocates_to_choose(found.provider),
                              initial={"advocate": found.advocate_id})
    if request.method == "POST" and found.withdrawn_at is None and form.is_valid():
        advocate = form.people[form.cleaned_data["advocate"]]
        try:
            do_assign_advocate(review, request.user, advocate)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{advocate} is the family's advocate. They and the "
                                      "family have been emailed.")
            return redirect("reviews:advocacy_referral", review_id)
    return render(request, "reviews/advocacy/referral.html", {
        "review": review, "referral": found, "form": form,
        "summary": presenters.review_summary(review, timezone.localdate()),
        "family": FamilyMember.objects.filter(child_id=review.plan.child_id)
        .order_by("relationship", "name"),
        "coordinator": coordinator_contact(review),
        "referred_on": presenters.moment_text(found.referred_at),
    })
