"""The first pages anyone sees: the home page and sign-in, in a real browser, checked by axe."""

import pytest
from playwright.sync_api import expect

from demo.pages import seed_pages
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser,  pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site():
    seed_pages()


def test_the_home_page_is_accessible_and_leads_to_sign_in(site, browser_page):
    page = browser_page
    page.goto("/")
    assert page.locator("h1").count() == 1
    assert page.locator("body.govuk-frontend-supported").count() == 1, "GOV.UK JS can run"
    assert_accessible(page, "home page")
    page.get_by_role("link", name="Sign in").first.click()
    page.wait_for_url("**/accounts/login/")
    assert_accessible(page, "sign-in page")


def test_a_wrong_password_shows_an_error_summary_and_keeps_the_email(site, browser_page, parent):
    page = browser_page
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(parent.email)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    # Wait for the answer to the post: the title is empty while the page is navigating.
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Email").input_value() == parent.email
    assert_accessible(page, "sign-in page with an error")


def test_a_family_member_signs_in_on_a_phone(site, phone_page, parent):
    page = phone_page
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(parent.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.get_by_role("button", name="Menu").click()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert_accessible(page, "home page, signed in, on a phone")


def test_a_persona_can_be_signed_in_for_journey_tests(site, browser_page, as_persona,
                                                      coordinator):
    page = as_persona(browser_page, coordinator)
    page.goto("/accounts/email/")
    assert coordinator.email in page.content()
