"""The dashboards in a real browser, on a desktop and on a phone, with axe on every page;
on a phone the charts' words are as big as GOV.UK's small body text (body-s), never shrunk
with the chart."""

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


# Each piece of text in the charts (the pictures beside the tables), at the size it is drawn:
# its font size times any scaling of the drawing it is in; and GOV.UK's body-s size here.
CHART_TEXT_SIZES = """() => {
  const probe = document.createElement("p");
  probe.className = "govuk-body-s";
  document.querySelector("main").append(probe);
  const bodyS = parseFloat(getComputedStyle(probe).fontSize);
  probe.remove();
  const sizes = [];
  for (const chart of document.querySelectorAll("main section > [aria-hidden=true]")) {
    const walker = document.createTreeWalker(chart, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const element = walker.currentNode.parentElement;
      if (!walker.currentNode.textContent.trim()) continue;
      const scale = element.getScreenCTM ? element.getScreenCTM().a : 1;
      sizes.push([walker.currentNode.textContent.trim(),
                  parseFloat(getComputedStyle(element).fontSize) * scale]);
    }
  }
  return {bodyS, sizes};
}"""


def test_the_charts_words_are_readable_on_a_phone(  # noqa: F811
        phone_page, as_persona, testshire, la_manager):  # noqa: F811
    page = as_persona(phone_page, la_manager)
    for url in (f"/accountability/timeliness/{YEAR}", f"/accountability/caseload/{YEAR}"):
        page.goto(url)
        measured = page.evaluate(CHART_TEXT_SIZES)
        assert measured["sizes"], f"{url} has a chart"
        small = [(text, round(size, 1)) for text, size in measured["sizes"]
                 if size < measured["bodyS"]]
        assert not small, f"smaller than body-s ({measured['bodyS']} px) on {url}: {small[:5]}"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
