"""No one to contact: every page a family sees names the person who runs their review with
an email and a phone, and the authority's services where they matter (issue 16, item 2)."""

import pytest
from django.urls import reverse

from outbox.models import Email
from reviews.contacts import coordinator_contact
from reviews.models import Invitation, Review
from reviews.scheduling import do_send_invitations
from tests.conftest import ON_TODAY, hold_contacts, sign_in
from tests.reviews.conftest import invite_person
from tests.reviews.family_journey import family_pages
from tests.reviews.test_advice_fixtures import media_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, ON_TODAY]

TEAM_PHONE = "0113 496 0100"


@pytest.fixture
def team_line(la_team):
    la_team.phone = TEAM_PHONE
    la_team.save()
    return la_team


@pytest.fixture
def services(authority):
    """Every contact the authority's letters name."""
    return hold_contacts(authority)


def test_every_page_a_family_sees_names_the_coordinator_with_an_email_and_a_phone(
        client, review, coordinator, invited_therapist, family_parent, team_line, services,
        media):
    sign_in(client, family_parent)
    seen = []
    for page in family_pages(client, review, coordinator, invited_therapist, family_parent):
        for words in ("Cora Ordinator", "coordinator@test.example", TEAM_PHONE):
            assert words in page.html, f"{page.stage}: {page.url} does not give {words!r}"
        assert "Ask Cora Ordinator" not in page.html
        seen.append(page.url)
    assert len(seen) >= 20


def test_the_review_page_gives_sendiass_and_after_the_decision_mediation(
        client, review, coordinator, invited_therapist, family_parent, team_line, services,
        media):
    sign_in(client, family_parent)
    pages = {(p.stage, p.url): p.html for p in family_pages(
        client, review, coordinator, invited_therapist, family_parent)}
    page = reverse("reviews:family_review", args=[review.pk])
    before, after = pages[("invited", page)], pages[("amendments proposed", page)]
    for html in (before, after):
        assert "Testshire SENDIASS" in html and "help@sendiass.test.example" in html
    assert "Help if you disagree with the decision" not in before
    assert "Help if you disagree with the decision" in after
    assert "mediation@test.example" in after and "0113 496 0700" in after
    advocacy = pages[("invited", reverse("reviews:advocacy", args=[review.pk]))]
    assert "hello@speakup.test.example" in advocacy and "0113 496 0500" in advocacy
    disagree = pages[("amendments proposed", reverse("decisions:disagree", args=[review.pk]))]
    assert "mediation@test.example" in disagree


def test_without_a_sendiass_record_the_family_is_shown_where_to_find_theirs(
        client, review, family_parent, team_line):
    sign_in(client, family_parent)
    html = client.get(reverse("reviews:family_review", args=[review.pk])).content.decode()
    assert "Find your local SENDIASS" in html
    assert "Ask the person who runs the review" not in html


def test_the_contact_is_the_team_the_review_is_run_for(review, coordinator, school,
                                                        team_line, senco):
    assert coordinator_contact(review).phone == TEAM_PHONE
    school.phone = "0113 496 0201"
    school.save()
    review.coordinator = senco
    review.convenor = Review.Convenor.SETTING
    review.save()
    contact = coordinator_contact(review)
    assert (contact.name, contact.email, contact.team, contact.phone) == (
        "Sue Senco", "senco@test.example", "Testshire Primary", "0113 496 0201")


def test_a_coordinator_without_a_team_still_has_their_email(review, coordinator):
    coordinator.memberships.update(is_active=False)
    contact = coordinator_contact(review)
    assert (contact.email, contact.phone) == ("coordinator@test.example", "")


def test_the_family_invitation_email_names_the_coordinator_with_a_way_to_reach_them(
        review, coordinator, family_parent, team_line):
    invite_person(review, family_parent, role=Invitation.Role.FAMILY)
    for role in Invitation.REQUIRED_ROLES[1:]:
        review.invitations.create(role=role, name=role, email=f"{role}@test.example")
    do_send_invitations(review, coordinator)
    to_family = Email.objects.get(to=family_parent.email).text
    assert "Cora Ordinator from Testshire SEND team runs this review" in to_family
    assert "coordinator@test.example" in to_family and TEAM_PHONE in to_family


def test_the_home_page_stays_at_a_few_queries_with_the_contacts(
        client, review, family_parent, team_line, django_assert_max_num_queries):
    sign_in(client, family_parent)
    with django_assert_max_num_queries(16):
        html = client.get(reverse("reviews:family_home")).content.decode()
    assert "Your contact" in html and TEAM_PHONE in html
