"""The accountability dashboards: each figure as an accessible table first, a chart beside
it where it helps, and every count clicking through to the reviews behind it.

Thin views: who may see what from reviews/access.py (``oversight_scope``; an empty scope
is a 404), the figures from accountability/measures/, the filters from
accountability/filters.py, the charts from accountability/charts.py.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.urls import reverse

from accountability import charts, measures
from accountability.filters import PERIOD_FIELDS, FilterForm, fields_for
from common.paging import page_links
from reviews import presenters
from reviews.access import oversight_scope

REVIEWS_PER_PAGE = 25
FIGURE_KEYS = ("table", "row", "figure")  # which count a list of reviews is behind


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    intro: str
    tables: list[str]
    fields: list[str]
    charts: dict[str, tuple[str, str]] = field(default_factory=dict)  # key: (column, title)


PAGES = {page.slug: page for page in [
    Page("caseload", "Caseloads",
         "Open reviews for each coordinator, and the advice each educational psychologist "
         "still owes. These are today's figures.",
         ["coordinator_caseload", "ep_caseload"], ["school", "coordinator"],
         {"coordinator_caseload": ("open", "Open reviews by coordinator")}),
    Page("timeliness", "Timeliness",
         "How often the authority meets each deadline the law sets for a review. Choose a "
         "deadline to see it by month, by school and by coordinator.",
         ["timeliness", "timeliness_by_month", "timeliness_by_school",
          "timeliness_by_coordinator"], [*PERIOD_FIELDS, "school", "coordinator", "rule"],
         {"timeliness": ("on_time_pct", "Per cent on time, by deadline"),
          "timeliness_by_month": ("on_time_pct", "Per cent on time, by month")}),
    Page("participation", "Agency participation",
         "Whether each agency invited to reviews sends its advice on time and comes to the "
         "meeting.",
         ["participation", "participation_by_team"], [*PERIOD_FIELDS, "school", "coordinator"],
         {"participation": ("on_time_pct", "Per cent of advice on time, by agency")}),
    Page("advocacy", "Independent advocacy",
         "The offer of a free independent advocate made to every family, and their answers.",
         ["advocacy"], [*PERIOD_FIELDS, "school", "coordinator"]),
    Page("dfe", "DfE annual-review measures",
         "The figures the Department for Education publishes in its annual-reviews data "
         "set, for this authority's own year.",
         ["dfe_annual_reviews"], ["year", "school", "coordinator"]),
]}
PAGE_OF_TABLE = {key: page.slug for page in PAGES.values() for key in page.tables}


def _scope(request):
    scope = oversight_scope(request.user)
    if scope.is_empty:
        raise Http404("No figures to show")
    return scope


def _pages_for(available) -> list[Page]:
    return [page for page in PAGES.values() if any(k in available for k in page.tables)]


# ---------------------------------------------------------------------------
# Presenting a Table
# ---------------------------------------------------------------------------


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return floatformat(value, -1)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


CELL = "govuk-table__cell"
NUMERIC_CELL = "govuk-table__cell govuk-table__cell--numeric"


def present(table, chart=None, query: str = "") -> dict:
    """A Table as the template reads it: the first cell of each row is its header; each
    linked count carries its meaning for screen readers, starting with the number shown
    ("6 on time, Reviews held within 12 months")."""
    rows = []
    for row in table.rows:
        names = []  # the row's label cells, before its first figure
        for column, cell in zip(table.columns, row, strict=True):
            if column.numeric:
                break
            names.append(_text(cell.value))
        about = ", ".join(names)
        cells = [{"text": names[0], "header": True}]
        for column, cell in zip(table.columns[1:], row[1:], strict=True):
            text = _text(cell.value)
            linked = bool(cell.url and cell.value)
            cells.append({
                "text": text, "css": NUMERIC_CELL if column.numeric else CELL,
                "url": cell.url if linked else "",
                "label": f"{text} {column.label.lower()}, {about}" if linked else ""})
        rows.append(cells)
    return {"table": table, "rows": rows, "chart": chart, "query": query}


def _chart(page: Page, table):
    if table.key not in page.charts:
        return None
    column, title = page.charts[table.key]
    return charts.bar_chart(table, column, title)


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


@login_required
def index(request):
    scope = _scope(request)
    available = measures.available(scope)
    glance = "timeliness" if "timeliness" in available else "participation"
    f = measures.Filters.of(scope)
    table = measures.MEASURES[glance].build(f)
    return render(request, "accountability/index.html", {
        "pages": _pages_for(available),
        "glance": present(table, query=urlencode(f.params())),
    })


@login_required
def dashboard(request, page):
    scope = _scope(request)
    page = PAGES[page]
    available = measures.available(scope)
    keys = [key for key in page.tables if key in available]
    if not keys:
        raise Http404("No figures to show")
    form = FilterForm(request.GET, scope=scope, fields=fields_for(scope, page.fields))
    tables = []
    if form.is_valid():
        query = urlencode(form.filters.params())
        for key in keys:
            table = measures.MEASURES[key].build(form.filters)
            tables.append(present(table, _chart(page, table), query))
    return render(request, "accountability/dashboard.html", {
        "page": page, "pages": _pages_for(available), "form": form, "tables": tables,
        "clear_url": reverse(f"accountability:{page.slug}"),
    })


@login_required
def reviews(request):
    """The reviews behind one count, a page at a time, each child named as every page
    names them for a professional (reviews.presenters.ReviewSummary.name_text)."""
    scope = _scope(request)
    params = {k: v for k, v in request.GET.items() if k in measures.PARAMS and v}
    key, row, figure = (request.GET.get(k, "") for k in FIGURE_KEYS)
    try:
        title, found = measures.reviews_behind(scope, key, row, figure, **params)
    except (ValueError, TypeError):
        raise Http404("No such figure") from None
    found = (found.select_related("plan__child").order_by("due_by", "pk")
             .only("pk", "kind", "status", "due_by", "meeting_at", "plan__child__first_name",
                   "plan__child__last_name", "plan__child__la_reference"))
    page = Paginator(found, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    links = page_links(page, {k: v for k, v in request.GET.items() if k != "page"})
    return render(request, "accountability/reviews.html", {
        "title": title,
        "page": page,
        "rows": [_review_row(review) for review in page],
        "previous": links["previous"],
        "next": links["next"],
        "back": f"{reverse('accountability:' + PAGE_OF_TABLE[key])}?{urlencode(params)}",
    })


def _review_row(review) -> dict:
    child = review.plan.child
    return {
        "id": review.pk,
        "child": f"{child.full_name} ({child.la_reference})",
        "kind": review.get_kind_display(),
        "status": review.get_status_display(),
        "due_by": presenters.date_text(review.due_by),
        "meeting": presenters.date_text(review.meeting_date) if review.meeting_at else "",
    }

