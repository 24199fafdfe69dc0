"""Every family page asks the access rule: only the child's family gets in.

A stranger, another child's parent and an uninvited professional get a 404; so do the
professionals who are part of the review (the coordinator, an invited therapist), because
these pages are the family's own. Anonymous people are sent to sign in.
"""

import pytest
from django.urls import reverse

from reviews.family import do_save_family_views
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def views(review, family_parent):
    return do_save_family_views(review, family_parent, {"hard": "Loud rooms."})


def family_urls(review, views):
    return [
        reverse("reviews:family_review", args=[review.pk]),
        reverse("reviews:advocacy", args=[review.pk]),
        reverse("reviews:family_views", args=[review.pk]),
        reverse("reviews:family_views_step", args=[review.pk, "important"]),
        reverse("reviews:family_views_step", args=[review.pk, "own-views"]),
        reverse("reviews:family_views_check", args=[review.pk]),
        reverse("reviews:family_views_sent", args=[review.pk]),
    ]


def test_the_familys_pages_open_for_the_childs_parent(client, review, views, family_parent):
    sign_in(client, family_parent)
    for url in family_urls(review, views):
        response = client.get(url)
        # The "sent" page sends a family with nothing sent yet back to check their answers.
        assert response.status_code in (200, 302), url
    assert client.get(reverse("reviews:family_home")).status_code == 200


def test_a_stranger_another_childs_parent_and_an_uninvited_professional_get_404(
        client, review, views, refused):
    for person in refused:
        client.logout()
        sign_in(client, person)
        for url in family_urls(review, views):
            assert client.get(url).status_code == 404, (person, url)
            assert client.post(url, {"answer": "yes"}).status_code == 404, (person, url)


def test_the_professionals_of_the_review_do_not_reach_the_familys_pages(
        client, review, views, coordinator, invited_therapist):
    for person in (coordinator, invited_therapist):
        client.logout()
        sign_in(client, person)
        for url in family_urls(review, views):
            assert client.get(url).status_code == 404, (person, url)


def test_anonymous_people_are_sent_to_sign_in(client, review, views):
    urls = family_urls(review, views) + [
        reverse("reviews:family_home"),
        reverse("reviews:family_views_file", args=[review.pk, views.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_a_question_that_does_not_exist_is_a_404(client, review, family_parent):
    sign_in(client, family_parent)
    url = reverse("reviews:family_views_step", args=[review.pk, "favourite-colour"])
    assert client.get(url).status_code == 404
