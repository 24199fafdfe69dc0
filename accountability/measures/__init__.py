"""Whether the law is kept, and by whom: every figure on the accountability dashboards.

The registry
------------
``TABLES: dict[str, Callable[..., Table]]`` maps a table key to a measure::

    measure(scope: OversightScope, **params) -> Table

The dashboards render the Table (accountability/tables.py) as an accessible table and the
exports write it as CSV or Excel, so a file always carries the numbers on the screen.
``params`` are JSON-safe keyword arguments, all optional; ``filter_params(query, scope)``
in accountability/filters.py turns a query string into them, checked:

- ``year`` (int): the calendar year, default this year.
- ``from_month``, ``to_month`` (int, 1-12): the months of ``year``, default 1 and 12.
- ``school`` (int): the Agency pk of the child's setting.
- ``coordinator`` (int): the User pk of the review's coordinator.
- ``authority`` (int): one of the scope's LocalAuthority pks (default: all of them).
- ``rule`` (str): the ``timeliness_by_*`` tables only: a key of ``RULES`` (default "held").
- ``today`` (date, not from a query string): the day lateness is judged on; tests pass it.

A bad value raises ``ValueError``. A scope that may not see a table gets it with no rows;
``available(scope)`` lists the keys a scope may see (agency leads: their own agency's rows
of ``participation``, ``participation_by_team`` and ``ep_caseload``; LA coordinators and
leads: everything in their authority).

Keys: ``coordinator_caseload``, ``ep_caseload`` (now; the period is ignored),
``timeliness``, ``timeliness_by_month``, ``timeliness_by_school``,
``timeliness_by_coordinator``, ``participation``, ``participation_by_team``, ``advocacy``,
``dfe_annual_reviews`` (the whole of ``year``).

Every count links (``Cell.url``) to the reviews behind it: ``reviews_behind`` rebuilds the
same condition the count was made with, so the list and the figure cannot disagree.

How the figures are made
------------------------
Each table is one query, counted and grouped in the database, never a Python loop over
reviews: each review is labelled once with where it stands (a CASE of the same Q objects
that pick out the reviews behind a count) and the labels are grouped, or cheap conditions
are counted with ``Count(filter=...)``. One more query reads the out-of-year-group offsets
in use where a phase transfer is counted, and the two participation tables share one query
(and one for the agencies' names). Python only adds up the grouped rows.

The statutory dates come from the clock (reviews/clock.py), which is pure Python and cannot
run inside a query; so each rule here asks the clock for its period (how many days after
or before the meeting, which 15 February) and writes that as SQL date arithmetic.
tests/accountability/test_clock_agreement.py holds the SQL to the clock on the edge dates.
"""

from collections.abc import Callable

# Each module of tables registers its tables as it is imported.
from accountability.measures import advocacy, caseload, participation, timeliness  # noqa: F401
from accountability.measures.base import (
    DEFAULT_RULE,
    MEASURES,
    PARAMS,
    RULES,
    STATES,
    Filters,
    Measure,
    transfers_in_period,
)
from accountability.tables import Table
from reviews.access import OversightScope

# The order pages and exports list the tables in, whichever module registered them first.
_ORDER = ["timeliness", "timeliness_by_month", "timeliness_by_school",
          "timeliness_by_coordinator", "coordinator_caseload", "ep_caseload", "participation",
          "participation_by_team", "advocacy", "dfe_annual_reviews"]
MEASURES.update({key: MEASURES.pop(key) for key in sorted(MEASURES, key=_ORDER.index)})

__all__ = ["DEFAULT_RULE", "MEASURES", "PARAMS", "RULES", "STATES", "TABLES", "Filters",
           "available", "reviews_behind", "transfers_in_period"]


# ---------------------------------------------------------------------------
# The registry and the reviews behind a figure
# ---------------------------------------------------------------------------


def available(scope: OversightScope) -> list[str]:
    """The table keys ``scope`` may see."""
    return [key for key, m in MEASURES.items()
            if not scope.is_empty and (scope.sees_authority or not m.needs_authority)]


def _measure_function(measure: Measure):
    def run(scope: OversightScope, **params) -> Table:
        f = Filters.of(scope, **params)
        if measure.key not in available(scope):
            return Table(key=measure.key, title="", columns=[])
        return measure.build(f)
    run.__doc__ = measure.build.__doc__
    return run


TABLES: dict[str, Callable[..., Table]] = {
    key: _measure_function(measure) for key, measure in MEASURES.items()}


def reviews_behind(scope: OversightScope, key: str, row: str, figure: str, **params):
    """(title, reviews) behind one count: the same condition the count was made with.
    ValueError for a figure that does not exist or that ``scope`` may not see."""
    measure = MEASURES.get(key)
    if measure is None or key not in available(scope):
        raise ValueError("No such table")
    title, reviews = measure.behind(Filters.of(scope, **params), str(row), figure)
    return title, reviews
