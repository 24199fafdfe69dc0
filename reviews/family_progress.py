"""Where a family's review stands and what they do next, in their words.

The home card and the review page both show ``progress(...)``: the stage the review has
reached, from the facts recorded on it (never a plan of what should have happened), and the
one thing the family can do next, with its link and date. A stage is said only once it is
true: "the report is ready" once it is published, "the council has decided" once the letter
has gone.

The reports and decisions apps build on this one, so their records are asked for by name
(``apps.get_model``), not imported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.text import capfirst

from reviews import clock, presenters
from reviews.family import views_open
from reviews.models import FamilyViews, Review


@dataclass(frozen=True)
class NextStep:
    """The one thing to do next: ``url`` empty when it is something to wait for."""

    text: str
    url: str = ""
    new_tab: bool = False


@dataclass(frozen=True)
class Progress:
    stage: str
    next_step: NextStep | None


def meeting_is_ahead(review: Review, today: dt.date) -> bool:
    """The meeting is set for today or later and has not been held."""
    return (review.is_open and review.meeting_at is not None
            and not review.has_reached(Review.Status.MEETING_HELD)
            and review.meeting_date >= today)


def joins_today(review: Review, today: dt.date) -> bool:
    """The family can join the meeting online today: it has a link, it is today, and the
    coordinator has not closed it."""
    return bool(review.meeting_link and review.meeting_date == today
                and meeting_is_ahead(review, today))


def progress(review: Review, user, views: FamilyViews | None, today: dt.date,
             whose: str, asked_at=None) -> Progress:
    """``whose``: "your" to a young person, else the child's name with "'s". ``asked_at``:
    when they were sent their invitation (Review.family_asked_at), which their date for
    their views counts from."""
    if review.status == Review.Status.CANCELLED:
        return Progress("This review was cancelled.", None)
    if review.decision_sent_on:
        return _after_the_decision(review, user, whose, today)
    if not review.is_open:
        return Progress("This review is finished.", None)
    if review.report_sent_on:
        return _report_published(review, whose)
    if review.meeting_at and not meeting_is_ahead(review, today):
        return _after_the_meeting(review, today)
    return _before_the_meeting(review, views, today, asked_at)


def _url(name: str, review: Review) -> str:
    return reverse(name, args=[review.pk])


def _before_the_meeting(review: Review, views: FamilyViews | None, today: dt.date,
                        asked_at) -> Progress:
    if review.meeting_at is None:
        stage = "The review is starting. We will tell you the date of the meeting soon."
    else:
        stage = f"The meeting is on {presenters.meeting_text(review.meeting_at)}."
    if joins_today(review, today):
        return Progress(stage, NextStep("Join the meeting online today",
                                        review.meeting_link, new_tab=True))
    if views_open(review) and (views is None or views.submitted_at is None):
        due = review.views_due_for(asked_at, today)
        by = f" by {presenters.date_text(due)}" if due and due >= today else ""
        return Progress(stage, NextStep(f"Send your views{by}",
                                        _url("reviews:family_views", review)))
    if review.advice_circulated_at:
        return Progress(stage, NextStep("Read the advice before the meeting",
                                        _url("reviews:advice_list", review)))
    if review.meeting_at:
        return Progress(stage, NextStep(f"Come to the meeting on "
                                        f"{presenters.date_text(review.meeting_date)}"))
    return Progress(stage, None)


def _after_the_meeting(review: Review, today: dt.date) -> Progress:
    report = apps.get_model("reports", "Report").objects.filter(review=review).first()
    checking = (report is not None and report.signoff_closes_on is not None
                and report.signoff_requested_at is not None
                and today <= report.signoff_closes_on)
    if checking:
        return Progress(
            "The meeting has taken place. The draft report of the meeting is ready.",
            NextStep(f"Check the draft report by {presenters.date_text(report.signoff_closes_on)}",
                     _url("reports:draft", review)))
    due = review.deadlines().report_due
    return Progress("The meeting has taken place. The report of the meeting is being written.",
                    NextStep(_council_will("send you the report", "sent you the report", due,
                                           today)))


def _report_published(review: Review, whose: str) -> Progress:
    return Progress("The report of the meeting is ready. The council will now decide about "
                    f"{whose} plan.",
                    NextStep("Read the report of the meeting", _url("reports:published", review)))


def _after_the_decision(review: Review, user, whose: str, today: dt.date) -> Progress:
    letter = _url("decisions:notice", review)
    if review.decision == Review.Decision.MAINTAIN:
        return Progress(f"The council has decided to keep {whose} plan as it is.",
                        NextStep("Read the council's letter", letter))
    if review.decision == Review.Decision.CEASE:
        return Progress(f"The council has decided to stop {whose} plan.",
                        NextStep("Read the council's letter. It says what you can do if you "
                                 "disagree", letter))
    if review.final_plan_sent_on:
        return Progress(f"The council has sent the final version of {whose} plan.",
                        NextStep("Read the council's letter and the final plan", letter))
    deadlines = review.deadlines()
    replied = apps.get_model("decisions", "FamilyResponse").objects.filter(
        amendment__decision__review=review, author=user).exists()
    stage = f"The council wants to change {whose} plan."
    if not replied and today <= deadlines.representations_end:
        return Progress(stage, NextStep(
            f"Reply about the changes by {presenters.date_text(deadlines.representations_end)}",
            _url("decisions:reply", review)))
    return Progress(stage, NextStep(_council_will(
        "send you the final plan", "sent you the final plan", deadlines.final_plan_due, today)))


def _council_will(will: str, should_have: str, due: dt.date, today: dt.date) -> str:
    """What the family waits for: the council's to do, and its lateness if late."""
    if due >= today:
        return f"The council will {will} by {presenters.date_text(due)}"
    return (f"The council should have {should_have} by {presenters.date_text(due)}. "
            "It is late")


