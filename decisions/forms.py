"""The decision's forms: what the officer records and what the family tells us."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.forms import GovukDateField, LongText
from decisions import amending, deciding
from decisions.disagreeing import FACT_WORDS
from decisions.models import Amendment, Decision, Disagreement, FamilyResponse
from meeting.models import Recommendation
from reviews import clock
from reviews.models import Plan, Review

# The law's durations in words, as the settings in force (read at start-up) say them.
LAW = clock.words_in_force()


def _section(letter: str, title: str, rows: int = 6, **kwargs) -> LongText:
    """A plan section's text (its proposed amendment, or its final wording), which may be
    left empty."""
    return LongText(label=f"Section {letter}: {title}", subject=f"Section {letter}",
                    max_length=Plan.SECTION_TEXT_MAX_LENGTH, required=False, rows=rows,
                    **kwargs)


class DateField(GovukDateField):
    """The GOV.UK date input, saying what to enter when it is required and left empty."""

    def __init__(self, *, required_error: str = "", **kwargs):
        super().__init__(**kwargs)
        if required_error:
            self.error_messages["required"] = required_error


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise ValidationError("The date must be today or in the past")
    return day


# ---------------------------------------------------------------------------
# The officer
# ---------------------------------------------------------------------------

OUTCOME_SLUGS = {"maintain": Review.Decision.MAINTAIN, "amend": Review.Decision.AMEND,
                 "cease": Review.Decision.CEASE}
RECOMMENDATION_SLUGS = {Recommendation.Overall.MAINTAIN: "maintain",
                        Recommendation.Overall.AMEND: "amend",
                        Recommendation.Overall.CEASE: "cease"}


class ChooseOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What has the local authority decided?", widget=forms.RadioSelect,
        choices=[("maintain", "Maintain the plan unchanged"), ("amend", "Amend the plan"),
                 ("cease", "Cease the plan")],
        error_messages={"required": "Select maintain, amend or cease"})


REASONS_HINT = ("These go in the letter to the family. Write in plain English, in short "
                "sentences, as you would say it to them.")


def _reasons(label: str, error: str, model=Decision, field: str = "reasons") -> LongText:
    return LongText.of(model, field, label=label, subject="The reasons", rows=6,
                       help_text=REASONS_HINT, error_messages={"required": error})


class DecisionForm(forms.Form):
    """One outcome's form: what ``do_record_decision`` needs besides the outcome. Each
    asks for the reasons in its own words; while the report of the meeting is not
    published, also why the decision cannot wait for it."""

    def __init__(self, *args, report_published: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not report_published:
            self.fields["before_report_reason"] = LongText.of(
                Decision, "before_report_reason", rows=3,
                label="The report of the meeting is not published yet. Why can the decision "
                      "not wait for it?",
                help_text="For example: the report is late and the decision is due in 2 "
                          "days. This goes on the review's record, not in the letter.",
                error_messages={"required": deciding.REPORT_FIRST})

    @classmethod
    def for_review(cls, data, review: Review, **kwargs) -> "DecisionForm":
        return cls(data, report_published=review.report_sent_on is not None, **kwargs)

    def decision_facts(self) -> dict:
        return {"reasons": self.cleaned_data["reasons"],
                "before_report_reason": self.cleaned_data.get("before_report_reason", "")}


class MaintainForm(DecisionForm):
    reasons = _reasons("Why is the plan staying as it is?",
                       error="Give the reasons for the decision")


class AmendForm(DecisionForm):
    reasons = _reasons("Why does the plan need to change?",
                       error="Give the reasons for the decision")

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        for letter, title in Plan.SECTIONS:
            self.fields[f"section_{letter}"] = _section(
                letter, title, rows=4, help_text="Leave this empty if the section does not change.")
        self.plan = plan

    @classmethod
    def for_review(cls, data, review: Review, **kwargs) -> "AmendForm":
        """Starting from what the meeting recommended, section by section."""
        recommended = amending.recommended_amendments(review)
        return super().for_review(data, review, plan=review.plan, initial={
            f"section_{letter}": text for letter, text in recommended.items()})

    def section_fields(self):
        """(bound field, letter, what the section says now), A to K."""
        return [(self[f"section_{letter}"], letter, self.plan.section_text(letter))
                for letter, _ in Plan.SECTIONS]

    def decision_facts(self) -> dict:
        return {**super().decision_facts(), "proposed": {
            letter: self.cleaned_data.get(f"section_{letter}", "")
            for letter, _ in Plan.SECTIONS}}

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(f"section_{letter}") or "").strip()
                   for letter, _ in Plan.SECTIONS):
            self.add_error("section_A", "Propose at least one amendment: say what changes in "
                                        "at least one section")
        return cleaned


class CeaseForm(DecisionForm):
    cease_ground = forms.ChoiceField(
        label="On which ground may the plan cease?", widget=forms.RadioSelect,
        choices=Decision.Ground.choices,
        help_text="The law allows only these two (Children and Families Act 2014, section 45).",
        error_messages={"required": "Select the ground on which the plan may cease"})
    reasons = _reasons("Why is the plan to cease?", error="Give the reasons for the decision")
    family_consulted_on = DateField(
        label="When did you consult the family?", help_text="For example, 27 3 2027",
        required_error="Enter the date you consulted the family")
    setting_consulted_on = DateField(
        label="When did you consult the school or college?",
        help_text="The head teacher or principal of the setting named in the plan. For "
                  "example, 27 3 2027",
        required_error="Enter the date you consulted the school or college")

    def clean_family_consulted_on(self):
        return _not_in_future(self.cleaned_data["family_consulted_on"])

    def clean_setting_consulted_on(self):
        return _not_in_future(self.cleaned_data["setting_consulted_on"])

    def decision_facts(self) -> dict:
        return {**super().decision_facts(),
                **{name: self.cleaned_data[name] for name in
                   ("cease_ground", "family_consulted_on", "setting_consulted_on")}}


OUTCOME_FORMS = {Review.Decision.MAINTAIN: MaintainForm, Review.Decision.AMEND: AmendForm,
                 Review.Decision.CEASE: CeaseForm}


class FinalPlanForm(forms.Form):
    """Every section's text, starting from the plan as it is now."""

    def __init__(self, *args, plan: Plan, proposed: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.proposed = proposed
        for letter, title in Plan.SECTIONS:
            self.fields[f"section_{letter}"] = _section(letter, title)
            self.initial.setdefault(f"section_{letter}", plan.section_text(letter))

    def section_fields(self):
        """(bound field, letter, the proposed amendment to it), A to K."""
        return [(self[f"section_{letter}"], letter, self.proposed.get(letter, ""))
                for letter, _ in Plan.SECTIONS]

    def sections(self) -> dict[str, str]:
        return {letter: self.cleaned_data.get(f"section_{letter}", "")
                for letter, _ in Plan.SECTIONS}


class NotAmendingForm(forms.Form):
    reasons = _reasons("Why will the plan not be amended?",
                       error="Give the reasons for not amending the plan",
                       model=Amendment, field="result_reasons")


class DisagreementFactsForm(forms.Form):
    """Where mediation and the appeal stand; each date optional."""

    mediation_requested_on = DateField(
        label="The family asked the council for mediation on", required=False,
        help_text=f"Mediation must then take place within {LAW['mediation_held']}.")
    mediation_declined_on = DateField(
        label="The family told the mediation adviser they do not want mediation on",
        required=False, help_text="The adviser must then give a certificate within "
                                  f"{LAW['mediation_certificate']}.")
    mediation_ended_on = DateField(label="Mediation ended on", required=False)
    mediation_certificate_on = DateField(
        label="The mediation certificate was issued on", required=False,
        help_text=f"The family then have at least {LAW['appeal_after_certificate']} from this "
                  "date to appeal.")
    appeal_made_on = DateField(label="The family appealed to the Tribunal on",
                                    required=False)
    not_opposing_on = DateField(
        label="The council told the Tribunal it will not oppose the appeal on", required=False,
        help_text=f"The amended plan is then due within {LAW['unopposed_appeal']}.")
    appeal_decided_on = DateField(label="The appeal was decided on", required=False)
    appeal_result = forms.ChoiceField(
        label="How was the appeal decided?", required=False, widget=forms.RadioSelect,
        choices=Disagreement.AppealResult.choices)

    FACTS = list(FACT_WORDS)

    @classmethod
    def initial_for(cls, disagreement: Disagreement | None) -> dict:
        if disagreement is None:
            return {}
        return {name: getattr(disagreement, name) for name in [*cls.FACTS, "appeal_result"]}

    def facts(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.FACTS}


class TribunalOrderForm(forms.Form):
    """What the Tribunal ordered, and when the council complied."""

    Requirement = clock.OrderRequirement

    made_on = DateField(label="Date of the Tribunal's order",
                        required_error="Enter the date of the order")
    requires = forms.MultipleChoiceField(
        label="What did the Tribunal order the council to do?",
        widget=forms.CheckboxSelectMultiple, help_text="Select all that apply.",
        choices=[(Requirement.CONTINUE, "Continue to maintain the plan (at once)"),
                 (Requirement.AMEND_PROVISION,
                  "Amend the needs or provision in the plan (within "
                  f"{LAW['order_amend_provision']})"),
                 (Requirement.AMEND_PLACEMENT,
                  "Name a different school or college, or type, in the plan (within "
                  f"{LAW['order_amend_placement']})")],
        error_messages={"required": "Select what the Tribunal ordered"})
    provision_amended_on = DateField(
        label="The plan with the needs or provision amended was issued on", required=False,
        help_text="Leave empty until it has gone.")
    placement_amended_on = DateField(
        label="The plan naming the school or college was issued on", required=False,
        help_text="Leave empty until it has gone.")

    @classmethod
    def initial_for(cls, order, disagreement) -> dict:
        if order is None:
            return {"made_on": disagreement.appeal_decided_on}
        return {"made_on": order.made_on, "requires": sorted(order.requires()),
                "provision_amended_on": order.provision_amended_on,
                "placement_amended_on": order.placement_amended_on}

    def facts(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in
                ("made_on", "requires", "provision_amended_on", "placement_amended_on")}


# ---------------------------------------------------------------------------
# The family
# ---------------------------------------------------------------------------


class ReplyForm(forms.Form):
    comments = LongText.of(
        FamilyResponse, "comments", subject="What you think", rows=6, required=False,
        label="What do you think of the proposed changes?",
        help_text="You can agree, disagree, or tell us what is missing.")
    named_setting = forms.CharField(
        label="Is there a school or college you want named in the plan? (optional)",
        required=False, max_length=FamilyResponse._meta.get_field("named_setting").max_length,
        help_text="Give its name. Leave this empty if you are happy with where they are now.")
    wants_meeting = forms.ChoiceField(
        label="Do you want to meet someone from the council to talk about the changes?",
        widget=forms.RadioSelect, choices=[("yes", "Yes"), ("no", "No")], initial="no",
        error_messages={"required": "Select yes or no"})

    def clean(self):
        cleaned = super().clean()
        if not ((cleaned.get("comments") or "").strip() or (cleaned.get("named_setting") or "")
                .strip() or cleaned.get("wants_meeting") == "yes"):
            self.add_error("comments", "Tell us what you think, name a school or college, or "
                                       "ask to meet us")
        return cleaned


class DisagreeForm(forms.Form):
    text = LongText.of(
        Disagreement, "what_they_disagree_with", subject="What you disagree with", rows=6,
        label="What do you disagree with?",
        help_text="Tell us in your own words.",
        error_messages={"required": "Tell us what you disagree with"})


class AskForMediationForm(forms.Form):
    """A button: asking is the whole answer."""


class AppealForm(forms.Form):
    appealed_on = DateField(
        label="When did you send your appeal to the Tribunal?",
        help_text="For example, 27 3 2027. If you are not sure of the day, give your best guess.",
        required_error="Enter the date you sent your appeal")
