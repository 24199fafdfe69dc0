"""A young person of 17, on a phone and a desktop: their own review, asked as "you", their
contact and free help on the page, their views written and sent; and who in their family
sees it, their own decision. Every page is checked by axe at both widths."""

import datetime as dt

import pytest

from agencies.models import Agency
from reviews.models import FamilyMember, FamilyViews, Invitation, YoungPersonDecision
from tests.browser.conftest import PHONE, WIDE, assert_accessible
from tests.conftest import hold_contacts, make_person
from tests.factories import ChildFactory, FamilyMemberFactory, ReviewFactory
from tests.reviews.conftest import invite_person

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
    child = ChildFactory(setting=college, first_name="Jordan", last_name="Clarke",
                         la_reference="T-0017", date_of_birth=born)
    FamilyMemberFactory(child=child, user=person,
                        relationship=FamilyMember.Relationship.YOUNG_PERSON)
    ReviewFactory(plan__child=child, coordinator=coordinator, meeting_in_days=30,
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


@pytest.fixture
def parent_of(young_person):
    """A parent on the young person's record, invited to the review before they decided."""
    child = FamilyMember.objects.get(user=young_person).child
    person = make_person("sam.clarke@test.example", "Sam", "Clarke")
    FamilyMemberFactory(child=child, user=person, name="Sam Clarke")
    invite_person(child.plans.get().reviews.get(), person, role=Invitation.Role.FAMILY)
    return person


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1280px", "360px"])
def test_a_young_person_hides_their_review_from_a_parent(
        at_width, young_person, parent_of, viewport):
    page = at_width(young_person, viewport)
    page.goto("/reviews/family/")
    page.get_by_role("link", name="See your review").click()
    review_url = page.url
    assert page.get_by_role("heading", name="Who can see your review").is_visible()
    assert "Cannot see your review: not agreed yet" in page.locator("main").inner_text()
    page.get_by_role("link", name="Change who can see your review").click()
    assert "Jordan" not in page.title()
    assert_accessible(page, f"who can see your review at {viewport['width']} px")

    page.get_by_role("button", name="Save").click()  # nothing chosen: a clear error
    assert page.locator(".govuk-error-summary").get_by_text(
        "Select yes or no for Sam Clarke").is_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page, f"the error at {viewport['width']} px")

    page.get_by_label("No, they cannot see my review").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Saved. You can change this at any time.").is_visible()
    assert_accessible(page, f"saved at {viewport['width']} px")
    decision = YoungPersonDecision.objects.get()
    assert (decision.choice, decision.recorded_by) == ("does_not_see", young_person)

    parents_page = at_width(parent_of, viewport)
    assert parents_page.goto(review_url).status == 404
    parents_page.goto("/reviews/family/")
    assert "Jordan" not in parents_page.locator("main").inner_text()
    assert_accessible(parents_page, f"the parent's home, now empty, at {viewport['width']} px")
