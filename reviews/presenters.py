"""Turn reviews into what pages show: dates as "3 March 2027", "in 5 days" / "2 days late",
GOV.UK tag colours, year groups, what happens next. Templates stay dumb; this is tested.

The API, for every page that shows a review:

- ``deadline_row(label, due, today, done_on=None) -> DeadlineRow``: one deadline, ready to
  print (``label``, ``date_text``, ``relative_text``, ``tag_colour``, ``tag_label``).
- ``review_summary(review, today) -> ReviewSummary``: who the review is about, its kind,
  status, meeting, what happens next and its deadline. Lists call
  ``with_outstanding_advice(queryset)`` first so that no row runs a query of its own.
- ``next_step(status, advice_outstanding) -> NextStep``: what a review at ``status`` needs.
- ``date_text(d)``, ``time_text(dt)``, ``meeting_text(dt)``, ``moment_text(dt)``,
  ``relative_text(due, today)``, ``year_group_label(year)``.

Every date comes from the clock (reviews/clock.py); this module only words it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, DateField, F, OuterRef, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone

from reviews import clock
from reviews.clock_sql import MEETING_DAY, DaysLater, days_by
from reviews.models import Advice, Invitation, Review

# ---------------------------------------------------------------------------
# Words for dates and times
# ---------------------------------------------------------------------------


def date_text(day: dt.date) -> str:
    """'3 March 2027' (GOV.UK style: no leading zero, no day name)."""
    return dateformat.format(day, "j F Y")


def time_text(moment: dt.datetime) -> str:
    """'10am', '2:30pm', 'midday' in Europe/London (GOV.UK style)."""
    local = timezone.localtime(moment)
    if (local.hour, local.minute) == (12, 0):
        return "midday"
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def meeting_text(moment: dt.datetime | None) -> str:
    """'Tuesday 2 March 2027 at 10am', or '' when no meeting is set."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{dateformat.format(local, 'l j F Y')} at {time_text(local)}"


def moment_text(moment: dt.datetime) -> str:
    """'2 March 2027 at 10:05am': when something happened."""
    return f"{date_text(timezone.localtime(moment).date())} at {time_text(moment)}"


def relative_text(due: dt.date, today: dt.date) -> str:
    """'today', 'tomorrow', 'in 5 days', '1 day late', '2 days late'."""
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    return f"{-days} day{'s' if days < -1 else ''} late"


def year_group_label(year: int) -> str:
    """National curriculum year in words: 'Reception', 'Year 9'..."""
    if year < 0:
        return "Early years"
    if year == 0:
        return "Reception"
    if year <= 13:
        return f"Year {year}"
    return "Beyond Year 13"


# ---------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    """One deadline as a page shows it."""

    label: str
    due: dt.date
    date_text: str
    relative_text: str
    tag_colour: str
    tag_label: str
    status: clock.DeadlineStatus

    @property
    def is_late(self) -> bool:
        return self.status in (clock.DeadlineStatus.LATE, clock.DeadlineStatus.DONE_LATE)


def deadline_row(label: str, due: dt.date, today: dt.date,
                 done_on: dt.date | None = None) -> DeadlineRow:
    """``due`` worded for ``today``: a done deadline says only how late it was done."""
    status = clock.deadline_status(due, today, done_on=done_on)
    if done_on is None:
        relative = relative_text(due, today)
    elif done_on > due:
        relative = relative_text(due, done_on)
    else:
        relative = ""
    return DeadlineRow(label=label, due=due, date_text=date_text(due), relative_text=relative,
                       tag_colour=status.tag_colour, tag_label=status.label, status=status)


def late_text(days: int) -> str:
    """'1 day late', '13 days late', '2 weeks late', '7 weeks and 4 days late'."""
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''} late"
    weeks, rest = divmod(days, 7)
    extra = f" and {rest} day{'s' if rest != 1 else ''}" if rest else ""
    return f"{weeks} weeks{extra} late"


@dataclass(frozen=True)
class LateLine:
    """One of the LA's deadlines missed, as a sentence for the coordinator: lateness is
    the LA's own fact, shown beside the dates, never moved onto anyone else's."""

    key: str
    label: str
    text: str
    rule: str
    still_open: bool


def lateness_lines(deadlines: clock.ReviewDeadlines, done_on: dict, today: dt.date,
                   keys=None) -> list[LateLine]:
    """The LA's lateness on this review (``keys`` to keep to some of its deadlines)."""
    lines = []
    for late in clock.lateness(deadlines, done_on, today):
        deadline = late.deadline
        if keys is not None and deadline.key not in keys:
            continue
        due = date_text(deadline.due)
        if late.done_on is None:
            text = f"{late_text(late.days)}. It was due by {due} and is not done yet."
        else:
            text = (f"done {late_text(late.days)}. It was due by {due} and was done on "
                    f"{date_text(late.done_on)}.")
        lines.append(LateLine(deadline.key, deadline.label, text, deadline.rule,
                              late.done_on is None))
    return lines


