"""Independent advocacy as an active offer: the answer is recorded, and a yes refers the
family to the authority's advocacy provider, whose lead chooses the advocate
(test_advocacy_referral.py)."""

import pytest
from django.utils import timezone

from agencies.models import Agency, Discipline, Role
from outbox.models import Email
from reviews.family import do_answer_advocacy, offer_is_open
from reviews.models import AdvocacyOffer, AdvocacyReferral, Event, Invitation, Plan, Review
from tests.conftest import ON_TODAY, make_person
from tests.factories import PlanFactory, ReviewFactory

pytestmark = [pytest.mark.django_db, ON_TODAY]

YES, NO, NOT_YET = AdvocacyOffer.Answer.YES, AdvocacyOffer.Answer.NO, AdvocacyOffer.Answer.NOT_YET


@pytest.fixture
def provider(authority):
    return Agency.objects.create(authority=authority, name="Speak Up Testshire",
                                 kind=Agency.Kind.ADVOCACY, email="hello@speakup.test.example")


@pytest.fixture
def provider_lead(provider):
    return make_person("lead@speakup.test.example", "Lena", "Lead", provider, Role.LEAD,
                       Discipline.ADVOCATE)


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


def test_yes_refers_the_family_to_the_providers_lead_and_invites_nobody_yet(
        review, family_parent, provider, provider_lead):
    do_answer_advocacy(review, family_parent, YES)
    referral = AdvocacyReferral.objects.get(review=review)
    assert (referral.provider, referral.advocate, referral.withdrawn_at) == (provider, None, None)
    assert not advocate_invitations(review).exists(), "the lead chooses a named advocate"
    assert not Email.objects.filter(to=provider.email).exists(), "not the general inbox"
    email = Email.objects.get(to=provider_lead.email)
    child = review.plan.child
    assert f"{child.initials} ({child.la_reference})" in email.subject
    assert child.first_name not in email.subject + email.text, "initials only in email"
    assert f"/reviews/{review.pk}/advocacy/referral/" in email.text
    assert Event.objects.filter(review=review, kind="advocacy_referred").count() == 1


def test_answering_yes_twice_refers_once_and_records_once(review, family_parent, provider,
                                                          provider_lead):
    do_answer_advocacy(review, family_parent, YES)
    do_answer_advocacy(review, family_parent, YES)
    assert AdvocacyReferral.objects.count() == 1
    assert Email.objects.filter(to=provider_lead.email).count() == 1
    assert Event.objects.filter(review=review, kind="advocacy_answered").count() == 1


def test_no_withdraws_the_referral_and_yes_again_opens_it_again(review, family_parent,
                                                                provider, provider_lead):
    do_answer_advocacy(review, family_parent, YES)
    do_answer_advocacy(review, family_parent, NO)
    assert AdvocacyReferral.objects.get().withdrawn_at is not None
    do_answer_advocacy(review, family_parent, YES)
    referral = AdvocacyReferral.objects.get()
    assert referral.withdrawn_at is None
    assert Event.objects.filter(review=review, kind="advocacy_answered").count() == 3
    assert Email.objects.filter(to=provider_lead.email).count() == 2, "asked afresh"


def test_yes_with_no_advocacy_provider_set_up_tells_the_coordinator(review, family_parent):
    do_answer_advocacy(review, family_parent, YES)
    assert not AdvocacyReferral.objects.exists()
    assert Event.objects.filter(review=review, kind="advocate_not_invited").exists()
    assert "arrange an advocate yourself" in Email.objects.get(to=review.coordinator.email).text


def test_a_provider_with_no_lead_on_the_portal_leaves_the_coordinator_to_choose(
        review, family_parent, provider):
    do_answer_advocacy(review, family_parent, YES)
    assert AdvocacyReferral.objects.filter(provider=provider).exists()
    email = Email.objects.get(to=review.coordinator.email)
    assert "Nobody at Speak Up Testshire can choose an advocate" in email.text


def test_not_yet_is_an_answer_that_keeps_the_offer_open(review, family_parent):
    offer = do_answer_advocacy(review, family_parent, NOT_YET)
    assert offer.answered_at is not None
    assert offer_is_open(offer)
    assert not offer_is_open(do_answer_advocacy(review, family_parent, NO))


def test_the_offer_stands_for_a_record_of_support_review(child, coordinator, family_parent,
                                                        provider):
    plan = PlanFactory(child=child)
    plan.kind = Plan.Kind.RECORD_OF_SUPPORT
    plan.save()
    review = ReviewFactory(plan=plan, coordinator=coordinator, kind=Review.Kind.RECORD_OF_SUPPORT)
    do_answer_advocacy(review, family_parent, YES)
    assert AdvocacyReferral.objects.get(review=review).provider == provider


def test_an_unknown_answer_is_refused(review, family_parent):
    with pytest.raises(ValueError):
        do_answer_advocacy(review, family_parent, "maybe")
    assert not AdvocacyOffer.objects.exists()
