"""What every measure shares: the filters a page asks with, the clock's arithmetic in SQL,
the timeliness rules, and the pieces every table is built from. The tables themselves are
in the modules beside this one; accountability/measures/__init__.py has the registry."""

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

from accountability.tables import Cell, Table
from reviews import clock
from reviews.access import OversightScope
from reviews.clock_sql import MEETING_DAY, YEAR_GROUPS, DaysLater, born_in_year_group, days_by
from reviews.models import Child, Invitation, Review

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

# The law's durations in words, as the settings in force (read at start-up) say them.
LAW = clock.words_in_force()

RULES: dict[str, Rule] = {rule.key: rule for rule in [
    # review.due_by holds the clock's next_review_due for the review (CFA s44(1)), so a
    # review is held in time when its meeting day is no later.
    Rule("held", f"Reviews held within {LAW['review_interval']}", "due_by",
         due=lambda f: F("due_by"), done=_held_on()),
    Rule("invitations", f"Invitations sent at least {LAW['notice']} before the meeting",
         "meeting",
         due=_after_meeting(clock.meeting_notice_by), done=TruncDate("invitations_sent_at"),
         applies=NOT_UNDER_FIVE),
    Rule("advice",
         f"Advice circulated at least {LAW['advice_circulation']} before the meeting",
         "meeting",
         due=_after_meeting(clock.advice_circulation_by),
         done=TruncDate("advice_circulated_at"), applies=NOT_UNDER_FIVE),
    Rule("report", f"Meeting reports sent within {LAW['report']}", "meeting",
         due=_after_meeting(clock.report_due), done=F("report_sent_on")),
    Rule("decision", f"Decisions sent within {LAW['decision']} of the meeting",
         "meeting",
         due=_after_meeting(clock.decision_due), done=F("decision_sent_on")),
    Rule("amendment_notice",
         f"Proposed amendments sent within {LAW['decision']} of the meeting",
         "meeting", due=_after_meeting(clock.amendment_notice_due),
         done=F("amendment_notice_sent_on"), applies=Q(decision=Review.Decision.AMEND)),
    Rule("final_plan",
         f"Amended plans issued within {LAW['final_plan']} of the proposed amendments",
         "meeting", due=_final_plan_due, done=F("final_plan_sent_on"),
         applies=Q(decision=Review.Decision.AMEND, amendment_notice_sent_on__isnull=False)),
    # The whole amendment, however late the notice went (Devon): a late notice gives the
    # final plan 8 weeks of its own, and shows here.
    Rule("amendments_overall",
         f"Amended plans issued within {LAW['amendments_overall']} of the meeting",
         "meeting", due=_after_meeting(clock.amendments_overall_by),
         done=F("final_plan_sent_on"), applies=Q(decision=Review.Decision.AMEND)),
    Rule("order_provision",
         f"Plans amended within {LAW['order_amend_provision']} of a Tribunal order", "order",
         due=_order_due(clock.OrderRequirement.AMEND_PROVISION),
         done=F(f"{ORDER}provision_amended_on"), applies=Q(**{f"{ORDER}amend_provision": True})),
    Rule("order_placement",
         f"Plans naming the school or college within {LAW['order_amend_placement']} of a "
         "Tribunal order", "order", due=_order_due(clock.OrderRequirement.AMEND_PLACEMENT),
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
