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

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property, reduce
from urllib.parse import quote, urlencode

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.lookups import (
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThan,
    LessThanOrEqual,
)
from django.urls import reverse
from django.utils import dateformat, timezone

from accountability.tables import Cell, Column, Table
from agencies.models import Agency, Discipline
from reviews import clock
from reviews.access import OversightScope
from reviews.clock_sql import MEETING_DAY, YEAR_GROUPS, DaysLater, born_in_year_group, days_by
from reviews.models import AdvocacyOffer, Child, Invitation, Review

DEFAULT_RULE = "held"
PARAMS = ("year", "from_month", "to_month", "school", "coordinator", "authority", "rule")
HELD = [Review.Status.MEETING_HELD, Review.Status.REPORT_SENT, Review.Status.DECIDED,
        Review.Status.CLOSED]
OPEN_STAGES = [s for s in Review.ORDER if s != Review.Status.CLOSED]

# ---------------------------------------------------------------------------
# What is asked for: the scope and the filters
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """One request's scope and filters, checked; the input of every measure."""

    scope: OversightScope
    year: int
    from_month: int = 1
    to_month: int = 12
    school: int | None = None
    coordinator: int | None = None
    authority: int | None = None
    rule: str = DEFAULT_RULE
    today: dt.date = field(default_factory=timezone.localdate)
    # Figures two tables share, asked for once (not carried over by ``months``).
    _remembered: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def of(cls, scope: OversightScope, *, year=None, from_month=1, to_month=12, school=None,
           coordinator=None, authority=None, rule=DEFAULT_RULE, today=None) -> Filters:
        def number(value):
            return None if value in (None, "") else int(value)

        made = cls(scope=scope, year=number(year) or timezone.localdate().year,
                   from_month=number(from_month) or 1, to_month=number(to_month) or 12,
                   school=number(school), coordinator=number(coordinator),
                   authority=number(authority), rule=rule or DEFAULT_RULE,
                   today=today or timezone.localdate())
        if not (1 <= made.from_month <= made.to_month <= 12):
            raise ValueError("The months must run from 1 to 12, the first no later than the last")
        if not (1900 < made.year < 2200):
            raise ValueError("The year is out of range")
        if made.rule not in RULES:
            raise ValueError(f"Unknown rule {made.rule!r}")
        if made.authority is not None and made.authority not in scope.authorities:
            raise ValueError("That authority is not in your scope")
        return made

    def params(self) -> dict:
        """The JSON-safe parameters that make these filters again (what URLs carry): the
        year always, so that a link keeps its meaning next year; the rest when not the
        default (a page has thousands of links)."""
        defaults = {"from_month": 1, "to_month": 12, "rule": DEFAULT_RULE}
        values = {name: getattr(self, name) for name in PARAMS}
        return {key: value for key, value in values.items()
                if value is not None and (key not in defaults or value != defaults[key])}

    def remember(self, name: str, ask: Callable[[], object]):
        if name not in self._remembered:
            self._remembered[name] = ask()
        return self._remembered[name]

    def months(self, first: int, last: int) -> Filters:
        return replace(self, from_month=first, to_month=last)

    @property
    def authorities(self) -> frozenset:
        if self.authority is not None:
            return frozenset({self.authority})
        return self.scope.authorities

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.from_month, 1)

    @property
    def end(self) -> dt.date:
        """The day after the period (exclusive)."""
        if self.to_month == 12:
            return dt.date(self.year + 1, 1, 1)
        return dt.date(self.year, self.to_month + 1, 1)

    @property
    def period_text(self) -> str:
        first = dateformat.format(self.start, "F")
        last = dateformat.format(self.end - dt.timedelta(days=1), "F Y")
        return last if self.from_month == self.to_month else f"{first} to {last}"

    @cached_property
    def durations(self) -> clock.StatutoryDurations:
        return clock.durations_from_settings()

    @cached_property
    def year_group_offsets(self) -> list[int]:
        """The out-of-year-group offsets in use among children without a setting type (one
        query, only when a phase-transfer figure needs the year group)."""
        return list(Child.objects.filter(authority_id__in=self.authorities, setting_type="")
                    .order_by().values_list("year_group_offset", flat=True).distinct())


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in Europe/London: meeting times compare with it, so a filter
    on a meeting date uses the index on meeting_at."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def scoped_reviews(f: Filters, *, cancelled: bool = False):
    """The reviews of the authorities in scope, narrowed by school and coordinator. Cancelled
    reviews (never held, replaced or withdrawn) count in no timeliness figure."""
    reviews = Review.objects.filter(plan__child__authority_id__in=f.authorities)
    if not cancelled:
        reviews = reviews.exclude(status=Review.Status.CANCELLED)
    if f.school is not None:
        reviews = reviews.filter(plan__child__setting_id=f.school)
    if f.coordinator is not None:
        reviews = reviews.filter(coordinator_id=f.coordinator)
    return reviews


