"""Reminding coordinators of the decision's deadlines, from the clock: the decision due
within 4 weeks of the meeting, the final amended plan, and complying with a Tribunal
order. One email per review, rule and due date, so running a day twice (or catching up a
missed one) sends nothing twice.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from decisions import notify
from decisions.models import TribunalOrder
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
    return _when(due, thing, today)


def _when(due: dt.date, thing: str, today: dt.date) -> Reminder | None:
    if today > due:
        return Reminder("late", due, f"{thing} is late (due {presenters.date_text(due)})")
    if (due - today).days <= SOON_DAYS:
        return Reminder("soon", due, f"{thing} is due on {presenters.date_text(due)}")
    return None


# The clock's date for each part of a Tribunal order, and how the reminder says it.
_ORDER_PARTS = {"order_provision_due": "The plan amended as the Tribunal ordered",
                "order_placement_due": "The plan naming the setting the Tribunal ordered"}


def _order_reminders(today: dt.date):
    """(review, key, what) for each part of a Tribunal order not complied with that is
    due within a week or late (SEND Regs 2014 reg 44)."""
    orders = (TribunalOrder.objects
              .filter(Q(amend_provision=True, provision_amended_on__isnull=True)
                      | Q(amend_placement=True, placement_amended_on__isnull=True))
              .select_related("decision__review__plan__child", "decision__review__coordinator",
                              "decision__disagreement"))
    for order in orders:
        review = order.decision.review
        deadlines, met = review.deadlines(**order.decision.clock_facts()), order.met_on()
        for key, thing in _ORDER_PARTS.items():
            due = getattr(deadlines, key)
            reminder = _when(due, thing, today) if due and not met[key] else None
            if reminder is not None:
                yield review, f"remind:{reminder.rule}:{key}:{reminder.due}", reminder.what


def remind_coordinators(today: dt.date) -> dict[str, int]:
    """Remind each coordinator of decisions, final plans and Tribunal orders due within a
    week, and tell them once when one is late."""
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
    due += list(_order_reminders(today))
    queued = set(Email.objects.filter(
        key__in=[notify.coordinator_key(review, key) for review, key, _ in due])
        .values_list("key", flat=True))
    new = [(review, key, what) for review, key, what in due
           if notify.coordinator_key(review, key) not in queued]
    for review, key, what in new:
        notify.tell_coordinator(review, key, what)
    return {"decision_reminders": len(new)}
