"""The letters to post in a real browser, at 1280 px and at 360 px: the coordinator finds
the letter to a parent without email, downloads its PDF, records the day it was posted, and
the list is empty. axe checks every page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from reviews import post
from reviews.models import FamilyMember, PostalLetter
from tests.browser.conftest import PHONE, WIDE, assert_accessible
from tests.reviews.conftest import child, plan, review, school  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280px", "360px"])
def test_the_coordinator_prints_a_letter_and_records_posting_it(
        review, child, coordinator, at_width, viewport):  # noqa: F811
    FamilyMember.objects.create(child=child, name="Rania Example", by_post=True,
                                address_line_1="12 Mill Lane", town="Testbridge",
                                postcode="TB1 2AB")
    [letter] = post.queue_letters(review, PostalLetter.Kind.INVITATION)
    page = at_width(coordinator, viewport)
    page.goto("/reviews/due/")
    page.get_by_role("link", name="Letters to post").click()
    page.wait_for_url("**/reviews/letters-to-post/")
    expect(page.get_by_role("heading", name="Letters to post")).to_be_visible()
    expect(page.get_by_text("1 letter waiting")).to_be_visible()
    assert_accessible(page, f"letters to post at {viewport['width']} px")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the letter to Rania Example (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert "Amira" not in download.value.suggested_filename

    page.get_by_role("link", name="Record posting of the letter to Rania Example").click()
    expect(page.get_by_role("heading", name="Record posting the letter to Rania Example"))\
        .to_be_visible()
    assert_accessible(page, f"record posting at {viewport['width']} px")
    # A day in the future is refused with the GOV.UK error summary, and nothing is lost.
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    page.get_by_label("Day").fill(str(tomorrow.day))
    page.get_by_label("Month").fill(str(tomorrow.month))
    page.get_by_label("Year").fill(str(tomorrow.year))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("must be today or in the past")
    assert_accessible(page, f"record posting, with an error, at {viewport['width']} px")
    today = dt.date.today()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/reviews/letters-to-post/")
    expect(page.get_by_text("sent by post on")).to_be_visible()
    expect(page.get_by_text("There are no letters waiting to be posted.")).to_be_visible()
    assert_accessible(page, f"letters to post, emptied, at {viewport['width']} px")
    letter.refresh_from_db()
    assert letter.posted_on == today
