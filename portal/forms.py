"""Small form helpers every app's views share."""

from django import forms


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
