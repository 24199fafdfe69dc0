"""Agency participation: whether each agency (and each team of one) gave the advice it was
asked for, and on time."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import (
    Count,
)
from django.db.models.functions import TruncDate

from accountability.measures.base import (
    LAW,
    DaysBetween,
    Filters,
    _pct,
    _register,
    counts,
    local_midnight,
    scoped_invitations,
)
from accountability.measures.caseload import advice_state, reviews_of
from accountability.tables import Cell, Column, Table
from agencies.models import Agency, Discipline

# ---------------------------------------------------------------------------
# Agency participation
# ---------------------------------------------------------------------------

PARTICIPATION_FIGURES = ["invitations", "asked", "on_time", "late", "never", "not_due",
                         "attended", "absent"]
PARTICIPATION_COLUMNS = [
    Column("invitations", "Invitations received", True),
    Column("asked", "Advice asked", True),
    Column("on_time", "Advice on time", True),
    Column("late", "Advice late", True),
    Column("never", "Advice never sent", True),
    Column("not_due", "Advice not due yet", True),
    Column("on_time_pct", "Advice on time, %", True),
    Column("attended", "Attended the meeting", True),
    Column("absent", "Did not attend", True),
    Column("attended_pct", "Attended, %", True),
    Column("median_days", "Median days to send advice", True),
]


def _participation_invitations(f: Filters):
    """Invitations sent to an agency in the period."""
    return scoped_invitations(f).filter(
        agency__isnull=False, sent_at__gte=local_midnight(f.start),
        sent_at__lt=local_midnight(f.end))


TEAM = ["agency_id", "discipline"]


def _team_figures(f: Filters) -> dict[tuple, tuple[Counter, Counter]]:
    """{(agency id, discipline): (counts of each figure, days to the advice -> how many)},
    for both participation tables: one query, asked once for a page showing both. Grouped
    by the days as well, so the median comes from a histogram, which adds up across an
    agency's teams where medians would not. The agencies' names are a second, small
    query: in the grouping they would make PostgreSQL sort rather than hash."""
    def ask():
        days = DaysBetween(TruncDate("sent_at"), TruncDate("first_advice_at"))
        # Named n_...: "attended" is a field, which an annotation would hide.
        figures = {f"n_{figure}": Count("pk", filter=advice_state(f, figure))
                   for figure in [*PARTICIPATION_FIGURES, "returned"]}
        sums = defaultdict(lambda: [0] * len(PARTICIPATION_FIGURES))
        histograms = defaultdict(Counter)
        # Plain tuples and lists: a county's agencies and days make thousands of rows.
        for agency, discipline, days_taken, *numbers in (
                _participation_invitations(f).annotate(days=days).values(*TEAM, "days")
                .annotate(**figures).order_by().values_list(*TEAM, "days", *figures)):
            team = sums[(agency, discipline)]
            for position, n in enumerate(numbers[:-1]):
                team[position] += n
            if days_taken is not None:
                histograms[(agency, discipline)][days_taken] += numbers[-1]
        names = dict(Agency.objects.filter(pk__in={agency for agency, _ in sums})
                     .values_list("pk", "name"))
        return {(agency, names[agency], discipline): (
                    Counter(dict(zip(PARTICIPATION_FIGURES, team, strict=True))),
                    histograms[(agency, discipline)])
                for (agency, discipline), team in sums.items()}
    return f.remember("team_figures", ask)


def median_of(histogram: Counter) -> float | None:
    """The median of the values a histogram ({value: how many}) counts: the middle one,
    or the mean of the middle two (as PostgreSQL's percentile_cont(0.5))."""
    total = histogram.total()
    if not total:
        return None
    middle, seen, found = {(total - 1) // 2, total // 2}, 0, []
    for value in sorted(histogram):
        found += [value for position in middle if seen <= position < seen + histogram[value]]
        seen += histogram[value]
    return sum(found) / len(found)


def _participation_rows(key: str, f: Filters, by_team: bool):
    """By agency, or team by team for the agencies with more than one (an agency with one
    team would only repeat its row)."""
    teams_of = Counter(agency for agency, _, _ in _team_figures(f))
    grouped = defaultdict(lambda: (Counter(), Counter()))
    for (agency, name, discipline), (counted, days) in _team_figures(f).items():
        if by_team and teams_of[agency] < 2:
            continue
        both = grouped[(agency, name, discipline) if by_team else (agency, name)]
        both[0].update(counted)
        both[1].update(days)
    teams = dict(Discipline.choices)
    rows = []
    for group in sorted(grouped, key=lambda g: (g[1], teams.get(g[2], "")) if by_team else g[1]):
        counted, days = grouped[group]
        row_key = f"{group[0]}:{group[2]}" if by_team else group[0]
        labels = [group[1], teams.get(group[2], "No team recorded")] if by_team else [group[1]]
        median = median_of(days)
        rows.append([
            *[Cell(text) for text in labels],
            *counts(key, row_key, f, counted, PARTICIPATION_FIGURES[:6]),
            Cell(_pct(counted["on_time"], counted["on_time"] + counted["late"]
                      + counted["never"])),
            *counts(key, row_key, f, counted, ["attended", "absent"]),
            Cell(_pct(counted["attended"], counted["attended"] + counted["absent"])),
            Cell(None if median is None else round(median, 1)),
        ])
    return rows


PARTICIPATION_CAPTION = (
    "Invitations sent to each agency in {period}. Advice never sent: the advice date ("
    + LAW["advice_circulation"] + " before the meeting) has passed, or the agency declined. "
    "On time, % is of the advice that is sent or overdue. Attendance is of the invitations "
    "where it was recorded.")


def _participation_behind(by_team: bool):
    def behind(f: Filters, row: str, figure: str):
        if figure not in PARTICIPATION_FIGURES:
            raise ValueError("No such figure")
        agency, _, discipline = row.partition(":")
        invitations = _participation_invitations(f).filter(
            advice_state(f, figure), agency_id=int(agency))
        if by_team:
            invitations = invitations.filter(discipline=discipline)
        return f"Agency participation, {f.period_text}: {figure.replace('_', ' ')}", \
            reviews_of(invitations)
    return behind


@_register("participation", _participation_behind(False), needs_authority=False)
def participation(f: Filters) -> Table:
    rows = _participation_rows("participation", f, by_team=False)
    return Table(key="participation", title="Agency participation",
                 columns=[Column("agency", "Agency"), *PARTICIPATION_COLUMNS], rows=rows,
                 caption=PARTICIPATION_CAPTION.format(period=f.period_text))


@_register("participation_by_team", _participation_behind(True), needs_authority=False)
def participation_by_team(f: Filters) -> Table:
    rows = _participation_rows("participation_by_team", f, by_team=True)
    return Table(key="participation_by_team", title="Agency participation, by team",
                 columns=[Column("agency", "Agency"), Column("team", "Team"),
                          *PARTICIPATION_COLUMNS], rows=rows,
                 caption="Agencies with more than one team, team by team (an agency with "
                         "one team is in the table by agency). "
                         + PARTICIPATION_CAPTION.format(period=f.period_text))
