import datetime as dt
import time

import pytest
from django.http import Http404
from django.utils import timezone

from agencies.models import AuditEntry, Membership, Role
from meeting.consumers import ReviewRoomConsumer
from reviews import events
from reviews.access import access_again, review_access, visible_reviews
from reviews.models import FamilyMember, Invitation, Plan
from tests.conftest import make_person
from tests.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db


def sees(user, review) -> bool:
    return visible_reviews(user).filter(pk=review.pk).exists()


def test_the_coordinator_the_senco_the_invited_and_the_family_see_the_review(
        review, coordinator, senco, invited_therapist, family_parent):
    for person in (coordinator, senco, invited_therapist, family_parent):
        assert sees(person, review), person


def test_a_stranger_another_childs_parent_and_an_uninvited_professional_do_not(review, refused):
    for person in refused:
        assert not sees(person, review), person
        with pytest.raises(Http404):
            review_access(person, review.pk)


def test_another_authoritys_coordinator_does_not_see_the_review(review):
    other = ProfessionalFactory(agency__authority__name="Elsewhere Council",
                                agency__authority__dfe_code="997")
    assert not sees(other, review)


def test_an_invitation_stops_counting_90_days_after_the_review_closes(review, invited_therapist):
    review.status = "closed"
    review.closed_at = timezone.now() - dt.timedelta(days=89)
    review.save()
    assert sees(invited_therapist, review)
    review.closed_at = timezone.now() - dt.timedelta(days=91)
    review.save()
    assert not sees(invited_therapist, review)


def test_a_removed_invitation_no_longer_opens_the_review(review, invited_therapist):
    Invitation.objects.filter(user=invited_therapist).update(removed_at=timezone.now())
    assert not sees(invited_therapist, review)


def test_an_agency_lead_sees_reviews_their_agency_is_invited_to(review, nhs_trust, therapist):
    lead = make_person("lead@test.example", agency=nhs_trust, role=Role.LEAD)
    assert not sees(lead, review)
    Invitation.objects.create(review=review, role="health", agency=nhs_trust, name="Duty inbox",
                              email="duty@nhs.test.example")
    assert sees(lead, review)


def test_only_the_coordinator_side_may_manage(review, coordinator, senco, invited_therapist,
                                              family_parent):
    assert review_access(coordinator, review.pk, need="manage").can_manage
    with pytest.raises(Http404):
        review_access(senco, review.pk, need="manage")  # the LA convenes this one
    review.convenor = "setting"
    review.save()
    assert review_access(senco, review.pk, need="manage").can_manage
    for person in (invited_therapist, family_parent):
        with pytest.raises(Http404):
            review_access(person, review.pk, need="manage")


def test_only_invited_contributors_may_advise_and_only_the_family_give_views(
        review, invited_therapist, family_parent, coordinator):
    assert review_access(invited_therapist, review.pk, need="advise").can_advise
    assert review_access(family_parent, review.pk, need="family").can_give_family_views
    with pytest.raises(Http404):
        review_access(family_parent, review.pk, need="advise")
    with pytest.raises(Http404):
        review_access(invited_therapist, review.pk, need="family")


def test_a_professional_reading_a_review_is_in_the_audit_trail(review, coordinator,
                                                               family_parent):
    review_access(coordinator, review.pk)
    review_access(family_parent, review.pk)
    entries = AuditEntry.objects.filter(action="record_viewed")
    assert [(e.user, e.review_id, e.detail) for e in entries] == [
        (coordinator, review.pk, "need view")]


def test_a_malformed_review_id_is_a_404(coordinator):
    with pytest.raises(Http404):
        review_access(coordinator, "not-a-uuid")


def test_an_account_switched_off_since_it_was_read_sees_nothing(review, coordinator,
                                                                invited_therapist, family_parent):
    """A long-lived user object (a WebSocket's, read when it connected) still says active:
    the rule reads the account again."""
    from agencies.models import User

    people = (coordinator, invited_therapist, family_parent)
    User.objects.filter(pk__in=[p.pk for p in people]).update(is_active=False)
    for person in people:
        assert person.is_active
        assert not sees(person, review), person
        with pytest.raises(Http404):
            review_access(person, review.pk, need="meeting")


