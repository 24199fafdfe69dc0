"""Review meetings and deadlines as iCalendar: the invitations emailed to each person (iTIP
over email, RFC 5546 and 6047), one meeting to download, and each person's private feed.

Calendars are third-party systems, shared with colleagues and family and read by other
companies' servers. What they carry names no child and no one in a child's family: the
child is their initials and LA reference, and family attendees appear by their role
("Parent", "Young person"). Professionals keep their own names.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from icalendar import (
    Alarm,
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
)

from reviews import clock
from reviews.models import FamilyMember, Invitation, Review

PRODID = "-//EHCP review portal//Review meetings//EN"

PARTSTAT = {
    Invitation.Answer.NONE: "NEEDS-ACTION",
    Invitation.Answer.ATTENDING: "ACCEPTED",
    Invitation.Answer.NOT_ATTENDING: "DECLINED",
    Invitation.Answer.ADVICE_ONLY: "DECLINED",
    Invitation.Answer.DECLINED: "DECLINED",
}

# What a family attendee is called: their role, never their name.
FAMILY_WORDS = {
    FamilyMember.Relationship.PARENT: "Parent",
    FamilyMember.Relationship.CARER: "Carer",
    FamilyMember.Relationship.YOUNG_PERSON: "Young person",
}
FAMILY_WORD_UNKNOWN = "Parent or young person"

# Reminders before every meeting: the day before (to read the advice, arrange the day) and
# an hour before (to set off, or to join online).
MEETING_REMINDERS = (dt.timedelta(days=1), dt.timedelta(hours=1))


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


# ---------------------------------------------------------------------------
# The organiser: the portal's own address for each review
# ---------------------------------------------------------------------------


def organizer_email(review: Review) -> str:
    """Where calendars send their accept and decline replies.

    With CALENDAR_REPLY_ADDRESS set, the portal's mailbox with the review in its tag
    (calendar+<review>@...), which the portal reads (reviews/calendar_replies.py). Unset,
    the coordinator's own address, as before the portal read replies."""
    mailbox = settings.CALENDAR_REPLY_ADDRESS
    if not mailbox:
        return review.coordinator.email
    local, _, domain = mailbox.rpartition("@")
    return f"{local}+{review.pk.hex}@{domain}"


def review_id_in_address(address: str) -> uuid.UUID | None:
    """The review an `organizer_email` names, or None for any other address."""
    mailbox = settings.CALENDAR_REPLY_ADDRESS
    if not mailbox or "@" not in address:
        return None
    local, _, domain = address.strip().lower().rpartition("@")
    mailbox_local, _, mailbox_domain = mailbox.lower().rpartition("@")
    base, plus, tag = local.partition("+")
    if not plus or base != mailbox_local or domain != mailbox_domain:
        return None
    try:
        return uuid.UUID(hex=tag)
    except ValueError:
        return None


def _address(email: str, name: str = "", **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = name
    address.params.update({key.upper().replace("_", "-"): value
                           for key, value in params.items()})
    return address


# ---------------------------------------------------------------------------
# Whose copy: the person a meeting is written for
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    """The person a copy of the meeting is for: their invitation, if they have one, and
    their place in the child's family (a FamilyMember relationship), if they are family."""

    invitation: Invitation | None = None
    family: str | None = None  # "" for family whose relationship is not on the record

    @property
    def is_family(self) -> bool:
        return self.family is not None or (self.invitation is not None
                                           and self.invitation.role == Invitation.Role.FAMILY)

    @property
    def asked_for_advice(self) -> bool:
        return (self.invitation is not None and self.invitation.advice_requested
                and not self.is_family)

    @property
    def attendee_name(self) -> str:
        if self.is_family:
            return FAMILY_WORDS.get(self.family, FAMILY_WORD_UNKNOWN)
        return self.invitation.name if self.invitation else ""


COORDINATOR_SIDE = Holder()


def family_relationship(child_id, *, user=None, email: str = "") -> str | None:
    """How a person stands in a child's family (None if they are not on its record)."""
    match = Q(user=user) if user is not None else Q(email__iexact=email)
    return (FamilyMember.objects.filter(match, child_id=child_id)
            .values_list("relationship", flat=True).first())


def invitee(review: Review, invitation: Invitation) -> Holder:
    """The holder of an emailed invitation."""
    if invitation.role != Invitation.Role.FAMILY:
        return Holder(invitation)
    return Holder(invitation, family_relationship(review.plan.child_id, email=invitation.email))


# ---------------------------------------------------------------------------
# The meeting as a VEVENT
# ---------------------------------------------------------------------------


def _meeting(review: Review, stamp: dt.datetime) -> Event:
    """What every copy of the meeting shares: which meeting, which version, when and where."""
    start = timezone.localtime(review.meeting_at)
    event = Event()
    event.add("uid", meeting_uid(review))
    event.add("dtstamp", stamp)
    event.add("sequence", review.calendar_sequence)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=review.meeting_minutes))
    event.add("summary", meeting_title(review))
    event.add("organizer", _address(organizer_email(review), str(review.coordinator)))
    if _location(review):
        event.add("location", _location(review))
    return event


