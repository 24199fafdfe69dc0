"""One rule for how pages name a child to professionals (issue #16, item 10): every page
about the child, lists included, gives the full name and the LA reference; the page's title
(kept in browser history and tab bars) never carries the name."""

import re

import pytest
from django.urls import reverse

from reviews.models import Advice
from tests.conftest import sign_in
from tests.reviews.test_advice_fixtures import (  # noqa: F401
    media_fixture,
    submitted_fixture,
)

pytestmark = pytest.mark.django_db

def title_and_body(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    return title, html.split("</title>", 1)[1]


def assert_named_by_the_rule(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    title, body = title_and_body(response.content.decode())
    assert "Amira Example" in body and "T-0001" in body, url
    assert "Amira" not in title and "Example" not in title, url


def test_an_invited_therapist_meets_the_child_by_name_on_every_page(
        client, review, invited_therapist, submitted):
    sign_in(client, invited_therapist)
    advice = Advice.objects.get(invitation__user=invited_therapist)
    for name, args in [("mine", []), ("answer", [review.pk]), ("advice_list", [review.pk]),
                       ("advice_version", [review.pk, advice.pk]),
                       ("advice_sent", [review.pk]), ("review", [review.pk])]:
        assert_named_by_the_rule(client, reverse(f"reviews:{name}", args=args))
    # Correcting it: the form, then the check page.
    client.post(reverse("reviews:advice_correct", args=[review.pk]))
    assert_named_by_the_rule(client, reverse("reviews:advice", args=[review.pk]))


def test_the_coordinator_meets_the_child_by_name_on_every_list_and_page(
        client, review, coordinator):
    sign_in(client, coordinator)
    for url in ["/reviews/due/", reverse("reviews:review", args=[review.pk]),
                reverse("reviews:schedule", args=[review.pk]),
                reverse("reviews:invite", args=[review.pk]),
                reverse("reviews:advice_list", args=[review.pk])]:
        assert_named_by_the_rule(client, url)
