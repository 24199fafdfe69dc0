"""Answers to meeting invitations, read from the portal's calendar mailbox.

Every invitation names the portal's address for its review as its organiser
(`reviews.calendar.organizer_email`), so the accept and decline buttons of Outlook, Google
and Apple send their iTIP REPLY (RFC 5546 3.2.3) there, not to a coordinator who would have
to copy each answer in by hand. `read_mailbox` reads the mailbox over IMAP (a django-q2
schedule runs it every few minutes; `manage.py read_calendar_replies` runs it once), and
`handle_message` records each reply's PARTSTAT as the invitation's answer.

Whatever it cannot act on goes on to the review's coordinator by email, so nothing sent to
the address is lost: a message someone wrote to it, a proposal of a new time, a comment
sent with an answer, or a reply that does not come from the person invited.
"""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import imaplib
import logging
import ssl
import uuid
from collections import Counter
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from outbox.mail import queue_email
from reviews import events
from reviews.advice import do_answer_invitation
from reviews.calendar import review_id_in_address
from reviews.models import Invitation, Review

logger = logging.getLogger(__name__)

RECORDED, UNCHANGED, OUT_OF_DATE, FORWARDED, NOT_FOR_A_REVIEW = (
    "recorded", "unchanged", "out of date", "forwarded", "not for a review")

# What a calendar's PARTSTAT means as the portal's answer. TENTATIVE has no answer of its
# own: it is shown on the review's timeline and the answer is left as it was.
ANSWERS = {"ACCEPTED": Invitation.Answer.ATTENDING,
           "DECLINED": Invitation.Answer.NOT_ATTENDING}
NOT_COMING = {Invitation.Answer.NOT_ATTENDING, Invitation.Answer.ADVICE_ONLY,
              Invitation.Answer.DECLINED}

RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
UID_PREFIX = "review-meeting-"
FORWARDED_TEXT_LIMIT = 20_000


@dataclass(frozen=True)
class Reply:
    """One attendee's answer in a REPLY."""

    attendee: str  # their calendar address, lower case, without "mailto:"
    sent_by: str  # a delegate answering for them (the SENT-BY parameter), if any
    partstat: str
    sequence: int
    stamp: dt.datetime | None
    comment: str


# ---------------------------------------------------------------------------
# One message
# ---------------------------------------------------------------------------


def handle_message(raw: bytes) -> str:
    """Act on one message from the calendar mailbox, in one transaction; say what was done."""
    message = email.message_from_bytes(raw, policy=policy.default)
    calendars = _calendars(message)
    with transaction.atomic():
        review = _review_for(message, calendars)
        if review is None:
            return NOT_FOR_A_REVIEW
        replies = [reply for cal in calendars if str(cal.get("METHOD", "")).upper() == "REPLY"
                   for reply in _replies(cal, review)]
        if not replies:
            _forward(review, message, "was sent to the calendar address of the review")
            return FORWARDED
        outcomes = [_record(review, message, reply) for reply in replies]
    # One message answers for one person: say the most telling thing that happened.
    return next(o for o in (FORWARDED, RECORDED, OUT_OF_DATE, UNCHANGED) if o in outcomes)


def _calendars(message: EmailMessage) -> list[Calendar]:
    """Every iCalendar object the message carries, once each (Google sends its reply both
    as the message's calendar part and as an attached invite.ics)."""
    found, seen = [], set()
    for part in message.walk():
        is_calendar = (part.get_content_type() in ("text/calendar", "application/ics")
                       or (part.get_filename() or "").lower().endswith(".ics"))
        payload = part.get_payload(decode=True) if is_calendar else None
        if not payload or payload in seen:
            continue
        seen.add(payload)
        try:
            found.append(Calendar.from_ical(payload))
        except ValueError:
            continue  # not iCalendar after all: the message is forwarded as text
    return found


def _review_for(message: EmailMessage, calendars: list[Calendar]) -> Review | None:
    """The review whose address the message was sent to, or failing that (a mailbox that
    drops the + tag) whose meeting the calendar object names."""
    addresses = [address for _, address in getaddresses(
        [str(value) for header in RECIPIENT_HEADERS for value in message.get_all(header, [])])]
    ids = [review_id_in_address(address) for address in addresses]
    ids += [_review_id_in_uid(str(event.get("UID", "")))
            for cal in calendars for event in cal.walk("VEVENT")]
    review_id = next((found for found in ids if found is not None), None)
    if review_id is None:
        return None
    return Review.objects.with_child().filter(pk=review_id).first()


def _review_id_in_uid(uid: str) -> uuid.UUID | None:
    if not uid.startswith(UID_PREFIX):
        return None
    try:
        return uuid.UUID(uid[len(UID_PREFIX):].partition("@")[0])
    except ValueError:
        return None


def _replies(cal: Calendar, review: Review) -> list[Reply]:
    replies = []
    for event in cal.walk("VEVENT"):
        if _review_id_in_uid(str(event.get("UID", ""))) != review.pk:
            continue
        attendees = event.get("ATTENDEE", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        stamp = event.get("DTSTAMP")
        comments = event.get("COMMENT", [])
        comments = comments if isinstance(comments, list) else [comments]
        for attendee in attendees:
            replies.append(Reply(
                attendee=_bare(str(attendee)), sent_by=_bare(attendee.params.get("SENT-BY", "")),
                partstat=str(attendee.params.get("PARTSTAT", "NEEDS-ACTION")).upper(),
                sequence=int(event.get("SEQUENCE", 0)),
                stamp=_aware(stamp.dt) if stamp is not None else None,
                comment="\n".join(str(c) for c in comments).strip()))
    return replies


def _bare(address: str) -> str:
    address = address.strip()
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:"):]
    return address.lower()


def _aware(moment) -> dt.datetime | None:
    if not isinstance(moment, dt.datetime):
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)