def _is_organizer(review: Review, invitation: Invitation) -> bool:
    return invitation.email.lower() == organizer_email(review).lower()


def _add_attendee(event: Event, review: Review, holder: Holder) -> None:
    """The holder, if invited: never the organiser itself (an invitation naming its own
    organiser as attendee is one the organiser's calendar cannot file)."""
    invitation = holder.invitation
    if invitation is None or _is_organizer(review, invitation):
        return
    required = invitation.role in Invitation.REQUIRED_ROLES
    event.add("attendee", _address(
        invitation.email, holder.attendee_name,
        role="REQ-PARTICIPANT" if required else "OPT-PARTICIPANT",
        partstat=PARTSTAT.get(invitation.answer, "NEEDS-ACTION"), rsvp="TRUE"))


def meeting_event(review: Review, holder: Holder = COORDINATOR_SIDE, *,
                  stamp: dt.datetime, attendee: bool = True) -> Event:
    """The meeting as it stands, as `holder` reads it, with its reminders. `attendee`:
    False where no attendee may be named (a PUBLISH, RFC 5546 3.2.1)."""
    event = _meeting(review, stamp)
    event.add("status", "CONFIRMED")
    if attendee:
        _add_attendee(event, review, holder)
    url = _review_url(review, holder)
    event.add("url", url)
    event.add("description", _description(review, holder, url))
    for before in MEETING_REMINDERS:
        event.add_component(_reminder(meeting_title(review), before))
    return event


def cancelled_event(review: Review, holder: Holder, *, stamp: dt.datetime) -> Event:
    """The whole meeting cancelled (RFC 5546 3.2.5: STATUS:CANCELLED, no reminders)."""
    event = _meeting(review, stamp)
    event.add("status", "CANCELLED")
    _add_attendee(event, review, holder)
    return event


def withdrawn_event(review: Review, holder: Holder, *, stamp: dt.datetime) -> Event:
    """One person taken off a meeting that goes ahead (RFC 5546 3.2.5): it names them as
    the attendee removed and has no STATUS, which would cancel the meeting for everyone."""
    event = _meeting(review, stamp)
    _add_attendee(event, review, holder)
    return event


def _location(review: Review) -> str:
    return " – ".join(part for part in (review.meeting_place, review.meeting_link) if part)


def _review_url(review: Review, holder: Holder) -> str:
    name = "reviews:family_review" if holder.is_family else "reviews:review"
    return _absolute(reverse(name, args=[review.pk]))


def _description(review: Review, holder: Holder, url: str) -> str:
    law = clock.words_in_force()
    lines = [f"{meeting_title(review)}."]
    if review.meeting_link:
        lines.append(f"Join online: {review.meeting_link}")
    if holder.is_family:
        whose = ("what you think" if holder.family == FamilyMember.Relationship.YOUNG_PERSON
                 else "what you and your child think")
        lines.append(f"Before the meeting you can tell us {whose}, and ask for a free "
                     "independent advocate.")
        lines.append("You can read the reports from the people who work with you on "
                     "the review's page once they are shared.")
        lines.append(f"The review's page: {url}")
        return "\n".join(lines)
    if holder.asked_for_advice:
        # The date this person was given, never a law's date already past (issue #16).
        due = holder.invitation.advice_due()
        if due:
            lines.append(f"Please send your advice through the portal by {due:%-d %B %Y}, "
                         f"so that it can be shared {law['advice_circulation']} before the "
                         "meeting.")
    elif due := review.advice_due():
        lines.append(f"Advice is due by {due:%-d %B %Y}, to be shared "
                     f"{law['advice_circulation']} before the meeting.")
    lines.append("Read the advice shared for this review before the meeting.")
    lines.append(f"The review: {url}")
    return "\n".join(lines)


def _reminder(summary: str, before: dt.timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -before)
    return alarm


# ---------------------------------------------------------------------------
# Deadlines, as all-day events in a professional's feed
# ---------------------------------------------------------------------------


def _all_day(uid: str, day: dt.date, summary: str, description: str, url: str, *,
             stamp: dt.datetime, remind_days_before: int) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    event.add_component(_reminder(summary, dt.timedelta(days=remind_days_before)))
    return event


