"""The decision in a real browser, with axe on every page: the officer records an amend
decision from the review page; the parent, on a phone, reads the letter and replies; after
the final plan they ask for mediation."""

import datetime as dt

import pytest
from django.utils import timezone

from decisions.amending import do_issue_final_plan
from decisions.deciding import do_record_decision
from decisions.models import Disagreement, FamilyResponse
from tests.browser.conftest import CHROMIUM, PHONE, WIDE, assert_accessible
from tests.decisions.conftest import held_review

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # As the browser harness does: without Debian's chromium these cannot run.
    pytest.mark.skipif(not CHROMIUM, reason="apt-get install chromium to run browser tests"),
]


def test_an_officer_records_an_amend_decision(browser_page, as_persona, coordinator, plan,
                                              family_parent, contacts):
    review = held_review(plan, coordinator, timezone.localdate() - dt.timedelta(days=10))
    page = as_persona(browser_page, coordinator)
    page.goto(f"/reviews/{review.pk}/")
    assert_accessible(page, "the review page with the decision panel")
    page.get_by_role("link", name="Record the decision").click()
    assert_accessible(page, "choose the decision")
    page.get_by_label("Amend the plan").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send the decision and the proposed amendments").click()
    # The same address answers with the errors: wait for the new page, not the old one.
    page.wait_for_function("document.title.startsWith('Error: ')")
    assert_accessible(page, "the amend form, with errors")
    page.get_by_label("Why does the plan need to change?").fill("Lunchtimes are still hard.")
    page.get_by_label("Section F: Special educational provision").fill("A daily check-in.")
    page.get_by_role("button", name="Send the decision and the proposed amendments").click()
    page.wait_for_url(f"**/reviews/{review.pk}/")
    assert "Decision sent with the proposed amendments" in page.locator(
        ".govuk-notification-banner").first.inner_text()
    assert_accessible(page, "the review page after the decision")
    page.get_by_role("link", name="Read the decision letter").click()
    assert_accessible(page, "the letter, as the officer reads it")


@pytest.fixture
def proposed(plan, coordinator, family_parent, contacts):
    """Amendments proposed 16 days ago, so the family's 15 days are over. Tests ask for it
    before the browser: once Playwright's loop owns the thread, events cannot broadcast."""
    today = timezone.localdate()
    review = held_review(plan, coordinator, today - dt.timedelta(days=40))
    do_record_decision(review, coordinator, outcome="A", reasons="Lunchtimes are hard.",
                       proposed={"F": "A daily check-in."}, today=today - dt.timedelta(days=16))
    return review


def test_a_parent_on_a_phone_reads_the_letter_and_replies(proposed, family_parent, phone_page,
                                                           as_persona):
    page = as_persona(phone_page, family_parent)
    page.goto(f"/reviews/{proposed.pk}/family/")
    assert_accessible(page, "the family page with the decision")
    page.get_by_role("link", name="Read the letter, with your rights and who can help").click()
    assert page.get_by_role("heading", name="Our decision after Amira's review").is_visible()
    assert_accessible(page, "the letter on a phone")
    page.get_by_role("link", name="Reply about the changes").click()
    assert_accessible(page, "reply about the changes")
    page.get_by_label("What do you think of the proposed changes?").fill("Yes, please.")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Send your reply").click()
    page.wait_for_url(f"**/reviews/{proposed.pk}/family/")
    assert "We have your reply" in page.locator(".govuk-notification-banner").first.inner_text()
    assert FamilyResponse.objects.get().wants_meeting


@pytest.fixture
def finalised(proposed, coordinator, plan):
    do_issue_final_plan(proposed, coordinator, {**plan.sections, "F": "A daily check-in."})
    return proposed


def test_after_the_final_plan_a_parent_on_a_phone_asks_for_mediation(
        finalised, family_parent, phone_page, as_persona):
    proposed = finalised
    page = as_persona(phone_page, family_parent)
    page.goto(f"/reviews/{proposed.pk}/family/")
    assert_accessible(page, "the family page after the final plan")
    page.get_by_role("link", name="Ask for mediation").click()
    assert_accessible(page, "ask for mediation")
    page.get_by_role("button", name="Ask for mediation").click()
    page.wait_for_url(f"**/reviews/{proposed.pk}/family/")
    assert Disagreement.objects.get().mediation_requested_on == timezone.localdate()


@pytest.fixture
def won_appeal(plan, coordinator, family_parent, contacts):
    """Maintained 20 days ago; the family appealed and won today. Before the browser."""
    from decisions.disagreeing import do_record_facts

    today = timezone.localdate()
    review = held_review(plan, coordinator, today - dt.timedelta(days=30))
    do_record_decision(review, coordinator, outcome="M", reasons="Good progress.",
                       today=today - dt.timedelta(days=20))
    do_record_facts(review, coordinator, {"appeal_made_on": today - dt.timedelta(days=10),
                                          "appeal_decided_on": today},
                    appeal_result="family", today=today)
    return review


def test_an_officer_records_the_tribunals_order_and_the_family_read_it(
        won_appeal, coordinator, family_parent, browser_page, as_persona):
    from decisions.models import TribunalOrder

    page = as_persona(browser_page, coordinator)
    page.goto(f"/reviews/{won_appeal.pk}/")
    page.get_by_role("link", name="Record the Tribunal's order").click()
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page, f"the Tribunal's order at {width} px")
    page.get_by_role("button", name="Save").click()
    page.wait_for_function("document.title.startsWith('Error: ')")
    assert_accessible(page, "the Tribunal's order, with errors")
    page.get_by_label("Amend the needs or provision in the plan (within 5 weeks)").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/reviews/{won_appeal.pk}/")
    assert TribunalOrder.objects.get().amend_provision
    panel = page.locator("#decision").inner_text()
    assert "Issue the plan amended as the Tribunal ordered" in panel
    page.context.clear_cookies()
    page = as_persona(page, family_parent)
    page.goto(f"/reviews/{won_appeal.pk}/decision/")
    order = page.locator("#order ~ ul").first.inner_text()
    assert "We must send you the plan with the changes by" in order
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        assert_accessible(page, f"the letter with the order at {width} px")


@pytest.fixture
def just_proposed(plan, coordinator, family_parent, contacts):
    """Amendments proposed today: the family's 15 days to reply are ahead."""
    today = timezone.localdate()
    review = held_review(plan, coordinator, today - dt.timedelta(days=10))
    do_record_decision(review, coordinator, outcome="A", reasons="Lunchtimes are hard.",
                       proposed={"F": "A daily check-in."}, today=today)
    review.refresh_from_db()
    return review


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280px", "360px"])
def test_a_parent_sees_the_decision_first_and_the_day_to_reply_by(
        just_proposed, family_parent, at_width, viewport):
    reply_by = f"{just_proposed.deadlines().representations_end:%-d %B %Y}"
    page = at_width(family_parent, viewport)
    page.goto(f"/reviews/{just_proposed.pk}/family/")
    assert_accessible(page, f"the family page with the decision at {viewport['width']} px")
    decision = page.get_by_role("heading", name="The council's decision", exact=True)
    # It once started about 1,700 px down a phone, below the review's story.
    assert decision.bounding_box()["y"] < 800
    now = page.locator("h2:text-is('What you can do now') + dl")
    assert "Reply about the proposed changes by" in now.inner_text()
    assert reply_by in now.inner_text()
    page.goto("/reviews/family/")
    assert reply_by in page.locator(".govuk-summary-card").inner_text()
    assert_accessible(page, f"the family's home at {viewport['width']} px")
