"""What a browser would post from the draft editor: every field as the page shows it."""

from django import forms

from reports.forms import DraftForm


def editor_data(report, **changes) -> dict:
    """The edit page's fields as they stand for ``report``, with ``changes`` typed in."""
    form = DraftForm(content=report.content, base_revision=report.latest_revision_id)
    data = {}
    for field in form:
        value, widget = field.value(), field.field.widget
        if isinstance(widget, forms.MultiWidget):
            for i, part in enumerate(widget.decompress(value)):
                data[f"{field.html_name}_{i}"] = "" if part is None else str(part)
        else:
            data[field.html_name] = "" if value is None else value
    data.update(changes)
    return data
