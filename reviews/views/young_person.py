"""Who can see a young person's review: the young person decides for each parent or carer,
from their own account; a coordinator records what the young person told them, or a Mental
Capacity Act decision where the young person cannot decide (reviews/young_person.py)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from common.forms import LongText, posted
from reviews import presenters
from reviews.access import review_access
from reviews.models import YoungPersonDecision
from reviews.young_person import decision_of, do_decide, family_to_decide, is_the_young_person

Choice, Basis = YoungPersonDecision.Choice, YoungPersonDecision.Basis

# The young person's own words for each answer, and the coordinator's, who may also record
# that someone acts for them.
OWN_CHOICES = [(Choice.SEES, "Yes, they can see my review and take part"),
               (Choice.DOES_NOT_SEE, "No, they cannot see my review")]
RECORDED_CHOICES = [(Choice.SEES, "Yes, they can see the review and take part"),
                    (Choice.DOES_NOT_SEE, "No, they cannot see the review"),
                    (Choice.ACTS_FOR, "They act for the young person (Mental Capacity Act "
                                      "decision only)")]


class WhoCanSeeForm(forms.Form):
    """One GOV.UK radios question per parent or carer; for a coordinator, how they know."""

    def __init__(self, *args, family, own: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        for member in family:
            decision = decision_of(member)
            self.fields[self.key(member)] = forms.ChoiceField(
                label=(f"Can {member.name} see your review?" if own else
                       f"Can {member.name} ({member.get_relationship_display().lower()}) "
                       f"see the review?"),
                choices=OWN_CHOICES if own else RECORDED_CHOICES, widget=forms.RadioSelect,
                initial=decision.choice if decision else None,
                error_messages={"required": f"Select yes or no for {member.name}"})
        if not own:
            self.fields["basis"] = forms.ChoiceField(
                label="How was this decided?", widget=forms.RadioSelect,
                choices=[(Basis.TOLD_COORDINATOR, "The young person told me"),
                         (Basis.MENTAL_CAPACITY, "The young person cannot decide this for "
                                                 "themselves: a Mental Capacity Act decision")],
                error_messages={"required": "Select how this was decided"})
            self.fields["capacity_note"] = LongText.of(
                YoungPersonDecision, "capacity_note", required=False,
                label="For a Mental Capacity Act decision: who assessed capacity, when, "
                      "and who decided",
                help_text="Name any deputy or attorney and their authority.",
                subject="The Mental Capacity Act decision")
        self.basis = Basis.OWN_ACCOUNT if own else None

    @staticmethod
    def key(member) -> str:
        return f"member_{member.pk}"

    def clean(self):
        data = super().clean()
        basis = self.basis or data.get("basis")
        if basis == Basis.MENTAL_CAPACITY and not data.get("capacity_note", "").strip():
            self.add_error("capacity_note", "Say who assessed capacity, when, and who decided")
        if basis != Basis.MENTAL_CAPACITY and any(
                data.get(self.key(m)) == Choice.ACTS_FOR for m in self.family):
            self.add_error("basis", "Only a Mental Capacity Act decision lets someone act for "
                                    "the young person")
        return data

    def changes(self):
        """(member, choice) for each person whose answer is new. An answer left as it was
        keeps who decided it (the young person, say), unless this is a Mental Capacity Act
        decision, which covers everyone on the form."""
        under_the_act = self.recorded_basis() == Basis.MENTAL_CAPACITY
        for member in self.family:
            choice = self.cleaned_data[self.key(member)]
            decision = decision_of(member)
            if under_the_act or decision is None or decision.choice != choice:
                yield member, choice

    def recorded_basis(self) -> str:
        return self.basis or self.cleaned_data["basis"]


@login_required
@require_http_methods(["GET", "POST"])
def who_can_see(request, review_id):
    access = review_access(request.user, review_id, need="view", request=request)
    child = access.review.plan.child
    own = access.is_family and is_the_young_person(request.user, child)
    if not (own or access.can_manage):
        raise Http404("No such review")
    family = family_to_decide(child)
    deciding = child.decides_for_themselves()
    # A Mental Capacity Act decision is the coordinator's to change, not the young person's.
    changeable = [m for m in family if not (own and _under_the_act(m))]
    form = WhoCanSeeForm(posted(request) if deciding else None, family=changeable, own=own)
    if request.method == "POST" and deciding and form.is_valid():
        try:
            for member, choice in form.changes():
                do_decide(member, choice, form.recorded_basis(), request.user,
                          form.cleaned_data.get("capacity_note", ""))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Saved. You can change this at any time." if own
                             else "Saved.")
            return redirect("reviews:who_can_see", access.review.pk)
    return render(request, "reviews/young_person/who_can_see.html", {
        "review": access.review, "child": child, "own": own, "form": form,
        "deciding": deciding, "from_date": presenters.date_text(child.compulsory_school_age_ends),
        "decided_under_the_act": [m for m in family if m not in changeable],
        "has_family": bool(family),
    })


def _under_the_act(member) -> bool:
    decision = decision_of(member)
    return decision is not None and decision.basis == Basis.MENTAL_CAPACITY
