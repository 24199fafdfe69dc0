"""Limits on what people type into the decision's forms: the officer's reasons, proposed
amendments and final plan, and the family's reply and disagreement. Each is shown on the
page before it is reached, and text over it is refused with the limit, keeping what was
typed."""

import datetime as dt

import pytest
from django.utils import timezone

from decisions.deciding import do_record_decision
from decisions.models import Decision, Disagreement, FamilyResponse, PlanVersion
from tests.conftest import ON_TODAY, sign_in
from tests.decisions.conftest import held_review
from tests.text_limits import assert_counted, assert_refused, too_long

pytestmark = [pytest.mark.django_db, ON_TODAY]


@pytest.fixture
def proposed(plan, coordinator, family_parent):
    """Amendments proposed 16 days ago: the family may still reply, the officer may finish."""
    today = timezone.localdate()
    review = held_review(plan, coordinator, today - dt.timedelta(days=30))
    do_record_decision(review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Check-in."}, today=today - dt.timedelta(days=16))
    return review


@pytest.mark.parametrize("outcome, field, limit, message", [
    ("maintain", "reasons", 10_000, "The reasons must be 10,000 characters or fewer"),
    ("amend", "section_F", 50_000, "Section F must be 50,000 characters or fewer"),
])
def test_the_officers_decision_shows_each_limit_and_refuses_text_over_it(
        client, review, coordinator, outcome, field, limit, message):
    sign_in(client, coordinator)
    url = f"/reviews/{review.pk}/decision/record/{outcome}/"
    assert_counted(client.get(url).content.decode(), f"id_{field}", limit)
    typed = too_long(limit)
    response = client.post(url, {"reasons": "Good progress.", field: typed})
    assert_refused(response, typed, message)
    assert not Decision.objects.exists()


@pytest.mark.parametrize("page, field, limit, message", [
    ("final-plan", "section_F", 50_000, "Section F must be 50,000 characters or fewer"),
    ("not-amending", "reasons", 10_000, "The reasons must be 10,000 characters or fewer"),
])
def test_finishing_amendments_shows_each_limit_and_refuses_text_over_it(
        client, proposed, coordinator, page, field, limit, message):
    sign_in(client, coordinator)
    url = f"/reviews/{proposed.pk}/decision/{page}/"
    assert_counted(client.get(url).content.decode(), f"id_{field}", limit)
    typed = too_long(limit)
    assert_refused(client.post(url, {field: typed}), typed, message)
    assert PlanVersion.objects.count() == 1  # the copy sent with the proposal, and no more
    assert not proposed.la_decision.amendment.is_finished


def test_the_familys_reply_shows_its_limit_and_refuses_comments_over_it(
        client, proposed, family_parent):
    sign_in(client, family_parent)
    url = f"/reviews/{proposed.pk}/decision/reply/"
    assert_counted(client.get(url).content.decode(), "id_comments", 10_000)
    typed = too_long(10_000)
    response = client.post(url, {"comments": typed, "named_setting": "",
                                 "wants_meeting": "no"})
    assert_refused(response, typed, "What you think must be 10,000 characters or fewer")
    assert not FamilyResponse.objects.exists()


def test_saying_they_disagree_shows_its_limit_and_refuses_text_over_it(
        client, recent_review, coordinator, family_parent):
    do_record_decision(recent_review, coordinator, outcome="M", reasons="Fine.",
                       today=timezone.localdate() - dt.timedelta(days=5))
    sign_in(client, family_parent)
    url = f"/reviews/{recent_review.pk}/decision/disagree/"
    assert_counted(client.get(url).content.decode(), "id_text", 10_000)
    typed = too_long(10_000)
    response = client.post(url, {"text": typed})
    assert_refused(response, typed, "What you disagree with must be 10,000 characters or fewer")
    assert not Disagreement.objects.filter(what_they_disagree_with__gt="").exists()