def scoped_invitations(f: Filters):
    """Current invitations of professionals (not families) to reviews in scope: an agency
    lead's own agency's, and every agency's in an LA officer's authority."""
    # Only the parts the scope has: an OR across the joins costs every row both tests.
    rule = any_of([q for q, ids in [
        (Q(review__plan__child__authority_id__in=f.authorities), f.authorities),
        (Q(agency_id__in=f.scope.agencies), f.scope.agencies)] if ids])
    invitations = (Invitation.objects.current().filter(rule)
                   .exclude(role=Invitation.Role.FAMILY)
                   .exclude(review__status=Review.Status.CANCELLED))
    if f.school is not None:
        invitations = invitations.filter(review__plan__child__setting_id=f.school)
    if f.coordinator is not None:
        invitations = invitations.filter(review__coordinator_id=f.coordinator)
    return invitations


# ---------------------------------------------------------------------------
# SQL for the clock's arithmetic
# ---------------------------------------------------------------------------


def shift(expression, days: int) -> DaysLater:
    return DaysLater(expression, days)


class DaysBetween(Func):
    """Whole days from the first date to the second."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL: date - date is a whole number of days.
        start, end = (compiler.compile(e) for e in self.source_expressions)
        return f"({end[0]} - {start[0]})", [*end[1], *start[1]]

    def as_sqlite(self, compiler, connection, **extra):
        start, end = (compiler.compile(e) for e in self.source_expressions)
        return (f"CAST(julianday({end[0]}) - julianday({start[0]}) AS INTEGER)",
                [*end[1], *start[1]])


# Conditions that are always true or false yet compile to SQL: a Count's filter must,
# where Q() or an empty IN would be dropped or refused.
EVERY = Q(pk__isnull=False)
NOTHING = Q(pk__isnull=True)


def any_of(conditions) -> Q:
    return reduce(operator.or_, conditions) if conditions else NOTHING


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# ---------------------------------------------------------------------------
# The timeliness rules
# ---------------------------------------------------------------------------

STATES = {
    "on_time": "On time",
    "late": "Done late",
    "overdue": "Not done, past the deadline",
    "not_due": "Not done, not due yet",
}


@dataclass(frozen=True)
class Rule:
    """One statutory deadline as SQL: which reviews it counts in a period, when each is
    due (from the clock function it names), when each was done."""

    key: str
    label: str
    anchor: str  # "due_by", "meeting", "transfer" or "order": what places it in a period
    due: Callable[[Filters], object]
    done: object
    applies: Q = field(default_factory=Q)

    def in_period(self, f: Filters) -> Q:
        if self.anchor == "due_by":
            return self.applies & Q(due_by__gte=f.start, due_by__lt=f.end)
        if self.anchor == "meeting":
            return self.applies & Q(meeting_at__gte=local_midnight(f.start),
                                    meeting_at__lt=local_midnight(f.end))
        if self.anchor == "order":
            return self.applies & Q(**{f"{ORDER}made_on__gte": f.start,
                                       f"{ORDER}made_on__lt": f.end})
        return self.applies & transfers_in_period(f)

    def month(self, f: Filters):
        """The month a review falls in, by this rule's anchor."""
        if self.anchor == "due_by":
            return TruncMonth("due_by")
        if self.anchor == "meeting":
            return TruncMonth("meeting_at", output_field=DateField())
        if self.anchor == "order":
            return TruncMonth(f"{ORDER}made_on")
        return TruncMonth(self.due(f), output_field=DateField())

    def state(self, name: str, f: Filters) -> Q:
        due, done = self.due(f), self.done
        return {
            "on_time": Q(IsNull(done, False), LessThanOrEqual(done, due)),
            "late": Q(IsNull(done, False), GreaterThan(done, due)),
            "overdue": Q(IsNull(done, True), LessThan(due, f.today)),
            "not_due": Q(IsNull(done, True), GreaterThanOrEqual(due, f.today)),
        }[name]

    def overdue_now(self, f: Filters) -> Q:
        """Not done and past its deadline, whatever the period: for open caseloads."""
        return self.applies & self.state("overdue", f)


