"""Advocacy: a yes becomes a referral that the advocacy provider's lead assigns to a named
advocate, who then sees the review as an invited person, with the family told who it is
(issue 16, item 7)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Discipline, Role
from outbox.models import Email
from reviews.access import review_access
from reviews.advocacy import do_assign_advocate
from reviews.family import do_answer_advocacy
from reviews.models import AdvocacyOffer, AdvocacyReferral, Event, Invitation, Review
from tests.conftest import ON_TODAY, make_person, sign_in

pytestmark = [pytest.mark.django_db, ON_TODAY]

YES, NO = AdvocacyOffer.Answer.YES, AdvocacyOffer.Answer.NO


@pytest.fixture
def provider(authority):
    return Agency.objects.create(authority=authority, name="Speak Up Testshire",
                                 kind=Agency.Kind.ADVOCACY, email="hello@speakup.test.example",
                                 phone="0113 496 0500")


@pytest.fixture
def lead(provider):
    return make_person("lead@speakup.test.example", "Lena", "Lead", provider, Role.LEAD,
                       Discipline.ADVOCATE)


@pytest.fixture
def advocate(provider):
    return make_person("zoe@speakup.test.example", "Zoe", "Turner", provider,
                       Role.PRACTITIONER, Discipline.ADVOCATE)


@pytest.fixture
def referred(review, family_parent, provider, lead):
    do_answer_advocacy(review, family_parent, YES)
    return review


def invitations_sent(review):
    """Everyone the law requires invited and emailed: the review is under way."""
    for role in Invitation.REQUIRED_ROLES:
        Invitation.objects.create(review=review, role=role, name=f"The {role}",
                                  email=f"{role}@test.example", sent_at=timezone.now())
    Review.objects.filter(pk=review.pk).update(invitations_sent_at=timezone.now(),
                                               status=Review.Status.INVITATIONS_SENT)
    review.refresh_from_db()


def advocates_invitation(review):
    return Invitation.objects.current().get(review=review, role=Invitation.Role.ADVOCATE)


def test_the_lead_sees_the_referral_and_chooses_a_named_advocate(
        client, referred, lead, advocate, family_parent):
    sign_in(client, lead)
    listed = client.get(reverse("reviews:advocacy_referrals")).content.decode()
    url = reverse("reviews:advocacy_referral", args=[referred.pk])
    assert url in listed and "Choose an advocate for AE (T-0001)" in listed
    page = client.get(url).content.decode()
    assert "Amira Example" in page and family_parent.email in page
    assert f'value="{advocate.pk}"' in page
    response = client.post(url, {"advocate": advocate.pk})
    assert response.status_code == 302

    referral = AdvocacyReferral.objects.get()
    assert (referral.advocate, referral.assigned_by) == (advocate, lead)
    invitation = advocates_invitation(referred)
    assert (invitation.user, invitation.agency, invitation.email) == (
        advocate, referral.provider, advocate.email)
    assert not invitation.advice_requested, "an advocate is not chased for advice"
    assert review_access(advocate, referred.pk).invitation == invitation
    assert Event.objects.filter(review=referred, kind="advocate_assigned").count() == 1


def test_the_family_is_told_who_their_advocate_is_by_email_and_on_their_page(
        client, referred, lead, advocate, family_parent):
    do_assign_advocate(referred, lead, advocate)
    email = Email.objects.get(to=family_parent.email, subject="Your advocate for the review")
    assert "Your advocate is Zoe Turner from Speak Up Testshire" in email.text
    assert advocate.email in email.text and "0113 496 0500" in email.text
    to_advocate = Email.objects.get(to=advocate.email)
    assert f"/reviews/{referred.pk}/" in to_advocate.text
    sign_in(client, family_parent)
    page = client.get(reverse("reviews:family_review", args=[referred.pk])).content.decode()
    assert "Your advocate is Zoe Turner from Speak Up Testshire" in page
    assert advocate.email in page


def test_before_one_is_chosen_the_family_page_says_who_is_choosing(
        client, referred, family_parent):
    sign_in(client, family_parent)
    page = client.get(reverse("reviews:family_review", args=[referred.pk])).content.decode()
    assert "Speak Up Testshire is choosing one for you" in page


def test_after_the_invitations_went_out_the_advocates_goes_at_once(referred, lead, advocate):
    invitations_sent(referred)
    do_assign_advocate(referred, lead, advocate)
    invitation = advocates_invitation(referred)
    assert invitation.sent_at is not None and invitation.token_hash
    assert Email.objects.filter(to=advocate.email, calendar_method="REQUEST").count() == 1


def test_choosing_someone_else_replaces_the_first_advocate(referred, lead, advocate,
                                                           provider):
    other = make_person("max@speakup.test.example", "Max", "Other", provider,
                        Role.PRACTITIONER, Discipline.ADVOCATE)
    do_assign_advocate(referred, lead, advocate)
    do_assign_advocate(referred, lead, advocate)  # a double click
    do_assign_advocate(referred, lead, other)
    assert advocates_invitation(referred).user == other
    assert Invitation.objects.filter(review=referred, user=advocate,
                                     removed_at__isnull=False).count() == 1
    assert Event.objects.filter(review=referred, kind="advocate_assigned").count() == 2


def test_only_someone_at_the_provider_can_be_the_advocate(referred, lead, therapist):
    with pytest.raises(ValidationError, match="works at Speak Up Testshire"):
        do_assign_advocate(referred, lead, therapist)
    assert AdvocacyReferral.objects.get().advocate is None


def test_the_family_saying_no_withdraws_it_and_uninvites_the_advocate(
        client, referred, lead, advocate, family_parent):
    do_assign_advocate(referred, lead, advocate)
    do_answer_advocacy(referred, family_parent, NO)
    assert not Invitation.objects.current().filter(review=referred, user=advocate).exists()
    with pytest.raises(ValidationError, match="no longer wants"):
        do_assign_advocate(referred, lead, advocate)
    sign_in(client, lead)
    assert "AE (T-0001)" not in client.get(
        reverse("reviews:advocacy_referrals")).content.decode()


def test_the_coordinator_can_choose_the_advocate_too(client, referred, coordinator, advocate):
    sign_in(client, coordinator)
    url = reverse("reviews:advocacy_referral", args=[referred.pk])
    page = client.get(reverse("reviews:review", args=[referred.pk])).content.decode()
    assert "Speak Up Testshire has not chosen one yet" in page and url in page
    assert client.post(url, {"advocate": advocate.pk}).status_code == 302
    assert AdvocacyReferral.objects.get().advocate == advocate
    page = client.get(reverse("reviews:review", args=[referred.pk])).content.decode()
    assert "Zoe Turner from Speak Up Testshire is the family's advocate" in page


def test_nothing_chosen_is_an_error_that_keeps_the_page(client, referred, lead, advocate):
    sign_in(client, lead)
    url = reverse("reviews:advocacy_referral", args=[referred.pk])
    response = client.post(url, {})
    assert response.status_code == 200 and "Select the advocate" in response.content.decode()


def test_the_leads_reviews_page_says_families_are_waiting(client, referred, lead):
    sign_in(client, lead)
    page = client.get(reverse("reviews:mine")).content.decode()
    assert "1 family is waiting for an advocate." in page
    assert reverse("reviews:advocacy_referrals") in page


@pytest.mark.parametrize("who", ["outsider", "other_parent", "uninvited_professional",
                                 "family_parent", "advocate", "other_lead"])
def test_everyone_else_is_refused_the_referral_page(client, referred, advocate, request, who,
                                                    authority):
    if who == "other_lead":
        other = Agency.objects.create(authority=authority, name="Another advocacy service",
                                      kind=Agency.Kind.ADVOCACY)
        person = make_person("other.lead@test.example", "Olga", "Lead", other, Role.LEAD,
                             Discipline.ADVOCATE)
    else:
        person = request.getfixturevalue(who)
    sign_in(client, person)
    url = reverse("reviews:advocacy_referral", args=[referred.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"advocate": advocate.pk}).status_code == 404
    assert AdvocacyReferral.objects.get().advocate is None
    listed = client.get(reverse("reviews:advocacy_referrals"))
    assert who == "other_lead" or listed.status_code == 404
    assert "AE (T-0001)" not in listed.content.decode()


def test_the_referral_list_needs_a_sign_in(client):
    response = client.get(reverse("reviews:advocacy_referrals"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
