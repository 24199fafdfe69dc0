"""The coordinator's journey in a real browser: reviews due -> the review -> schedule ->
invite -> send, with axe on every page, on a desktop and on a phone."""

import datetime as dt

import pytest
from django.utils import timezone

from outbox.models import Email
from reviews.models import Review
from tests.browser.conftest import assert_accessible
from tests.reviews.conftest import (  # noqa: F401  (fixtures)
    child,
    family_parent,
    plan,
    review,
    school,
    senco,
)
from tests.reviews.test_scheduling import five_roles_fixture, social_care_fixture  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def due_review(five_roles):
    Review.objects.filter(pk=five_roles.pk).update(
        meeting_at=None, due_by=timezone.localdate() + dt.timedelta(days=60))
    return five_roles


def run_journey(page, the_review):
    page.goto("/reviews/due/")
    assert page.locator("h1").inner_text() == "Reviews needing action"
    assert_accessible(page, "reviews due")

    page.get_by_role("link", name="Amira Example").click()
    page.wait_for_url(f"**/reviews/{the_review.pk}/")
    assert_accessible(page, "the review page")

    page.get_by_role("link", name="Schedule the meeting").first.click()
    page.wait_for_url("**/schedule/")
    assert_accessible(page, "schedule the meeting")
    day = timezone.localdate() + dt.timedelta(days=5)
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("10:30am")
    page.get_by_label("Place").fill("Room 4, Testshire Primary")
    page.get_by_role("button", name="Save the meeting").click()
    # Five days away cannot give 2 weeks' notice: the reason appears with the error.
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Place").input_value() == "Room 4, Testshire Primary"
    assert_accessible(page, "schedule the meeting, with an error")
    day = timezone.localdate() + dt.timedelta(days=40)
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_role("button", name="Save the meeting").click()
    page.wait_for_url(f"**/reviews/{the_review.pk}/")
    assert "Meeting set for" in page.locator(".govuk-notification-banner").first.inner_text()

    page.get_by_role("link", name="Invite the people").first.click()
    page.wait_for_url("**/invite/")
    assert_accessible(page, "invite people")
    page.get_by_role("button", name="Add the people ticked").click()
    page.wait_for_url("**/invite/")
    assert "Added 5 people" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "invite people, with the list")

    page.get_by_role("button", name="Send the invitations").click()
    page.wait_for_url(f"**/reviews/{the_review.pk}/")
    assert "Invitations sent to 5 people" in page.locator(
        ".govuk-notification-banner").inner_text()
    assert_accessible(page, "the review page after sending")
    assert Email.objects.filter(key__startswith="review-invitation:").count() == 5
    assert Review.objects.get(pk=the_review.pk).status == "invited"


def test_a_coordinator_runs_a_review_from_due_to_invitations_sent(due_review, browser_page,
                                                                  as_persona, coordinator):
    run_journey(as_persona(browser_page, coordinator), due_review)


def test_the_same_journey_works_on_a_phone(due_review, phone_page, as_persona, coordinator):
    run_journey(as_persona(phone_page, coordinator), due_review)
