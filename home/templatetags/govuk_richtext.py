"""Give Wagtail's plain rich text HTML the GOV.UK Frontend typography classes.

Wagtail renders rich text as bare <h2>, <p>, <ul> ... tags. GOV.UK Frontend styles only
elements that carry its classes, so `{{ value|govuk_richtext }}` re-emits the HTML with
the class added to each known tag and everything else left exactly as it was.
"""

from html import escape
from html.parser import HTMLParser

from django import template
from django.utils.safestring import mark_safe
from wagtail.templatetags.wagtailcore_tags import richtext

register = template.Library()

GOVUK_CLASSES = {
    "h2": "govuk-heading-m",
    "h3": "govuk-heading-s",
    "h4": "govuk-heading-s",
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
}


class _ClassAdder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out = []

    def handle_starttag(self, tag, attrs):
        if tag not in GOVUK_CLASSES:
            self.out.append(self.get_starttag_text())
            return
        classes = GOVUK_CLASSES[tag]
        rest = []
        for name, value in attrs:
            if name == "class":
                classes = f"{classes} {value or ''}".strip()
            else:
                rest.append(name if value is None else f'{name}="{escape(value)}"')
        self.out.append("<" + " ".join([tag, f'class="{escape(classes)}"', *rest]) + ">")

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")


def add_govuk_classes(html):
    """Return `html` with GOV.UK Frontend classes on headings, paragraphs, lists and links."""
    parser = _ClassAdder()
    parser.feed(str(html))
    parser.close()
    return "".join(parser.out)


@register.filter
def govuk_richtext(value):
    """Render a rich text value (RichText or database HTML) with GOV.UK classes."""
    return mark_safe(add_govuk_classes(richtext(value)))  # noqa: S308 - rewritten, not new, HTML
