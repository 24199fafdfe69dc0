"""Check your answers, submit, and the confirmation: late advice is accepted and flagged
(by the clock's date, not the wall clock), and a double click submits once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from outbox.models import Email
from reviews.advice import AdviceContent, do_save_advice, do_submit_advice
from reviews.models import Advice, Invitation, Review
from tests.conftest import ON_TODAY, sign_in
from tests.reviews.test_advice_fixtures import invitation_of, media_fixture, typed_advice  # noqa: F401

pytestmark = [pytest.mark.django_db, ON_TODAY]


@pytest.fixture
def draft(review, invited_therapist, media):
    return do_save_advice(invitation_of(review, invited_therapist), invited_therapist,
                          typed_advice(review))


@pytest.fixture
def signed_in(client, invited_therapist):
    sign_in(client, invited_therapist)
    return client


def check_url(review):
    return reverse("reviews:advice_check", args=[review.pk])


def at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def test_check_your_answers_shows_everything_with_change_links(signed_in, review, draft):
    page = signed_in.get(check_url(review)).content.decode()
    assert "Check your advice before you submit it" in page
    assert "On track" in page
    assert "Seen in class, outcome 1." in page
    assert "Section F: Special educational provision" in page
    assert "Weekly speech and language therapy." in page
    assert f"{reverse('reviews:advice', args=[review.pk])}#id_what_is_working" in page
    assert 'name="version" value="1"' in page
    assert "Submit advice" in page


def test_submitting_records_the_time_and_an_event_and_confirms_what_happens_next(
        signed_in, review, draft, invited_therapist):
    response = signed_in.post(check_url(review), {"version": 1})
    assert response["Location"] == reverse("reviews:advice_sent", args=[review.pk])
    draft.refresh_from_db()
    assert draft.status == Advice.Status.SUBMITTED
    assert draft.submitted_at is not None
    assert not draft.was_late
    event = review.events.get(kind="advice_submitted")
    assert event.actor == invited_therapist
    assert event.data == {"invitation": str(draft.invitation_id), "advice": draft.pk,
                          "version": 1, "late": False}
    page = signed_in.get(response["Location"]).content.decode()
    assert "Advice submitted" in page
    assert "What happens next" in page
    assert f"by {review.advice_due():%-d %B %Y}" in page
    assert not Email.objects.exists()  # nobody else is told before circulation


def test_a_double_click_submits_once(signed_in, review, draft):
    signed_in.post(check_url(review), {"version": 1})
    second = signed_in.post(check_url(review), {"version": 1})
    assert second["Location"] == reverse("reviews:advice_sent", args=[review.pk])
    assert Advice.objects.count() == 1
    assert review.events.filter(kind="advice_submitted").count() == 1


def test_advice_after_the_advice_date_is_accepted_and_flagged_late(review, draft,
                                                                   invited_therapist):
    due = review.advice_due()
    advice = do_submit_advice(draft, invited_therapist, now=at_noon(due + dt.timedelta(days=1)))
    assert advice.status == Advice.Status.SUBMITTED
    assert advice.was_late
    assert review.events.get(kind="advice_submitted").data["late"] is True


def test_advice_on_the_advice_date_itself_is_on_time(review, draft, invited_therapist):
    advice = do_submit_advice(draft, invited_therapist, now=at_noon(review.advice_due()))
    assert not advice.was_late


def test_the_pages_say_when_advice_is_late(signed_in, review, draft):
    # Advice was due 4 days ago (an update: saving the whole row would rewind its events),
    # and the therapist was asked in good time, 20 days ago: the date she was given is the
    # law's.
    Review.objects.filter(pk=review.pk).update(meeting_at=timezone.now() + dt.timedelta(days=10))
    Invitation.objects.filter(review=review).update(
        sent_at=timezone.now() - dt.timedelta(days=20))
    assert "Your advice is late" in signed_in.get(check_url(review)).content.decode()
    signed_in.post(check_url(review), {"version": 1})
    page = signed_in.get(reverse("reviews:advice_sent", args=[review.pk])).content.decode()
    assert "marked as late" in page


def test_advice_missing_an_outcome_cannot_be_submitted(signed_in, review, invited_therapist,
                                                       media):
    first = review.plan.outcomes.get(number=1)
    advice = do_save_advice(invitation_of(review, invited_therapist), invited_therapist,
                            AdviceContent(progress={first.pk: ("achieved", "")}))
    page = signed_in.get(check_url(review)).content.decode()
    assert "<title>Error: " in page
    assert "Select how outcome 2 is going" in page
    assert "Submit advice" not in page
    signed_in.post(check_url(review), {"version": 1})
    advice.refresh_from_db()
    assert advice.status == Advice.Status.DRAFT
    with pytest.raises(ValidationError):
        do_submit_advice(advice, invited_therapist)


def test_with_nothing_to_check_or_confirm_the_pages_lead_to_the_form(signed_in, review):
    form = reverse("reviews:advice", args=[review.pk])
    assert signed_in.get(check_url(review))["Location"] == form
    assert signed_in.post(check_url(review), {"version": 7})["Location"] == form
    assert signed_in.post(check_url(review), {"version": "x"})["Location"] == form
    assert signed_in.get(reverse("reviews:advice_sent", args=[review.pk]))["Location"] == form
