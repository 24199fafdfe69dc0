"""The daily chasers: who is reminded of what, and on which day.

`run_daily_chasers(today)` is the whole daily round, run by the django-q2 schedule
(reviews.tasks.daily_chasers):

1. circulate the advice of every review whose circulation day has come (two weeks before
   the meeting: the clock's ``advice_circulation_by``);
2. remind each invitee 7 and 2 days before their advice is due; the day after, tell them
   it is late and tell the coordinator; after 5 working days late, tell the leads of the
   invitee's agency;
3. warn coordinators, once per review, when a review is due within 10 weeks and has no
   meeting set.

Each reminder may go on any day of its window, not only the first, so a day the job did
not run is caught up the next day; each has an outbox key naming its rule, its invitation
and the due date, so running a day twice, or catching up, never sends it twice (a moved
meeting moves the due date, and the reminders start again for the new date). Every email
is queued with an Event on its review in one transaction.

The reminder days are the service's policy (issue #3), not the law; the due dates they
count from come from the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agencies.models import Membership, Role
from outbox.mail import queue_email
from outbox.models import Email
from reviews import clock, events, presenters
from reviews.advice import do_circulate_advice
from reviews.models import Advice, Event, Invitation, Review

FIRST_REMINDER_DAYS = 7  # days before the advice is due
SECOND_REMINDER_DAYS = 2
ESCALATE_AFTER_WORKING_DAYS = 5
NO_MEETING_WARNING = dt.timedelta(weeks=10)
WARNING_WEEKS = f"{NO_MEETING_WARNING.days // 7} weeks"

CHASE_EVENT = "chase_sent"

_DAY = dt.timedelta(days=1)
_CHUNK = 500  # ids per IN (...): well inside every database's limit on parameters


# ---------------------------------------------------------------------------
# The rules: dates in, rules due out
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A reminder, and the days it may go: from the day it is due until it is overtaken
    by the next reminder or by the meeting."""

    rule: str
    first: dt.date
    last: dt.date


def advice_windows(due: dt.date, meeting: dt.date) -> list[Window]:
    """The reminders about advice due on ``due`` for a meeting on ``meeting``."""
    first = due - dt.timedelta(days=FIRST_REMINDER_DAYS)
    second = due - dt.timedelta(days=SECOND_REMINDER_DAYS)
    day_before_meeting = meeting - _DAY
    return [
        Window(f"advice-{FIRST_REMINDER_DAYS}", first, second - _DAY),
        Window(f"advice-{SECOND_REMINDER_DAYS}", second, due),
        Window("advice-late", due + _DAY, day_before_meeting),
        Window("advice-escalate", clock.add_working_days(due, ESCALATE_AFTER_WORKING_DAYS),
               day_before_meeting),
    ]


def advice_rules_due(due: dt.date, meeting: dt.date, invited_on: dt.date,
                     today: dt.date) -> list[str]:
    """Which reminders about this advice may go on ``today``.

    Nobody is reminded of a deadline on or after the day they were told it (their
    invitation said it), nor told they are late, or reported, for a deadline that had
    passed before they were asked (a meeting called at short notice)."""
    return [w.rule for w in advice_windows(due, meeting)
            if w.first <= today <= w.last and invited_on < min(w.first, due + _DAY)]


# ---------------------------------------------------------------------------
# The daily round
# ---------------------------------------------------------------------------


def run_daily_chasers(today: dt.date) -> dict[str, int]:
    """Everything the chasers do on ``today``; returns how many of each went."""
    return {
        "circulated": circulate_due_advice(today),
        "advice_reminders": chase_advice(today),
        "no_meeting_warnings": warn_reviews_without_meeting(today),
    }


def circulate_due_advice(today: dt.date) -> int:
    """Circulate the advice of reviews whose circulation day has come (and whose meeting
    has not yet passed); the contributor's action does the work, emails and records it."""
    reviews = (Review.objects.filter(status=Review.Status.INVITATIONS_SENT,
                                     advice_circulated_at__isnull=True)
               .filter(meeting_at__gte=_start_of(today),
                       meeting_at__lt=_start_of(today + _advice_lead(today) + _DAY))
               .order_by("meeting_at"))
    return sum(do_circulate_advice(review, actor=None) for review in reviews)


def chase_advice(today: dt.date) -> int:
    """Remind, tell of lateness and escalate, for every outstanding piece of advice."""
    invitations = list(_awaited_advice(today))
    leads = _leads_by_agency({i.agency_id for i in invitations if i.agency_id})
    planned = []
    late_by_review = defaultdict(list)
    for invitation in invitations:
        review = invitation.review
        due = invitation.advice_due()  # the date they were given
        for rule in advice_rules_due(due, review.meeting_date,
                                     timezone.localtime(invitation.sent_at).date(), today):
            if rule == "advice-escalate":
                planned += [_escalation(invitation, lead, due) for lead in
                            leads.get(invitation.agency_id, []) if lead.pk != invitation.user_id]
            else:
                planned.append(_invitee_reminder(invitation, rule, due, today))
            if rule == "advice-late":
                late_by_review[review.pk].append((invitation, due))
    planned += [_late_notice_to_coordinator(late) for late in late_by_review.values()]
    return _send_new(planned)


