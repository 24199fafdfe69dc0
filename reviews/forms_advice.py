"""Forms for contributors: the answer to an invitation, and the advice form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html

from common.forms import LongText
from reviews.advice import AdviceContent, asks_for_advice
from reviews.models import Advice, Invitation, Outcome, OutcomeProgress, Plan
from reviews.uploads import DOCUMENTS, check_upload, max_upload_bytes


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Your answer", widget=forms.RadioSelect,
        error_messages={"required": "Select whether you will come to the meeting"},
    )
    # Always shown beside the choice, not revealed by it: GOV.UK Frontend's conditional
    # reveal sets aria-expanded on a radio button, which axe reports as a critical fault.
    reason = LongText.of(
        Invitation, "declined_reason", subject="The reason", rows=4,
        label="If you can't contribute, say why", required=False,
        help_text="For example, you no longer work with this child, or a colleague should "
                  "be asked instead. The coordinator is told, and can invite someone else.",
    )

    def __init__(self, *args, invitation: Invitation, may_decline: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(Invitation.Answer.ATTENDING, "Yes, I will come"),
                   (Invitation.Answer.NOT_ATTENDING, "No, I cannot come")]
        if asks_for_advice(invitation):
            choices.append((Invitation.Answer.ADVICE_ONLY,
                            "No, I will send advice but not come to the meeting"))
        # Families give their views; only a professional says they cannot take part. Only
        # the agency (its lead or duty inbox) declines for the agency.
        self.may_refuse = invitation.role != Invitation.Role.FAMILY
        if may_decline:
            choices.append((Invitation.Answer.DECLINED, "Decline for the agency"))
            self.fields["reason"].label = "If the agency is declining, say why"
            self.fields["reason"].help_text = (
                "Only decline if nobody from the agency can help with this review. The "
                "coordinator and the local authority will see the reason, and it is kept on "
                "the agency's record.")
        elif self.may_refuse:
            choices.append((Invitation.Answer.DECLINED,
                            "I can't contribute to this review"))
        self.fields["answer"].choices = choices
        self.may_decline = may_decline

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == Invitation.Answer.DECLINED and not cleaned.get(
                "reason", "").strip():
            self.add_error("reason", "Enter why the agency is declining" if self.may_decline
                           else "Enter why you can't contribute")
        return cleaned


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Several files at once, each checked by its content; cleans to (file, type) pairs."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        checked, errors = [], []
        for uploaded in files:
            try:
                checked.append((uploaded, check_upload(uploaded, DOCUMENTS)))
            except ValidationError as error:
                # Name the file: with several chosen, "the selected file" could be any.
                errors.append(error.message.replace("The selected file", f"‘{uploaded.name}’"))
        if errors:
            raise ValidationError(errors)
        return checked


def _outcome_hint(outcome: Outcome) -> str:
    # Hints are rendered as HTML (see includes/field.html): the plan's words are escaped.
    if outcome.adulthood_area:
        return format_html("{}<br>Preparing for adulthood: {}", outcome.text,
                           outcome.get_adulthood_area_display())
    return escape(outcome.text)


def _text(model, name, label, subject, help_text="", rows=5):
    """An optional answer, up to the model field's limit."""
    return LongText.of(model, name, label=label, subject=subject, help_text=help_text,
                       required=False, rows=rows)


class AdviceForm(forms.Form):
    """Progress and evidence for each of the plan's outcomes, what is working and what is
    not, recommended changes per plan section, and files.

    Nothing is required to save a draft. `require_progress()` adds the errors that stop a
    draft going to the check-your-answers page.
    """

    what_is_working = _text(Advice, "what_is_working", "What is working well?",
                            "What is working well",
                            "What has helped the child or young person make progress.")
    what_is_not_working = _text(Advice, "what_is_not_working", "What is not working?",
                                "What is not working",
                                "What has got in the way, and any support that has not helped.")

    def __init__(self, *args, plan: Plan, outcomes, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.outcomes = list(outcomes)
        fields = {}
        for outcome in self.outcomes:
            fields[f"progress_{outcome.pk}"] = forms.ChoiceField(
                label=f"Progress towards outcome {outcome.number}", required=False,
                choices=OutcomeProgress.Progress.choices, widget=forms.RadioSelect,
                help_text=_outcome_hint(outcome))
            fields[f"evidence_{outcome.pk}"] = _text(
                OutcomeProgress, "evidence", f"Evidence for outcome {outcome.number} (optional)",
                f"The evidence for outcome {outcome.number}",
                "What you have seen, measured or been told.", rows=4)
        fields["what_is_working"] = self.fields.pop("what_is_working")
        fields["what_is_not_working"] = self.fields.pop("what_is_not_working")
        for letter, title in Plan.SECTIONS:
            # Kept in a JSON field: the limit is the model's constant.
            fields[f"change_{letter}"] = LongText(
                label=f"Section {letter}: {title}", max_length=Advice.CHANGE_MAX_LENGTH,
                subject=f"The change to section {letter}", required=False, rows=3)
        size = max_upload_bytes() // (1024 * 1024)
        fields["files"] = DocumentsField(
            label="Add reports or other files (optional)", required=False,
            help_text=f"PDF, Word, JPEG or PNG files, each smaller than {size} MB. You can "
                      f"choose more than one file.")
        self.attachments = list(attachments)
        if self.attachments:
            fields["remove"] = forms.TypedMultipleChoiceField(
                label="Remove files", required=False, coerce=int,
                choices=[(a.pk, a.name) for a in self.attachments],
                widget=forms.CheckboxSelectMultiple,
                help_text="Tick any file you want to take out of your advice.")
        self.fields = fields

    @classmethod
    def initial_from(cls, advice: Advice | None) -> dict:
        if advice is None:
            return {}
        initial = {"what_is_working": advice.what_is_working,
                   "what_is_not_working": advice.what_is_not_working}
        for row in advice.progress.all():
            initial[f"progress_{row.outcome_id}"] = row.progress
            initial[f"evidence_{row.outcome_id}"] = row.evidence
        for letter, text in advice.recommended_changes.items():
            initial[f"change_{letter}"] = text
        return initial

    def outcome_fields(self):
        """(outcome, progress field, evidence field) for the template, in plan order."""
        return [(o, self[f"progress_{o.pk}"], self[f"evidence_{o.pk}"]) for o in self.outcomes]

    def change_fields(self):
        """(field, what the plan says now) for each section, A to K."""
        return [(self[f"change_{letter}"], self.plan.section_text(letter))
                for letter, _ in Plan.SECTIONS]

    def require_progress(self) -> bool:
        """Add an error for each outcome with no progress chosen; True if none is missing."""
        for outcome in self.outcomes:
            name = f"progress_{outcome.pk}"
            if not self.cleaned_data.get(name):
                self.add_error(name, f"Select how outcome {outcome.number} is going")
        return not self.errors

    def content(self) -> AdviceContent:
        data = self.cleaned_data
        return AdviceContent(
            progress={o.pk: (data.get(f"progress_{o.pk}", ""), data.get(f"evidence_{o.pk}", ""))
                      for o in self.outcomes},
            what_is_working=data["what_is_working"],
            what_is_not_working=data["what_is_not_working"],
            recommended_changes={letter: data[f"change_{letter}"]
                                 for letter, _ in Plan.SECTIONS},
        )

    def new_files(self):
        return self.cleaned_data.get("files", [])

    def removed(self):
        return self.cleaned_data.get("remove", [])