def advice_deadline_event(review: Review, user, invitation: Invitation, *,
                          stamp: dt.datetime) -> Event | None:
    due = invitation.advice_due()
    if due is None:
        return None
    title = f"Advice due: {review.plan.child.initials} ({review.plan.child.la_reference})"
    return _all_day(f"review-advice-{review.pk}-{user.pk}@{_domain()}", due, title,
                    "Send your advice for this review through the portal.",
                    _absolute(reverse("reviews:review", args=[review.pk])),
                    stamp=stamp, remind_days_before=2)


def statutory_deadline_events(review: Review, *, stamp: dt.datetime) -> list[Event]:
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
                     f"{label} for this review (statutory deadline).", url, stamp=stamp,
                     remind_days_before=3)
            for key, label, day in due]


# ---------------------------------------------------------------------------
# The time zone
# ---------------------------------------------------------------------------


def _offset_changes(zone: ZoneInfo, first: dt.date, last: dt.date) -> list[dt.datetime]:
    """Each instant (UTC) in [first, last] at which `zone` changes its offset from UTC."""
    changes = []
    day = dt.datetime.combine(first, dt.time(12), tzinfo=dt.UTC)
    end = dt.datetime.combine(last, dt.time(12), tzinfo=dt.UTC)
    while day < end:
        following = day + dt.timedelta(days=1)
        if _offset_at(zone, day) != _offset_at(zone, following):
            changes.append(_change_between(zone, day, following))
        day = following
    return changes


def _offset_at(zone: ZoneInfo, instant: dt.datetime) -> dt.timedelta:
    return instant.astimezone(zone).utcoffset()


def _change_between(zone: ZoneInfo, before: dt.datetime, after: dt.datetime) -> dt.datetime:
    """The first second after `before` at which the offset is `after`'s (bisected)."""
    old = _offset_at(zone, before)
    while after - before > dt.timedelta(seconds=1):
        middle = before + (after - before) / 2
        middle = middle.replace(microsecond=0)
        if _offset_at(zone, middle) == old:
            before = middle
        else:
            after = middle
    return after


def _yearly_rule(onsets: list[dt.datetime]) -> dict | None:
    """The RRULE that gives every one of `onsets` (local times, one a year), if one does:
    the same weekday of the same month, counted from the month's end or its start, at the
    same time of day."""
    years = [onset.year for onset in onsets]
    if years != list(range(years[0], years[0] + len(years))):
        return None
    weekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    for from_end in (True, False):
        rules = {(onset.month, onset.weekday(), _nth_weekday(onset, from_end), onset.time())
                 for onset in onsets}
        if len(rules) == 1:
            month, weekday, nth, _ = rules.pop()
            return {"freq": "YEARLY", "bymonth": month, "byday": f"{nth}{weekdays[weekday]}"}
    return None