def _held_on():
    return Case(When(status__in=HELD, then=MEETING_DAY), default=None,
                output_field=DateField())


def _after_meeting(rule):
    """``rule`` (clock.report_due and the like) from the meeting's day, in SQL."""
    return lambda f: shift(MEETING_DAY, days_by(lambda day: rule(day, durations=f.durations)))


def _final_plan_due(f: Filters):
    """clock.final_plan_due: 8 weeks from the proposed amendments that were sent."""
    return shift(F("amendment_notice_sent_on"), days_by(
        lambda day: clock.final_plan_due(day, durations=f.durations)))


# A review's Tribunal order, through its decision (decisions.TribunalOrder).
ORDER = "la_decision__tribunal_order__"


def _order_due(requirement: clock.OrderRequirement):
    """clock.tribunal_order_due for ``requirement``, from the order's date (reg 44)."""
    return lambda f: shift(F(f"{ORDER}made_on"), days_by(
        lambda day: clock.tribunal_order_due(requirement, day, durations=f.durations)))


def transfer_deadlines(f: Filters) -> dict[str, dt.date]:
    """The clock's two phase-transfer deadlines for moves on 1 September of ``f.year``:
    before 15 February, and before 31 March for secondary school to post-16."""
    moving = dt.date(f.year, 9, 1)
    return {
        "standard": clock.phase_transfer_deadline(
            clock.TransferKind.PRIMARY_TO_SECONDARY, moving, durations=f.durations),
        "post_16": clock.phase_transfer_deadline(
            clock.TransferKind.SECONDARY_TO_POST_16, moving, durations=f.durations),
    }


def _post16(f: Filters) -> Q:
    """Reviews whose transfer is secondary school to post-16, by the clock's
    transfer_for_year: the setting's type where it is known, else the year group. Built
    once per request: every state of the phase-transfer rule asks for it, and building its
    subquery cost more than PostgreSQL took to run the timeliness query."""
    return f.remember("post16", lambda: _post16_rule(f))


def _post16_rule(f: Filters) -> Q:
    moves = clock.TransferKind.SECONDARY_TO_POST_16
    years = YEAR_GROUPS
    settings = [s for s in clock.SettingType
                if any(clock.transfer_for_year(y, setting=s) is moves for y in years)]
    two_tier = [y for y in years if clock.transfer_for_year(y) is moves]
    in_year = clock.school_year_start(dt.date(f.year, 1, 1))
    offsets = f.year_group_offsets
    untyped = [born_in_year_group(year, in_year, offsets) for year in two_tier if offsets]
    children = Child.objects.filter(any_of(untyped), setting_type="")
    return Q(plan__child__setting_type__in=settings) | Q(plan__child__in=children)


def _transfer_due(f: Filters):
    """Every transfer review in the period moves on 1 September of ``f.year``, so its
    deadline is one of two constant dates: comparing with a constant keeps the query
    index-friendly (no per-row date arithmetic on the year)."""
    deadlines = transfer_deadlines(f)
    return Case(When(_post16(f), then=Value(deadlines["post_16"])),
                default=Value(deadlines["standard"]), output_field=DateField())


def transfers_in_period(f: Filters) -> Q:
    """Phase transfers whose deadline falls in the period. The clock places a transfer in
    the school year of the meeting, else of the review's due date (review_deadlines); the
    move is on the 1 September after it, so a deadline in ``f.year`` means a meeting (or
    due date) between 1 September of the year before and 31 August."""
    school_year = clock.school_year_start(dt.date(f.year, 1, 1))
    next_year = dt.date(f.year, 9, 1)
    in_school_year = Q(meeting_at__gte=local_midnight(school_year),
                       meeting_at__lt=local_midnight(next_year)) | Q(
        meeting_at__isnull=True, due_by__gte=school_year, due_by__lt=next_year)
    deadlines = transfer_deadlines(f)
    which = []
    if f.start <= deadlines["standard"] < f.end:
        which.append(~_post16(f))
    if f.start <= deadlines["post_16"] < f.end:
        which.append(_post16(f))
    return in_school_year & any_of(which)


NOT_UNDER_FIVE = ~Q(kind=Review.Kind.UNDER_FIVE)  # CoP 9.178: not bound by notice or advice

