"""A member of the SEND team's staff keeps a child's record in the Wagtail admin, in a real
browser: adds a child with a parent, finds them again, and opens the plan's next review;
axe checks each screen."""

import pytest

from reviews.models import Child, Review
from tests.browser.conftest import assert_accessible
from tests.reviews.conftest import child, plan, school  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_add_a_child_with_a_parent_and_open_the_plans_next_review(
        browser_page, as_persona, staff, authority, school, plan, coordinator):  # noqa: F811
    page = as_persona(browser_page, staff)

    page.goto("/cms/reviews/children/new/")
    assert_accessible(page, "add a child")
    page.get_by_label("First name").fill("Noor")
    page.get_by_label("Last name").fill("Hassan")
    page.get_by_label("Date of birth").fill("2015-06-02")
    page.get_by_label("LA reference").fill("T-2001")
    page.get_by_label("Authority").select_option(str(authority.pk))
    page.get_by_label("Setting", exact=True).select_option(str(school.pk))
    page.get_by_role("button", name="Add family member").click()
    page.locator("#id_family-0-name").fill("Amal Hassan")
    page.locator("#id_family-0-email").fill("amal@test.example")
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/cms/reviews/children/")
    noor = Child.objects.get(la_reference="T-2001")
    assert [m.name for m in noor.family.all()] == ["Amal Hassan"]

    page.get_by_role("textbox", name="Search term").fill("hassan")
    page.get_by_role("link", name="Noor Hassan").wait_for()
    # Wagtail slides its "created" message in: let it settle before measuring contrast.
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
    assert_accessible(page, "children, searched")

    page.goto(f"/cms/reviews/plans/edit/{plan.pk}/")
    assert_accessible(page, "a plan")
    page.goto(f"/cms/reviews/plans/{plan.pk}/open-review/")
    assert_accessible(page, "open the next review")
    page.get_by_label("Coordinator").select_option(str(coordinator.pk))
    page.get_by_role("button", name="Open the review").click()
    page.wait_for_url(f"**/cms/reviews/plans/edit/{plan.pk}/")
    assert "Annual review opened for AE (T-0001)" in page.content()
    assert Review.objects.get(plan=plan).coordinator == coordinator
