"""Review meetings and deadlines as iCalendar, for invitations and private feeds.

Calendars are third-party systems: titles and descriptions carry the child's initials and LA
reference, never a name, a date of birth or a need.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, vCalAddress

from reviews import clock
from reviews.models import Invitation, Review

PRODID = "-//EHCP review portal//Review meetings//EN"

PARTSTAT = {
    Invitation.Answer.NONE: "NEEDS-ACTION",
    Invitation.Answer.ATTENDING: "ACCEPTED",
    Invitation.Answer.NOT_ATTENDING: "DECLINED",
    Invitation.Answer.ADVICE_ONLY: "DECLINED",
    Invitation.Answer.DECLINED: "DECLINED",
}


def _domain() -> str:
    return urlsplit(settings.BASE_URL).hostname or "localhost"


def _absolute(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def meeting_uid(review: Review) -> str:
    """One UID per meeting for its whole life, so every update replaces the same event."""
    return f"review-meeting-{review.pk}@{_domain()}"


def meeting_title(review: Review) -> str:
    child = review.plan.child
    return f"{review.get_kind_display()}: {child.initials} ({child.la_reference})"


def _address(email: str, name: str = "", **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = name
    address.params.update({key.upper(): value for key, value in params.items()})
    return address


def _attendee(invitation: Invitation) -> vCalAddress:
    required = invitation.role in Invitation.REQUIRED_ROLES
    return _address(
        invitation.email, invitation.name,
        role="REQ-PARTICIPANT" if required else "OPT-PARTICIPANT",
        partstat=PARTSTAT.get(invitation.answer, "NEEDS-ACTION"), rsvp="TRUE",
    )


def _location(review: Review) -> str:
    return " – ".join(part for part in (review.meeting_place, review.meeting_link) if part)


def _description(review: Review, invitation: Invitation | None) -> str:
    lines = [f"{meeting_title(review)}."]
    if review.meeting_link:
        lines.append(f"Join online: {review.meeting_link}")
    if invitation is not None and invitation.role == Invitation.Role.FAMILY:
        lines.append("Before the meeting you can tell us what you and your child think, "
                     "and ask for a free independent advocate.")
    elif invitation is None or invitation.advice_requested:
        due = review.advice_due()
        if due:
            lines.append(f"Please send your advice through the portal by {due:%-d %B %Y}, "
                         "so that it can be shared two weeks before the meeting.")
    lines.append("Read the advice shared for this review before the meeting.")
    return "\n".join(lines)


def _review_url(review: Review, invitation: Invitation | None) -> str:
    if invitation is not None and invitation.role == Invitation.Role.FAMILY:
        return _absolute(reverse("reviews:family_review", args=[review.pk]))
    return _absolute(reverse("reviews:review", args=[review.pk]))


def meeting_event(review: Review, attendees, *, invitation: Invitation | None = None,
                  cancelled: bool = False) -> Event:
    """The meeting as one VEVENT, seen by `invitation`'s holder (None: the coordinator)."""
    start = timezone.localtime(review.meeting_at)
    event = Event()
    event.add("uid", meeting_uid(review))
    event.add("dtstamp", timezone.now())
    event.add("sequence", review.calendar_sequence)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=review.meeting_minutes))
    event.add("summary", meeting_title(review))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    coordinator = review.coordinator
    event.add("organizer", _address(coordinator.email, str(coordinator)))
    for attendee in attendees:
        event.add("attendee", _attendee(attendee))
    if _location(review):
        event.add("location", _location(review))
    event.add("url", _review_url(review, invitation))
    event.add("description", _description(review, invitation))
    return event


def _all_day(uid: str, day: dt.date, summary: str, description: str, url: str,
             remind_days_before: int | None = None) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    if remind_days_before is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", -dt.timedelta(days=remind_days_before))
        event.add_component(alarm)
    return event


def advice_deadline_event(review: Review, user) -> Event | None:
    due = review.advice_due()
    if due is None:
        return None
    title = f"Advice due: {review.plan.child.initials} ({review.plan.child.la_reference})"
    return _all_day(f"review-advice-{review.pk}-{user.pk}@{_domain()}", due, title,
                    "Send your advice for this review through the portal.",
                    _absolute(reverse("reviews:review", args=[review.pk])),
                    remind_days_before=2)


def statutory_deadline_events(review: Review) -> list[Event]:
    """For coordinators: the report and decision deadlines that follow the meeting."""
    if review.meeting_date is None:
        return []
    durations = clock.durations_from_settings()
    child = review.plan.child
    url = _absolute(reverse("reviews:review", args=[review.pk]))
    due = [("report", "Report due", clock.report_due(review.meeting_date, durations=durations)),
           ("decision", "Decision due",
            clock.decision_due(review.meeting_date, durations=durations))]
    return [_all_day(f"review-{key}-{review.pk}@{_domain()}", day,
                     f"{label}: {child.initials} ({child.la_reference})",
                     f"{label} for this review (statutory deadline).", url, remind_days_before=3)
            for key, label, day in due]


def calendar(events, method: str | None = None) -> bytes:
    """A VCALENDAR around `events`, with the VTIMEZONE each TZID needs."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    starts = []
    for event in events:
        cal.add_component(event)
        start = event.get("dtstart").dt
        starts.append(start.date() if isinstance(start, dt.datetime) else start)
    if starts:
        # A VTIMEZONE covering only the years in use keeps invitations small.
        cal.add_missing_timezones(first_date=min(starts) - dt.timedelta(days=366),
                                  last_date=max(starts) + dt.timedelta(days=366))
    return cal.to_ical()


def invitation_calendar(review: Review, invitation: Invitation, *, cancel: bool = False) -> bytes:
    """What one invitee's email carries: METHOD:REQUEST, or METHOD:CANCEL."""
    event = meeting_event(review, [invitation], invitation=invitation, cancelled=cancel)
    return calendar([event], method="CANCEL" if cancel else "REQUEST")


def feed_reviews(user):
    """The reviews a person's feed holds: those they are part of, and may see today."""
    from django.db.models import Prefetch, Q

    from reviews.access import visible_reviews
    from reviews.models import FamilyMember

    mine = Invitation.objects.current().filter(user=user)
    part_of = (Q(coordinator=user) | Q(pk__in=mine.values("review_id"))
               | Q(plan__child__in=FamilyMember.objects.filter(user=user).values("child_id")))
    return (visible_reviews(user).filter(part_of).exclude(status=Review.Status.CANCELLED)
            .select_related("plan__child", "coordinator")
            .prefetch_related(Prefetch("invitations", queryset=mine, to_attr="mine")))


def feed_events(user, reviews) -> list[Event]:
    events = []
    for review in reviews:
        invitation = review.mine[0] if review.mine else None
        if review.meeting_at:
            events.append(meeting_event(review, [invitation] if invitation else [],
                                        invitation=invitation))
        if invitation and invitation.advice_requested and invitation.role != Invitation.Role.FAMILY:
            deadline = advice_deadline_event(review, user)
            if deadline is not None:
                events.append(deadline)
        if review.coordinator_id == user.pk:
            events.extend(statutory_deadline_events(review))
    return events


def feed_calendar(user, reviews) -> bytes:
    return calendar(feed_events(user, reviews))
