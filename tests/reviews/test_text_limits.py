"""Limits on what people type into the reviews app's forms: the advice form, the answer to
an invitation, the family's views, and the coordinator's reasons. Each limit is shown on the
page before it is reached, and text over it is refused with the limit, keeping what was
typed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Advice, FamilyViews, Invitation, Outcome, Review
from tests.conftest import ON_TODAY, sign_in
from tests.reviews.test_advice_fixtures import media_fixture  # noqa: F401
from tests.text_limits import assert_counted, assert_refused, too_long

pytestmark = [pytest.mark.django_db, ON_TODAY]


def first_outcome(review) -> Outcome:
    return review.plan.outcomes.order_by("number").first()


@pytest.mark.parametrize("field, limit, message", [
    ("what_is_working", 10_000, "What is working well must be 10,000 characters or fewer"),
    ("what_is_not_working", 10_000, "What is not working must be 10,000 characters or fewer"),
    ("evidence", 5_000, "The evidence for outcome 1 must be 5,000 characters or fewer"),
    ("change_F", 10_000, "The change to section F must be 10,000 characters or fewer"),
])
def test_the_advice_form_shows_each_limit_and_refuses_text_over_it(
        client, review, invited_therapist, media, field, limit, message):
    if field == "evidence":
        field = f"evidence_{first_outcome(review).pk}"
    sign_in(client, invited_therapist)
    url = reverse("reviews:advice", args=[review.pk])
    assert_counted(client.get(url).content.decode(), f"id_{field}", limit)
    typed = too_long(limit)
    response = client.post(url, {"action": "save", "what_is_working": "Visual timetables.",
                                 field: typed})
    assert_refused(response, typed, message)
    assert_counted(response.content.decode(), f"id_{field}", limit)
    assert not Advice.objects.exists()


def test_the_advice_form_takes_text_at_the_limit_with_its_line_breaks(
        client, review, invited_therapist, media):
    sign_in(client, invited_therapist)
    typed = "Line\r\n" * 1_999 + "Last."  # 10,000 characters, each break counted once
    response = client.post(reverse("reviews:advice", args=[review.pk]),
                           {"action": "save", "what_is_working": typed})
    assert response.status_code == 302
    assert Advice.objects.get().what_is_working == typed.replace("\r\n", "\n")


def test_declining_for_an_agency_shows_the_limit_and_refuses_a_reason_over_it(
        client, review, nhs_trust, therapist):
    nhs_trust.email = "duty@nhs.test.example"
    nhs_trust.save()
    Invitation.objects.create(review=review, role=Invitation.Role.HEALTH, agency=nhs_trust,
                              user=therapist, name="Therapies duty inbox",
                              email=nhs_trust.email)
    sign_in(client, therapist)
    url = reverse("reviews:answer", args=[review.pk])
    assert_counted(client.get(url).content.decode(), "id_reason", 2_000)
    typed = too_long(2_000)
    response = client.post(url, {"answer": "declined", "reason": typed})
    assert_refused(response, typed, "The reason must be 2,000 characters or fewer")
    assert review.invitations.get().answer == ""


def test_a_family_answer_shows_its_limit(client, review, family_parent):
    sign_in(client, family_parent)
    page = client.get(reverse("reviews:family_views_step", args=[review.pk, "hopes"]))
    assert_counted(page.content.decode(), "id_answer", 5_000)
    typed = too_long(5_000)
    response = client.post(reverse("reviews:family_views_step", args=[review.pk, "own-views"]),
                           {"answer": typed, "action": "continue"})
    assert_refused(response, typed, "Your answer must be 5,000 characters or fewer")
    assert not FamilyViews.objects.exists()


def test_a_short_notice_reason_over_its_limit_is_refused_and_the_meeting_not_set(
        client, review, coordinator):
    Review.objects.filter(pk=review.pk).update(meeting_at=None)
    sign_in(client, coordinator)
    day = timezone.localdate() + dt.timedelta(days=5)
    typed = too_long(2_000)
    response = client.post(f"/reviews/{review.pk}/schedule/", {
        "meeting_date_0": day.day, "meeting_date_1": day.month, "meeting_date_2": day.year,
        "meeting_time": "10:30am", "meeting_minutes": "90", "meeting_place": "Room 4",
        "meeting_link": "", "short_notice_reason": typed})
    assert_refused(response, typed, "The reason must be 2,000 characters or fewer")
    assert_counted(response.content.decode(), "id_short_notice_reason", 2_000)
    review.refresh_from_db()
    assert review.meeting_at is None


def test_a_cancellation_reason_shows_its_limit_and_one_over_it_is_refused(
        client, review, coordinator):
    sign_in(client, coordinator)
    url = reverse("reviews:cancel", args=[review.pk])
    assert_counted(client.get(url).content.decode(), "id_reason", 2_000)
    typed = too_long(2_000)
    assert_refused(client.post(url, {"reason": typed}), typed,
                   "The reason must be 2,000 characters or fewer")
    review.refresh_from_db()
    assert review.status != Review.Status.CANCELLED
