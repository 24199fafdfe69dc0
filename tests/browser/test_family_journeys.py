"""Issue 16's family items in a real browser, walked as each person would, with axe at
1280 px and at 360 px on every page:

- a parent finds who to contact, where the review is, the advice and who wrote it, and the
  words a page uses (items 2, 3, 4, 6);
- on the meeting's day, once the meeting is held, the card moves on (item 4);
- an officer cannot send the decision before the report without saying why, and the
  stage list tells the truth (item 5);
- a parent on a phone says yes to an advocate; the provider's lead follows the emailed
  link and chooses one; the advocate sees the review; the parent sees who it is (item 7).

Data that the action functions make is made before the browser opens (the fixtures come
first in each test's arguments): once Playwright's loop owns the thread, events cannot be
broadcast from it.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from agencies.models import Agency, Discipline, Role
from demo.pages import seed_pages
from outbox.models import Email
from reviews.advice import do_circulate_advice
from reviews.models import AdvocacyReferral, Invitation, Review
from tests.browser.conftest import CHROMIUM, PHONE, WIDE, assert_accessible, checked_at_both_widths
from tests.conftest import hold_contacts, make_person
from tests.decisions.conftest import held_review
from tests.reviews.conftest import invite_person
from tests.reviews.test_advice_fixtures import media_fixture, submit  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM, reason="apt-get install chromium to run browser tests"),
]


@pytest.fixture
def circulated(review, coordinator, invited_therapist, family_parent, la_team, media):
    la_team.phone = "0113 496 0100"
    la_team.save()
    seed_pages()
    invite_person(review, family_parent, role=Invitation.Role.FAMILY)
    Review.objects.filter(pk=review.pk).update(status=Review.Status.INVITATIONS_SENT,
                                               invitations_sent_at=timezone.now())
    review.refresh_from_db()
    submit(review, invited_therapist)
    do_circulate_advice(review, actor=coordinator)
    return review


def test_a_parent_finds_their_contact_the_next_step_the_advice_and_the_words(
        circulated, family_parent, at_width):
    page = at_width(family_parent, PHONE)
    page.goto("/reviews/")
    page.wait_for_url("**/reviews/family/")
    card = page.locator(".govuk-summary-card").first
    assert "Where the review is now" in card.inner_text()
    assert "Send your views by" in card.inner_text()
    assert "Read the advice" in card.inner_text()
    assert "coordinator@test.example" in card.inner_text()
    assert "0113 496 0100" in card.inner_text()
    assert_accessible(page, "the family's home on a phone")

    page.get_by_role("link", name="See Amira's review").click()
    assert page.get_by_role("heading", name="Advice for the review").is_visible()
    assert page.get_by_text("Speech and language therapist, Testshire NHS Trust").first.is_visible()
    contact = page.locator("section", has=page.get_by_role("heading",
                                                           name="If you have a question"))
    assert "Cora Ordinator from Testshire SEND team runs this review" in contact.inner_text()
    assert_accessible(page, "the review page with the advice on a phone")

    page.get_by_role("link", name="Read the advice from Theo Rapist").click()
    page.wait_for_url(re.compile(r"/advice/all/#advice-"))
    assert page.get_by_text("Visual timetables help.").is_visible()
    assert_accessible(page, "the advice, as the family reads it")

    page.get_by_role("link", name="words we use").click()
    page.wait_for_url("**/words-we-use/")
    assert page.get_by_text("Special educational needs co-ordinator. The teacher").is_visible()
    assert_accessible(page, "the glossary")

    checked_at_both_widths(at_width, family_parent, [
        "/reviews/family/", f"/reviews/{circulated.pk}/family/",
        f"/reviews/{circulated.pk}/advice/all/", "/words-we-use/"])


@pytest.fixture
def held_today(review, family_parent):
    Review.objects.filter(pk=review.pk).update(
        meeting_at=timezone.now() - dt.timedelta(minutes=30),
        meeting_link="https://meet.test.example/amira", status=Review.Status.MEETING_HELD)
    return review


def test_once_the_meeting_is_held_the_card_moves_on(held_today, family_parent, at_width):
    for viewport in (WIDE, PHONE):
        page = at_width(family_parent, viewport)
        page.goto("/reviews/family/")
        card = page.locator(".govuk-summary-card").first.inner_text()
        assert "Join the meeting" not in card
        assert "The meeting has taken place" in card
        assert_accessible(page, f"the card after the meeting at {viewport['width']} px")


@pytest.fixture
def report_not_published(authority, plan, coordinator):
    hold_contacts(authority)  # the letter names them, or it does not go
    return held_review(plan, coordinator, timezone.localdate() - dt.timedelta(days=10),
                       status=Review.Status.MEETING_HELD)


def test_an_officer_must_say_why_a_decision_cannot_wait_for_the_report(
        report_not_published, coordinator, at_width):
    review = report_not_published
    page = at_width(coordinator, WIDE)
    page.goto(f"/reviews/{review.pk}/")
    page.get_by_role("link", name="Record the decision").first.click()
    page.get_by_label("Maintain the plan unchanged").check()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("The report of the meeting is not published yet.").first.is_visible()
    assert_accessible(page, "the decision form before the report")
    page.get_by_label("Why is the plan staying as it is?").fill("The plan is working well.")
    page.get_by_role("button", name="Send the decision").click()
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Why is the plan staying as it is?").input_value() == \
        "The plan is working well."
    assert_accessible(page, "the decision form with the error")
    page.get_by_label(re.compile("Why can the decision not wait")).fill(
        "The report is late and the decision is due in 2 days.")
    page.get_by_role("button", name="Send the decision").click()
    page.wait_for_url(f"**/reviews/{review.pk}/")
    stages = page.locator(".govuk-task-list").first
    report = stages.locator("li", has_text="The joint outcome report")
    assert "Completed" not in report.inner_text()
    assert "Completed" in stages.locator("li", has_text="decision").inner_text()
    checked_at_both_widths(at_width, coordinator, [
        f"/reviews/{review.pk}/",
        f"/reviews/{review.pk}/decision/"])


@pytest.fixture
def advocacy_service(authority):
    provider = Agency.objects.create(authority=authority, name="Speak Up Testshire",
                                     kind=Agency.Kind.ADVOCACY, phone="0113 496 0500")
    lead = make_person("lead@speakup.test.example", "Lena", "Lead", provider, Role.LEAD,
                       Discipline.ADVOCATE)
    advocate = make_person("zoe@speakup.test.example", "Zoe", "Turner", provider,
                           Role.PRACTITIONER, Discipline.ADVOCATE)
    return lead, advocate


def test_a_yes_reaches_a_named_advocate_through_the_providers_lead(
        review, family_parent, advocacy_service, at_width):
    lead, advocate = advocacy_service
    parent = at_width(family_parent, PHONE)
    parent.goto(f"/reviews/{review.pk}/family/")
    offer = parent.get_by_text("You can have an independent advocate to help you. It is free.")
    assert offer.bounding_box()["y"] < PHONE["height"], "the offer is on the first screen"
    parent.get_by_role("link", name="Answer the offer", exact=True).click()
    parent.get_by_label("Yes, I would like an advocate").check()
    parent.get_by_role("button", name="Save your answer").click()
    assert parent.get_by_text("is choosing one for you").is_visible()
    assert_accessible(parent, "the review page while an advocate is chosen")

    emailed = Email.objects.get(to=lead.email).text
    link = re.search(r"https?://[^/\s]+(/\S+)", emailed).group(1)
    page = at_width(lead, WIDE)
    page.goto(link)
    assert page.get_by_role("heading", name="Choose the family's advocate").is_visible()
    assert_accessible(page, "choosing the advocate")
    page.get_by_label("Zoe Turner").check()
    page.get_by_role("button", name="Choose this advocate").click()
    assert page.get_by_text("Zoe Turner is the family's advocate.").first.is_visible()
    assert AdvocacyReferral.objects.get().advocate == advocate
    page.goto("/reviews/mine/")
    page.get_by_role("link", name="Families who asked for an advocate").click()
    assert_accessible(page, "the lead's list of families")

    own = at_width(advocate, WIDE)
    own.goto("/reviews/mine/")
    assert own.get_by_text("Amira Example (T-0001)").first.is_visible()
    own.goto(f"/reviews/{review.pk}/")
    assert_accessible(own, "the review, as the advocate sees it")

    parent.reload()
    assert parent.get_by_text("Your advocate is Zoe Turner from Speak Up Testshire").is_visible()
    assert_accessible(parent, "the review page with the advocate named")
    checked_at_both_widths(at_width, lead, [
        "/reviews/advocacy-referrals/", f"/reviews/{review.pk}/advocacy/referral/"])
    checked_at_both_widths(at_width, family_parent, [f"/reviews/{review.pk}/family/"])
