"""The joint outcome in a real browser: the coordinator checks and edits the draft made when
the meeting closed, asks people to confirm it, the parent confirms on a phone, the
coordinator publishes, and the parent reads the published report (and it prints without the
page furniture). axe checks every page."""

import pytest
from playwright.sync_api import expect

from outbox.models import Email
from reports.models import PublishedReport
from reviews.models import Review
from tests.browser.conftest import assert_accessible
from tests.reports.conftest import (  # noqa: F401  (fixtures)
    family_invitation,
    held_review,
    met_review,
)
from tests.reviews.conftest import (  # noqa: F401  (fixtures)
    child,
    family_parent,
    invited_therapist,
    plan,
    review,
    school,
)
from tests.reviews.test_advice_fixtures import media_fixture  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def confirm_as(chromium, live_server, as_persona, person, review_id):
    """Another participant confirms, in their own browser."""
    context = chromium.new_context(base_url=live_server.url)
    page = as_persona(context.new_page(), person)
    page.goto(f"/reviews/{review_id}/outcome/draft/")
    page.get_by_role("button", name="Yes, the report is right").click()
    expect(page.get_by_text("You confirmed this draft on")).to_be_visible()
    context.close()


# The review is made first: its events are broadcast from this thread, which Playwright's
# event loop takes over once the browser starts.
def test_a_coordinator_publishes_the_outcome_and_the_parent_reads_it_on_a_phone(
        held_review, coordinator, family_parent, invited_therapist,  # noqa: F811
        chromium, live_server, browser_page, phone_page, as_persona):
    review_id = held_review.pk
    desk = as_persona(browser_page, coordinator)
    desk.goto(f"/reviews/{review_id}/")
    expect(desk.get_by_text("Not yet sent to the people at the review to confirm.")).to_be_visible()
    desk.get_by_role("link", name="Edit, confirm and publish the report").click()
    desk.wait_for_url(f"**/reviews/{review_id}/outcome/")
    assert_accessible(desk, "the joint outcome page")

    desk.get_by_role("link", name="Edit the draft").click()
    desk.wait_for_url("**/outcome/edit/")
    assert_accessible(desk, "the draft editor")
    child_words = desk.get_by_label("In the child's or young person's own words")
    expect(child_words).to_have_value("I like trains.")
    child_words.fill("I like trains and buses.")
    # A session that ends mid-edit comes back to the editor: what was typed is put back.
    desk.reload()
    expect(desk.get_by_text("We have put back what you typed")).to_be_visible()
    expect(child_words).to_have_value("I like trains and buses.")
    desk.get_by_role("button", name="Save the draft").click()
    desk.wait_for_url(f"**/reviews/{review_id}/outcome/")
    expect(desk.get_by_text("Draft saved.")).to_be_visible()

    desk.get_by_role("link", name="2 drafts saved: compare them").click()
    expect(desk.get_by_text("In their own words: I like trains and buses.")).to_be_visible()
    assert_accessible(desk, "comparing drafts")
    desk.go_back()

    desk.get_by_role("button", name="Ask people to confirm the draft").click()
    expect(desk.get_by_role("cell", name="No answer yet").first).to_be_visible()
    assert_accessible(desk, "the outcome page while people confirm")

    phone = as_persona(phone_page, family_parent)
    phone.goto(f"/reviews/{review_id}/family/")
    phone.get_by_role("link", name="Check the draft report", exact=True).click()
    phone.wait_for_url("**/outcome/draft/")
    expect(phone.get_by_text("I like trains and buses.")).to_be_visible()
    assert_accessible(phone, "the draft to check, on a phone")
    phone.get_by_role("button", name="Yes, the report is right").click()
    expect(phone.get_by_text("You confirmed this draft on")).to_be_visible()
    assert_accessible(phone, "the draft after confirming")

    confirm_as(chromium, live_server, as_persona, invited_therapist, review_id)

    desk.reload()
    desk.get_by_role("link", name="Check and publish the report").click()
    desk.wait_for_url("**/outcome/publish/")
    assert_accessible(desk, "check and publish")
    desk.get_by_role("button", name="Publish the report").click()
    desk.wait_for_url(f"**/reviews/{review_id}/report/1/")
    expect(desk.get_by_role("heading", name="Report of the review meeting", level=1)) \
        .to_be_visible()
    assert_accessible(desk, "the published report")
    assert PublishedReport.objects.filter(review_id=review_id).count() == 1
    assert Review.objects.get(pk=review_id).report_sent_on is not None
    assert Email.objects.filter(key__startswith="report-published:", to=family_parent.email) \
        .count() == 1

    phone.goto(f"/reviews/{review_id}/family/")
    report = phone.locator("#joint-outcome")
    report.get_by_role("link", name="Read the report of the meeting").click()
    phone.wait_for_url(f"**/reviews/{review_id}/report/")
    expect(phone.get_by_text("Amend the plan", exact=True)).to_be_visible()
    expect(phone.get_by_text("Speech is not on track at home.")).to_be_visible()
    expect(phone.get_by_role("link", name="Read the full advice from")).to_be_visible()
    assert_accessible(phone, "the published report, on a phone")

    phone.emulate_media(media="print")
    expect(phone.locator(".govuk-template__header")).to_be_hidden()
    expect(phone.locator(".govuk-template__footer")).to_be_hidden()
    expect(phone.get_by_role("heading", name="Report of the review meeting")).to_be_visible()
