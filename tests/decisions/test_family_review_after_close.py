"""The family's review page once the review has closed: still theirs to read, with the
decision and their rights, but the views and the advocacy offer are over."""

import pytest

from decisions.deciding import do_record_decision
from reviews.family import do_answer_advocacy
from reviews.models import AdvocacyOffer, Review
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(recent_review, coordinator):
    do_record_decision(recent_review, coordinator, outcome="M", reasons="Good progress.")
    recent_review.refresh_from_db()
    assert recent_review.status == Review.Status.CLOSED
    return recent_review


def page_of(client, review):
    return client.get(f"/reviews/{review.pk}/family/")


def test_the_family_still_read_their_closed_review_with_the_decision(
        client, closed, family_parent):
    sign_in(client, family_parent)
    response = page_of(client, closed)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The council will keep Amira&#x27;s plan as it is." in page
    assert f"/reviews/{closed.pk}/decision/" in page
    assert "Appeal to the Tribunal by" in page


def test_views_and_the_advocacy_offer_are_read_only_once_closed(
        client, closed, family_parent):
    sign_in(client, family_parent)
    page = page_of(client, closed).content.decode()
    assert f"/reviews/{closed.pk}/views/" not in page
    assert f"/reviews/{closed.pk}/advocacy/" not in page
    assert "You can have an independent advocate to help you. It is free." not in page
    assert client.get(f"/reviews/{closed.pk}/advocacy/").status_code == 404


def test_an_answered_offer_has_no_change_link_once_closed(client, recent_review, coordinator,
                                                          family_parent):
    do_answer_advocacy(recent_review, family_parent, AdvocacyOffer.Answer.NO)
    do_record_decision(recent_review, coordinator, outcome="M", reasons="Fine.")
    sign_in(client, family_parent)
    page = page_of(client, recent_review).content.decode()
    assert "Change your answer" not in page
    assert "You said" not in page


def test_the_refused_cast_and_professionals_are_still_refused(
        client, closed, refused, coordinator):
    for person in [*refused, coordinator]:
        client.logout()
        sign_in(client, person)
        assert page_of(client, closed).status_code == 404, person