RULES: dict[str, Rule] = {rule.key: rule for rule in [
    # review.due_by holds the clock's next_review_due for the review (CFA s44(1)), so a
    # review is held in time when its meeting day is no later.
    Rule("held", "Reviews held within 12 months", "due_by",
         due=lambda f: F("due_by"), done=_held_on()),
    Rule("invitations", "Invitations sent at least 2 weeks before the meeting", "meeting",
         due=_after_meeting(clock.meeting_notice_by), done=TruncDate("invitations_sent_at"),
         applies=NOT_UNDER_FIVE),
    Rule("advice", "Advice circulated at least 2 weeks before the meeting", "meeting",
         due=_after_meeting(clock.advice_circulation_by),
         done=TruncDate("advice_circulated_at"), applies=NOT_UNDER_FIVE),
    Rule("report", "Meeting reports sent within 2 weeks", "meeting",
         due=_after_meeting(clock.report_due), done=F("report_sent_on")),
    Rule("decision", "Decisions sent within 4 weeks of the meeting", "meeting",
         due=_after_meeting(clock.decision_due), done=F("decision_sent_on")),
    Rule("amendment_notice", "Proposed amendments sent within 4 weeks of the meeting",
         "meeting", due=_after_meeting(clock.amendment_notice_due),
         done=F("amendment_notice_sent_on"), applies=Q(decision=Review.Decision.AMEND)),
    Rule("final_plan", "Amended plans issued within 8 weeks of the proposed amendments",
         "meeting", due=_final_plan_due, done=F("final_plan_sent_on"),
         applies=Q(decision=Review.Decision.AMEND, amendment_notice_sent_on__isnull=False)),
    # The whole amendment, however late the notice went (Devon): a late notice gives the
    # final plan 8 weeks of its own, and shows here.
    Rule("amendments_overall", "Amended plans issued within 12 weeks of the meeting",
         "meeting", due=_after_meeting(clock.amendments_overall_by),
         done=F("final_plan_sent_on"), applies=Q(decision=Review.Decision.AMEND)),
    Rule("order_provision", "Plans amended within 5 weeks of a Tribunal order", "order",
         due=_order_due(clock.OrderRequirement.AMEND_PROVISION),
         done=F(f"{ORDER}provision_amended_on"), applies=Q(**{f"{ORDER}amend_provision": True})),
    Rule("order_placement", "Plans naming the school or college within 2 weeks of a Tribunal "
         "order", "order", due=_order_due(clock.OrderRequirement.AMEND_PLACEMENT),
         done=F(f"{ORDER}placement_amended_on"), applies=Q(**{f"{ORDER}amend_placement": True})),
    # Done when the amended plan naming the next setting is issued (reg 18).
    Rule("phase_transfer", "Phase transfers amended by 15 February or 31 March", "transfer",
         due=_transfer_due, done=F("final_plan_sent_on"),
         applies=Q(kind=Review.Kind.PHASE_TRANSFER)),
]}
# Rules an open review can be late on now, whatever the period (not phase transfers,
# whose deadline belongs to a school year).
CASELOAD_RULES = [RULES[k] for k in ("held", "invitations", "advice", "report", "decision",
                                     "amendment_notice", "final_plan", "amendments_overall",
                                     "order_provision", "order_placement")]


# ---------------------------------------------------------------------------
# Tables: shared pieces
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    key: str
    build: Callable[[Filters], Table]
    behind: Callable[[Filters, str, str], tuple[str, object]]
    needs_authority: bool = True


MEASURES: dict[str, Measure] = {}


def _register(key: str, behind, needs_authority: bool = True):
    def register(build):
        MEASURES[key] = Measure(key, build, behind, needs_authority)
        return build
    return register


def drill_url(key: str, row, figure: str, f: Filters) -> str:
    """The list of the reviews behind one count. The part every count of a page shares
    is made once: a long table has thousands of counts."""
    shared = f.remember(f"drill:{key}", lambda: reverse("accountability:reviews") + "?"
                        + urlencode({"table": key, **f.params()}))
    return f"{shared}&row={quote(str(row))}&figure={figure}"


def counts(key: str, row, f: Filters, values: dict, figures) -> list[Cell]:
    return [Cell(values[name], drill_url(key, row, name, f)) for name in figures]


def user_name(first: str, last: str, email: str) -> str:
    return f"{first} {last}".strip() or email


COORDINATOR = ["coordinator_id", "coordinator__first_name", "coordinator__last_name",
               "coordinator__email"]


def _coordinator_name(values: dict) -> str:
    return user_name(values["coordinator__first_name"], values["coordinator__last_name"],
                     values["coordinator__email"])


