"""The live review meeting: the room's changes as action functions.

Every change is checked against what the person may do, applied once per idempotency key,
and written to the review's event log in the same transaction; the log is what the room
broadcasts and what a reconnecting client replays.
"""

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from common.prepared import prepared_cursor
from meeting.models import (
    AgendaItem,
    AppliedChange,
    Comment,
    Meeting,
    MeetingAction,
    Presence,
    Recommendation,
)
from reviews import clock, events
from reviews.access import ReviewAccess
from reviews.models import FamilyMember, Invitation, Plan, Review
from reviews.words import role_words

# A connection that has not pinged for this long is taken to be gone (a crashed server).
PRESENT_WITHIN = dt.timedelta(minutes=2)


class ChangeRefused(Exception):
    """The change is not allowed or not valid; the message says why, in plain words."""


@dataclass(frozen=True)
class Conflict:
    """Someone else saved these notes first: the client keeps its text and sees theirs."""

    item_id: int
    version: int
    text: str
    by: str


@dataclass(frozen=True)
class TextLimits:
    """The most each piece of free text a room change carries may hold, in characters: enough
    for what is said in a meeting, and no more, for the room's page shows everyone all of it
    (meeting/templates/meeting/room.html shows each limit beside its box)."""

    notes: int = 10_000
    comment: int = 2_000
    action: int = 1_000
    who: int = 200  # MeetingAction.who's column
    recommendation: int = 5_000
    agreed_by: int = 300


LIMITS = TextLimits()

# A payload's fields, each checked and converted before its change reaches the database: the
# change gets only the fields it declares (CHANGES, below), each of the type it expects.


@dataclass(frozen=True)
class Text:
    """Text, trimmed, up to `limit` characters; missing, it is empty."""

    words: str  # what an error calls it: "The notes"
    limit: int

    def clean(self, value) -> str:
        if value is None:
            return ""
        _require(isinstance(value, str), f"{self.words} must be text")
        value = value.strip()
        _require(len(value) <= self.limit,
                 f"{self.words} must be {self.limit:,} characters or fewer")
        return value


# A row's id as the page sends it: a number, or its digits from a form's <select>.
_ID_DIGITS = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class Whole:
    """A whole number from 0 that a database column holds; with `optional`, missing or
    empty is None."""

    why: str
    optional: bool = False

    def clean(self, value) -> int | None:
        if self.optional and value in (None, ""):
            return None
        if isinstance(value, str) and _ID_DIGITS.fullmatch(value):
            value = int(value)
        _require(type(value) is int and 0 <= value < 2**63, self.why)
        return value


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]
    why: str
    default: str = ""

    def clean(self, value) -> str:
        if value is None:
            return self.default
        _require(isinstance(value, str) and value in self.values, self.why)
        return value


@dataclass(frozen=True)
class Flag:
    why: str
    default: bool

    def clean(self, value) -> bool:
        if value is None:
            return self.default
        _require(isinstance(value, bool), self.why)
        return value


@dataclass(frozen=True)
class Identifier:
    """A UUID, as an invitation's id."""

    why: str

    def clean(self, value) -> uuid.UUID:
        _require(isinstance(value, str), self.why)
        try:
            return uuid.UUID(value)
        except ValueError:
            raise ChangeRefused(self.why) from None