def warn_reviews_without_meeting(today: dt.date) -> int:
    """One email per coordinator listing their reviews that fell due within 10 weeks with
    no meeting set since they were last told; each review is told of once per due date."""
    candidates = list(Review.objects.open().with_child()
                      .filter(meeting_at__isnull=True, due_by__lte=today + NO_MEETING_WARNING)
                      .order_by("due_by"))
    warned = _already_warned(candidates)
    by_coordinator = defaultdict(list)
    for review in candidates:
        if (review.pk, review.due_by.isoformat()) not in warned:
            by_coordinator[review.coordinator].append(review)
    return _send_new([_no_meeting_warning(coordinator, reviews, today)
                      for coordinator, reviews in by_coordinator.items()])


# ---------------------------------------------------------------------------
# What goes out
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Chase:
    """One email to queue, and the events that record it on its reviews. Its text is only
    rendered if its key is new, so a day run again does next to no work."""

    key: str
    to: str
    subject: str
    template: str
    context: dict
    records: list[tuple[Review, str, dict]]  # (review, event summary, event data)

    def text(self) -> str:
        return render_to_string(f"reviews/email/{self.template}", self.context)


def _invitee_reminder(invitation: Invitation, rule: str, due: dt.date,
                      today: dt.date) -> Chase:
    review = invitation.review
    context = {**_review_context(review), "invitation": invitation,
               "due": presenters.date_text(due),
               "when": presenters.relative_text(due, today),
               "link": _link(_advice_path(review))}
    if rule == "advice-late":
        subject = f"Your advice for the review of {context['reference']} is late"
        template, summary = "chase_advice_late.txt", f"Told {invitation.name} their advice is late"
    else:
        subject = (f"Reminder: your advice for the review of {context['reference']} is due "
                   f"{context['when']}")
        template = "chase_advice_reminder.txt"
        summary = f"Reminder sent to {invitation.name}: advice due {context['when']}"
    return Chase(
        key=f"chase:{rule}:{invitation.pk}:{due.isoformat()}",
        to=invitation.email, subject=subject, template=template, context=context,
        records=[(review, summary, {"rule": rule, "invitation": str(invitation.pk),
                                    "due": due.isoformat()})],
    )


def _late_notice_to_coordinator(late: list[tuple[Invitation, dt.date]]) -> Chase:
    """``late``: each invitation whose advice is late, with the date its holder was given
    (a person asked after the law's date has their own)."""
    review = late[0][0].review
    due = review.advice_due()
    context = {**_review_context(review), "due": presenters.date_text(due),
               "late": [(invitation, presenters.date_text(given)) for invitation, given in late],
               "working_days": ESCALATE_AFTER_WORKING_DAYS, "link": _link(_review_path(review))}
    names = ", ".join(invitation.name for invitation, _ in late)
    return Chase(
        key=f"chase:advice-late-coordinator:{review.pk}:{due.isoformat()}",
        to=review.coordinator.email,
        subject=f"Advice is late for the review of {context['reference']}",
        template="chase_late_to_coordinator.txt", context=context,
        records=[(review, f"Told {review.coordinator} (coordinator) that advice is late from "
                          f"{names}",
                  {"rule": "advice-late-coordinator", "due": due.isoformat(),
                   "invitations": [str(invitation.pk) for invitation, _ in late]})],
    )


def _escalation(invitation: Invitation, lead, due: dt.date) -> Chase:
    review = invitation.review
    context = {**_review_context(review), "invitation": invitation, "lead": lead,
               "agency": invitation.agency, "due": presenters.date_text(due),
               "working_days": ESCALATE_AFTER_WORKING_DAYS,
               "link": _link(_review_path(review))}
    return Chase(
        key=f"chase:advice-escalate:{invitation.pk}:{lead.pk}:{due.isoformat()}",
        to=lead.email,
        subject=(f"Advice from {invitation.agency.name} is {ESCALATE_AFTER_WORKING_DAYS} "
                 f"working days late for the review of {context['reference']}"),
        template="chase_escalation.txt", context=context,
        records=[(review, f"Told {lead} (agency lead) that advice from {invitation.name} is "
                          f"{ESCALATE_AFTER_WORKING_DAYS} working days late",
                  {"rule": "advice-escalate", "invitation": str(invitation.pk),
                   "lead": lead.pk, "due": due.isoformat()})],
    )


