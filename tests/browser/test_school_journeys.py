"""Schools and practitioners in a real browser (issue #16, items 8 to 11), at 1280 and at
360 px, axe on every page, and every link a page shows followed (none answers 403, 404 or
500):

- the council asks a school to convene a review; its SENCO, from the link in her email,
  schedules, invites and sends, then finds it on her home beside the council's review,
  which she only reads;
- a therapist who can't contribute, saying so from the advice form, and the coordinator
  who reads why; the child named in full on every page, never in a title;
- a coordinator's "Reviews due", the late step first.
"""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from outbox.models import Email
from reviews.models import Invitation, Review
from tests.browser.conftest import assert_accessible
from tests.factories import ChildFactory, ReviewFactory
from tests.reviews.conftest import (
    invite_person,
    senco,  # noqa: F401  (a fixture)
)
from tests.reviews.test_advice_fixtures import media_fixture  # noqa: F401
from tests.reviews.test_scheduling import five_roles_fixture, social_care_fixture  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [pytest.param(1280, id="1280px"), pytest.param(360, id="360px")]


@pytest.fixture(params=WIDTHS)
def page_at(request, chromium, live_server):
    """A page at 1280 px (a desktop) or at 360 px (a phone)."""
    width = request.param
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800},
        **({"is_mobile": True, "has_touch": True} if width < 400 else {}))
    yield context.new_page()
    context.close()


def assert_links_lead_somewhere(page, label: str):
    """Every link into the portal the page shows answers without an error (the footer's
    information pages are the CMS's, which these tests do not seed)."""
    hrefs = set(page.eval_on_selector_all(
        "main a[href^='/'], .govuk-back-link[href^='/']",
        "links => links.map(link => link.getAttribute('href'))"))
    for href in sorted(hrefs):
        status = page.request.get(href).status
        assert status < 400, f"{label}: {href} answered {status}"


def visit(page, label: str):
    assert_accessible(page, label)
    assert_links_lead_somewhere(page, label)


# ---------------------------------------------------------------------------
# Item 8: the SENCO convening a review
# ---------------------------------------------------------------------------


@pytest.fixture
def due_in_60_days(five_roles, authority, school, coordinator):
    """Amira's review, due in 60 days with no meeting, and Kofi's, both with the council."""
    Review.objects.filter(pk=five_roles.pk).update(
        meeting_at=None, due_by=timezone.localdate() + dt.timedelta(days=60))
    ReviewFactory(plan__child=ChildFactory(setting=school, first_name="Kofi", last_name="Mensah",
                                           la_reference="T-0009"), coordinator=coordinator)
    return five_roles


def test_the_council_asks_the_school_to_convene_and_the_senco_does(
        due_in_60_days, page_at, as_persona, coordinator, senco):  # noqa: F811
    review = due_in_60_days
    desk = as_persona(page_at, coordinator)
    desk.goto(f"/reviews/{review.pk}/")
    desk.get_by_role("link", name="Change who arranges or coordinates this review").click()
    visit(desk, "who coordinates")
    desk.get_by_label("Sue Senco, for Testshire Primary").check()
    desk.get_by_role("button", name="Save").click()
    desk.wait_for_url(f"**/reviews/{review.pk}/")
    assert "Sue Senco coordinates this review" in desk.locator(
        ".govuk-notification-banner").inner_text()
    desk.context.clear_cookies()

    # The SENCO follows the link in her email.
    link = re.search(r"https?://\S+", Email.objects.get(to=senco.email).text).group(0)
    page = as_persona(desk, senco)
    page.goto(urlsplit(link).path)
    page.wait_for_url(f"**/reviews/{review.pk}/")
    visit(page, "the school's review")
    page.get_by_role("link", name="Schedule the meeting").first.click()
    day = timezone.localdate() + dt.timedelta(days=40)
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("9:30am")
    page.get_by_label("Place").fill("The SENCO's office, Testshire Primary")
    assert_accessible(page, "scheduling")
    page.get_by_role("button", name="Save the meeting").click()
    page.wait_for_url(f"**/reviews/{review.pk}/")

    page.get_by_role("link", name="Invite the people").first.click()
    page.get_by_role("button", name="Add the people ticked").click()
    assert "Added 5 people" in page.locator(".govuk-notification-banner").inner_text()
    visit(page, "inviting")
    page.get_by_role("button", name="Send the invitations").click()
    page.wait_for_url(f"**/reviews/{review.pk}/")
    visit(page, "the school's review, invitations sent")
    asked = dict(review.invitations.values_list("role", "advice_requested"))
    assert asked[Invitation.Role.SETTING] is True, "the school gives its own advice"
    assert asked[Invitation.Role.LA_SEN] is False

    page.get_by_role("link", name="Your reviews").first.click()
    page.wait_for_url("**/reviews/due/")
    assert page.locator("h1").inner_text() == "Reviews at Testshire Primary"
    row = page.locator("tr", has=page.get_by_role("link", name="Amira Example"))
    assert "Arranged by Testshire Primary" in row.inner_text()
    assert "Chase advice" in row.inner_text() and "For the council" not in row.inner_text()
    council = page.locator("tr", has=page.get_by_role("link", name="Kofi Mensah"))
    assert "For the council:" in council.inner_text()
    visit(page, "the SENCO's home")

    page.get_by_role("link", name="Kofi Mensah").click()
    assert page.get_by_role("link", name="Schedule the meeting").count() == 0
    visit(page, "the council's review, read by the SENCO")
    page.goto("/reviews/due/")
    page.get_by_role("link", name="Reviews you are invited to help with").click()
    assert page.get_by_text("Amira Example (T-0001)").first.is_visible()
    visit(page, "the SENCO's invitations")