# ---------------------------------------------------------------------------
# What happens next
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    key: str
    label: str


STEPS = {
    step.key: step for step in (
        NextStep("schedule", "Schedule the meeting"),
        NextStep("invite", "Send the invitations"),
        NextStep("chase_advice", "Chase advice"),
        NextStep("circulate", "Circulate the advice"),
        NextStep("hold_meeting", "Hold the meeting"),
        NextStep("send_report", "Send the meeting report"),
        NextStep("decide", "Send the decision"),
        NextStep("close", "Final plan, or cease once the appeal window closes"),
        NextStep("none", "Nothing to do"),
    )
}

_STEP_BY_STATUS = {
    Review.Status.DUE: "schedule",
    Review.Status.SCHEDULED: "invite",
    Review.Status.INVITATIONS_SENT: "circulate",  # or chase_advice: see next_step
    Review.Status.ADVICE_CIRCULATED: "hold_meeting",
    Review.Status.MEETING_HELD: "send_report",
    Review.Status.REPORT_SENT: "decide",
    Review.Status.DECIDED: "close",
}


def next_step(status: str, advice_outstanding: int = 0) -> NextStep:
    """What a review at ``status`` needs next. Once invitations are out, advice still
    awaited means chasing it; when it is all in, circulating it."""
    key = _STEP_BY_STATUS.get(status, "none")
    if key == "circulate" and advice_outstanding:
        key = "chase_advice"
    return STEPS[key]


# Which of the clock's dates each step works to, and how a page names it.
_STEP_DEADLINES = {
    "schedule": ("review_due", "Review meeting due"),
    "invite": ("notice_by", "Send meeting invitations"),
    "chase_advice": ("advice_circulated_by", "Advice due"),
    "circulate": ("advice_circulated_by", "Circulate advice"),
    "hold_meeting": ("meeting", "Meeting"),
    "send_report": ("report_due", "Send the meeting report"),
    "decide": ("decision_due", "Send the decision"),
}


def step_deadline(review: Review, step: NextStep, today: dt.date) -> DeadlineRow | None:
    """The deadline the next step works to, from the clock (the review's own due date
    before a meeting is set)."""
    if step.key not in _STEP_DEADLINES:
        return None
    key, label = _STEP_DEADLINES[step.key]
    if key == "review_due":
        due = review.due_by
    elif review.meeting_date is None:
        return None
    elif key == "meeting":
        due = review.meeting_date
    else:
        due = _MEETING_RULES[key](review.meeting_date, durations=clock.durations_from_settings())
    return deadline_row(label, due, today)


# The clock's rule for each deadline counted from the meeting.
_MEETING_RULES = {
    "notice_by": clock.meeting_notice_by,
    "advice_circulated_by": clock.advice_circulation_by,
    "report_due": clock.report_due,
    "decision_due": clock.decision_due,
}


def next_deadline_sql():
    """`step_deadline`'s date for each review, as SQL, so that a list sorts by it in the
    database and pages through it: the review's due date before a meeting is set, then
    each step's date from the meeting's day; NULL when the next step has no deadline.
    tests/reviews/test_due_order.py holds it to `step_deadline`."""
    durations = clock.durations_from_settings()
    whens = []
    for status, step in _STEP_BY_STATUS.items():
        key = _STEP_DEADLINES.get(step, (None,))[0]
        if key == "review_due":
            whens.append(When(status=status, then=F("due_by")))
        elif key == "meeting":
            whens.append(When(status=status, then=MEETING_DAY))
        elif key is not None:
            rule = _MEETING_RULES[key]
            whens.append(When(status=status, then=DaysLater(
                MEETING_DAY, days_by(lambda day, rule=rule: rule(day, durations=durations)))))
    return Case(*whens, default=None, output_field=DateField())


def most_urgent_first(reviews):
    """``reviews`` by the date their next step is due, the latest-running first: a review
    whose next step is late comes before one whose step is due soon, whatever the review's
    own due date. Reviews with nothing due next (decided) come last, by due date."""
    return reviews.annotate(next_due=next_deadline_sql()).order_by(
        F("next_due").asc(nulls_last=True), "due_by", "pk")


# ---------------------------------------------------------------------------
# Outstanding advice, counted in the database
# ---------------------------------------------------------------------------


