"""Small form helpers every app's views share."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError


def posted(request):
    """The form data on a POST (even an empty one, which must show errors), else None."""
    return request.POST if request.method == "POST" else None


class LongText(forms.CharField):
    """Free text typed in a textarea, up to a limit declared on the model: its field's
    max_length (``LongText.of``), or the model's constant for text kept in JSON.
    includes/field.html shows the limit with GOV.UK's character count; text over it is
    refused with a message that says the limit, and the form keeps what was typed.

    ``subject`` starts that message: "What is working well must be 10,000 characters or
    fewer"."""

    def __init__(self, *, max_length: int, subject: str = "Your answer", rows: int = 5,
                 **kwargs):
        super().__init__(max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}),
                         **kwargs)
        self.error_messages["max_length"] = (
            f"{subject} must be {max_length:,} characters or fewer")

    @classmethod
    def of(cls, model, field_name: str, **kwargs) -> "LongText":
        return cls(max_length=model._meta.get_field(field_name).max_length, **kwargs)

    def to_python(self, value):
        # Browsers send each line break as two characters (CR LF) where the character count
        # on the page counted one: without this, text the page said fits would not.
        return super().to_python(value).replace("\r\n", "\n")


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes: the GOV.UK date input."""

    template_name = "common/widgets/date_input.html"

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(attrs={"inputmode": "numeric"}) for _ in range(3)],
                         attrs)

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    def __init__(self, **kwargs):
        error = {"incomplete": "Enter the day, month and year", "invalid": "Enter a real date"}
        fields = [forms.IntegerField(error_messages={"invalid": error["invalid"]})
                  for _ in range(3)]
        super().__init__(fields, error_messages=error, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        try:
            day, month, year = data_list
            return dt.date(year, month, day)
        except (TypeError, ValueError):
            raise ValidationError("Enter a real date", code="invalid") from None
