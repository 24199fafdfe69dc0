"""Render Django form fields in GOV.UK Frontend markup.

Used by portal/templates/includes/field.html and error_summary.html (see base.html):

    {% load govuk_forms %}
    {{ field|govuk_kind }}          -> "input", "email", "password", "textarea", "select",
                                       "file", "checkbox", "checkboxes", "radios",
                                       "multi" or "hidden"
    {% govuk_widget field %}        -> the widget with GOV.UK classes, the error modifier
                                       and aria-describedby pointing at hint and error
    {% govuk_widget field "govuk-input--width-10" %}   extra classes for the control
    {{ field|govuk_error_target }}  -> the id an error summary link should point at
    {{ field|govuk_character_limit }} -> a textarea's max_length, shown with GOV.UK's
                                       character count (None for anything else)
    {% filter squash %}...{% endfilter %}   collapses whitespace (page titles)

Hint and error ids follow Django's own: "<auto_id>_helptext" and "<auto_id>_error"; a
character count's message is "<auto_id>-info", the id GOV.UK Frontend's script looks for.
"""

import re

from django import forms, template

register = template.Library()

_CONTROL_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "email": ("govuk-input", "govuk-input--error"),
    "password": (
        "govuk-input govuk-password-input__input govuk-js-password-input-input",
        "govuk-input--error",
    ),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
}


def _widget_kind(widget) -> str:
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.EmailInput) or widget.attrs.get("type") == "email":
        return "email"
    if isinstance(widget, forms.MultiWidget):
        return "multi"
    return "input"


@register.filter
def govuk_kind(bound_field) -> str:
    """Which GOV.UK pattern renders this bound field."""
    return _widget_kind(bound_field.field.widget)


@register.filter
def govuk_error_target(bound_field) -> str:
    """The id of the control an error summary link moves focus to."""
    return bound_field.id_for_label or f"{bound_field.auto_id}_0"


@register.filter
def govuk_character_limit(bound_field) -> int | None:
    """The most characters a textarea takes, if it has a limit."""
    if _widget_kind(bound_field.field.widget) != "textarea":
        return None
    return getattr(bound_field.field, "max_length", None)


def describedby(bound_field) -> str:
    ids = []
    if govuk_character_limit(bound_field):
        ids.append(f"{bound_field.auto_id}-info")
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}_error")
    return " ".join(ids)


@register.simple_tag
def govuk_widget(bound_field, extra_classes=""):
    """The field's widget, rendered with GOV.UK classes and accessible descriptions."""
    widget = bound_field.field.widget
    kind = _widget_kind(widget)
    if kind == "hidden":
        return bound_field.as_widget()
    base, error = _CONTROL_CLASSES.get(kind, ("", ""))
    classes = [base, widget.attrs.get("class", ""), extra_classes]
    if govuk_character_limit(bound_field):
        classes.append("govuk-js-character-count")
    if bound_field.errors and error:
        classes.append(error)
    # GOV.UK: labels and hints, never placeholders.
    attrs = {"placeholder": False}
    if css := " ".join(c for c in classes if c):
        # A multi-widget gets no class of its own here: its template (a GOV.UK date
        # input, say) styles its parts, and a class given here would replace theirs.
        attrs["class"] = css
    if described := describedby(bound_field):
        attrs["aria-describedby"] = described
    if widget.attrs.get("autocomplete") == "one-time-code":
        # Authenticator and sign-in codes: short, numeric, no spelling help.
        attrs["class"] = attrs.get("class", "") + " govuk-input--width-10"
        attrs["inputmode"] = "numeric"
        attrs["spellcheck"] = "false"
    if kind in ("email", "password"):
        attrs["spellcheck"] = "false"
        attrs["autocapitalize"] = "none"
    return bound_field.as_widget(attrs=attrs)


@register.filter(is_safe=True)
def squash(value) -> str:
    """Collapse runs of whitespace (allauth's titles arrive padded with newlines)."""
    return re.sub(r"\s+", " ", str(value)).strip()
