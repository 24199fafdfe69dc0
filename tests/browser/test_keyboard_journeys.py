"""Keyboard-only journeys at 1280 px: a parent gives their views, a young person of 17 decides
who sees their review, a therapist saves a draft of their advice. After the first page, every
step is a key press (Tab, Enter, arrows, typing): no clicks, no filling. At each step the
control that has focus is the one expected, by its accessible name, and shows that it has
focus; axe checks every page."""

import pytest
from playwright.sync_api import expect

from reviews.models import Advice, FamilyViews, YoungPersonDecision
from tests.browser.conftest import WIDE, assert_accessible

# The young person of 17 and their parent, as their own journey sets them up.
from tests.browser.test_young_person_journey import parent_of, young_person  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# More than any of these pages has controls before the one a journey wants.
MOST_TABS = 80

# GOV.UK Frontend shows focus as a yellow box-shadow: on the control itself, or on the
# ::before box of a radio's or checkbox's label, since the input is drawn transparent there.
FOCUS_IS_SHOWN = """el => {
    const box = el.matches('.govuk-radios__input, .govuk-checkboxes__input')
        ? getComputedStyle(el.labels[0], '::before') : getComputedStyle(el);
    return el.matches(':focus-visible') && box.boxShadow !== 'none';
}"""


def has_focus(control) -> bool:
    return control.evaluate("el => el === document.activeElement")


def assert_focus_shown(control, name: str) -> None:
    assert has_focus(control), f"{name} has focus"
    assert control.evaluate(FOCUS_IS_SHOWN), f"{name} shows that it has focus"


def tab_to(page, control, name: str) -> None:
    """Press Tab until `control` has focus, as someone on a keyboard reaches it."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if has_focus(control):
            assert_focus_shown(control, name)
            return
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{name} was not reached by Tab; focus ended on {focused}")


def test_a_parent_gives_their_views_with_the_keyboard(at_width, family_parent, review):
    page = at_width(family_parent, WIDE)
    page.goto(f"/reviews/{review.pk}/family/")
    assert_accessible(page, "the family's review page")

    tab_to(page, page.get_by_role("link", name="Give your views").first, "Give your views")
    page.keyboard.press("Enter")
    page.wait_for_url("**/views/")
    assert_accessible(page, "views start page")

    tab_to(page, page.get_by_role("link", name="Start now"), "Start now")
    page.keyboard.press("Enter")
    question = "What is important to Amira?"
    page.wait_for_url("**/views/*/")
    assert page.locator("h1").inner_text() == question
    assert_accessible(page, "the first question")

    tab_to(page, page.get_by_label(question), "the first answer box")
    page.keyboard.type("Her dog, Biscuit, and drawing.")
    tab_to(page, page.get_by_role("button", name="Continue"), "Continue")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("What is going well for Amira?")
    assert_accessible(page, "the second question")

    assert FamilyViews.objects.get(review=review, author=family_parent).what_is_important == \
        "Her dog, Biscuit, and drawing."


def test_a_young_person_hides_their_review_from_a_parent_with_the_keyboard(
        at_width, young_person, parent_of):  # noqa: F811
    page = at_width(young_person, WIDE)
    page.goto("/reviews/family/")
    tab_to(page, page.get_by_role("link", name="See your review"), "See your review")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Who can see your review").wait_for()
    assert_accessible(page, "the young person's review")

    tab_to(page, page.get_by_role("link", name="Change who can see your review"),
           "Change who can see your review")
    page.keyboard.press("Enter")
    page.wait_for_url("**/who-can-see/")
    assert_accessible(page, "who can see your review")

    # Tab enters the group of radios on its first; an arrow moves to, and chooses, the next.
    yes = page.get_by_role("radio", name="Yes, they can see my review")
    no = page.get_by_role("radio", name="No, they cannot see my review")
    tab_to(page, yes, "the first answer for Sam Clarke")
    page.keyboard.press("ArrowDown")
    assert_focus_shown(no, "No, they cannot see my review")
    assert no.is_checked()
    tab_to(page, page.get_by_role("button", name="Save"), "Save")
    page.keyboard.press("Enter")
    page.get_by_text("Saved. You can change this at any time.").wait_for()
    assert_accessible(page, "saved")

    decision = YoungPersonDecision.objects.get()
    assert (decision.choice, decision.recorded_by) == ("does_not_see", young_person)


def test_a_therapist_saves_a_draft_of_their_advice_with_the_keyboard(
        at_width, invited_therapist, review):
    page = at_width(invited_therapist, WIDE)
    page.goto("/reviews/mine/")
    assert_accessible(page, "My reviews")

    give_advice = page.get_by_role("link", name="Give advice for Amira Example (T-0001)")
    tab_to(page, give_advice, "Give advice")
    page.keyboard.press("Enter")
    page.wait_for_url("**/advice/")
    assert page.locator("h1").inner_text() == "Give your advice"
    assert_accessible(page, "the advice form")

    tab_to(page, page.get_by_label("Evidence for outcome 1"), "the first answer box")
    page.keyboard.type("Uses 4-word sentences in class.")
    tab_to(page, page.get_by_role("button", name="Save and come back later"),
           "Save and come back later")
    page.keyboard.press("Enter")
    page.wait_for_url("**/reviews/mine/")
    assert page.get_by_text("Your advice has been saved as a draft").is_visible()
    assert_accessible(page, "My reviews with a draft")

    draft = Advice.objects.get(invitation__review=review)
    assert draft.status == Advice.Status.DRAFT
    assert draft.progress.get(outcome__number=1).evidence == "Uses 4-word sentences in class."
