"""The family's page for their child's review: the advocacy offer and SENDIASS on the first
screen, the meeting, who is invited (names and roles, never emails), what to do now."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import AuthorityContact, Discipline
from reviews.family import do_answer_advocacy
from reviews.models import AdvocacyOffer, FamilyMember, Invitation
from tests.conftest import ON_TODAY, sign_in
from tests.factories import FamilyMemberFactory
from tests.reviews.conftest import invite_person

pytestmark = [pytest.mark.django_db, ON_TODAY]

OFFER = "You can have an independent advocate to help you. It is free."


@pytest.fixture
def signed_in(client, family_parent):
    sign_in(client, family_parent)
    return client


@pytest.fixture
def sendiass(authority):
    return AuthorityContact.objects.create(authority=authority, service="sendiass",
                                           name="Testshire SENDIASS", phone="0113 496 0600",
                                           email="help@sendiass.test.example")


def page_of(client, review) -> str:
    return client.get(reverse("reviews:family_review", args=[review.pk])).content.decode()


def first_screen(page: str) -> str:
    """What comes before the first section below the offer: the H1, the offer, SENDIASS."""
    main = page.split('id="main-content"')[1]
    return main.split("What you can do now")[0]


def test_the_advocacy_offer_and_sendiass_are_on_the_first_screen(signed_in, review, sendiass):
    screen = first_screen(page_of(signed_in, review))
    assert OFFER in screen
    assert reverse("reviews:advocacy", args=[review.pk]) in screen
    assert "Testshire SENDIASS" in screen
    assert "0113 496 0600" in screen and "help@sendiass.test.example" in screen
    assert "free advice about special educational needs" in screen


def test_once_answered_the_offer_gives_way_to_the_answer_and_a_way_to_change_it(
        signed_in, review, family_parent):
    do_answer_advocacy(review, family_parent, AdvocacyOffer.Answer.YES)
    page = page_of(signed_in, review)
    assert OFFER not in page
    assert "You said yes to an independent advocate on" in page
    assert "Change your answer" in page


def test_not_yet_keeps_the_offer_on_the_first_screen(signed_in, review, family_parent):
    do_answer_advocacy(review, family_parent, AdvocacyOffer.Answer.NOT_YET)
    assert OFFER in first_screen(page_of(signed_in, review))


def test_the_meeting_when_where_and_link(signed_in, review):
    review.meeting_place = "Testshire Primary, room 4"
    review.meeting_link = "https://meet.test.example/amira"
    review.save()
    page = page_of(signed_in, review)
    assert timezone.localtime(review.meeting_at).strftime("%-d %B %Y") in page
    assert "at 10am" in page
    assert "Testshire Primary, room 4" in page
    assert "https://meet.test.example/amira" in page


def test_who_is_invited_shows_names_and_roles_but_no_email_addresses(
        signed_in, review, therapist, nhs_trust):
    invite_person(review, therapist, agency=nhs_trust, discipline=Discipline.SPEECH_AND_LANGUAGE)
    Invitation.objects.create(review=review, role=Invitation.Role.SOCIAL_CARE,
                              name="Duty social worker", email="duty@care.test.example")
    assert "The invitations have not gone out yet" in page_of(signed_in, review)
    review.invitations_sent_at = timezone.now()
    review.save()
    page = page_of(signed_in, review)
    assert "Theo Rapist" in page
    assert "Speech and language therapist, Testshire NHS Trust" in page
    assert "Duty social worker" in page and "From social care" in page
    assert therapist.email not in page and "duty@care.test.example" not in page


def test_what_to_do_now_links_to_the_views_and_the_offer(signed_in, review):
    page = page_of(signed_in, review)
    assert reverse("reviews:family_views", args=[review.pk]) in page
    assert "Give your views" in page and "Not started" in page


def test_a_young_person_reads_about_their_own_review(client, review, child, outsider):
    FamilyMemberFactory(child=child, user=outsider,
                        relationship=FamilyMember.Relationship.YOUNG_PERSON)
    sign_in(client, outsider)
    page = page_of(client, review)
    assert "<h1 class=\"govuk-heading-l\">Your review</h1>" in page
    assert OFFER in first_screen(page)


def test_the_page_title_carries_no_name(signed_in, review):
    title = page_of(signed_in, review).split("<title>")[1].split("</title>")[0]
    assert "Amira" not in title and "Example" not in title