@dataclass(frozen=True)
class Day:
    """A date as YYYY-MM-DD; missing or empty, None."""

    def clean(self, value) -> dt.date | None:
        if value in (None, ""):
            return None
        _require(isinstance(value, str), "Enter the date as YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ChangeRefused("Enter the date as YYYY-MM-DD") from None


ITEM = Whole("That agenda item is not in this meeting", optional=True)


def default_agenda(review: Review) -> list[tuple[str, str, object]]:
    """The agenda the law and good practice suggest (SEND Regs 2014 regs 20(5)-(6))."""
    plan = review.plan
    items = [(AgendaItem.Kind.VIEWS, "The child's and family's views", None)]
    items += [(AgendaItem.Kind.OUTCOME, f"Outcome {o.number}: {o.text[:150]}", o)
              for o in plan.outcomes.all()]
    agencies = (Invitation.objects.current().filter(review=review, advice_requested=True)
                .exclude(role=Invitation.Role.FAMILY).order_by("created_at"))
    seen = set()
    for invitation in agencies:
        name = invitation.agency.name if invitation.agency_id else invitation.name
        if name not in seen:
            seen.add(name)
            items.append((AgendaItem.Kind.ADVICE, f"Advice from {name}", None))
    if clock.is_preparing_for_adulthood(plan.child.year_group()):
        items.append((AgendaItem.Kind.ADULTHOOD, "Preparing for adulthood", None))
    items.append((AgendaItem.Kind.CHANGES, "Changes to recommend", None))
    items.append((AgendaItem.Kind.ACTIONS, "Actions", None))
    return items


def do_open_meeting(review: Review, actor) -> Meeting:
    """The room, made with the default agenda the first time anyone opens it."""
    with transaction.atomic():
        meeting, created = Meeting.objects.select_for_update().get_or_create(review=review)
        if created:
            AgendaItem.objects.bulk_create(
                AgendaItem(meeting=meeting, position=n, kind=kind, title=title, outcome=outcome)
                for n, (kind, title, outcome) in enumerate(default_agenda(review), start=1))
            meeting.current_item = meeting.items.order_by("position").first()
            meeting.save(update_fields=["current_item"])
            events.record(review, "meeting.opened", "The meeting room was opened", actor=actor)
    return meeting


@dataclass(frozen=True)
class Room:
    """The review's meeting, locked while a change is applied, and the agenda item the
    change names (read in the same query)."""

    meeting: Meeting
    named_item: AgendaItem | None

    def item(self) -> AgendaItem:
        _require(self.named_item is not None, "That agenda item is not in this meeting")
        return self.named_item


def _locked_room(review: Review, payload: dict) -> Room:
    """Lock the meeting until the change commits: the room's changes are applied one at a
    time, so none lands after the meeting closed."""
    item_id = payload.get("item")
    if item_id is not None:
        if connection.vendor == "postgresql":
            room = _locked_room_sql(review, item_id)
            if room is not None:
                return room
        else:
            item = (AgendaItem.objects.select_related("meeting")
                    .select_for_update(of=("meeting",))
                    .filter(pk=item_id, meeting__review=review).order_by("pk").first())
            if item is not None:
                return Room(item.meeting, item)
    meeting = Meeting.objects.select_for_update().filter(review=review).first()
    _require(meeting is not None, "The meeting room has not been opened yet")
    return Room(meeting, None)


def _locked_room_sql(review: Review, item_id: int) -> Room | None:
    """The query above as plain SQL, on PostgreSQL (whose driver hands back every column of
    these two models as Django would): building it was over half of a comment's CPU in
    `apply_change`."""
    quote = connection.ops.quote_name
    items, meetings = AgendaItem._meta.concrete_fields, Meeting._meta.concrete_fields
    columns = [f"i.{quote(f.column)}" for f in items] + [f"m.{quote(f.column)}" for f in meetings]
    with prepared_cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {quote(AgendaItem._meta.db_table)} i "
            f"JOIN {quote(Meeting._meta.db_table)} m ON m.{quote(Meeting._meta.pk.column)} "
            f"= i.{quote(AgendaItem._meta.get_field('meeting').column)} "
            f"WHERE i.{quote(AgendaItem._meta.pk.column)} = %s "
            f"AND m.{quote(Meeting._meta.get_field('review').column)} = %s FOR UPDATE OF m",
            [item_id, Meeting._meta.get_field("review").get_db_prep_value(review.pk, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    item = AgendaItem.from_db(connection.alias, [f.attname for f in items], row[:len(items)])
    meeting = Meeting.from_db(connection.alias, [f.attname for f in meetings],
                              row[len(items):])
    AgendaItem._meta.get_field("meeting").set_cached_value(item, meeting)
    return Room(meeting, item)


def _may_write_notes(access: ReviewAccess, meeting: Meeting, user) -> bool:
    return access.can_manage or meeting.minute_taker_id == user.pk


def _require(condition: bool, why: str):
    if not condition:
        raise ChangeRefused(why)


def save_notes(access, room, user, payload):
    meeting = room.meeting
    _require(_may_write_notes(access, meeting, user),
             "Only the coordinator or the minute-taker can write the notes")
    item = room.item()
    text, base = payload["text"], payload["base_version"]
    # The conditional UPDATE is the conflict check: it only succeeds on the version the
    # writer started from, so two people saving at once cannot silently overwrite each other.
    updated = AgendaItem.objects.filter(pk=item.pk, notes_version=base).update(
        notes=text, notes_version=item.notes_version + 1, notes_updated_by=user)
    if not updated:
        item.refresh_from_db()
        return Conflict(item.pk, item.notes_version, item.notes,
                        str(item.notes_updated_by or "someone"))
    return ("notes.saved", f"Notes updated: {item.title}",
            {"item": item.pk, "text": text, "version": item.notes_version + 1})


def add_comment(access, room, user, payload):
    item = room.item()
    kind, text = payload["kind"], payload["text"]
    if kind == Comment.Kind.DISAGREE:
        _require(access.is_family, "Only the family can mark that they disagree")
    else:
        _require(bool(text), "Enter what you want to say or ask")
    comment = Comment.objects.create(item=item, author=user, kind=kind, text=text)
    label = {"comment": "Comment", "question": "Question", "disagree": "The family disagree"}[kind]
    return ("comment.added", f"{label} on {item.title}",
            {"item": item.pk, "comment": comment.pk, "kind": kind, "text": text,
             "author": str(user)})


def add_action(access, room, user, payload):
    meeting = room.meeting
    _require(_may_write_notes(access, meeting, user),
             "Only the coordinator or the minute-taker can record actions")
    _require(bool(payload["what"]), "Enter what needs to be done")
    _require(bool(payload["who"]), "Enter who will do it")
    action = MeetingAction.objects.create(
        meeting=meeting, what=payload["what"], who=payload["who"], due_on=payload["due_on"],
        created_by=user)
    return ("action.added", f"Action for {action.who}: {action.what[:100]}",
            {"action": action.pk, "what": action.what, "who": action.who,
             "due_on": action.due_on.isoformat() if action.due_on else ""})


def set_recommendation(access, room, user, payload):
    meeting = room.meeting
    _require(_may_write_notes(access, meeting, user),
             "Only the coordinator or the minute-taker can record recommendations")
    section, overall, text = payload["section"], payload["overall"], payload["text"]
    _require(bool(section) != bool(overall),
             "The overall recommendation has no section; a section has no overall choice")
    _require(bool(text) or not section, "Enter what should change")
    recommendation, _ = Recommendation.objects.update_or_create(
        meeting=meeting, section=section,
        defaults={"text": text, "overall": overall, "agreed_by": payload["agreed_by"],
                  "updated_by": user, "updated_at": timezone.now()})
    label = f"section {section}" if section else "the overall recommendation"
    return ("recommendation.set", f"Recommendation recorded for {label}",
            {"section": section, "text": recommendation.text, "overall": overall,
             "agreed_by": recommendation.agreed_by})


def move_to_item(access, room, user, payload):
    _require(access.can_manage, "Only the coordinator moves the agenda on")
    item = room.item()
    Meeting.objects.filter(pk=room.meeting.pk).update(current_item=item)
    return ("agenda.moved", f"Now discussing: {item.title}", {"item": item.pk})


def mark_attendance(access, room, user, payload):
    meeting = room.meeting
    _require(access.can_manage, "Only the coordinator records who is present")
    present = payload["present"]
    updated = Invitation.objects.current().filter(review=meeting.review,
                                                  pk=payload["invitation"]).update(
        attended=present)
    _require(updated == 1, "That person is not invited to this review")
    invitation = Invitation.objects.get(pk=payload["invitation"])
    return ("attendance.marked", f"{invitation.name} marked {'present' if present else 'absent'}",
            {"invitation": str(invitation.pk), "present": present})


def name_minute_taker(access, room, user, payload):
    """The coordinator names someone invited to the review (with an account) to write the
    notes, actions and recommendations with them, or takes the minutes alone again."""
    meeting = room.meeting
    _require(access.can_manage, "Only the coordinator names the minute-taker")
    taker = None
    if payload["user"] is not None:
        invitation = (Invitation.objects.current().select_related("user")
                      .filter(review=meeting.review_id, user_id=payload["user"]).first())
        _require(invitation is not None, "Choose someone invited to this review")
        taker = invitation.user
    _require((taker.pk if taker else None) != meeting.minute_taker_id,
             "They are already taking the minutes")
    Meeting.objects.filter(pk=meeting.pk).update(minute_taker=taker)
    if taker is None:
        return ("minute_taker.named", "The coordinator is taking the minutes",
                {"user": None, "name": ""})
    return ("minute_taker.named", f"{taker} is taking the minutes",
            {"user": taker.pk, "name": str(taker)})


def not_started(review: Review, now: dt.datetime) -> bool:
    """Whether the meeting's start time is still to come: the room warns before closing."""
    return review.meeting_at is not None and now < review.meeting_at


def close_meeting(access, room, user, payload):
    meeting = room.meeting
    _require(access.can_manage, "Only the coordinator closes the meeting")
    # Read now, not from the access the room checked when the person joined.
    review = Review.objects.get(pk=meeting.review_id)
    now = timezone.now()
    # A room opened early to prepare can be closed by mistake hours before anyone comes,
    # leaving an empty, read-only record: closing before the start must be meant.
    _require(payload["before_start"] or not not_started(review, now),
             "This meeting has not started yet. Reload the page to see the warning, then "
             "confirm that you want to close it before it starts")
    Meeting.objects.filter(pk=meeting.pk).update(closed_at=now)
    if review.can_move_to(Review.Status.MEETING_HELD):
        Review.objects.filter(pk=review.pk).update(status=Review.Status.MEETING_HELD)
    return ("meeting.closed", "The meeting was closed; its record is now read-only", {})


# The events of the room's talk, many a minute: only those watching the review hear them
# (apps.py tells the event log).
ROOM_KINDS = ("notes.saved", "comment.added", "action.added", "recommendation.set",
              "agenda.moved", "attendance.marked", "attendance.joined", "minute_taker.named")


@dataclass(frozen=True)
class Change:
    apply: Callable
    fields: dict


CHANGES = {
    "notes.save": Change(save_notes, {
        "item": ITEM, "text": Text("The notes", LIMITS.notes),
        "base_version": Whole("The notes' version must be a whole number")}),
    "comment.add": Change(add_comment, {
        "item": ITEM, "text": Text("Your comment", LIMITS.comment),
        "kind": Choice(tuple(Comment.Kind.values), "Unknown kind of comment",
                       default=Comment.Kind.COMMENT)}),
    "action.add": Change(add_action, {
        "what": Text("What needs to be done", LIMITS.action),
        "who": Text("Who will do it", LIMITS.who), "due_on": Day()}),
    "recommendation.set": Change(set_recommendation, {
        "section": Choice(("", *(letter for letter, _ in Plan.SECTIONS)),
                          "Unknown plan section"),
        "overall": Choice(tuple(Recommendation.Overall.values),
                          "Choose maintain, amend or cease"),
        "text": Text("What should change", LIMITS.recommendation),
        "agreed_by": Text("Who agreed", LIMITS.agreed_by)}),
    "agenda.move": Change(move_to_item, {"item": ITEM}),
    "attendance.mark": Change(mark_attendance, {
        "invitation": Identifier("That person is not invited to this review"),
        "present": Flag("Say whether they are present (true or false)", default=True)}),
    "minute_taker.name": Change(name_minute_taker, {
        "user": Whole("Choose someone invited to this review", optional=True)}),
    "meeting.close": Change(close_meeting, {
        "before_start": Flag("Say whether you mean to close the meeting before it starts "
                             "(true or false)", default=False)}),
}


def _checked(change, key, payload) -> tuple[Change, dict]:
    """The change named and its payload's fields, each checked and converted; ChangeRefused
    says what is wrong with the first that is not what its change expects."""
    found = CHANGES.get(change) if isinstance(change, str) else None
    if found is None:
        raise ChangeRefused(f"Unknown change {str(change)[:40]!r}")
    _require(isinstance(key, str) and 8 <= len(key) <= 64,
             "Each change needs a key of 8 to 64 characters")
    if payload is None:
        payload = {}
    _require(isinstance(payload, dict), "A change's payload must be an object")
    return found, {name: field.clean(payload.get(name)) for name, field in found.fields.items()}


def _claim(review: Review, key: str) -> int | None:
    """Take the change's key: its row, or None if it was applied before. While another
    transaction holds the same key, this waits for it to finish, so a change is never
    applied twice however often it is resent."""
    meta, quote = AppliedChange._meta, connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in ("review", "key", "at"))
    with prepared_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s) "
            f"ON CONFLICT DO NOTHING RETURNING {quote(meta.pk.column)}",
            [meta.get_field("review").get_db_prep_value(review.pk, connection), key,
             meta.get_field("at").get_db_prep_value(timezone.now(), connection)])
        row = cursor.fetchone()
    return row[0] if row else None


