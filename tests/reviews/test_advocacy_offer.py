"""Independent advocacy as an active offer: the answer is recorded, and a yes invites the
authority's advocacy provider to the review like any contributor, once."""

import pytest
from django.utils import timezone

from agencies.models import Agency
from outbox.models import Email
from reviews.family import do_answer_advocacy, offer_is_open
from reviews.models import AdvocacyOffer, Event, Invitation, Plan, Review
from tests.reviews.conftest import make_plan, make_review

pytestmark = pytest.mark.django_db

YES, NO, NOT_YET = AdvocacyOffer.Answer.YES, AdvocacyOffer.Answer.NO, AdvocacyOffer.Answer.NOT_YET


@pytest.fixture
def provider(authority):
    return Agency.objects.create(authority=authority, name="Speak Up Testshire",
                                 kind=Agency.Kind.ADVOCACY, email="hello@speakup.test.example")


def advocate_invitations(review):
    return Invitation.objects.current().filter(review=review, role=Invitation.Role.ADVOCATE)


def test_the_answer_is_recorded_with_its_date_who_gave_it_and_an_event(review, family_parent):
    before = timezone.now()
    do_answer_advocacy(review, family_parent, NO)
    offer = AdvocacyOffer.objects.get(review=review)
    assert offer.answer == NO
    assert offer.answered_by == family_parent
    assert offer.answered_at >= before
    event = Event.objects.get(review=review, kind="advocacy_answered")
    assert event.actor == family_parent
    assert event.data == {"answer": "no"}


def test_yes_invites_the_authoritys_advocacy_provider_like_any_contributor(
        review, family_parent, provider):
    do_answer_advocacy(review, family_parent, YES)
    invitation = advocate_invitations(review).get()
    assert (invitation.agency, invitation.email, invitation.name) == (
        provider, provider.email, provider.name)
    assert invitation.advice_requested
    assert invitation.sent_at is None, "it goes out with the others when they are sent"
    assert Event.objects.filter(review=review, kind="invitations_added").count() == 1


def test_answering_yes_twice_invites_once_and_records_once(review, family_parent, provider):
    do_answer_advocacy(review, family_parent, YES)
    do_answer_advocacy(review, family_parent, YES)
    assert advocate_invitations(review).count() == 1
    assert Event.objects.filter(review=review, kind="advocacy_answered").count() == 1


def test_changing_the_answer_back_to_yes_does_not_invite_the_provider_again(
        review, family_parent, provider):
    for answer in (YES, NO, YES):
        do_answer_advocacy(review, family_parent, answer)
    assert advocate_invitations(review).count() == 1
    assert Event.objects.filter(review=review, kind="advocacy_answered").count() == 3


def test_a_provider_the_coordinator_already_invited_is_not_invited_twice(
        review, family_parent, provider):
    Invitation.objects.create(review=review, role=Invitation.Role.OTHER, agency=provider,
                              name=provider.name, email=provider.email)
    do_answer_advocacy(review, family_parent, YES)
    assert Invitation.objects.current().filter(review=review, email=provider.email).count() == 1


def invitations_sent(review):
    """Everyone the law requires invited and emailed: the review is under way."""
    for role in Invitation.REQUIRED_ROLES:
        Invitation.objects.create(review=review, role=role, name=f"The {role}",
                                  email=f"{role}@test.example", sent_at=timezone.now())
    review.invitations_sent_at = timezone.now()
    review.status = Review.Status.INVITATIONS_SENT
    review.save()


def test_yes_after_the_invitations_went_out_emails_the_provider_once(
        review, family_parent, provider):
    invitations_sent(review)
    do_answer_advocacy(review, family_parent, YES)
    do_answer_advocacy(review, family_parent, NO)
    do_answer_advocacy(review, family_parent, YES)
    invitation = advocate_invitations(review).get()
    assert invitation.sent_at is not None and invitation.token_hash
    email = Email.objects.get(to=provider.email)
    child = review.plan.child
    assert f"{child.initials} ({child.la_reference})" in email.subject
    assert child.first_name not in email.subject + email.text, "initials only in email"
    assert Email.objects.count() == 1, "nobody else is emailed again"


def test_when_the_advocates_invitation_cannot_go_yet_the_coordinator_is_told(
        review, family_parent, provider):
    invitations_sent(review)
    Invitation.objects.filter(review=review, role=Invitation.Role.HEALTH).update(
        removed_at=timezone.now())
    offer = do_answer_advocacy(review, family_parent, YES)
    assert offer.answer == YES, "the family's answer stands"
    assert advocate_invitations(review).get().sent_at is None
    assert Event.objects.filter(review=review, kind="advocate_invitation_waiting").exists()


def test_yes_with_no_advocacy_provider_set_up_tells_the_coordinator(review, family_parent):
    do_answer_advocacy(review, family_parent, YES)
    assert not advocate_invitations(review).exists()
    assert Event.objects.filter(review=review, kind="advocate_not_invited").exists()


def test_not_yet_is_an_answer_that_keeps_the_offer_open(review, family_parent):
    offer = do_answer_advocacy(review, family_parent, NOT_YET)
    assert offer.answered_at is not None
    assert offer_is_open(offer)
    assert not offer_is_open(do_answer_advocacy(review, family_parent, NO))


def test_the_offer_stands_for_a_record_of_support_review(child, coordinator, family_parent,
                                                        provider):
    plan = make_plan(child)
    plan.kind = Plan.Kind.RECORD_OF_SUPPORT
    plan.save()
    review = make_review(plan, coordinator, kind=Review.Kind.RECORD_OF_SUPPORT)
    do_answer_advocacy(review, family_parent, YES)
    assert advocate_invitations(review).get().agency == provider


def test_an_unknown_answer_is_refused(review, family_parent):
    with pytest.raises(ValueError):
        do_answer_advocacy(review, family_parent, "maybe")
    assert not AdvocacyOffer.objects.exists()
