"""The dashboards in a real browser, on a desktop and on a phone, with axe on every page."""

import pytest

from tests.accountability.conftest import TODAY
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    as_persona,
    assert_accessible,
    browser_page,
    chromium,
    phone_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = f"?year={TODAY.year}"
PAGES = [("/accountability/", "Accountability figures"),
         (f"/accountability/caseload/{YEAR}", "Caseloads"),
         (f"/accountability/timeliness/{YEAR}", "Timeliness"),
         (f"/accountability/participation/{YEAR}", "Agency participation"),
         (f"/accountability/advocacy/{YEAR}", "Independent advocacy"),
         (f"/accountability/dfe/{YEAR}", "DfE annual-review measures")]


def walk(page):
    for url, heading in PAGES:
        page.goto(url)
        assert page.locator("h1").inner_text() == heading
        assert_accessible(page, url)
    # A count leads to the reviews behind it, and back.
    page.goto(f"/accountability/timeliness/{YEAR}")
    page.get_by_role("link", name="6 on time, Reviews held within 12 months").click()
    page.wait_for_url("**/accountability/reviews/**")
    assert page.locator("h1").inner_text() == "Reviews behind a figure"
    assert page.locator("tbody tr").count() == 6
    assert_accessible(page, "the reviews behind a figure")


def test_an_la_manager_reads_the_dashboards_on_a_desktop(
        browser_page, as_persona, testshire, la_manager):  # noqa: F811
    walk(as_persona(browser_page, la_manager))


def test_and_on_a_phone(phone_page, as_persona, testshire, la_manager):  # noqa: F811
    walk(as_persona(phone_page, la_manager))