def _record(review: Review, message: EmailMessage, reply: Reply) -> str:
    """Record one attendee's answer, if it is theirs, current, and says something new."""
    invitation = (review.invitations.current().filter(email__iexact=reply.attendee)
                  .select_related("user", "review").first())
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    if invitation is None or sender not in {reply.attendee, reply.sent_by}:
        _forward(review, message, "answering the invitation did not come from anyone invited "
                                  "to the review, so the portal did not record it")
        return FORWARDED
    if reply.sequence < invitation.calendar_sequence or (
            reply.stamp and invitation.answered_at and invitation.answered_at >= reply.stamp):
        # An answer to a version of the meeting since changed, or older than their answer
        # in the portal.
        return OUT_OF_DATE
    if reply.comment:
        _forward_comment(review, invitation, reply)
    if reply.partstat == "TENTATIVE":
        events.record(review, "invitation_tentative",
                      f"{invitation.name} might attend the meeting (a reply from their "
                      "calendar)", actor=invitation.user, invitation=str(invitation.pk))
        return RECORDED
    answer = ANSWERS.get(reply.partstat)
    if answer is None:
        _forward(review, message, f"from {invitation.name}'s calendar says "
                                  f"{reply.partstat.lower()}, which the portal cannot record")
        return FORWARDED
    if answer == invitation.answer or (answer in NOT_COMING and invitation.answer in NOT_COMING):
        return UNCHANGED
    answered = min(reply.stamp or timezone.now(), timezone.now())
    do_answer_invitation(invitation, invitation.user, answer, now=answered, from_calendar=True)
    return RECORDED


# ---------------------------------------------------------------------------
# On to the coordinator
# ---------------------------------------------------------------------------


def _reference(review: Review) -> str:
    return f"{review.plan.child.initials} ({review.plan.child.la_reference})"


def _forward(review: Review, message: EmailMessage, why: str) -> None:
    body = message.get_body(preferencelist=("plain",))
    text = body.get_content().strip() if body is not None else ""
    if len(text) > FORWARDED_TEXT_LIMIT:
        text = text[:FORWARDED_TEXT_LIMIT] + "\n[The rest of the message is not shown.]"
    key = message.get("Message-ID") or hashlib.sha256(message.as_bytes()).hexdigest()
    queue_email(
        f"calendar-forward:{hashlib.sha256(str(key).encode()).hexdigest()}",
        review.coordinator.email,
        f"A message about the review meeting for {_reference(review)}",
        f"Hello {review.coordinator},\n\n"
        f"A message {why}. Here it is for you.\n\n"
        f"From: {message.get('From', '')}\n"
        f"Sent: {message.get('Date', '')}\n"
        f"Subject: {message.get('Subject', '')}\n\n"
        f"{text or '(The message has no text.)'}\n\n"
        "To answer, write to the sender from your own email. Any attachments stay in the "
        "portal's calendar mailbox.\n")


def _forward_comment(review: Review, invitation: Invitation, reply: Reply) -> None:
    digest = hashlib.sha256(f"{reply.stamp}:{reply.comment}".encode()).hexdigest()
    queue_email(
        f"calendar-comment:{invitation.pk}:{digest}", review.coordinator.email,
        f"A comment on the review meeting for {_reference(review)}",
        f"Hello {review.coordinator},\n\n"
        f"{invitation.name} answered the invitation to the review meeting for "
        f"{_reference(review)} from their calendar, with this comment:\n\n"
        f"{reply.comment[:FORWARDED_TEXT_LIMIT]}\n")


# ---------------------------------------------------------------------------
# The mailbox
# ---------------------------------------------------------------------------


def _connect() -> imaplib.IMAP4:
    host, port = settings.CALENDAR_IMAP_HOST, settings.CALENDAR_IMAP_PORT
    if settings.CALENDAR_IMAP_SSL:
        return imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(),
                                 timeout=30)
    imap = imaplib.IMAP4(host, port, timeout=30)
    if "STARTTLS" in imap.capabilities:
        imap.starttls(ssl_context=ssl.create_default_context())
    return imap


def read_mailbox() -> Counter:
    """Handle every unread message in the calendar mailbox, then mark it read. A message
    that fails is flagged as well as read, for a person to look at, rather than retried."""
    counts = Counter()
    with _connect() as imap:
        imap.login(settings.CALENDAR_IMAP_USER, settings.CALENDAR_IMAP_PASSWORD)
        imap.select(settings.CALENDAR_IMAP_FOLDER)
        _, found = imap.uid("SEARCH", None, "UNSEEN")
        for uid in found[0].split():
            # PEEK: the message stays unread until it has been handled.
            _, fetched = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next(part[1] for part in fetched if isinstance(part, tuple))
            flags = r"(\Seen)"
            try:
                counts[handle_message(raw)] += 1
            except Exception as exc:  # one bad message must not stop the rest
                logger.warning("Calendar mailbox message %s not handled: %s",
                               uid.decode(), type(exc).__name__)
                counts["failed"] += 1
                flags = r"(\Seen \Flagged)"
            imap.uid("STORE", uid, "+FLAGS", flags)
    return counts
