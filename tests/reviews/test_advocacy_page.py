"""The advocacy offer page: yes / no / not yet, in plain words, one question."""

import pytest
from django.urls import reverse

from agencies.models import Agency, AuthorityContact
from reviews.models import AdvocacyOffer, AdvocacyReferral
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, family_parent):
    sign_in(client, family_parent)
    return client


@pytest.fixture
def provider(authority):
    return Agency.objects.create(authority=authority, name="Speak Up Testshire",
                                 kind=Agency.Kind.ADVOCACY, email="hello@speakup.test.example")


def test_the_page_explains_what_an_advocate_does_and_offers_three_answers(signed_in, review,
                                                                          authority):
    AuthorityContact.objects.create(authority=authority, service="advocacy",
                                    name="Speak Up Testshire", phone="0113 496 0500",
                                    email="hello@speakup.test.example")
    page = signed_in.get(reverse("reviews:advocacy", args=[review.pk])).content.decode()
    assert "You can have an independent advocate" in page
    assert "It is free." in page
    assert "on your side" in page
    assert "Speak Up Testshire" in page
    for label in ("Yes, I would like an advocate", "No, thank you", "Not yet"):
        assert label in page


def test_yes_records_the_answer_refers_to_the_provider_and_says_what_happens_next(
        signed_in, review, provider, family_parent):
    response = signed_in.post(reverse("reviews:advocacy", args=[review.pk]), {"answer": "yes"},
                              follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews:family_review", args=[review.pk])
    assert "They will contact you before the meeting" in response.content.decode()
    offer = AdvocacyOffer.objects.get(review=review)
    assert (offer.answer, offer.answered_by) == ("yes", family_parent)
    assert AdvocacyReferral.objects.get(review=review).provider == provider
    assert "We will tell you who it is" in response.content.decode()


def test_a_double_submit_of_yes_refers_once(signed_in, review, provider):
    url = reverse("reviews:advocacy", args=[review.pk])
    signed_in.post(url, {"answer": "yes"})
    signed_in.post(url, {"answer": "yes"})
    assert AdvocacyReferral.objects.filter(review=review).count() == 1


def test_not_yet_is_stored_as_an_open_offer(signed_in, review):
    signed_in.post(reverse("reviews:advocacy", args=[review.pk]), {"answer": "not_yet"})
    offer = AdvocacyOffer.objects.get(review=review)
    assert offer.answer == AdvocacyOffer.Answer.NOT_YET and offer.answered_at is not None
    page = signed_in.get(reverse("reviews:advocacy", args=[review.pk])).content.decode()
    assert 'value="not_yet" checked' in page, "the page shows the answer given"


def test_no_choice_shows_an_error_summary(signed_in, review):
    response = signed_in.post(reverse("reviews:advocacy", args=[review.pk]), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page and "Select yes, no or not yet" in page
    assert not AdvocacyOffer.objects.exists()
