"""A family always sees where their review is and what they do next (issue 16, item 4), and
can find the advice, with who wrote each piece, once it is shared (item 3)."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.advice import do_circulate_advice
from reviews.family_progress import progress
from reviews.models import Invitation, Review
from tests.conftest import ON_TODAY, sign_in
from tests.reviews.conftest import invite_person
from tests.reviews.family_journey import family_pages
from tests.reviews.test_advice_fixtures import media_fixture, submit  # noqa: F401

pytestmark = [pytest.mark.django_db, ON_TODAY]


def text_of(page: str) -> str:
    main = page.split('id="main-content"')[1]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))


def test_the_home_card_follows_the_review_from_invitation_to_the_final_plan(
        client, review, coordinator, invited_therapist, family_parent, media):
    sign_in(client, family_parent)
    cards = {page.stage: text_of(page.html) for page in family_pages(
        client, review, coordinator, invited_therapist, family_parent)
        if page.url == reverse("reviews:family_home")}
    assert "Where the review is now The meeting is on" in cards["invited"]
    assert "What happens next Send your views by" in cards["invited"]
    assert "The draft report of the meeting is ready" in cards["draft report"]
    assert "What happens next Check the draft report by" in cards["draft report"]
    assert "The council wants to change Amira's plan" in cards["amendments proposed"]
    assert "What happens next Reply about the changes by" in cards["amendments proposed"]
    for stage in ("draft report", "amendments proposed"):
        assert "Join the meeting" not in cards[stage]
        assert "Send your views" not in cards[stage]


def test_on_the_day_the_card_offers_the_meeting_until_it_is_held_then_the_next_step(
        client, review, family_parent):
    Review.objects.filter(pk=review.pk).update(
        meeting_at=timezone.now() + dt.timedelta(hours=1),
        meeting_link="https://meet.test.example/amira", status=Review.Status.INVITATIONS_SENT)
    sign_in(client, family_parent)
    home = reverse("reviews:family_home")
    assert "Join the meeting online today" in text_of(client.get(home).content.decode())
    Review.objects.filter(pk=review.pk).update(status=Review.Status.MEETING_HELD)
    card = text_of(client.get(home).content.decode())
    assert "Join the meeting" not in card
    assert "The meeting has taken place. The report of the meeting is being written." in card
    assert "The council will send you the report by" in card
    page = text_of(client.get(reverse("reviews:family_review", args=[review.pk]))
                   .content.decode())
    assert "Join the meeting online" not in page and "Open the meeting page" not in page


def test_each_stage_in_the_familys_words(review, coordinator, family_parent):
    today = timezone.localdate()

    def now():
        review.refresh_from_db()
        return progress(review, family_parent, None, today, "Amira's")

    Review.objects.filter(pk=review.pk).update(meeting_at=None)
    assert now().stage == "The review is starting. We will tell you the date of the meeting soon."
    Review.objects.filter(pk=review.pk).update(
        meeting_at=timezone.now() - dt.timedelta(days=3), status=Review.Status.MEETING_HELD,
        report_sent_on=today - dt.timedelta(days=1))
    step = now()
    assert step.stage.startswith("The report of the meeting is ready.")
    assert step.next_step.url == reverse("reports:published", args=[review.pk])
    Review.objects.filter(pk=review.pk).update(
        decision=Review.Decision.CEASE, decision_sent_on=today, status=Review.Status.DECIDED)
    step = now()
    assert step.stage == "The council has decided to stop Amira's plan."
    assert step.next_step.url == reverse("decisions:notice", args=[review.pk])
    Review.objects.filter(pk=review.pk).update(status=Review.Status.CANCELLED,
                                               decision="", decision_sent_on=None)
    assert now().stage == "This review was cancelled."


def test_a_late_report_is_the_councils_lateness_in_plain_words(review, family_parent):
    Review.objects.filter(pk=review.pk).update(
        meeting_at=timezone.now() - dt.timedelta(days=30), status=Review.Status.MEETING_HELD)
    review.refresh_from_db()
    step = progress(review, family_parent, None, timezone.localdate(), "Amira's")
    assert step.next_step.text.startswith("The council should have sent you the report by")
    assert step.next_step.text.endswith("It is late")


def test_once_circulated_the_review_page_lists_who_wrote_the_advice_with_links(
        client, review, coordinator, invited_therapist, family_parent, media):
    invite_person(review, family_parent, role=Invitation.Role.FAMILY)
    Review.objects.filter(pk=review.pk).update(status=Review.Status.INVITATIONS_SENT,
                                               invitations_sent_at=timezone.now())
    review.refresh_from_db()
    submit(review, invited_therapist)
    sign_in(client, family_parent)
    page_url = reverse("reviews:family_review", args=[review.pk])
    assert "Advice for the review" not in client.get(page_url).content.decode()

    do_circulate_advice(review, actor=coordinator)
    html = client.get(page_url).content.decode()
    shown = text_of(html)
    assert "Advice for the review" in shown
    assert "Theo Rapist" in shown
    assert "Speech and language therapist, Testshire NHS Trust" in shown
    invitation = review.invitations.get(user=invited_therapist)
    link = f'{reverse("reviews:advice_list", args=[review.pk])}#advice-{invitation.pk}'
    assert f'href="{link}"' in html
    assert "Read the advice" in shown, "and in what to do now"
    advice = client.get(link.split("#")[0]).content.decode()
    assert f'id="advice-{invitation.pk}"' in advice
