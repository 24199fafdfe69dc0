"""The forms of the family's pages (reviews/views/family.py): the answer to the offer of an
independent advocate, the answer to each question of their views (the last with the
child's picture or recording), and sending them."""

from django import forms

from common.forms import LongText
from reviews.models import AdvocacyOffer, FamilyViews
from reviews.uploads import (
    PICTURES_AND_RECORDINGS,
    accept_attribute,
    check_upload,
    format_names,
    max_upload_bytes,
)


class AdvocacyForm(forms.Form):
    # "Not yet" is stored as the offer's empty answer: a radio cannot carry an empty value.
    ANSWERS = {"yes": AdvocacyOffer.Answer.YES, "no": AdvocacyOffer.Answer.NO,
               "not_yet": AdvocacyOffer.Answer.NOT_YET}

    answer = forms.ChoiceField(
        label="Would you like an advocate to help you?",
        choices=[("yes", "Yes, I would like an advocate"), ("no", "No, thank you"),
                 ("not_yet", "Not yet. I want to think about it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes, no or not yet"},
    )

    @classmethod
    def initial_for(cls, offer: AdvocacyOffer | None) -> dict:
        if offer is None or offer.answered_at is None:
            return {}
        return {"answer": next(k for k, v in cls.ANSWERS.items() if v == offer.answer)}


class AnswerForm(forms.Form):
    """The answer to one question, kept in the FamilyViews field ``field``."""

    def __init__(self, *args, field: str, label: str, hint: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"] = LongText.of(FamilyViews, field, label=label, help_text=hint,
                                            required=False, rows=6)
        self.order_fields(["answer"])


class OwnViewsForm(AnswerForm):
    upload = forms.FileField(
        required=False,
        widget=forms.FileInput(attrs={"accept": accept_attribute(PICTURES_AND_RECORDINGS)}),
        label="Upload a picture or a recording (if you want to)",
    )
    remove_upload = forms.BooleanField(required=False, label="Remove the file you uploaded")

    def __init__(self, *args, has_file: bool, **kwargs):
        super().__init__(*args, **kwargs)
        limit = max_upload_bytes() // (1024 * 1024)
        self.fields["upload"].help_text = (
            f"A photo, a drawing, a sound recording or a short video. It must be a "
            f"{format_names(PICTURES_AND_RECORDINGS)} file smaller than {limit} MB."
            + (" A new file replaces the one you uploaded." if has_file else ""))
        if not has_file:
            del self.fields["remove_upload"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            check_upload(upload, PICTURES_AND_RECORDINGS)
        return upload


class SendForm(forms.Form):
    """Carries the error when there is nothing to send."""