def test_the_answer_names_the_earliest_current_invitation_and_the_family(
        review, invited_therapist, family_parent, coordinator):
    first = Invitation.objects.get(user=invited_therapist)
    removed = Invitation.objects.create(review=review, user=invited_therapist, role="other",
                                        name="Removed", email="removed@test.example",
                                        created_at=first.created_at - dt.timedelta(days=2),
                                        removed_at=timezone.now())
    later = Invitation.objects.create(review=review, user=invited_therapist, role="other",
                                      name="Later", email="later@test.example",
                                      created_at=first.created_at + dt.timedelta(days=1))
    access = review_access(invited_therapist, review.pk)
    assert access.invitation == first and access.invitation not in (removed, later)
    assert access.invitation.role == first.role and not access.is_family
    assert not access.can_manage and access.is_professional

    parent = review_access(family_parent, review.pk)
    assert parent.invitation is None and parent.is_family and not parent.is_professional
    host = review_access(coordinator, review.pk)
    assert host.invitation is None and not host.is_family
    assert host.can_manage and host.is_la_officer and host.review == review
    assert host.review.plan.child.setting is not None


def asked_twice(person, review, need="meeting"):
    """The answer as the meeting room holds it: given on the way in, then asked again."""
    return access_again(review_access(person, review.pk, need=need), person, need)


def test_asked_again_an_unchanged_answer_is_read_in_two_queries_whatever_the_events(
        review, coordinator, invited_therapist, family_parent, django_assert_num_queries):
    for n, person in enumerate((coordinator, invited_therapist, family_parent)):
        access = asked_twice(person, review)
        events.record(review, "comment.added", "A comment", actor=person)
        # The plan's text is no part of access either (an amended plan keeps the answer).
        Plan.objects.filter(pk=review.plan_id).update(sections={"A": f"Amended {n}"})
        with django_assert_num_queries(2):  # the account and memberships; the kept query
            assert access_again(access, person, "meeting") is access


def test_asked_again_the_rule_notices_each_change_to_what_it_reads(
        review, coordinator, senco, invited_therapist, family_parent):
    held = {person: asked_twice(person, review)
            for person in (coordinator, invited_therapist, family_parent)}
    Invitation.objects.filter(user=invited_therapist).update(removed_at=timezone.now())
    Membership.objects.filter(user=coordinator).update(is_active=False)
    FamilyMember.objects.filter(user=family_parent).delete()
    for person, access in held.items():
        with pytest.raises(Http404):
            access_again(access, person, "meeting")

    review.convenor = "setting"  # the SENCO runs it, so may join without an invitation
    review.save()
    access = asked_twice(senco, review)
    assert access.can_manage
    review.convenor = "la"
    review.save()
    with pytest.raises(Http404):
        access_again(access, senco, "meeting")


def test_asked_again_the_90_days_after_closing_run_on_from_when_it_was_first_asked(
        review, invited_therapist):
    review.status = "closed"
    review.closed_at = timezone.now() - dt.timedelta(days=90) + dt.timedelta(seconds=3)
    review.save()
    access = asked_twice(invited_therapist, review, need="view")  # well inside 3 s
    time.sleep(3.5)
    with pytest.raises(Http404):
        access_again(access, invited_therapist, "view")


def test_in_the_room_the_first_change_is_asked_again_in_two_queries_after_arriving(
        review, invited_therapist, django_assert_num_queries):
    # Joining marks the invitation attended, which the rule's query reads: a query kept
    # before that was stale at once, and everyone's first change asked the rule in full.
    room = ReviewRoomConsumer()
    room.scope = {"user": invited_therapist, "url_route": {"kwargs": {"review_id": review.pk}}}
    room.review_id, room.channel_name = review.pk, "room-test!1"
    room.enter(invited_therapist)
    assert Invitation.objects.get(user=invited_therapist).attended
    with django_assert_num_queries(2):
        assert access_again(room.access, invited_therapist, "meeting") is room.access