def _no_meeting_warning(coordinator, reviews: list[Review], today: dt.date) -> Chase:
    rows = [{**_review_context(review),
             "due": presenters.date_text(review.due_by),
             "when": presenters.relative_text(review.due_by, today),
             "link": _link(_review_path(review))} for review in reviews]
    # The same reviews on the same day make the same key: a second run that day sends
    # nothing, while reviews first found later that day still get their own email.
    digest = hashlib.sha256(",".join(str(r.pk) for r in reviews).encode()).hexdigest()[:16]
    count = len(reviews)
    return Chase(
        key=f"chase:no-meeting:{coordinator.pk}:{today.isoformat()}:{digest}",
        to=coordinator.email,
        subject=(f"{count} review{'s' if count > 1 else ''} due within {WARNING_WEEKS} with "
                 "no meeting set"),
        template="chase_no_meeting.txt",
        context={"coordinator": coordinator, "rows": rows, "service_name": settings.SITE_NAME,
                 "warning_weeks": WARNING_WEEKS},
        records=[(review, f"Told {coordinator} (coordinator) that no meeting is set: review "
                          f"due by {presenters.date_text(review.due_by)}",
                  {"rule": "no-meeting", "due_by": review.due_by.isoformat()})
                 for review in reviews],
    )


def _send_new(chases: list[Chase]) -> int:
    """Queue each chase not queued before, with its events, one transaction each."""
    queued = _keys_already_queued([c.key for c in chases])
    sent = 0
    for chase in chases:
        if chase.key in queued:
            continue
        with transaction.atomic():
            queue_email(chase.key, chase.to, chase.subject, chase.text())
            for review, summary, data in chase.records:
                events.record(review, CHASE_EVENT, summary, actor=None, **data)
        queued.add(chase.key)
        sent += 1
    return sent


# ---------------------------------------------------------------------------
# Reading in bulk: a fixed number of queries however many reviews there are
# ---------------------------------------------------------------------------

def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in Europe/London, for filtering meeting times."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _advice_lead(today: dt.date) -> dt.timedelta:
    """How long before a meeting its advice is due, asked of the clock (two weeks in
    today's law) so that no other module knows the rule."""
    return today - clock.advice_circulation_by(today, durations=clock.durations_from_settings())


def _awaited_advice(today: dt.date):
    """Invitations whose advice is awaited and may need chasing today: sent, asking for
    advice, not declined, nothing submitted, not the coordinator's own, on a review whose
    meeting is still to come and near enough for the first reminder."""
    last_meeting_day = today + _advice_lead(today) + dt.timedelta(days=FIRST_REMINDER_DAYS)
    submitted = Advice.objects.filter(status=Advice.Status.SUBMITTED).values("invitation_id")
    return (Invitation.objects.current()
            .filter(advice_requested=True, sent_at__isnull=False,
                    review__status__in=[Review.Status.INVITATIONS_SENT,
                                        Review.Status.ADVICE_CIRCULATED],
                    review__meeting_at__gte=_start_of(today + _DAY),
                    review__meeting_at__lt=_start_of(last_meeting_day + _DAY))
            .exclude(role=Invitation.Role.FAMILY)
            .exclude(answer=Invitation.Answer.DECLINED)
            .exclude(pk__in=submitted)
            # The coordinator's own invitation: they see what is missing on their page.
            .filter(Q(user__isnull=True) | ~Q(user_id=F("review__coordinator_id")))
            .select_related("review__plan__child", "review__coordinator", "agency")
            .order_by("review__meeting_at", "created_at"))


def _chunks(items: list) -> list[list]:
    return [items[i:i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def _leads_by_agency(agency_ids: set[int]) -> dict[int, list]:
    leads = defaultdict(list)
    for membership in (Membership.objects.filter(agency_id__in=agency_ids, role=Role.LEAD,
                                                 is_active=True, user__is_active=True)
                       .select_related("user").order_by("user__last_name")):
        leads[membership.agency_id].append(membership.user)
    return leads


def _keys_already_queued(keys: list[str]) -> set[str]:
    found = set()
    for chunk in _chunks(keys):
        found.update(Email.objects.filter(key__in=chunk).values_list("key", flat=True))
    return found


def _already_warned(reviews: list[Review]) -> set[tuple]:
    """(review id, due date) pairs a no-meeting warning has already been recorded for."""
    found = set()
    for chunk in _chunks([r.pk for r in reviews]):
        for review_id, data in Event.objects.filter(review_id__in=chunk, kind=CHASE_EVENT,
                                                    data__rule="no-meeting") \
                .values_list("review_id", "data"):
            found.add((review_id, data.get("due_by")))
    return found


# ---------------------------------------------------------------------------
# Words and links
# ---------------------------------------------------------------------------


def _review_context(review: Review) -> dict:
    """Which review an email is about: the child's initials and LA reference, never the
    name (emails travel outside the portal)."""
    child = review.plan.child
    return {
        "review": review,
        "reference": f"{child.initials} ({child.la_reference})",
        "initials": child.initials,
        "la_reference": child.la_reference,
        "kind": review.get_kind_display(),
        "meeting": presenters.meeting_text(review.meeting_at),
        "service_name": settings.SITE_NAME,
    }


def _link(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def _review_path(review: Review) -> str:
    return reverse("reviews:review", args=[review.pk])


def _advice_path(review: Review) -> str:
    return reverse("reviews:advice", args=[review.pk])
