"""A parent on a phone: signs in, sees their child's card, says yes to an independent
advocate, gives their views with a picture, checks their answers and sends them. Every page
is checked by axe."""

import pytest
from playwright.sync_api import expect

from agencies.models import Agency
from reviews.models import AdvocacyOffer, AdvocacyReferral, Event, FamilyViews
from tests.browser.conftest import assert_accessible
from tests.factories import FamilyMemberFactory, ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40


@pytest.fixture
def family_review(authority, parent, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    school = Agency.objects.create(authority=authority, name="Testshire Primary",
                                   kind=Agency.Kind.SCHOOL)
    Agency.objects.create(authority=authority, name="Speak Up Testshire",
                          kind=Agency.Kind.ADVOCACY, email="hello@speakup.test.example")
    Agency.objects.create(authority=authority, name="Testshire SENDIASS",
                          kind=Agency.Kind.SENDIASS, phone="0113 496 0600")
    child = FamilyMemberFactory(child__setting=school, user=parent).child
    return ReviewFactory(plan__child=child, coordinator=coordinator, meeting_in_days=30,
                         meeting_place="Testshire Primary, room 4")


def test_a_parent_answers_the_offer_and_sends_their_views_on_a_phone(
        phone_page, as_persona, parent, family_review, tmp_path):
    page = as_persona(phone_page, parent)
    page.goto("/reviews/")
    page.wait_for_url("**/reviews/family/")
    assert page.get_by_role("heading", name="Amira Example").is_visible()
    assert_accessible(page, "family home")

    page.get_by_role("link", name="See Amira's review").click()
    offer = page.get_by_text("You can have an independent advocate to help you. It is free.")
    assert offer.is_visible()
    assert offer.bounding_box()["y"] < 740, "the offer is on the first screen of a phone"
    assert_accessible(page, "the family's review page")

    page.get_by_role("link", name="Answer the offer", exact=True).click()
    assert_accessible(page, "advocacy offer")
    page.get_by_label("Yes, I would like an advocate").check()
    page.get_by_role("button", name="Save your answer").click()
    assert page.get_by_text("They will contact you before the meeting").is_visible()
    assert_accessible(page, "the review page after answering")

    page.get_by_role("link", name="Give your views").click()
    assert_accessible(page, "views start page")
    page.get_by_role("link", name="Start now").click()
    answers = {
        "What is important to Amira?": "Her dog, Biscuit, and drawing.",
        "What is going well for Amira?": "She reads every night.",
        "What is hard for Amira?": "Loud rooms at lunchtime.",
        "What do you hope for Amira in the future?": "To go to college and work with animals.",
    }
    for question, answer in answers.items():
        assert page.locator("h1").inner_text() == question
        assert_accessible(page, question)
        page.get_by_label(question).fill(answer)
        # GOV.UK's character count runs on the page, counting against the answer's limit.
        expect(page.locator(".govuk-character-count__status")).to_have_text(
            f"You have {5_000 - len(answer):,} characters remaining")
        page.get_by_role("button", name="Continue").click()

    assert_accessible(page, "the child's own views")
    page.get_by_label("Amira's own views").fill("I like trains.")
    drawing = tmp_path / "drawing.png"
    drawing.write_bytes(PNG_BYTES)
    page.set_input_files("input[type=file]", str(drawing))
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/views/check/")
    assert page.get_by_text("Loud rooms at lunchtime.").is_visible()
    assert page.get_by_role("link", name="Download the picture (PNG) you uploaded").is_visible()
    assert_accessible(page, "check your answers")
    page.get_by_role("button", name="Send your views").click()

    page.wait_for_url("**/views/sent/")
    assert page.get_by_role("heading", name="Your views have been sent").is_visible()
    assert page.get_by_role("heading", name="What happens next").is_visible()
    assert_accessible(page, "confirmation")

    views = FamilyViews.objects.get(review=family_review, author=parent)
    assert views.submitted_at and views.childs_own_file_type == "image/png"
    assert AdvocacyOffer.objects.get(review=family_review).answer == "yes"
    assert AdvocacyReferral.objects.get(review=family_review).provider.name == \
        "Speak Up Testshire"
    assert Event.objects.filter(review=family_review, kind="family_views_sent").count() == 1