def apply_change(access: ReviewAccess, user, change, payload, key):
    """Apply one change from the room, once per key: the change's name, its payload (an
    object whose fields CHANGES declares) and its key, as the client sent them.

    Returns the recorded Event, a Conflict, or None when the key was applied before (the
    client already has, or will replay, its event). The room's busiest path: every statement
    here is paid for by every comment (bench/README.md).
    """
    found, payload = _checked(change, key, payload)
    review = access.review
    with transaction.atomic():
        claim = _claim(review, key)
        if claim is None:
            return None  # applied before: the client has, or will replay, its event
        room = _locked_room(review, payload)
        _require(room.meeting.is_open, "The meeting is closed: its record can no longer change")
        result = found.apply(access, room, user, payload)
        if isinstance(result, Conflict):
            transaction.set_rollback(True)  # the key stays free for the resolved save
            return result
        kind, summary, data = result
        # The key is settled with the event's seq in the statement that records the event.
        return events.record(review, kind, summary, actor=user,
                             settles=events.Settles(AppliedChange, claim), **data)


def record_arrival(access: ReviewAccess, user) -> None:
    """Attendance comes from the room: the first time an invited person joins, they are
    marked present (the coordinator can still correct it by hand)."""
    invitation = access.invitation
    if invitation is None or invitation.attended:
        return
    meeting = Meeting.objects.filter(review=access.review, closed_at__isnull=True).first()
    if meeting is None:
        return
    with transaction.atomic():
        if Invitation.objects.filter(pk=invitation.pk).exclude(attended=True).update(
                attended=True):
            events.record(access.review, "attendance.joined", f"{invitation.name} joined",
                          actor=user, invitation=str(invitation.pk))


