"""The live meeting room page: a snapshot of the room that reads well without JavaScript,
and the data static/portal/room.js needs to take part live.

The room's changes go over the WebSocket (meeting/consumers.py, meeting/room.py); this
page only opens the room and shows it as it stands.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from meeting.models import Comment, Meeting, Recommendation
from meeting.room import LIMITS, do_open_meeting, not_started
from reviews import advice, presenters
from reviews.access import ReviewAccess, review_access
from reviews.models import Invitation, Plan, Review
from reviews.words import role_words
from reviews.young_person import marking_the_young_person

# How each kind of comment is tagged (GOV.UK tag colours); room.js gets the same words.
COMMENT_TAG_COLOURS = {"comment": "grey", "question": "light-blue", "disagree": "orange"}


def room_words() -> dict:
    """The labels room.js shows for what arrives live, from the same choices as the page."""
    return {
        "kinds": {kind.value: [kind.label, COMMENT_TAG_COLOURS[kind]] for kind in Comment.Kind},
        "sections": {letter: f"Section {letter}: {label}" for letter, label in Plan.SECTIONS},
        "overall": {value: label for value, label in Recommendation.Overall.choices if value},
    }


@dataclass(frozen=True)
class RoomPermissions:
    """What the person may do in the room; the page shows only their controls, and the
    server checks every change again."""

    can_manage: bool
    can_write: bool
    is_family: bool

    @classmethod
    def of(cls, access: ReviewAccess, meeting: Meeting, user) -> "RoomPermissions":
        if not meeting.is_open:
            return cls(False, False, False)
        can_write = access.can_manage or meeting.minute_taker_id == user.pk
        return cls(access.can_manage, can_write, access.is_family)


def room_snapshot(access: ReviewAccess, meeting: Meeting, user) -> dict:
    """Everything the room page shows, in a fixed number of queries however long the
    agenda. The event sequence is read first: events recorded while the snapshot is read
    are replayed by the page's script, which applies each one idempotently."""
    review = access.review
    seq = Review.objects.filter(pk=review.pk).values_list("event_seq", flat=True).get()
    items = list(meeting.items.order_by("position").prefetch_related(Prefetch(
        "comments", queryset=Comment.objects.select_related("author").order_by("at", "pk"))))
    recommendations = list(meeting.recommendations.all())
    overall = next((r for r in recommendations if not r.section), None)
    readable = advice.readable_advice(access, user).select_related("invitation__agency")
    invitations = list(marking_the_young_person(
        Invitation.objects.current().filter(review=review), review.plan.child_id)
        .select_related("agency").order_by("created_at"))
    return {
        "review": review,
        "access": access,
        "meeting": meeting,
        "summary": presenters.review_summary(review, timezone.localdate()),
        "seq": seq,
        "permissions": RoomPermissions.of(access, meeting, user),
        "items": [{"item": item, "comments": [
                      (c, presenters.time_text(c.at), COMMENT_TAG_COLOURS[c.kind])
                      for c in item.comments.all()]}
                  for item in items],
        "invitations": invitations,
        # What each person is at the review, in the report's plain words.
        "invited": [(invitation, role_words(invitation,
                                             young_person=invitation.is_young_person))
                    for invitation in invitations],
        "actions": list(meeting.actions.order_by("at", "pk")),
        "closed_text": presenters.moment_text(meeting.closed_at) if meeting.closed_at else "",
        "starts_text": (presenters.moment_text(review.meeting_at)
                        if meeting.is_open and not_started(review, timezone.now()) else ""),
        "overall": overall,
        "section_recommendations": [r for r in recommendations if r.section],
        "contributions": advice.contributions(readable),
        "sections": Plan.SECTIONS,
        "words": room_words(),
        "limits": LIMITS,
        "overall_choices": [c for c in Recommendation.Overall.choices if c[0]],
        "comment_kinds": [c for c in Comment.Kind.choices
                          if c[0] != Comment.Kind.DISAGREE or access.is_family],
    }


@login_required
def meeting_room(request, review_id):
    access = review_access(request.user, review_id, need="meeting", request=request)
    meeting = do_open_meeting(access.review, request.user)
    return render(request, "meeting/room.html", room_snapshot(access, meeting, request.user))
