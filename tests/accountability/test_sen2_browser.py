"""Making the SEN2 return in a real browser, as the authority's SEND manager, on a desktop
and on a phone, with axe on every page: refused while a record cannot be true, made once it
is corrected, and the file downloaded is the DfE's structure."""

import datetime as dt
from pathlib import Path

import pytest
import xmlschema
from django.utils import timezone

from accountability import sen2
from reviews.models import Plan, Review
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    as_persona,
    assert_accessible,
    browser_page,
    chromium,
    phone_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def decided_backwards(review):
    """A review held in June 2025 whose decision letter is dated before its meeting."""
    Plan.objects.filter(pk=review.plan_id).update(primary_need="SLCN")
    Review.objects.filter(pk=review.pk).update(
        meeting_at=timezone.make_aware(dt.datetime(2025, 6, 10, 10)),
        status=Review.Status.DECIDED, decision="M", decision_sent_on=dt.date(2025, 6, 1))
    return review


def make_return(page):
    page.goto("/accountability/exports/")
    page.get_by_role("link", name="Make the SEN2 return's items").click()
    assert_accessible(page, "the SEN2 form")
    for part, value in (("census_0", "15"), ("census_1", "1"), ("census_2", "2026")):
        page.fill(f"input[name={part}]", value)
    page.get_by_label("XML, the return's own format").check()
    page.get_by_role("button", name="Prepare the file").click()
    page.wait_for_url("**/accountability/exports/*-*/")


def walk(page, review, tmp_path):
    make_return(page)
    assert "The return was not made" in page.locator(".govuk-warning-text").inner_text()
    row = page.locator("tbody tr").first.inner_text()
    assert "T-0001" in row and "is before its meeting on 10 June 2025" in row
    assert page.get_by_role("link", name="Download the validation report").count() == 1
    assert_accessible(page, "a refused return")

    Review.objects.filter(pk=review.pk).update(decision_sent_on=dt.date(2025, 7, 1))
    page.get_by_role("link", name="Make the return again").click()
    make_return(page)
    assert page.locator(".govuk-panel__title").inner_text() == "Your file is ready"
    assert_accessible(page, "a return made")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download sen2-items-998-2026-01-15.xml").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    schema = xmlschema.XMLSchema(Path(sen2.__file__).parent / "schema" / "sen2.xsd")
    schema.validate(str(saved))
    assert b"<LastReview>2025-07-01</LastReview>" in saved.read_bytes()


def test_an_la_manager_makes_the_return_on_a_desktop(
        browser_page, as_persona, la_manager, decided_backwards, q_sync,  # noqa: F811
        tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    walk(as_persona(browser_page, la_manager), decided_backwards, tmp_path)


def test_and_on_a_phone(phone_page, as_persona, la_manager, decided_backwards, q_sync,  # noqa: F811
                        tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    walk(as_persona(phone_page, la_manager), decided_backwards, tmp_path)
