"""The timeliness tables: how many reviews met each deadline of the law, in the period, by
month, by school and by coordinator."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import (
    Case,
    CharField,
    Count,
    Value,
    When,
)
from django.utils import dateformat

from accountability.measures.base import (
    COORDINATOR,
    RULES,
    STATES,
    Filters,
    Rule,
    _coordinator_name,
    _coordinator_order,
    _pct,
    _register,
    any_of,
    counts,
    labelled,
    scoped_reviews,
    tally,
)
from accountability.tables import Cell, Column, Table

# ---------------------------------------------------------------------------
# Timeliness
# ---------------------------------------------------------------------------

TIMELINESS_COLUMNS = [
    Column("counted", "Reviews counted", numeric=True),
    Column("on_time", "On time", numeric=True),
    Column("on_time_pct", "On time, %", numeric=True),
    Column("late", "Done late", numeric=True),
    Column("overdue", "Not done, past the deadline", numeric=True),
    Column("late_pct", "Late, %", numeric=True),
    Column("not_due", "Not due yet", numeric=True),
]
TIMELINESS_CAPTION = ("Percentages are of the reviews that are done or past their deadline; "
                      "reviews not due yet are left out of them.")


def _state(rule: Rule, f: Filters) -> Case:
    """Where a review stands on ``rule`` in the period ("" if the rule does not count it):
    the period tested once, then the states."""
    return Case(When(rule.in_period(f), then=labelled(
        {state: rule.state(state, f) for state in STATES})), default=Value(""),
        output_field=CharField())


def _timeliness_values(found: Counter) -> dict:
    values = {state: found[state] for state in STATES}
    return {"counted": sum(values.values()), **values}


def _timeliness_cells(key: str, row, f: Filters, found: Counter) -> list[Cell]:
    values = _timeliness_values(found)
    decided = values["on_time"] + values["late"] + values["overdue"]
    cells = counts(key, row, f, values, ["counted", "on_time"])
    cells.append(Cell(_pct(values["on_time"], decided)))
    cells += counts(key, row, f, values, ["late", "overdue"])
    cells.append(Cell(_pct(values["late"] + values["overdue"], decided)))
    cells += counts(key, row, f, values, ["not_due"])
    return cells


def _timeliness_behind(f: Filters, row: str, figure: str):
    rule = RULES.get(row)
    if rule is None or figure not in ("counted", *STATES):
        raise ValueError("No such figure")
    where = rule.in_period(f)
    if figure != "counted":
        where &= rule.state(figure, f)
    return f"{rule.label}, {f.period_text}: {_figure_label(figure)}", \
        scoped_reviews(f).filter(where)


def _figure_label(figure: str) -> str:
    return {"counted": "all reviews counted", **STATES}[figure].lower()


@_register("timeliness", _timeliness_behind)
def timeliness(f: Filters) -> Table:
    """Every rule for the authority in one query: the reviews any rule counts, grouped by
    where each stands on every rule."""
    states = {f"state_{key}": _state(rule, f) for key, rule in RULES.items()}
    grouped = (scoped_reviews(f).filter(any_of([r.in_period(f) for r in RULES.values()]))
               .annotate(**states).values(*states).annotate(n=Count("pk")).order_by())
    found = {key: Counter() for key in RULES}
    for row in grouped:
        for key in RULES:
            found[key][row[f"state_{key}"]] += row["n"]
    rows = [[Cell(rule.label), *_timeliness_cells("timeliness", key, f, found[key])]
            for key, rule in RULES.items()]
    return Table(key="timeliness", title="Timeliness against the law",
                 columns=[Column("rule", "What the law asks"), *TIMELINESS_COLUMNS], rows=rows,
                 caption=f"Statutory deadlines met, {f.period_text}. {TIMELINESS_CAPTION}")


def _by_month_behind(f: Filters, row: str, figure: str):
    try:
        month = dt.date.fromisoformat(f"{row}-01")
    except ValueError:
        raise ValueError("No such month") from None
    if month.year != f.year or not f.from_month <= month.month <= f.to_month:
        raise ValueError("Month outside the period")
    return _timeliness_behind(f.months(month.month, month.month), f.rule, figure)


@_register("timeliness_by_month", _by_month_behind)
def timeliness_by_month(f: Filters) -> Table:
    rule = RULES[f.rule]
    found = tally(_grouped_states(rule, f, month=rule.month(f)), ["month"], "state")
    rows = []
    for number in range(f.from_month, f.to_month + 1):
        month = dt.date(f.year, number, 1)
        rows.append([Cell(dateformat.format(month, "F Y")),
                     *_timeliness_cells("timeliness_by_month", month.strftime("%Y-%m"), f,
                                        found[(month,)])])
    return Table(key="timeliness_by_month", title=f"{rule.label}, by month",
                 columns=[Column("month", "Month"), *TIMELINESS_COLUMNS], rows=rows,
                 caption=f"{rule.label}, month by month, {f.period_text}. "
                         f"{TIMELINESS_CAPTION}")


def _group_behind(field_name: str):
    def behind(f: Filters, row: str, figure: str):
        title, reviews = _timeliness_behind(f, f.rule, figure)
        if row == "none":
            return f"{title} (none recorded)", reviews.filter(**{f"{field_name}__isnull": True})
        return title, reviews.filter(**{field_name: int(row)})
    return behind


def _grouped_states(rule: Rule, f: Filters, *group, **expressions):
    return (scoped_reviews(f).filter(rule.in_period(f))
            .annotate(state=_state(rule, f), **expressions)
            .values(*group, *expressions, "state").annotate(n=Count("pk")).order_by())


def _timeliness_by(key: str, f: Filters, group: list[str], label, order, heading: str,
                   title: str) -> Table:
    """``label(values)`` names a group (a dict of ``group``'s values), ``order(values)``
    places it."""
    rule = RULES[f.rule]
    found = tally(_grouped_states(rule, f, *group), group, "state")
    rows = []
    for values in sorted((dict(zip(group, key_values, strict=True)) for key_values in found),
                         key=order):
        row_key = values[group[0]] if values[group[0]] is not None else "none"
        rows.append([Cell(label(values)), *_timeliness_cells(
            key, row_key, f, found[tuple(values.values())])])
    return Table(key=key, title=f"{rule.label}, {title}",
                 columns=[Column(group[0], heading), *TIMELINESS_COLUMNS], rows=rows,
                 caption=f"{rule.label}, {title}, {f.period_text}. {TIMELINESS_CAPTION}")


@_register("timeliness_by_school", _group_behind("plan__child__setting_id"))
def timeliness_by_school(f: Filters) -> Table:
    return _timeliness_by(
        "timeliness_by_school", f, ["plan__child__setting_id", "plan__child__setting__name"],
        lambda v: v["plan__child__setting__name"] or "No school recorded",
        lambda v: (v["plan__child__setting_id"] is None, v["plan__child__setting__name"] or ""),
        "School", "by school")


@_register("timeliness_by_coordinator", _group_behind("coordinator_id"))
def timeliness_by_coordinator(f: Filters) -> Table:
    return _timeliness_by(
        "timeliness_by_coordinator", f, COORDINATOR, _coordinator_name, _coordinator_order,
        "Coordinator", "by coordinator")
