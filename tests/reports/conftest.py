"""A review whose meeting has been held in the room, made through the real action functions:
the therapist's advice, the family's views, notes, an action, recommendations, a
disagreement, attendance; then the meeting closed, which drafts the report.
"""

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from meeting.room import apply_change, do_open_meeting
from reviews.access import review_access
from reviews.advice import do_circulate_advice
from reviews.family import do_save_family_views, do_send_family_views
from reviews.models import Invitation, Review
from tests.conftest import sign_in
from tests.reviews.conftest import (  # noqa: F401
    child,
    family_parent,
    invite_person,
    invited_therapist,
    other_parent,
    plan,
    refused,
    review,
    school,
    senco,
    uninvited_professional,
)
from tests.reviews.test_advice_fixtures import media_fixture, submit  # noqa: F401


def change(review, user, name, /, **payload):  # noqa: F811
    access = review_access(user, review.pk, need="meeting")
    return apply_change(access, user, name, payload, key=str(uuid.uuid4()))


def hold_meeting(review, coordinator, days_ago: int = 2):  # noqa: F811
    """Move the meeting into the past and close it in the room (which drafts the report)."""
    Review.objects.filter(pk=review.pk).update(
        meeting_at=timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
        - dt.timedelta(days=days_ago))
    review.refresh_from_db()
    change(review, coordinator, "meeting.close")
    review.refresh_from_db()
    return review


@pytest.fixture
def family_invitation(review, family_parent):  # noqa: F811
    return invite_person(review, family_parent, role=Invitation.Role.FAMILY)


@pytest.fixture
def met_review(review, coordinator, invited_therapist, family_parent, family_invitation, media):  # noqa: F811
    """Everything the meeting record holds, before the meeting closes."""
    Review.objects.filter(pk=review.pk).update(status=Review.Status.INVITATIONS_SENT,
                                               invitations_sent_at=timezone.now())
    review.refresh_from_db()
    submit(review, invited_therapist)
    do_save_family_views(review, family_parent, {
        "what_is_important": "Her dog, Biscuit.", "hard": "Loud rooms at lunchtime.",
        "childs_own_words": "I like trains."})
    do_send_family_views(review, family_parent)
    do_circulate_advice(review, actor=coordinator)
    meeting = do_open_meeting(review, coordinator)
    items = list(meeting.items.order_by("position"))
    change(review, coordinator, "notes.save", item=items[0].pk, text="Amira wants a quiet space.",
           base_version=0)
    change(review, family_parent, "comment.add", item=items[1].pk, kind="disagree",
           text="Speech is not on track at home.")
    change(review, coordinator, "action.add", what="Find a quiet lunch space", who="Sue Senco",
           due_on=(timezone.localdate() + dt.timedelta(days=20)).isoformat())
    change(review, coordinator, "recommendation.set", section="F",
           text="Weekly speech and language therapy.", agreed_by="Everyone")
    change(review, coordinator, "recommendation.set", section="", overall="amend",
           text="Provision in section F must change.", agreed_by="Everyone present")
    therapist_invitation = review.invitations.get(user=invited_therapist)
    change(review, coordinator, "attendance.mark", invitation=str(therapist_invitation.pk),
           present=True)
    return review


@pytest.fixture
def held_review(met_review, coordinator):
    """The meeting above, closed two days ago: the draft exists."""
    return hold_meeting(met_review, coordinator)


@pytest.fixture
def signed_in():
    def client_for(user) -> Client:
        client = Client()
        sign_in(client, user)
        return client

    return client_for
