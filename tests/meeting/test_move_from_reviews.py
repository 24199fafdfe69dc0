"""The meeting room's records came from the reviews app: a database that held a meeting
before the move (reviews 0017) holds the same meeting after it, every row and link intact,
in tables named for the meeting app; the permissions on the room's models move with them."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from meeting.models import (
    AgendaItem,
    AppliedChange,
    Comment,
    Meeting,
    MeetingAction,
    Presence,
    Recommendation,
)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("reviews", "0017_family_postal_address")
LATEST = ("meeting", "0002_tables_named_for_the_app")


def held_before_the_move(old, review, coordinator, therapist, nhs_trust) -> dict:
    """A meeting as the reviews app kept it, written through that schema's models."""
    meeting = old.get_model("reviews", "Meeting").objects.create(
        review_id=review.pk, minute_taker_id=therapist.pk,
        closed_at=timezone.now())
    item = old.get_model("reviews", "AgendaItem")
    views = item.objects.create(meeting=meeting, position=1, kind="views",
                                title="The child's and family's views", notes="Happy at school.",
                                notes_version=2, notes_updated_by_id=coordinator.pk)
    outcome = item.objects.create(meeting=meeting, position=2, kind="outcome",
                                  title="Outcome 1", outcome_id=review.plan.outcomes.first().pk)
    meeting.current_item = outcome
    meeting.save()
    comment = old.get_model("reviews", "Comment")
    comment.objects.create(item=views, author_id=therapist.pk, text="Speech is coming on.")
    comment.objects.create(item=outcome, author_id=coordinator.pk, kind="question",
                           text="Five words yet?")
    old.get_model("reviews", "MeetingAction").objects.create(
        meeting=meeting, what="Send the speech report", who="NHS trust",
        who_user_id=therapist.pk, who_agency_id=nhs_trust.pk, due_on=dt.date(2026, 1, 9),
        created_by_id=coordinator.pk)
    recommendation = old.get_model("reviews", "Recommendation")
    recommendation.objects.create(meeting=meeting, section="", overall="amend",
                                  agreed_by="Everyone", updated_by_id=coordinator.pk)
    recommendation.objects.create(meeting=meeting, section="F", text="More speech therapy.")
    old.get_model("reviews", "Presence").objects.create(
        review_id=review.pk, user_id=therapist.pk, channel_name="specific.room!1")
    old.get_model("reviews", "AppliedChange").objects.create(review_id=review.pk,
                                                             key="key-before-1", seq=4)
    content_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="reviews", model="meeting")
    permission, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename="view_meeting",
        defaults={"name": "Can view meeting"})
    return {"meeting": meeting.pk, "views": views.pk, "outcome": outcome.pk,
            "content_type": content_type.pk, "permission": permission.pk}


def test_a_meeting_held_before_the_move_is_whole_after_it(
        migrator, review, coordinator, therapist, nhs_trust):
    old = migrator(*BEFORE)
    before = held_before_the_move(old, review, coordinator, therapist, nhs_trust)

    new = migrator(*LATEST)

    meeting = Meeting.objects.get(review=review)
    assert meeting.pk == before["meeting"] and not meeting.is_open
    assert (meeting.minute_taker, meeting.current_item_id) == (therapist, before["outcome"])
    assert [(i.pk, i.kind, i.notes, i.notes_version, i.notes_updated_by)
            for i in meeting.items.order_by("position")] == [
        (before["views"], "views", "Happy at school.", 2, coordinator),
        (before["outcome"], "outcome", "", 0, None)]
    assert meeting.items.get(kind="outcome").outcome == review.plan.outcomes.first()
    assert list(Comment.objects.filter(item__meeting=meeting).order_by("item__position")
                .values_list("item_id", "author_id", "kind", "text")) == [
        (before["views"], therapist.pk, "comment", "Speech is coming on."),
        (before["outcome"], coordinator.pk, "question", "Five words yet?")]
    [action] = meeting.actions.all()
    assert (action.what, action.who, action.who_user, action.who_agency, action.due_on,
            action.created_by) == ("Send the speech report", "NHS trust", therapist,
                                   nhs_trust, dt.date(2026, 1, 9), coordinator)
    assert list(meeting.recommendations.order_by("section").values_list(
        "section", "overall", "text", "agreed_by")) == [
        ("", "amend", "", "Everyone"), ("F", "", "More speech therapy.", "")]
    assert Presence.objects.get(review=review).channel_name == "specific.room!1"
    assert AppliedChange.objects.get(review=review).seq == 4
    # Reached from the review, as the room and the report's draft reach it.
    review.refresh_from_db()
    assert review.meeting == meeting

    # Each table takes new rows after the ones it held, under the constraints it had.
    later = Comment.objects.create(item_id=before["views"], author=coordinator, text="Later")
    assert later.pk > max(Comment.objects.exclude(pk=later.pk).values_list("pk", flat=True))
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(meeting=meeting, section="F", text="Twice")

    tables = connection.introspection.table_names()
    assert {model._meta.db_table for model in (Meeting, AgendaItem, Comment, MeetingAction,
                                               Recommendation, Presence, AppliedChange)} \
        <= set(tables)
    assert not [table for table in tables if table in {
        "reviews_meeting", "reviews_agendaitem", "reviews_comment", "reviews_meetingaction",
        "reviews_recommendation", "reviews_presence", "reviews_appliedchange"}]
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Presence._meta.db_table)
    assert Presence._meta.indexes[0].name in indexes

    content_type = new.get_model("contenttypes", "ContentType").objects.get(
        pk=before["content_type"])
    assert (content_type.app_label, content_type.model) == ("meeting", "meeting")
    assert new.get_model("auth", "Permission").objects.get(
        pk=before["permission"]).content_type_id == content_type.pk
