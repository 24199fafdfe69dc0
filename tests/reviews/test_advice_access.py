"""Every contributor page asks the access rule. A stranger, another child's parent and an
uninvited professional get a 404 on each (never a 403: nobody learns the review exists);
anonymous people are sent to sign in."""

import pytest
from django.urls import reverse

from reviews.models import Advice, Event
from tests.conftest import sign_in
from tests.reviews.test_advice_fixtures import media_fixture, submitted_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def review_urls(review, advice):
    attachment = advice.attachments.get()
    return [
        reverse("reviews:answer", args=[review.pk]),
        reverse("reviews:advice", args=[review.pk]),
        reverse("reviews:advice_check", args=[review.pk]),
        reverse("reviews:advice_sent", args=[review.pk]),
        reverse("reviews:advice_correct", args=[review.pk]),
        reverse("reviews:advice_list", args=[review.pk]),
        reverse("reviews:advice_version", args=[review.pk, advice.pk]),
        reverse("reviews:circulate", args=[review.pk]),
        reverse("reviews:attachment", args=[review.pk, attachment.pk]),
    ]


def test_a_stranger_another_childs_parent_and_an_uninvited_professional_get_404(
        client, review, submitted, refused):
    events_before = Event.objects.count()
    for person in refused:
        client.logout()
        sign_in(client, person)
        for url in review_urls(review, submitted):
            assert client.get(url).status_code == 404, (person, url)
            assert client.post(url, {"answer": "attending", "version": 1}).status_code == 404, \
                (person, url)
    assert Event.objects.count() == events_before
    assert Advice.objects.count() == 1


def test_they_do_not_see_the_review_in_my_reviews(client, review, submitted, refused):
    for person in refused:
        client.logout()
        sign_in(client, person)
        response = client.get(reverse("reviews:mine"))
        assert response.status_code == 200
        assert review.plan.child.la_reference not in response.content.decode()


def test_anonymous_people_are_sent_to_sign_in(client, review, submitted):
    for url in review_urls(review, submitted) + [reverse("reviews:mine")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_the_family_and_the_coordinator_cannot_use_the_advice_form(
        client, review, family_parent, coordinator):
    for person in (family_parent, coordinator):
        client.logout()
        sign_in(client, person)
        assert client.get(reverse("reviews:advice", args=[review.pk])).status_code == 404


def test_only_the_coordinator_side_can_circulate(client, review, submitted, invited_therapist):
    sign_in(client, invited_therapist)
    assert client.post(reverse("reviews:circulate", args=[review.pk])).status_code == 404
    review.refresh_from_db()
    assert review.advice_circulated_at is None


def test_a_review_id_that_is_not_a_review_is_a_404(client, invited_therapist, review):
    sign_in(client, invited_therapist)
    other = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/reviews/{other}/advice/").status_code == 404