def people_present(review: Review) -> list[dict]:
    """Who has the room open, each once, in the order they came, with what they are to the
    review: parent, carer or the young person; their invitation's role; or, for the staff
    who run the review without an invitation, coordinator."""
    since = timezone.now() - PRESENT_WITHIN
    people = {}
    for row in (Presence.objects.filter(review=review, last_seen__gte=since)
                .select_related("user").order_by("joined_at")):
        people.setdefault(row.user_id, row.user)
    if not people:
        return []
    family = dict(FamilyMember.objects.filter(child_id=review.plan.child_id, user_id__in=people)
                  .values_list("user_id", "relationship"))
    invitations = {}
    for invitation in (Invitation.objects.current().filter(review=review, user_id__in=people)
                       .select_related("agency").order_by("-created_at")):
        invitations[invitation.user_id] = invitation  # the earliest, as the access rule has it
    return [{"name": str(user), **_standing_in_room(family.get(user_id),
                                                    invitations.get(user_id))}
            for user_id, user in people.items()]


def _standing_in_room(relationship: str | None, invitation: Invitation | None) -> dict:
    if relationship is not None:
        return {"role": FamilyMember.Relationship(relationship).label, "agency": ""}
    if invitation is not None:
        return {"role": role_words(invitation, with_agency=False),
                "agency": invitation.agency.name if invitation.agency_id else ""}
    return {"role": "Coordinator", "agency": ""}