# ---------------------------------------------------------------------------
# Items 9 and 10: a therapist who can't contribute; names
# ---------------------------------------------------------------------------


@pytest.fixture
def invited(review, therapist, nhs_trust, media):
    invite_person(review, therapist, agency=nhs_trust, sent_at=timezone.now())
    Review.objects.filter(pk=review.pk).update(status=Review.Status.INVITATIONS_SENT)
    return therapist


def test_a_therapist_who_cant_contribute_says_why_and_the_coordinator_reads_it(
        invited, review, page_at, as_persona, chromium, live_server, coordinator):
    page = as_persona(page_at, invited)
    page.goto("/reviews/")
    page.wait_for_url("**/reviews/mine/")
    assert page.get_by_role("heading", name=re.compile("Amira Example \\(T-0001\\)")).count()
    assert "Amira" not in page.title()
    visit(page, "My reviews")
    page.get_by_role("link", name=re.compile("Give advice")).click()
    assert "Amira Example (T-0001)" in page.locator(".govuk-caption-l").inner_text()
    assert "Amira" not in page.title()
    page.get_by_role("link", name="tell the coordinator why").click()
    visit(page, "the answer page")
    page.get_by_label("I can't contribute to this review").check()
    page.get_by_role("button", name="Save your answer").click()
    assert page.title().startswith("Error: ")
    assert page.get_by_label("I can't contribute to this review").is_checked()
    assert_accessible(page, "the answer page with an error")
    page.get_by_label("If you can't contribute, say why").fill(
        "I stopped seeing Amira in June; her new therapist is at the Eastside clinic.")
    page.get_by_role("button", name="Save your answer").click()
    page.wait_for_url("**/reviews/mine/")
    assert page.get_by_text("Can't contribute").first.is_visible()
    visit(page, "My reviews, after saying so")
    assert Email.objects.filter(to=coordinator.email,
                                subject__startswith="Theo Rapist can't contribute").exists()

    desk = as_persona(page.context.new_page(), coordinator)
    desk.goto(f"/reviews/{review.pk}/")
    assert desk.get_by_text("Can't contribute: I stopped seeing Amira in June").is_visible()
    assert desk.get_by_text("Can't contribute: Theo Rapist (invite someone else?)").is_visible()
    visit(desk, "the coordinator's review page")


# ---------------------------------------------------------------------------
# Item 11: the most urgent first
# ---------------------------------------------------------------------------


@pytest.fixture
def harry_and_samir(authority, school, coordinator):
    today = timezone.localdate()
    ReviewFactory(
        plan__child=ChildFactory(setting=school, first_name="Samir", last_name="Haddad",
                                 la_reference="T-0029"),
        coordinator=coordinator, status=Review.Status.REPORT_SENT,
        due_by=today - dt.timedelta(days=40), meeting_at=timezone.now() - dt.timedelta(days=24))
    ReviewFactory(
        plan__child=ChildFactory(setting=school, first_name="Harry", last_name="Brooks",
                                 la_reference="T-0005"),
        coordinator=coordinator, due_by=today - dt.timedelta(days=12))


def test_a_coordinator_sees_the_late_step_first(harry_and_samir, page_at, as_persona,
                                               coordinator):
    page = as_persona(page_at, coordinator)
    page.goto("/reviews/due/")
    rows = page.locator("tbody tr")
    assert "Harry Brooks" in rows.nth(0).inner_text()
    assert "12 days late" in rows.nth(0).inner_text()
    assert "Samir Haddad" in rows.nth(1).inner_text()
    assert "in 4 days" in rows.nth(1).inner_text()
    visit(page, "reviews due")
