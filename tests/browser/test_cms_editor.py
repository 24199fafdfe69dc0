"""A content editor in the CMS (issue 16, item 16): a staff member, signed in with two-step,
edits a guide for families in Wagtail's page editor and publishes it, with no
Content-Security-Policy violation in the browser's console and no serious axe finding in
the portal's own markup; the published guide keeps the public pages' strict policy."""

import pytest
from playwright.sync_api import expect

from demo.pages import seed_pages
from home.models import InformationPage
from tests.browser.conftest import WIDE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Inside Wagtail's own widgets, which the portal cannot change: its rich text editor
# (Draftail) is a contenteditable textbox named only by a placeholder, and a StreamField
# block that is a single field (our warning text) gets its heading but no <label>.
WAGTAIL_WIDGETS = (".public-DraftEditor-content", 'textarea[id^="body-"][id$="-value"]')


def settled(page):
    """Wagtail slides its messages in: measure contrast once they have arrived."""
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")


def csp_violations(page) -> list[str]:
    violations = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    return violations


def test_an_editor_edits_and_publishes_a_guide_without_policy_violations(staff, at_width):
    seed_pages()
    guide = InformationPage.objects.get(slug="if-you-disagree")
    page = at_width(staff, WIDE)
    violations = csp_violations(page)

    page.goto(f"/cms/pages/{guide.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value(guide.title)
    settled(page)
    assert_accessible(page, "the page editor", exclude=WAGTAIL_WIDGETS)

    page.locator("#id_title").fill("If you disagree with a decision about your child's plan")
    page.get_by_role("button", name="More actions").click()
    page.locator('button[name="action-publish"]').click()
    expect(page.get_by_text("has been published")).to_be_visible()
    settled(page)
    assert_accessible(page, "the pages list after publishing", exclude=WAGTAIL_WIDGETS)
    guide.refresh_from_db()
    assert guide.live and guide.title == "If you disagree with a decision about your child's plan"
    assert not guide.has_unpublished_changes

    public = page.goto(guide.url)
    assert "'unsafe-inline'" not in public.headers["content-security-policy"]
    expect(page.locator("h1")).to_have_text(guide.title)
    assert violations == [], violations
