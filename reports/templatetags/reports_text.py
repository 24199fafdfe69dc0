"""Plain text typed into a report, shown as GOV.UK paragraphs.

    {{ text|paragraphs }}   blank lines start a new <p class="govuk-body">; single line
                            breaks become <br>. Everything is escaped first.
"""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_BLANK_LINES = re.compile(r"\n\s*\n")


@register.filter
def paragraphs(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    return mark_safe("".join(  # noqa: S308  (every piece is escaped above)
        f'<p class="govuk-body">{escape(block.strip()).replace(chr(10), "<br>")}</p>'
        for block in _BLANK_LINES.split(text) if block.strip()))