def _coordinator_order(values: dict) -> tuple:
    return (values["coordinator__last_name"], values["coordinator__first_name"],
            values["coordinator_id"])


def labelled(conditions: dict[str, Q]) -> Case:
    """Each row's label: the name of the first of ``conditions`` it meets ("" for none).
    The conditions are exclusive, and the same Q objects pick out the reviews behind a
    count, so a figure and its list cannot disagree. Grouping on the label evaluates the
    conditions once a row, where a Count(filter=...) for each figure would evaluate its
    own, which matters when they hold date arithmetic."""
    return Case(*[When(q, then=Value(name)) for name, q in conditions.items()],
                default=Value(""), output_field=CharField())


def tally(grouped, group: list[str], label: str) -> dict[tuple, Counter]:
    """{the group's values: Counter(label: n)} from rows grouped in the database: the sum
    is over groups, never over reviews."""
    found = defaultdict(Counter)
    for row in grouped:
        found[tuple(row[name] for name in group)][row[label]] += row["n"]
    return found


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



# ---------------------------------------------------------------------------
# Caseloads
# ---------------------------------------------------------------------------


def _late_now(f: Filters) -> Q:
    return any_of([rule.overdue_now(f) for rule in CASELOAD_RULES])


def _caseload_figure(f: Filters, figure: str) -> Q:
    if figure == "open":
        return EVERY
    if figure == "late":
        return _late_now(f)
    if figure in OPEN_STAGES:
        return Q(status=figure)
    raise ValueError("No such figure")


def _caseload_behind(f: Filters, row: str, figure: str):
    where = _caseload_figure(f, figure)
    label = "open reviews" if figure == "open" else (
        "late" if figure == "late" else Review.Status(figure).label.lower())
    return f"Caseload: {label}", scoped_reviews(f).open().filter(where,
                                                                  coordinator_id=int(row))


@_register("coordinator_caseload", _caseload_behind)
def coordinator_caseload(f: Filters) -> Table:
    """Each coordinator's open reviews by stage, and how many are late on any deadline
    (the clock's, as the timeliness rules write them). Now, not in a period."""
    figures = ["open", *OPEN_STAGES, "late"]
    grouped = (scoped_reviews(f).open().annotate(lateness=labelled({"late": _late_now(f)}))
               .values(*COORDINATOR, "status", "lateness").annotate(n=Count("pk")).order_by())
    found = defaultdict(Counter)
    for row in grouped:
        who = found[tuple(row[name] for name in COORDINATOR)]
        for figure in ("open", row["status"], row["lateness"]):
            who[figure] += row["n"]
    people = sorted((dict(zip(COORDINATOR, who, strict=True)) for who in found),
                    key=_coordinator_order)
    rows = [[Cell(_coordinator_name(v)), *counts(
        "coordinator_caseload", v["coordinator_id"], f,
        found[tuple(v.values())], figures)] for v in people]
    columns = [Column("coordinator", "Coordinator"), Column("open", "Open reviews", True),
               *[Column(s, Review.Status(s).label, True) for s in OPEN_STAGES],
               Column("late", "Late on a deadline", True)]
    return Table(key="coordinator_caseload", title="Coordinators' caseloads",
                 columns=columns, rows=rows,
                 caption=f"Open reviews for each coordinator today "
                         f"({dateformat.format(f.today, 'j F Y')}), by stage. Late: a "
                         "statutory deadline has passed and the step is not done.")


# The first version of an invitation's advice decides whether it came and in time (a
# correction is a later version of advice already in): Invitation.first_advice_* hold it.
RETURNED = Q(first_advice_at__isnull=False)
NOT_RETURNED = Q(first_advice_at__isnull=True)
ASKED = Q(advice_requested=True)


def advice_overdue(f: Filters) -> Q:
    """The invitation's review is past its advice date (Review.advice_due, the clock's
    advice_circulation_by): the meeting day plus the clock's (negative) days is before
    today, so the meeting is before the London midnight starting today minus those days.
    A timestamp against a constant: no date arithmetic for each row."""
    days = days_by(lambda day: clock.advice_circulation_by(day, durations=f.durations))
    return Q(review__meeting_at__lt=local_midnight(f.today - dt.timedelta(days=days)))


