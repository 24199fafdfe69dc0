"""The offer of independent advocacy to families, and the DfE's annual-reviews measures."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    DateField,
    Q,
)
from django.db.models.functions import TruncMonth
from django.utils import dateformat

from accountability.measures.base import (
    EVERY,
    HELD,
    LAW,
    RULES,
    Filters,
    _pct,
    _register,
    counts,
    drill_url,
    local_midnight,
    scoped_reviews,
)
from accountability.tables import Cell, Column, Table
from reviews.models import AdvocacyOffer, Review

# ---------------------------------------------------------------------------
# Advocacy
# ---------------------------------------------------------------------------

ADVOCACY_FIGURES = {
    "made": EVERY,
    "accepted": Q(answer=AdvocacyOffer.Answer.YES),
    "declined": Q(answer=AdvocacyOffer.Answer.NO),
    "unanswered": Q(answer=AdvocacyOffer.Answer.NOT_YET),
}


def _offers(f: Filters):
    return AdvocacyOffer.objects.filter(
        review__in=scoped_reviews(f, cancelled=True),
        offered_at__gte=local_midnight(f.start), offered_at__lt=local_midnight(f.end))


def _advocacy_behind(f: Filters, row: str, figure: str):
    if figure not in ADVOCACY_FIGURES:
        raise ValueError("No such figure")
    if row != "all":
        month = dt.date.fromisoformat(f"{row}-01")
        if month.year != f.year or not f.from_month <= month.month <= f.to_month:
            raise ValueError("Month outside the period")
        f = f.months(month.month, month.month)
    offers = _offers(f).filter(ADVOCACY_FIGURES[figure])
    return f"Advocacy offers, {f.period_text}: {figure}", Review.objects.filter(
        pk__in=offers.values("review_id"))


@_register("advocacy", _advocacy_behind)
def advocacy(f: Filters) -> Table:
    """The active offer of independent advocacy: offers made in each month and the
    families' answers."""
    figures = list(ADVOCACY_FIGURES)
    found = {row.pop("month"): row for row in (
        _offers(f).annotate(month=TruncMonth("offered_at", output_field=DateField()))
        .values("month").annotate(**{name: Count("pk", filter=q)
                                     for name, q in ADVOCACY_FIGURES.items()})
        .order_by("month"))}
    rows, total = [], dict.fromkeys(figures, 0)
    for number in range(f.from_month, f.to_month + 1):
        month = dt.date(f.year, number, 1)
        values = found.get(month) or dict.fromkeys(figures, 0)
        total = {name: total[name] + values[name] for name in figures}
        rows.append(_advocacy_row(dateformat.format(month, "F Y"), month.strftime("%Y-%m"),
                                  values, f))
    rows.append(_advocacy_row(f"All of {f.period_text}", "all", total, f))
    return Table(key="advocacy", title="Independent advocacy offers",
                 columns=[Column("month", "Month"), Column("made", "Offers made", True),
                          Column("accepted", "Accepted", True),
                          Column("declined", "Declined", True),
                          Column("unanswered", "Not answered yet", True),
                          Column("accepted_pct", "Accepted, %", True)],
                 rows=rows,
                 caption=f"Offers of an independent advocate made to families, "
                         f"{f.period_text}, and their answers.")


def _advocacy_row(label, row_key, values, f):
    return [Cell(label), *counts("advocacy", row_key, f, values, list(ADVOCACY_FIGURES)),
            Cell(_pct(values["accepted"], values["made"]))]


# ---------------------------------------------------------------------------
# The DfE's annual-reviews measures
# ---------------------------------------------------------------------------


def _dfe_figures(f: Filters) -> dict[str, tuple[str, Q, str]]:
    """key -> (label, condition, what its percentage is of). Completed: the meeting was
    held (the clock dates a review by its meeting). Decisions: clock.decision_due."""
    held = Q(status__in=HELD)
    decision = RULES["decision"]
    return {
        "expected": ("Reviews expected", EVERY, ""),
        "completed": ("Reviews completed", held, "expected"),
        "not_completed": ("Reviews not completed", ~held, "expected"),
        "amended": ("Outcome: plan amended", held & Q(decision=Review.Decision.AMEND),
                    "completed"),
        "ceased": ("Outcome: plan ceased", held & Q(decision=Review.Decision.CEASE),
                   "completed"),
        "maintained": ("Outcome: plan maintained",
                       held & Q(decision=Review.Decision.MAINTAIN), "completed"),
        "no_outcome": ("Outcome: none recorded", held & Q(decision=""), "completed"),
        "within_4_weeks": (f"Decision within {LAW['decision']}",
                           held & decision.state("on_time", f),
                           "completed"),
        "over_4_weeks": (f"Decision over {LAW['decision']}", held & decision.state("late", f),
                         "completed"),
        "no_decision": ("No decision letter yet", held & Q(decision_sent_on__isnull=True),
                        "completed"),
    }


def _dfe_reviews(f: Filters):
    """The year's expected reviews: annual and phase-transfer reviews due in it (interim,
    under-5 and record-of-support reviews are not in the DfE's count)."""
    return scoped_reviews(f).filter(
        kind__in=[Review.Kind.ANNUAL, Review.Kind.PHASE_TRANSFER],
        due_by__gte=dt.date(f.year, 1, 1), due_by__lt=dt.date(f.year + 1, 1, 1))


def _dfe_behind(f: Filters, row: str, figure: str):
    figures = _dfe_figures(f)
    if row not in figures or figure != "count":
        raise ValueError("No such figure")
    label, where, _ = figures[row]
    return f"{label}, reviews due in {f.year}", _dfe_reviews(f).filter(where)


@_register("dfe_annual_reviews", _dfe_behind)
def dfe_annual_reviews(f: Filters) -> Table:
    figures = _dfe_figures(f)
    values = _dfe_reviews(f).aggregate(**{key: Count("pk", filter=where)
                                          for key, (_, where, _) in figures.items()})
    bases = {"expected": "of reviews expected", "completed": "of reviews completed"}
    rows = [[Cell(label), Cell(values[key], drill_url("dfe_annual_reviews", key, "count", f)),
             Cell(_pct(values[key], values[base]) if base else None), Cell(bases.get(base, ""))]
            for key, (label, _, base) in figures.items()]
    return Table(key="dfe_annual_reviews", title=f"Annual reviews due in {f.year}",
                 columns=[Column("measure", "Measure"), Column("count", "Reviews", True),
                          Column("pct", "Per cent", True), Column("base", "Per cent of")],
                 rows=rows,
                 caption=f"The DfE's annual-review measures for reviews due in {f.year}. "
                         "Completed: the review meeting was held. In a year not over, "
                         "reviews not completed include those not due yet.")
