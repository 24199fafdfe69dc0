"""Issue #16, item 1, in a real browser with axe at 1280 px and 360 px: a meeting set at
short notice today. The parent (on a phone) and the therapist are each given a date of
their own, not one already past, and nobody is told they are late; the coordinator sees
the lateness as the council's."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from reviews import clock
from reviews.models import Invitation
from tests.browser.conftest import CHROMIUM, assert_accessible
from tests.reviews.conftest import (  # noqa: F401  (fixtures, by name)
    child,
    family_parent,
    plan,
    review,
    school,
    senco,
)
from tests.reviews.test_dates_given import set_at_short_notice
from tests.reviews.test_scheduling import (  # noqa: F401  (fixtures, by name)
    five_roles_fixture,
    social_care_fixture,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM, reason="apt-get install chromium to run browser tests"),
]

WIDTHS = (1280, 360)


@pytest.fixture
def short_notice(five_roles, coordinator):
    """Today the meeting is set for 9 days' time, with its reason, and everyone invited:
    the law's date for the advice passed 5 days ago. Done before the browser starts."""
    today = timezone.localdate()
    meeting = today + dt.timedelta(days=9)
    while not clock.is_working_day(meeting):
        meeting += dt.timedelta(days=1)
    return set_at_short_notice(five_roles, coordinator, meeting, today)


def given_text(asked, user) -> str:
    due = Invitation.objects.get(review=asked, user=user).advice_due()
    assert due >= timezone.localdate() > asked.advice_due()
    return f"{due.day} {due:%B %Y}"


def at_each_width(page, label):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page, f"{label} at {width} px")


def test_the_parent_on_a_phone_has_a_date_of_their_own(short_notice, family_parent,  # noqa: F811
                                                       phone_page, as_persona):
    given = given_text(short_notice, family_parent)
    page = as_persona(phone_page, family_parent)
    page.goto("/reviews/family/")
    card = page.locator(".govuk-summary-card").first.inner_text()
    assert given in card and not re.search(r"\blate\b", card, re.IGNORECASE)
    at_each_width(page, "the family's home")
    page.goto(f"/reviews/{short_notice.pk}/family/")
    body = page.locator("main").inner_text()
    assert given in body and not re.search(r"\blate\b", body, re.IGNORECASE)
    at_each_width(page, "the child's review page")


def test_the_therapist_is_not_late_before_she_opens_it(short_notice, therapist, browser_page,
                                                       as_persona):
    given = given_text(short_notice, therapist)
    page = as_persona(browser_page, therapist)
    page.goto(f"/reviews/{short_notice.pk}/advice/")
    body = page.locator("main").inner_text()
    assert given in body and not re.search(r"\blate\b", body, re.IGNORECASE)
    at_each_width(page, "the advice form")


def test_the_coordinator_sees_the_lateness_as_the_councils(short_notice, coordinator,
                                                          therapist, browser_page, as_persona):
    given = given_text(short_notice, therapist)
    page = as_persona(browser_page, coordinator)
    page.goto(f"/reviews/{short_notice.pk}/")
    late = page.locator("#lateness + p + ul").inner_text()
    assert "Circulate advice" in late and "Send meeting invitations" in late
    row = page.get_by_role("row").filter(has_text=str(therapist)).inner_text()
    assert f"Due {given}" in row and "Late" not in row
    at_each_width(page, "the coordinator's review page")
