"""The account pages in a real browser (issue 16, item 14): a professional walks their
account from the menu (password, email, two-step, recovery codes, confirming it is them,
signing out), someone signed out walks resetting a password, and a newcomer sets up
two-step; axe checks each page at 1280 px and 360 px, and each says what it is in
sentence case."""

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from tests.agencies.test_account_pages import (
    ENROL,
    SIGNED_IN_PAGES,
    SIGNED_OUT_PAGES,
    capitalised_inside,
    professional,  # noqa: F401  (a fixture)
)
from tests.browser.conftest import PHONE, WIDE, assert_accessible
from tests.conftest import PASSWORD, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, path, heading):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    h1 = page.locator("h1").inner_text()
    assert h1.startswith(heading) and not capitalised_inside(h1), (path, h1)
    for button in page.locator("main button:visible, main a.govuk-button").all_inner_texts():
        assert not capitalised_inside(button), (path, button)
    assert_accessible(page, f"{path} at {page.viewport_size['width']} px")


# One width a test: a one-time code signs in once.
BOTH_WIDTHS = pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280px", "360px"])


@BOTH_WIDTHS
def test_a_professional_walks_their_account(professional, at_width, viewport):  # noqa: F811
    page = at_width(professional, viewport)
    page.goto("/accounts/2fa/")
    if viewport == PHONE:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Change password").click()
    expect(page.locator("h1")).to_have_text("Change your password")
    for path, heading in SIGNED_IN_PAGES.items():
        check(page, path, heading)


def test_someone_signed_out_resets_their_password(chromium, live_server, db):
    for viewport in (WIDE, PHONE):
        context = chromium.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_role("link", name="Forgot your password?").click()
        expect(page.locator("h1")).to_have_text("Reset your password")
        for path, heading in SIGNED_OUT_PAGES.items():
            check(page, path, heading)
        context.close()


@BOTH_WIDTHS
def test_a_newcomer_sets_up_two_step_sign_in(la_team, at_width, viewport):
    newcomer = make_person("new@test.example", "Nia", "New", la_team, Role.PRACTITIONER,
                           mfa=False)
    check(at_width(newcomer, viewport), ENROL, "Set up two-step sign-in")


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280px", "360px"])
def test_sign_in_goes_email_password_button_then_the_reset_link(
        chromium, live_server, parent, viewport):
    # The reset link once sat in the password's hint, between the two fields: Tab from the
    # email, type the password and Enter opened the reset page instead of signing in.
    context = chromium.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.goto("/accounts/login/")
    assert_accessible(page, f"sign in at {viewport['width']} px")
    page.get_by_label("Email").focus()
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.name || "
                                   "document.activeElement.textContent.trim()"))
    assert order == ["password", "Show", "Sign in", "Forgot your password?"]
    page.get_by_label("Email").fill(parent.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page).not_to_have_url("/accounts/password/reset/")
    expect(page.locator("h1")).not_to_have_text("Sign in")
    context.close()
