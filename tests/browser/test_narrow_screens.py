"""The coordinator's and the family's tables on a 360 px phone (issue 16, item 12): the
invitation list and the report's attendance table fit the screen, with nothing to scroll
sideways, at real lengths (a long email address, a long job title, the send date).

The charts' labels are checked on the dashboards (tests/accountability/
test_dashboard_browser.py)."""

import pytest

from agencies.models import Agency, Discipline, Role
from reviews import invitees, scheduling
from reviews.advice import do_answer_invitation
from reviews.models import Invitation
from tests.browser.conftest import PHONE, WIDE, assert_accessible
from tests.conftest import make_person
from tests.reports.conftest import (  # noqa: F401  (fixtures)
    family_invitation,
    hold_meeting,
    met_review,
)
from tests.reports.test_pages import publish
from tests.reviews.conftest import invite_person, senco  # noqa: F401  (senco: a fixture)
from tests.reviews.test_advice_fixtures import media_fixture  # noqa: F401
from tests.reviews.test_scheduling import five_roles_fixture, social_care_fixture  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_EMAIL = "claire.doyle-richardson@families.northbridge.example"


def assert_fits(page, *locators):
    """Nothing on the page is wider than the screen, and each locator is wholly on it."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, \
        f"{page.url} scrolls sideways at {width} px"
    for locator in locators:
        for i in range(locator.count()):
            box = locator.nth(i).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, \
                f"{locator} #{i} is off the screen: {box}"


@pytest.fixture
def invitations_sent(five_roles, coordinator, nhs_trust):
    """The five required roles and a paediatrician with a long title, all sent; the family
    at a long address."""
    scheduling.do_add_invitations(five_roles, coordinator, [
        p for p in invitees.proposed_invitees(five_roles) if p.suggested])
    Invitation.objects.filter(review=five_roles, role=Invitation.Role.FAMILY).update(
        email=LONG_EMAIL)
    doctor = make_person("consultant.paediatrician@nhs.test.example", "Olufunmilayo",
                         "Oyelaran-Whitfield", nhs_trust, Role.PRACTITIONER,
                         Discipline.PAEDIATRICIAN)
    scheduling.do_add_invitations(five_roles, coordinator, [
        invitees.Invitee(name=str(doctor), email=doctor.email, user=doctor, agency=nhs_trust,
                           role=Invitation.Role.PROFESSIONAL,
                           discipline=Discipline.PAEDIATRICIAN)])
    scheduling.do_send_invitations(five_roles, coordinator)
    return five_roles


def test_the_invitation_list_fits_a_phone(invitations_sent, coordinator, at_width):
    page = at_width(coordinator, PHONE)
    page.goto(f"/reviews/{invitations_sent.pk}/invite/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 6
    assert LONG_EMAIL in page.locator("table").inner_text()
    assert_fits(page, page.get_by_role("button", name="Remove"),
                page.locator("table tbody td").filter(has_text="Sent "))
    assert_accessible(page, "the invitation list on a phone")


@pytest.fixture
def published_report(met_review, coordinator, family_parent, invited_therapist,  # noqa: F811
                     authority):
    """A report whose attendance has a long name, a long service name and a note."""
    service = Agency.objects.create(authority=authority, kind=Agency.Kind.NHS,
                                    name="Northbridge Neurodevelopmental Paediatrics")
    doctor = make_person("o.oyelaran-whitfield@nhs.test.example", "Olufunmilayo",
                         "Oyelaran-Whitfield", service, Role.PRACTITIONER,
                         Discipline.PAEDIATRICIAN)
    invitation = invite_person(met_review, doctor, agency=service,
                               discipline=Discipline.PAEDIATRICIAN)
    do_answer_invitation(invitation, doctor, Invitation.Answer.DECLINED,
                         "In clinic all day; my colleague o.oyelaran-whitfield@nhs.test.example "
                         "will read the report.")
    review = hold_meeting(met_review, coordinator)
    publish(review, coordinator, family_parent, invited_therapist, doctor)
    return review


def test_the_reports_attendance_table_fits_a_phone(published_report, family_parent, at_width):
    for viewport in (PHONE, WIDE):
        page = at_width(family_parent, viewport)
        page.goto(f"/reviews/{published_report.pk}/report/")
        attendance = page.locator("section[aria-labelledby=attendance] table")
        assert "Speech and language therapist" in attendance.inner_text()
        assert_fits(page, attendance, attendance.locator("td"))
        assert_accessible(page, f"the published report at {viewport['width']} px")


# 1280 x 1024 at 400% zoom (WCAG 1.4.10, reflow).
ZOOMED = {"width": 320, "height": 256}


def test_the_reports_attendance_reflows_at_400_percent_zoom(published_report, family_parent,
                                                             at_width):
    page = at_width(family_parent, ZOOMED)
    page.goto(f"/reviews/{published_report.pk}/report/")
    attendance = page.locator("section[aria-labelledby=attendance]")
    for words in ("Olufunmilayo Oyelaran-Whitfield", "Northbridge Neurodevelopmental "
                  "Paediatrics", "Speech and language therapist", "In clinic all day"):
        assert words in attendance.inner_text()
    assert_fits(page, attendance, attendance.locator("dt, dd, td, th"))
    assert_accessible(page, "the published report at 400% zoom")


@pytest.fixture
def drafted_report(met_review, coordinator, invited_therapist):  # noqa: F811
    return hold_meeting(met_review, coordinator)


@pytest.mark.parametrize("path", ["edit", "draft"])
def test_the_draft_reports_attendance_reflows_at_400_percent_zoom(drafted_report, coordinator,
                                                                   at_width, path):
    page = at_width(coordinator, ZOOMED)
    page.goto(f"/reviews/{drafted_report.pk}/outcome/{path}/")
    assert "Theo Rapist" in page.locator("main").inner_text()
    assert_fits(page)
    assert_accessible(page, f"the draft report ({path}) at 400% zoom")
