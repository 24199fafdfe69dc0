"""Reminding coordinators of the decision's deadlines, from the clock: the decision due
within 4 weeks of the meeting, and the final amended plan. One email per review, rule and
due date, so running a day twice (or catching up a missed one) sends nothing twice.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from decisions import notify
from outbox.models import Email
from reviews import presenters
from reviews.models import Review

SOON_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    rule: str
    due: dt.date
    what: str


def _reminder(review: Review, today: dt.date) -> Reminder | None:
    """What this review's coordinator should hear today, if anything."""
    deadlines = review.deadlines()
    if not review.decision:
        due, thing = deadlines.decision_due, "The decision"
    elif (review.decision == Review.Decision.AMEND and deadlines.representations_end
          and today > deadlines.representations_end):
        due, thing = deadlines.final_plan_due, "The final amended plan"
    else:
        return None
    if today > due:
        return Reminder("late", due, f"{thing} is late (due {presenters.date_text(due)})")
    if (due - today).days <= SOON_DAYS:
        return Reminder("soon", due, f"{thing} is due on {presenters.date_text(due)}")
    return None


def remind_coordinators(today: dt.date) -> dict[str, int]:
    """Remind each coordinator of decisions and final plans due within a week, and tell
    them once when one is late."""
    waiting = (Review.objects.filter(meeting_at__isnull=False)
               .filter(Q(status__in=[Review.Status.MEETING_HELD, Review.Status.REPORT_SENT],
                         decision="")
                       | Q(status=Review.Status.DECIDED, decision=Review.Decision.AMEND,
                           final_plan_sent_on__isnull=True))
               .select_related("plan__child", "coordinator"))
    due = []
    for review in waiting:
        reminder = _reminder(review, today)
        if reminder is not None:
            key = f"remind:{reminder.rule}:{review.decision or 'decision'}:{reminder.due}"
            due.append((review, key, reminder.what))
    queued = set(Email.objects.filter(
        key__in=[notify.coordinator_key(review, key) for review, key, _ in due])
        .values_list("key", flat=True))
    new = [(review, key, what) for review, key, what in due
           if notify.coordinator_key(review, key) not in queued]
    for review, key, what in new:
        notify.tell_coordinator(review, key, what)
    return {"decision_reminders": len(new)}
