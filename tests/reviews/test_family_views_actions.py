"""Saving and sending a family's views: one record per review and author; sending twice
records once; a change after sending is sent as "views updated"; the meeting closes them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reviews.family import do_save_family_views, do_send_family_views, has_unsent_changes
from reviews.models import Event, FamilyViews, Review
from tests.conftest import ON_TODAY
from tests.factories import FamilyMemberFactory

pytestmark = [pytest.mark.django_db, ON_TODAY]


def kinds(review):
    return list(Event.objects.filter(review=review).values_list("kind", flat=True))


def test_saving_answers_keeps_one_draft_per_review_and_author_and_tells_nobody(
        review, family_parent):
    do_save_family_views(review, family_parent, {"what_is_important": "Her dog."})
    do_save_family_views(review, family_parent, {"hopes": "To go to college."})
    views = FamilyViews.objects.get()
    assert (views.what_is_important, views.hopes) == ("Her dog.", "To go to college.")
    assert views.submitted_at is None
    assert kinds(review) == [], "a draft is private to its author"


def test_sending_records_one_event_however_often_it_is_sent(review, family_parent):
    do_save_family_views(review, family_parent, {"hard": "Loud rooms."})
    first = do_send_family_views(review, family_parent)
    second = do_send_family_views(review, family_parent)
    assert first.submitted_at == second.submitted_at
    assert kinds(review) == ["family_views_sent"]
    assert Event.objects.get().actor == family_parent


def test_a_change_after_sending_is_sent_again_as_views_updated(review, family_parent):
    do_save_family_views(review, family_parent, {"hard": "Loud rooms."})
    do_send_family_views(review, family_parent)
    do_save_family_views(review, family_parent, {"hard": "Loud rooms and queues."})
    assert has_unsent_changes(FamilyViews.objects.get())
    do_send_family_views(review, family_parent)
    do_send_family_views(review, family_parent)
    assert kinds(review) == ["family_views_sent", "family_views_updated"]
    assert not has_unsent_changes(FamilyViews.objects.get())


def test_saving_the_same_answer_again_is_not_a_change(review, family_parent):
    do_save_family_views(review, family_parent, {"hard": "Loud rooms."})
    do_send_family_views(review, family_parent)
    do_save_family_views(review, family_parent, {"hard": "Loud rooms."})
    assert not has_unsent_changes(FamilyViews.objects.get())


def test_views_with_no_answers_cannot_be_sent(review, family_parent):
    with pytest.raises(ValidationError, match="Answer at least one question"):
        do_send_family_views(review, family_parent)
    do_save_family_views(review, family_parent, {"hard": "   "})
    with pytest.raises(ValidationError):
        do_send_family_views(review, family_parent)
    assert kinds(review) == []


def test_each_parent_gives_their_own_views(review, family_parent, child):
    from tests.conftest import make_person

    other = make_person("second.parent@test.example", "Sam", "Second")
    FamilyMemberFactory(child=child, user=other, name="Sam Second")
    do_save_family_views(review, family_parent, {"hard": "Mornings."})
    do_save_family_views(review, other, {"hard": "Bedtime."})
    assert sorted(FamilyViews.objects.values_list("hard", flat=True)) == ["Bedtime.", "Mornings."]


def test_views_close_when_the_meeting_starts(review, family_parent):
    do_save_family_views(review, family_parent, {"hard": "Loud rooms."})
    review.meeting_at = timezone.now() - dt.timedelta(minutes=1)
    review.save()
    with pytest.raises(ValidationError, match="meeting has started"):
        do_save_family_views(review, family_parent, {"hard": "Changed."})
    with pytest.raises(ValidationError):
        do_send_family_views(review, family_parent)
    assert FamilyViews.objects.get().hard == "Loud rooms."


def test_views_close_once_the_meeting_is_recorded_as_held(review, family_parent):
    review.status = Review.Status.MEETING_HELD
    review.save()
    with pytest.raises(ValidationError):
        do_save_family_views(review, family_parent, {"hard": "Too late."})


def test_only_the_questions_asked_can_be_saved(review, family_parent):
    with pytest.raises(ValueError):
        do_save_family_views(review, family_parent, {"submitted_at": "now"})
