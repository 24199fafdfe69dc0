"""Who may do what with the decision: every page asks reviews/access.py. Strangers, another
child's family and uninvited professionals get a 404; anonymous visitors are sent to sign
in; only LA officers decide, even on a review a school convened; only the family reply."""

import datetime as dt

import pytest

from decisions.deciding import do_record_decision
from reviews.models import Review
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

OFFICER = ["record/", "record/maintain/", "final-plan/", "not-amending/", "disagreement/",
           "tribunal-order/"]
FAMILY = ["reply/", "disagree/", "mediation/", "appeal/"]
READING = ["", "plan/1"]  # the letter; a version of the plan


@pytest.fixture
def decided(review, coordinator):
    do_record_decision(review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Check-in."}, today=dt.date(2027, 3, 24))
    return review


def url(review, tail: str) -> str:
    if tail == "plan/1":
        return f"/reviews/{review.pk}/plan/1/"
    return f"/reviews/{review.pk}/decision/{tail}"


def test_anonymous_visitors_are_sent_to_sign_in(client, decided):
    for tail in OFFICER + FAMILY + READING:
        response = client.get(url(decided, tail))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], tail


def test_the_refused_cast_gets_a_404_everywhere(client, decided, refused):
    for person in refused:
        client.logout()
        sign_in(client, person)
        for tail in OFFICER + FAMILY + READING:
            assert client.get(url(decided, tail)).status_code == 404, (person, tail)
            assert client.post(url(decided, tail), {}).status_code == 404, (person, tail)


def test_a_school_that_convened_the_review_may_read_but_not_decide(client, decided, senco):
    Review.objects.filter(pk=decided.pk).update(convenor=Review.Convenor.SETTING)
    sign_in(client, senco)
    for tail in OFFICER:
        assert client.get(url(decided, tail)).status_code == 404, tail
    assert client.get(url(decided, "")).status_code == 200


def test_an_invited_professional_may_read_the_letter_but_not_decide_or_reply(
        client, decided, invited_therapist):
    sign_in(client, invited_therapist)
    assert client.get(url(decided, "")).status_code == 200
    assert client.get(url(decided, "plan/1")).status_code == 200
    for tail in OFFICER + FAMILY:
        assert client.get(url(decided, tail)).status_code == 404, tail


def test_the_family_read_and_reply_but_do_not_decide(client, decided, family_parent):
    sign_in(client, family_parent)
    for tail in READING + ["reply/", "disagree/"]:
        assert client.get(url(decided, tail)).status_code == 200, tail
    for tail in OFFICER:
        assert client.get(url(decided, tail)).status_code == 404, tail


def test_the_officer_does_not_speak_for_the_family(client, decided, coordinator):
    sign_in(client, coordinator)
    for tail in FAMILY:
        assert client.get(url(decided, tail)).status_code == 404, tail