# ---------------------------------------------------------------------------
# The dates that matter to the family
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DateForFamily:
    """One date the family needs, in their words: ``explained`` says why it matters."""

    label: str
    date_text: str
    relative_text: str
    explained: str = ""


def dates_for_family(review: Review, today: dt.date, whose: str,
                     views_due: presenters.DeadlineRow | None = None) -> list[DateForFamily]:
    """The dates still ahead that matter to the family, earliest first: their views, the
    meeting, their reply to proposed changes, and the day the plan must name the next
    school or college. No queries: the review comes with its plan and child."""
    dates = []
    if views_due is not None:
        dates.append((views_due.due, "Send your views by", ""))
    if meeting_is_ahead(review, today):
        dates.append((review.meeting_date, "The review meeting", ""))
    durations = clock.durations_from_settings()
    if review.amendment_notice_sent_on and not review.final_plan_sent_on:
        dates.append((clock.representations_end(review.amendment_notice_sent_on,
                                                durations=durations),
                      "Reply about the proposed changes by",
                      "Tell the council what you think of the changes, and which school or "
                      "college you want named in the plan."))
    transfer = _phase_transfer(review, durations)
    if transfer is not None and not review.final_plan_sent_on:
        moves = f"{transfer.transfer_date:%B %Y}"
        dates.append((transfer.deadline, "The plan must name the new school or college by",
                      f"{capfirst(whose)} move to a new school or college is in {moves}. By "
                      f"law, the council must change the plan to name it by this date, so "
                      f"everyone has time to get ready."))
    return [DateForFamily(label, presenters.date_text(due),
                          presenters.relative_text(due, today), explained)
            for due, label, explained in sorted(dates, key=lambda row: row[0]) if due >= today]


def _phase_transfer(review: Review, durations) -> clock.PhaseTransfer | None:
    child = review.plan.child
    return clock.phase_transfer_due(
        child.date_of_birth, review.meeting_date or review.due_by,
        setting=clock.SettingType(child.setting_type) if child.setting_type else None,
        year_offset=child.year_group_offset, durations=durations)
