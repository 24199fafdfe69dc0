"""Issue 20's family items in a real browser, with axe at 1280 and 360 px: a Year 6
parent's record of support explained and the day the plan must name the new school given,
on the home card and the review page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from reviews.models import Plan, Review
from tests.browser.conftest import PHONE, WIDE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def year_6_record_of_support(review, child, family_parent):
    # Year 6 in the school year of the review's due date: the move is the next September.
    today = dt.date.today()
    start = today.year if today.month >= 9 else today.year - 1
    if today > dt.date(start + 1, 2, 14):  # this year's deadline has passed: next year's
        start += 1
    child.date_of_birth = dt.date(start - 11, 10, 14)
    child.save()
    Plan.objects.filter(pk=review.plan_id).update(kind=Plan.Kind.RECORD_OF_SUPPORT)
    Review.objects.filter(pk=review.pk).update(due_by=dt.date(start + 1, 1, 20))
    return review


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280px", "360px"])
def test_a_parent_reads_what_a_record_of_support_is_and_the_day_to_name_the_school(
        year_6_record_of_support, family_parent, at_width, viewport):
    review = year_6_record_of_support
    page = at_width(family_parent, viewport)
    for path in ("/reviews/family/", f"/reviews/{review.pk}/family/"):
        page.goto(path)
        page.get_by_text("What is a record of support?").click()
        expect(page.get_by_text("does not have an education, health and care (EHC) plan")
               ).to_be_visible()
        expect(page.get_by_text("The plan must name the new school or college by")
               ).to_be_visible()
        assert "Late" not in page.locator("main").inner_text()
        assert_accessible(page, f"{path} at {viewport['width']} px")
