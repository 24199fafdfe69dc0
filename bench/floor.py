"""The floor for the dashboards' benchmark: a bare Django view of the same size as a page.

It reads a given number of rows with one plain query and renders a table of a given number
of rows and cells through the portal's base template (as HTML), or writes them as a CSV or
Excel file of that shape, behind every middleware the portal's pages pass through. What a
page costs beyond its floor, measured in the same run, is the page's own work; absolute
times do not travel between machines, ratios do.

Served only by the benchmark (`URLCONF`, which adds it to the portal's URLs); never deployed.
"""

import csv
import io
import itertools

from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

ROWS_SQL = ("SELECT id, status, due_by, meeting_at, coordinator_id, plan_id "
            "FROM reviews_review ORDER BY id LIMIT %s")

PAGE = engines["django"].from_string("""{% extends "base.html" %}
{% block title %}Floor{% endblock %}
{% block content %}
<h1 class="govuk-heading-l">Floor</h1>
<table class="govuk-table"><tbody class="govuk-table__body">
{% for row in rows %}<tr class="govuk-table__row">
{% for cell in row %}<td class="govuk-table__cell">{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{% endblock %}""")


def table(read: int, rows: int, cells: int) -> list[list]:
    """`rows` rows of `cells` values, from `read` rows read with one plain query."""
    with connection.cursor() as cursor:
        cursor.execute(ROWS_SQL, [max(1, read)])
        fetched = cursor.fetchall() or [("",)]
    values = itertools.cycle(value for row in fetched for value in row)
    return [[next(values) for _ in range(cells)] for _ in range(rows)]


def floor(request):
    """?read=R&rows=T&cells=C&format=html|csv|xlsx"""
    shape = [int(request.GET.get(name, 0)) for name in ("read", "rows", "cells")]
    rows = table(*shape)
    kind = request.GET.get("format", "html")
    if kind == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return HttpResponse(out.getvalue(), content_type="text/csv")
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        for row in rows:
            sheet.append([str(value) for value in row])
        out = io.BytesIO()
        book.save(out)
        return HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-"
                            "officedocument.spreadsheetml.sheet")
    return HttpResponse(PAGE.render({"rows": rows}, request))


urlpatterns = [path("bench-floor/", floor), path("", include("portal.urls"))]
# The root URLconf names it: the portal's own pages.
handler500 = "agencies.error_pages.server_error"
URLCONF = __name__
