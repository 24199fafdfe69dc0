"""The caseloads: each coordinator's open reviews and what is late on them now, and each
educational psychologist's advice asked and returned."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import (
    Count,
    Q,
)
from django.utils import dateformat

from accountability.measures.base import (
    CASELOAD_RULES,
    COORDINATOR,
    EVERY,
    LAW,
    OPEN_STAGES,
    Filters,
    _coordinator_name,
    _coordinator_order,
    _register,
    any_of,
    counts,
    labelled,
    local_midnight,
    scoped_invitations,
    scoped_reviews,
    tally,
    user_name,
)
from accountability.tables import Cell, Column, Table
from agencies.models import Discipline
from reviews import clock
from reviews.clock_sql import days_by
from reviews.models import Invitation, Review

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


def advice_state(f: Filters, name: str) -> Q:
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


def reviews_of(invitations):
    return Review.objects.filter(pk__in=invitations.values("review_id"))


def _ep_behind(f: Filters, row: str, figure: str):
    if figure not in ("outstanding", "outstanding_late", "outstanding_not_due"):
        raise ValueError("No such figure")
    state = "not_due" if figure == "outstanding_not_due" else figure
    invitations = _ep_invitations(f).filter(advice_state(f, state))
    invitations = invitations.filter(user__isnull=True) if row == "none" else \
        invitations.filter(user_id=int(row))
    return "Educational psychology advice outstanding", reviews_of(invitations)


@_register("ep_caseload", _ep_behind, needs_authority=False)
def ep_caseload(f: Filters) -> Table:
    """Each educational psychologist's outstanding advice on open reviews: asked for, not
    declined, not yet submitted; late once the clock's advice date has passed."""
    group = ["user_id", "user__first_name", "user__last_name", "user__email"]
    grouped = (_ep_invitations(f).filter(advice_state(f, "outstanding"))
               .annotate(lateness=labelled({
                   "outstanding_late": advice_state(f, "outstanding_late"),
                   "outstanding_not_due": advice_state(f, "not_due")}))
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
                         f"and not yet sent. The advice date is {LAW['advice_circulation']} "
                         "before the meeting; "
                         "a review with no meeting date is not due yet.")
