"""The idle time-out in the browser, with a session of seconds rather than minutes: the
warning opens before the end, modal and announced, with focus in it; "Stay signed in" and
Escape each move the session on and give focus back; left alone, the page goes to sign in
with the reason, and after signing in again the answer typed before the time-out is there.
axe checks the open warning at 1280 and 360 px."""

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from reviews.models import FamilyViews
from tests.browser.conftest import PHONE, WIDE, assert_accessible
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDLE_SECONDS = 20
WARN_SECONDS = 15  # so the warning opens 5 s after each request, with time for axe
QUESTION = "What is hard for Amira?"
WARNING = "You’re about to be signed out"


@pytest.fixture
def short_sessions(settings):
    settings.SESSION_COOKIE_AGE = IDLE_SECONDS
    settings.SESSION_WARNING_SECONDS = WARN_SECONDS


def step_url(review):
    return f"/reviews/{review.pk}/views/hard/"


def warning(page):
    dialog = page.get_by_role("dialog", name=WARNING)
    expect(dialog).to_be_visible(timeout=(IDLE_SECONDS + 5) * 1000)
    return dialog


def at_sign_in(url: str) -> bool:
    return "/accounts/login/?next=" in url


def session_expiry():
    return Session.objects.get().expire_date


def test_the_warning_keeps_a_parent_signed_in_and_a_time_out_keeps_what_they_typed(
        short_sessions, at_width, family_parent, review):
    page = at_width(family_parent, WIDE)
    page.goto(step_url(review))
    answer = page.get_by_label(QUESTION)
    answer.fill("Loud rooms")
    answer.blur()  # leaving the field saves it
    expect(page.locator("[data-autosave-status]")).to_have_text(
        "Your answers are saved as a draft as you type.")
    assert FamilyViews.objects.get(author=family_parent).hard == "Loud rooms"
    answer.focus()

    dialog = warning(page)
    assert dialog.evaluate("d => d.matches(':modal')"), "modal: the page behind is inert"
    # Announced as it opens: its heading names it, its countdown in words describes it.
    expect(dialog).to_have_accessible_description(re.compile(
        r"^For your security, we will sign you out in \d+ seconds if you do not do anything\.$"))
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_accessible(page, "the time-out warning at 1280 px")

    before = session_expiry()
    page.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    expect(answer).to_be_focused()  # back where they were
    assert session_expiry() > before, "the session was moved on"

    dialog = warning(page)
    before = session_expiry()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(answer).to_be_focused()
    assert session_expiry() > before, "Escape stays signed in too"

    answer.fill("Loud rooms at lunch")
    answer.blur()
    expect(page.locator("[data-autosave-status]")).to_have_text(
        "Your answers are saved as a draft as you type.")
    # Left alone, the warning runs out and the page goes to sign in, saying why.
    page.wait_for_url(at_sign_in, timeout=(IDLE_SECONDS + 10) * 1000)
    expect(page.get_by_text(
        f"You were signed out because you had not done anything for {IDLE_SECONDS} seconds. "
        "We saved what you had typed.")).to_be_visible()
    assert_accessible(page, "sign in after a time-out")

    page.get_by_label("Email").fill(family_parent.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{step_url(review)}")
    expect(page.get_by_label(QUESTION)).to_have_value("Loud rooms at lunch")


def test_the_warning_fits_a_phone_and_passes_axe(short_sessions, at_width, family_parent,
                                                 review):
    page = at_width(family_parent, PHONE)
    page.goto(step_url(review))
    dialog = warning(page)
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert_accessible(page, "the time-out warning at 360 px")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")
    page.goto(step_url(review))
    page.wait_for_url(at_sign_in)  # signed out


def test_typing_on_a_page_that_does_not_save_as_it_goes_keeps_the_session(
        settings, at_width, family_parent, review):
    """Someone at the page is not idle, though a key pressed asks the server nothing."""
    settings.SESSION_COOKIE_AGE = IDLE_SECONDS
    settings.SESSION_WARNING_SECONDS = 5  # the warning would open 15 s after the page
    page = at_width(family_parent, WIDE)
    page.goto(f"/reviews/{review.pk}/family/")
    before = session_expiry()
    page.wait_for_timeout(6_000)  # a quarter of the idle time: activity now moves it on
    with page.expect_response("**/session/keep-alive/") as kept:
        page.keyboard.press("Tab")
    assert kept.value.status == 204
    assert session_expiry() > before
    page.wait_for_timeout(11_000)  # 17 s after the page: past when it would have warned
    expect(page.get_by_role("dialog", name=WARNING)).to_be_hidden()