def _advice_state(f: Filters, name: str) -> Q:
    """Where an invitation's asked-for advice stands."""
    declined = Q(answer=Invitation.Answer.DECLINED)
    # Spelt out both ways: with no meeting date there is no advice date, and NOT NULL is
    # not true in SQL.
    passed = advice_overdue(f)
    not_passed = Q(review__meeting_at__isnull=True) | ~passed
    return {
        "invitations": EVERY,
        "asked": ASKED,
        "returned": ASKED & RETURNED,
        "on_time": ASKED & RETURNED & Q(first_advice_late=False),
        "late": ASKED & RETURNED & Q(first_advice_late=True),
        "never": ASKED & NOT_RETURNED & (declined | passed),
        "not_due": ASKED & NOT_RETURNED & ~declined & not_passed,
        "outstanding": ASKED & NOT_RETURNED & ~declined,
        "outstanding_late": ASKED & NOT_RETURNED & ~declined & passed,
        "attended": Q(attended=True),
        "absent": Q(attended=False),
    }[name]


def _ep_invitations(f: Filters):
    return scoped_invitations(f).filter(
        discipline=Discipline.EDUCATIONAL_PSYCHOLOGIST).exclude(review__status=Review.Status.CLOSED)


def _reviews_of(invitations):
    return Review.objects.filter(pk__in=invitations.values("review_id"))


def _ep_behind(f: Filters, row: str, figure: str):
    if figure not in ("outstanding", "outstanding_late", "outstanding_not_due"):
        raise ValueError("No such figure")
    state = "not_due" if figure == "outstanding_not_due" else figure
    invitations = _ep_invitations(f).filter(_advice_state(f, state))
    invitations = invitations.filter(user__isnull=True) if row == "none" else \
        invitations.filter(user_id=int(row))
    return "Educational psychology advice outstanding", _reviews_of(invitations)


@_register("ep_caseload", _ep_behind, needs_authority=False)
def ep_caseload(f: Filters) -> Table:
    """Each educational psychologist's outstanding advice on open reviews: asked for, not
    declined, not yet submitted; late once the clock's advice date has passed."""
    group = ["user_id", "user__first_name", "user__last_name", "user__email"]
    grouped = (_ep_invitations(f).filter(_advice_state(f, "outstanding"))
               .annotate(lateness=labelled({
                   "outstanding_late": _advice_state(f, "outstanding_late"),
                   "outstanding_not_due": _advice_state(f, "not_due")}))
               .values(*group, "lateness").annotate(n=Count("pk")).order_by())
    found = tally(grouped, group, "lateness")
    rows = []
    for v in sorted((dict(zip(group, who, strict=True)) for who in found), key=lambda v: (
            v["user_id"] is None, v["user__last_name"] or "", v["user__first_name"] or "")):
        name = (user_name(v["user__first_name"], v["user__last_name"], v["user__email"])
                if v["user_id"] else "An agency's inbox, no named psychologist")
        lateness = found[tuple(v.values())]
        values = Counter(outstanding=lateness.total(), **lateness)
        rows.append([Cell(name), *counts("ep_caseload", v["user_id"] or "none", f, values,
                                         ["outstanding", "outstanding_late",
                                          "outstanding_not_due"])])
    return Table(key="ep_caseload", title="Educational psychologists' outstanding advice",
                 columns=[Column("psychologist", "Educational psychologist"),
                          Column("outstanding", "Advice outstanding", True),
                          Column("outstanding_late", "Past the advice date", True),
                          Column("outstanding_not_due", "Not due yet", True)],
                 rows=rows,
                 caption="Advice asked of each educational psychologist for open reviews "
                         "and not yet sent. The advice date is 2 weeks before the meeting; "
                         "a review with no meeting date is not due yet.")


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
        figures = {f"n_{figure}": Count("pk", filter=_advice_state(f, figure))
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
    "Invitations sent to each agency in {period}. Advice never sent: the advice date (2 weeks "
    "before the meeting) has passed, or the agency declined. On time, % is of the advice "
    "that is sent or overdue. Attendance is of the invitations where it was recorded.")


def _participation_behind(by_team: bool):
    def behind(f: Filters, row: str, figure: str):
        if figure not in PARTICIPATION_FIGURES:
            raise ValueError("No such figure")
        agency, _, discipline = row.partition(":")
        invitations = _participation_invitations(f).filter(
            _advice_state(f, figure), agency_id=int(agency))
        if by_team:
            invitations = invitations.filter(discipline=discipline)
        return f"Agency participation, {f.period_text}: {figure.replace('_', ' ')}", \
            _reviews_of(invitations)
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
        "within_4_weeks": ("Decision within 4 weeks", held & decision.state("on_time", f),
                           "completed"),
        "over_4_weeks": ("Decision over 4 weeks", held & decision.state("late", f),
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
