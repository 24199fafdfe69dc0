"""From the end of compulsory school age a young person decides which parents see their
review (CFA 2014 s19; SEND Code of Practice 8.13-8.17), and the one access rule keeps to it:
a parent they have not agreed to no longer sees the review, its views, its room, its
calendar feed, or hears of its steps. Before that day nothing changes. Where the young
person lacks capacity, a Mental Capacity Act decision lets a named parent or deputy act."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404

from reviews import access
from reviews.calendar import feed_reviews
from reviews.models import Event, FamilyMember, Invitation, YoungPersonDecision
from reviews.young_person import do_decide
from tests.conftest import make_person
from tests.reviews.conftest import invite_person, make_child, make_plan, make_review

pytestmark = pytest.mark.django_db

Choice, Basis = YoungPersonDecision.Choice, YoungPersonDecision.Basis
BORN = dt.date(2009, 3, 15)  # compulsory school age ends on Friday 27 June 2025
BEFORE, AFTER = dt.datetime(2025, 6, 26, 12, tzinfo=dt.UTC), dt.datetime(2025, 6, 27, 12,
                                                                        tzinfo=dt.UTC)


@pytest.fixture
def young_person(authority, school, coordinator):
    child = make_child(authority, school, first="Jordan", last="Clarke", ref="T-0017",
                       born=BORN)
    person = make_person("jordan@test.example", "Jordan", "Clarke")
    FamilyMember.objects.create(child=child, user=person, name="Jordan Clarke",
                                email=person.email,
                                relationship=FamilyMember.Relationship.YOUNG_PERSON)
    make_review(make_plan(child), coordinator, meeting_in_days=30)
    return person


@pytest.fixture
def child(young_person):
    return FamilyMember.objects.get(user=young_person).child


@pytest.fixture
def review(child):
    return child.plans.get().reviews.get()


@pytest.fixture
def mum(child, review):
    person = make_person("mum@test.example", "Sam", "Clarke")
    FamilyMember.objects.create(child=child, user=person, name="Sam Clarke", email=person.email)
    invite_person(review, person, role=Invitation.Role.FAMILY)
    return person


def member(person):
    return FamilyMember.objects.get(user=person)


def sees(user, review) -> bool:
    return access.visible_reviews(user).filter(pk=review.pk).exists()


@time_machine.travel(BEFORE)
def test_before_the_end_of_compulsory_school_age_a_parent_sees_the_review(review, mum):
    assert sees(mum, review)
    assert access.review_access(mum, review.pk, need="family").is_family
    assert list(access.family_links(mum)) == [member(mum)]
    with pytest.raises(ValidationError):
        do_decide(member(mum), Choice.DOES_NOT_SEE, Basis.OWN_ACCOUNT, mum)


@time_machine.travel(AFTER)
def test_from_that_day_a_parent_the_young_person_has_not_agreed_to_is_refused(
        review, mum, young_person):
    assert sees(young_person, review), "the young person always sees their own review"
    assert not sees(mum, review), "neither their family record nor their invitation counts"
    with pytest.raises(Http404):
        access.review_access(mum, review.pk)
    assert list(access.family_links(mum)) == []
    assert list(feed_reviews(mum)) == []
    assert list(access.family_told(review.plan.child_id)) == [member(young_person)]
    assert mum.pk not in access.invitations_told(review).values_list("user_id", flat=True)


@time_machine.travel(AFTER)
def test_a_parent_the_young_person_says_yes_to_sees_it_and_no_takes_it_away_again(
        review, mum, young_person):
    do_decide(member(mum), Choice.SEES, Basis.OWN_ACCOUNT, young_person)
    assert sees(mum, review)
    assert access.review_access(mum, review.pk, need="family").is_family
    assert list(feed_reviews(mum)) == [review]
    assert mum.pk in access.invitations_told(review).values_list("user_id", flat=True)

    do_decide(member(mum), Choice.DOES_NOT_SEE, Basis.OWN_ACCOUNT, young_person)
    assert not sees(mum, review)

    do_decide(member(mum), Choice.SEES, Basis.OWN_ACCOUNT, young_person)
    assert sees(mum, review), "allowed again when the young person changes their mind"


@time_machine.travel(AFTER)
def test_each_decision_is_recorded_once_with_who_and_how(review, mum, young_person,
                                                        coordinator):
    do_decide(member(mum), Choice.SEES, Basis.OWN_ACCOUNT, young_person)
    do_decide(member(mum), Choice.SEES, Basis.OWN_ACCOUNT, young_person)  # a double submit
    assert YoungPersonDecision.objects.count() == 1
    decided = Event.objects.filter(review=review, kind="young_person_decided")
    assert decided.count() == 1
    event = decided.get()
    assert event.actor == young_person
    assert event.data == {"member": member(mum).pk, "choice": "sees", "basis": "own_account"}

    do_decide(member(mum), Choice.DOES_NOT_SEE, Basis.TOLD_COORDINATOR, coordinator)
    decision = YoungPersonDecision.objects.get()
    assert (decision.choice, decision.basis, decision.recorded_by) == (
        "does_not_see", "told_coordinator", coordinator)
    assert decided.count() == 2


@time_machine.travel(AFTER)
def test_a_mental_capacity_act_decision_lets_a_deputy_act_and_needs_its_reasons(
        review, child, coordinator):
    deputy = make_person("deputy@test.example", "Dee", "Puty")
    FamilyMember.objects.create(child=child, user=deputy, name="Dee Puty", email=deputy.email,
                                relationship=FamilyMember.Relationship.CARER)
    assert not sees(deputy, review)
    with pytest.raises(ValidationError):
        do_decide(member(deputy), Choice.ACTS_FOR, Basis.TOLD_COORDINATOR, coordinator)
    with pytest.raises(ValidationError):
        do_decide(member(deputy), Choice.ACTS_FOR, Basis.MENTAL_CAPACITY, coordinator)
    do_decide(member(deputy), Choice.ACTS_FOR, Basis.MENTAL_CAPACITY, coordinator,
              "Capacity assessed by Dr Ade, 2 June 2025. Deputy appointed by the Court of "
              "Protection.")
    assert sees(deputy, review)
    assert access.review_access(deputy, review.pk, need="family").can_give_family_views


def test_the_database_refuses_acting_for_without_a_capacity_decision(child):
    mum = FamilyMember.objects.create(child=child, name="Sam Clarke", email="m@test.example")
    with pytest.raises(IntegrityError):
        YoungPersonDecision.objects.create(member=mum, choice=Choice.ACTS_FOR,
                                           basis=Basis.TOLD_COORDINATOR)


@time_machine.travel(AFTER)
def test_the_young_person_cannot_be_decided_about(young_person):
    with pytest.raises(ValidationError):
        do_decide(member(young_person), Choice.DOES_NOT_SEE, Basis.OWN_ACCOUNT, young_person)


def test_an_answer_kept_across_the_end_of_compulsory_school_age_is_asked_again(review, mum):
    with time_machine.travel(BEFORE):
        kept = access._asked_in_full(mum, access.Standing.of(mum), "view", review.pk)
        assert access.access_again(kept, mum, "view") is kept
    with time_machine.travel(AFTER), pytest.raises(Http404):
        access.access_again(kept, mum, "view")


@time_machine.travel(AFTER)
def test_a_parent_the_young_person_has_not_agreed_to_hears_of_no_step(
        review, mum, young_person):
    from decisions.notify import family_addresses
    from reports.publishing import recipients
    from reports.signoff import participants
    from reviews.invitees import proposed_invitees

    invite_person(review, young_person, role=Invitation.Role.FAMILY)
    assert family_addresses(review) == [young_person.email]
    assert [email for _, email in recipients(review)] == [young_person.email]
    assert [p.email for p in participants(review)] == [young_person.email]
    assert mum.email not in {p.email for p in proposed_invitees(review, AFTER.date())}

    do_decide(member(mum), Choice.SEES, Basis.OWN_ACCOUNT, young_person)
    assert mum.email in family_addresses(review)
    assert mum.email in {email for _, email in recipients(review)}
    assert mum.email in {p.email for p in proposed_invitees(review, AFTER.date())}
