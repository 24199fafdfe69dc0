"""A young person of 17, on a phone and a desktop: their own review, asked as "you", their
contact and free help on the page, their views written and sent. Every page is checked by
axe at both widths."""

import datetime as dt

import pytest

from agencies.models import Agency
from reviews.models import FamilyMember, FamilyViews
from tests.browser.conftest import PHONE, WIDE, assert_accessible
from tests.conftest import hold_contacts, make_person
from tests.reviews.conftest import make_child, make_plan, make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = {
    "What is important to you?": "My friends at college and my bike.",
    "What is going well for you?": "I get to lessons on my own now.",
    "What is hard for you?": "Busy corridors between lessons.",
    "What do you hope for in the future?": "To work in a bike shop.",
}


@pytest.fixture
def young_person(authority, coordinator):
    college = Agency.objects.create(authority=authority, name="Testshire College",
                                    kind=Agency.Kind.SCHOOL)
    hold_contacts(authority)
    person = make_person("jordan@test.example", "Jordan", "Clarke")
    born = dt.date.today().replace(year=dt.date.today().year - 17) - dt.timedelta(days=30)
    child = make_child(authority, college, first="Jordan", last="Clarke", ref="T-0017",
                       born=born)
    FamilyMember.objects.create(child=child, user=person, name=str(person), email=person.email,
                                relationship=FamilyMember.Relationship.YOUNG_PERSON)
    make_review(make_plan(child), coordinator, meeting_in_days=30,
                meeting_place="Testshire College, room 2")
    return person


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280px", "360px"])
def test_a_young_person_is_asked_as_you_and_sends_their_own_views(
        at_width, young_person, viewport):
    page = at_width(young_person, viewport)
    page.goto("/reviews/")
    page.wait_for_url("**/reviews/family/")
    assert page.get_by_role("heading", name="Your review", exact=True).is_visible()
    card = page.locator(".govuk-summary-card").first.inner_text()
    assert "Cora Ordinator" in card, "their contact, with a way to reach them"
    assert "Jordan Clarke" not in page.title(), "no name in the page title"
    assert_accessible(page, f"the young person's home at {viewport['width']} px")

    page.get_by_role("link", name="See your review").click()
    main = page.locator("main").inner_text()
    assert "Testshire SENDIASS" in main and "0113 496 0600" in main
    assert "your child" not in main.lower(), "spoken to as themselves"
    assert_accessible(page, f"the young person's review at {viewport['width']} px")

    page.get_by_role("link", name="Give your views").first.click()
    page.get_by_role("link", name="Start now").click()
    for question, answer in ANSWERS.items():
        assert page.locator("h1").inner_text() == question
        assert_accessible(page, question)
        page.get_by_label(question).fill(answer)
        page.get_by_role("button", name="Continue").click()
    while "/views/check/" not in page.url:  # any further step is optional: go on past it
        page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("Busy corridors between lessons.").is_visible()
    assert_accessible(page, f"checking their answers at {viewport['width']} px")
    page.get_by_role("button", name="Send your views").click()
    page.wait_for_url("**/views/sent/")
    assert_accessible(page, f"views sent at {viewport['width']} px")
    views = FamilyViews.objects.get(author=young_person)
    assert views.submitted_at is not None
    assert views.hard == "Busy corridors between lessons."