def _nth_weekday(day: dt.datetime, from_end: bool) -> int:
    """Which of its month's weekdays of its kind `day` is: 1 the first, -1 the last."""
    if not from_end:
        return (day.day - 1) // 7 + 1
    next_month = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    days_in_month = (next_month - dt.timedelta(days=1)).day
    return -((days_in_month - day.day) // 7 + 1)


def vtimezone(zone_name: str, first: dt.date, last: dt.date) -> Timezone:
    """The VTIMEZONE of `zone_name` from the tz database, right for every instant from
    `first` to `last`.

    Each onset is the wall-clock time just before the change, in TZOFFSETFROM, as RFC 5545
    3.6.5 requires: the library's own generator wrote the time after it, so a calendar that
    reads the file's definition moved the spring change an hour late. Each kind of change is
    one yearly RRULE when every change in the range follows it, as Outlook and Apple write
    theirs, and otherwise the list of its dates."""
    zone = ZoneInfo(zone_name)
    # From a year before `first`, so that an observance is in force from `first` on.
    changes = _offset_changes(zone, first - dt.timedelta(days=366), last)
    kinds: dict[tuple, list[dt.datetime]] = {}
    for change in changes:
        before, after = change - dt.timedelta(seconds=1), change
        offset_from, offset_to = _offset_at(zone, before), _offset_at(zone, after)
        local_after = after.astimezone(zone)
        key = (bool(local_after.dst()), offset_from, offset_to, local_after.tzname())
        kinds.setdefault(key, []).append((change + offset_from).replace(tzinfo=None))
    tz = Timezone()
    tz.add("tzid", zone_name)
    for (daylight, offset_from, offset_to, name), onsets in kinds.items():
        part = TimezoneDaylight() if daylight else TimezoneStandard()
        part.add("dtstart", onsets[0])
        part.add("tzoffsetfrom", offset_from)
        part.add("tzoffsetto", offset_to)
        part.add("tzname", name)
        rule = _yearly_rule(onsets)
        if rule:
            part.add("rrule", rule)
        elif onsets[1:]:
            part.add("rdate", onsets[1:])
        tz.add_component(part)
    if not kinds:  # a zone without changes: one observance from the start
        offset = _offset_at(zone, dt.datetime.combine(first, dt.time(12), tzinfo=dt.UTC))
        part = TimezoneStandard()
        part.add("dtstart", dt.datetime.combine(first, dt.time()))
        part.add("tzoffsetfrom", offset)
        part.add("tzoffsetto", offset)
        tz.add_component(part)
    return tz


# ---------------------------------------------------------------------------
# Whole calendars
# ---------------------------------------------------------------------------


def calendar(events, method: str | None = None) -> bytes:
    """A VCALENDAR around `events`, with the VTIMEZONE their times need."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    starts = [event.get("dtstart").dt for event in events]
    zoned = [start for start in starts if isinstance(start, dt.datetime)]
    if zoned:
        # Covering only the years in use (and a year after: reminders, the end) keeps
        # invitations small.
        days = [start.date() for start in zoned]
        cal.add_component(vtimezone(settings.TIME_ZONE, min(days),
                                    max(days) + dt.timedelta(days=366)))
    for event in events:
        cal.add_component(event)
    return cal.to_ical()


REQUEST, CANCEL, WITHDRAW = "request", "cancel", "withdraw"


def invitation_message(review: Review, invitation: Invitation,
                       change: str = REQUEST) -> tuple[bytes, str] | None:
    """The calendar part of an email to one invitee, and its METHOD: the meeting as it now
    stands (REQUEST), the whole meeting cancelled (CANCEL, STATUS:CANCELLED), or this
    person taken off it (CANCEL naming them). Stamped now: each is a new message."""
    holder, stamp = invitee(review, invitation), timezone.now()
    if _is_organizer(review, invitation):
        # Without a portal mailbox the coordinator organises the meeting: their own copy
        # is one to keep (PUBLISH), not an invitation to answer, and is never withdrawn.
        if change == WITHDRAW:
            return None
        event = (meeting_event(review, holder, stamp=stamp, attendee=False)
                 if change == REQUEST else cancelled_event(review, COORDINATOR_SIDE,
                                                           stamp=stamp))
        return calendar([event], method="PUBLISH"), "PUBLISH"
    build = {REQUEST: meeting_event, CANCEL: cancelled_event, WITHDRAW: withdrawn_event}[change]
    method = "REQUEST" if change == REQUEST else "CANCEL"
    return calendar([build(review, holder, stamp=stamp)], method=method), method


def meeting_download(review: Review, user, invitation: Invitation | None,
                     is_family: bool) -> bytes:
    """One meeting to open in any calendar (the family's "add to calendar"): PUBLISH, so
    without attendees, and stamped with the review's last change, so the same meeting
    downloads the same bytes."""
    family = None
    if is_family:
        family = family_relationship(review.plan.child_id, user=user) or ""
    holder = Holder(invitation, family)
    return calendar([meeting_event(review, holder, stamp=review.changed_at, attendee=False)],
                    method="PUBLISH")


# ---------------------------------------------------------------------------
# A person's feed
# ---------------------------------------------------------------------------


def feed_reviews(user):
    """The reviews a person's feed holds: those they are part of, and may see today, in a
    fixed order (the feed's bytes, and so its ETag, depend on it)."""
    from reviews.access import visible_reviews

    mine = Invitation.objects.current().filter(user=user)
    family = FamilyMember.objects.filter(user=user)
    part_of = (Q(coordinator=user) | Q(pk__in=mine.values("review_id"))
               | Q(plan__child__in=family.values("child_id")))
    return (visible_reviews(user).filter(part_of).exclude(status=Review.Status.CANCELLED)
            .select_related("plan__child", "coordinator")
            .annotate(family_as=Subquery(family.filter(child_id=OuterRef("plan__child_id"))
                                         .values("relationship")[:1]))
            .prefetch_related(Prefetch("invitations", queryset=mine, to_attr="mine"))
            .order_by("due_by", "pk"))


def feed_events(user, reviews) -> list[Event]:
    """Each review's events, stamped with the review's last change: while nothing changes,
    the feed is the same bytes."""
    events = []
    for review in reviews:
        invitation = review.mine[0] if review.mine else None
        holder = Holder(invitation, review.family_as)
        stamp = review.changed_at
        if review.meeting_at:
            # A feed asks for no reply, so it names no family attendee, not even by role.
            events.append(meeting_event(review, holder, stamp=stamp,
                                        attendee=not holder.is_family))
        if holder.asked_for_advice:
            deadline = advice_deadline_event(review, user, invitation, stamp=stamp)
            if deadline is not None:
                events.append(deadline)
        if review.coordinator_id == user.pk:
            events.extend(statutory_deadline_events(review, stamp=stamp))
    return events


def feed_calendar(user, reviews) -> bytes:
    return calendar(feed_events(user, reviews))
