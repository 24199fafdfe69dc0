"""The rows of a figure table, written with format_html: a county's table by school or by
agency has thousands of cells, and a template loop over them costs more than the query."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _cell(cell) -> str:
    if cell.get("header"):
        return format_html('<th scope="row" class="govuk-table__header">{}</th>', cell["text"])
    if cell["url"]:
        return format_html('<td class="{}"><a class="govuk-link" href="{}" aria-label="{}">{}'
                           "</a></td>", cell["css"], cell["url"], cell["label"], cell["text"])
    text = "–" if cell["text"] is None else cell["text"]
    return format_html('<td class="{}">{}</td>', cell["css"], text)


@register.simple_tag
def figure_rows(rows):
    """``rows`` as accountability.views.present makes them."""
    return format_html_join("\n", '<tr class="govuk-table__row">{}</tr>',
                            ((format_html_join("", "{}", ((_cell(c),) for c in row)),)
                             for row in rows))
