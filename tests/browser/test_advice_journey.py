"""A therapist gives advice on a phone: My reviews, their answer to the invitation, the
advice form, check your answers, submit. axe checks every page on the way."""

import re

import pytest

from agencies.models import Agency
from reviews.models import Advice
from tests.browser.conftest import assert_accessible
from tests.factories import ReviewFactory
from tests.reviews.conftest import invite_person
from tests.reviews.test_advice_fixtures import media_fixture  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invited(authority, coordinator, therapist, nhs_trust, media):
    """The therapist, invited to a review whose meeting is in 30 days."""
    school = Agency.objects.create(authority=authority, name="Testshire Primary",
                                   kind=Agency.Kind.SCHOOL)
    review = ReviewFactory(plan__child__setting=school, coordinator=coordinator,
                           meeting_in_days=30)
    invite_person(review, therapist, agency=nhs_trust)
    return therapist


def test_a_therapist_gives_advice_on_a_phone(invited, phone_page, as_persona):
    page = as_persona(phone_page, invited)
    page.goto("/reviews/")
    page.wait_for_url("**/reviews/mine/")
    assert page.locator("h1").inner_text() == "Reviews you have been asked to help with"
    assert_accessible(page, "My reviews")

    page.get_by_role("link", name=re.compile("^Answer")).click()
    assert page.locator("h1").inner_text() == "Will you come to the review meeting?"
    assert_accessible(page, "answering the invitation")
    page.get_by_label("No, I will send advice but not come to the meeting").check()
    page.get_by_role("button", name="Save your answer").click()
    page.wait_for_url("**/reviews/mine/")
    assert page.get_by_text("Your answer has been recorded").is_visible()
    assert page.get_by_text("Sending advice only").is_visible()

    page.get_by_role("link", name=re.compile("Give advice")).click()
    assert page.locator("h1").inner_text() == "Give your advice"
    assert_accessible(page, "the advice form")

    # Continue with one outcome unanswered: the error names it and keeps what was typed.
    page.get_by_role("group", name=re.compile("Progress towards outcome 1")).get_by_label(
        "On track", exact=True).check()
    page.get_by_label("Evidence for outcome 1").fill("Uses 4-word sentences in class.")
    page.get_by_label("What is working well?").fill("Visual timetables.")
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").get_by_text(
        "Select how outcome 2 is going").is_visible()
    assert page.get_by_label("What is working well?").input_value() == "Visual timetables."
    assert_accessible(page, "the advice form with an error")

    page.get_by_role("group", name=re.compile("Progress towards outcome 2")).get_by_label(
        "Not on track", exact=True).check()
    page.get_by_label("Section F: Special educational provision").fill("Weekly therapy.")
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == "Check your advice before you submit it"
    assert page.get_by_text("Weekly therapy.").is_visible()
    assert_accessible(page, "check your answers")

    page.get_by_role("button", name="Submit advice").click()
    assert page.locator("h1").inner_text() == "Advice submitted"
    assert page.get_by_text("What happens next").is_visible()
    assert_accessible(page, "the confirmation")

    advice = Advice.objects.get()
    assert advice.status == Advice.Status.SUBMITTED
    assert advice.progress.count() == 2

    page.get_by_role("link", name="correct your advice").click()
    assert page.locator("h1").inner_text() == "Advice for this review"
    assert page.get_by_text("Visual timetables.").is_visible()
    assert_accessible(page, "the advice page")