def outstanding_advice_subquery():
    """Current invitations that ask for advice and have no submitted advice yet, per review."""
    submitted = Advice.objects.filter(status=Advice.Status.SUBMITTED).values("invitation_id")
    awaited = (Invitation.objects.current()
               .filter(review=OuterRef("pk"), advice_requested=True)
               .exclude(role=Invitation.Role.FAMILY)
               .exclude(answer=Invitation.Answer.DECLINED)
               .exclude(pk__in=submitted)
               .order_by().values("review").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(awaited), 0)


def with_outstanding_advice(reviews):
    """``reviews`` annotated with ``advice_outstanding``, so summaries need no query each."""
    return reviews.annotate(advice_outstanding=outstanding_advice_subquery())


def _advice_outstanding(review: Review) -> int:
    annotated = getattr(review, "advice_outstanding", None)
    if annotated is not None:
        return annotated
    return with_outstanding_advice(Review.objects.filter(pk=review.pk)).values_list(
        "advice_outstanding", flat=True).get()


def count_next_steps(reviews) -> dict[str, int]:
    """How many of ``reviews`` need each next step: two queries however many there are."""
    by_status = dict(reviews.order_by().values_list("status").annotate(n=Count("pk")))
    chasing = with_outstanding_advice(reviews.filter(
        status=Review.Status.INVITATIONS_SENT)).filter(advice_outstanding__gt=0).count()
    counts = dict.fromkeys(STEPS, 0)
    for status, n in by_status.items():
        counts[next_step(status).key] += n
    counts["circulate"] -= chasing
    counts["chase_advice"] += chasing
    return counts


# ---------------------------------------------------------------------------
# One review at a glance
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewSummary:
    review_id: object
    child_name: str
    initials: str
    la_reference: str
    setting_name: str
    year_group: int
    year_group_label: str
    preparing_for_adulthood: bool
    plan_kind: str
    kind_label: str
    status: str
    status_label: str
    meeting_text: str
    meeting_place: str
    meeting_link: str
    meeting_minutes: int
    next_step: NextStep
    next_deadline: DeadlineRow | None
    arranged_by: str  # who convenes the meeting: "the council", or the setting's name
    next_step_by: str  # whose the next step is: who arranges it, or from the report the council

    # One rule for professionals (issue #16, item 10): on every page about the child, the
    # full name and the reference (`name_text`): they are there because they work with
    # the child. What leaves the page (its title, emails, calendars, exported files) carries
    # the initials and the reference only (`reference_text`).

    @property
    def name_text(self) -> str:
        """How a page names the child: 'Amira Example (T-0001)'."""
        return f"{self.child_name} ({self.la_reference})"

    @property
    def reference_text(self) -> str:
        """What a page title or an email may carry instead of the child's name."""
        return f"{self.initials} ({self.la_reference})"


def review_summary(review: Review, today: dt.date) -> ReviewSummary:
    """Everything a list row or a page header shows about one review. Fetch reviews with
    ``Review.objects.with_child()`` (and ``with_outstanding_advice`` for lists)."""
    child = review.plan.child
    year = child.year_group(today)
    step = next_step(review.status, _advice_outstanding(review)
                     if review.status == Review.Status.INVITATIONS_SENT else 0)
    return ReviewSummary(
        review_id=review.pk,
        child_name=child.full_name,
        initials=child.initials,
        la_reference=child.la_reference,
        setting_name=child.setting.name if child.setting_id else "No setting recorded",
        year_group=year,
        year_group_label=year_group_label(year),
        preparing_for_adulthood=clock.is_preparing_for_adulthood(
            year, durations=clock.durations_from_settings()),
        plan_kind=review.plan.get_kind_display(),
        kind_label=review.get_kind_display(),
        status=review.status,
        status_label=review.get_status_display(),
        meeting_text=meeting_text(review.meeting_at),
        meeting_place=review.meeting_place,
        meeting_link=review.meeting_link,
        meeting_minutes=review.meeting_minutes,
        next_step=step,
        next_deadline=step_deadline(review, step, today),
        arranged_by=arranged_by(review),
        next_step_by="the council" if review.status in Review.COUNCIL_STAGES
        else arranged_by(review),
    )


def arranged_by(review: Review) -> str:
    """Who convenes the review meeting: the council, or the child's school or college
    where the council has asked it to (SEND Regs 2014 reg 20(1))."""
    setting = review.plan.child.setting
    if review.convenor == Review.Convenor.SETTING and setting is not None:
        return setting.name
    return "the council"


@dataclass(frozen=True)
class Task:
    """A line of a family's "What you can do now": their home card and review page."""

    label: str
    url: str  # empty when the task can no longer be done
    status: str
    done: bool
