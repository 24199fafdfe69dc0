"""A child with a plan and a review, and the people around it, for every reviews test.

Access tests reuse the same cast: the coordinator (LA), the setting's SENCO, an invited
therapist, the child's parent, and three who must be refused: a stranger, the parent of
another child, and a professional who was not invited.
"""

import datetime as dt

import pytest
from django.utils import timezone

from agencies.models import Agency, Discipline, Role
from reviews.models import Child, FamilyMember, Invitation, Outcome, Plan, Review
from tests.conftest import make_person


@pytest.fixture
def school(authority):
    return Agency.objects.create(authority=authority, name="Testshire Primary",
                                 kind=Agency.Kind.SCHOOL, urn="999001")


@pytest.fixture
def senco(school):
    return make_person("senco@test.example", "Sue", "Senco", school, Role.COORDINATOR,
                       Discipline.SENCO)


@pytest.fixture
def uninvited_professional(nhs_trust):
    return make_person("uninvited@test.example", "Una", "Invited", nhs_trust,
                       Role.PRACTITIONER, Discipline.OCCUPATIONAL_THERAPIST)


def make_child(authority, setting, first="Amira", last="Example", ref="T-0001",
               born=dt.date(2016, 3, 14)):
    return Child.objects.create(authority=authority, first_name=first, last_name=last,
                                la_reference=ref, date_of_birth=born, setting=setting)


def make_plan(child, issued=dt.date(2025, 1, 20)):
    plan = Plan.objects.create(child=child, first_issued_on=issued,
                               sections={"A": "Amira loves drawing.", "B": "Speech delay."})
    Outcome.objects.create(plan=plan, number=1, text="Amira will speak in sentences of 5 words.")
    Outcome.objects.create(plan=plan, number=2, text="Amira will join a playground game.")
    return plan


def make_review(plan, coordinator, meeting_in_days=None, **fields):
    meeting_at = None
    if meeting_in_days is not None:
        meeting_at = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) \
            + dt.timedelta(days=meeting_in_days)
    return Review.objects.create(plan=plan, coordinator=coordinator,
                                 due_by=plan.first_issued_on + dt.timedelta(days=364),
                                 meeting_at=meeting_at, **fields)


def invite_person(review, user, role=Invitation.Role.PROFESSIONAL, agency=None, **fields):
    return Invitation.objects.create(review=review, user=user, role=role, agency=agency,
                                     name=str(user), email=user.email, **fields)


@pytest.fixture
def child(authority, school):
    return make_child(authority, school)


@pytest.fixture
def plan(child):
    return make_plan(child)


@pytest.fixture
def review(plan, coordinator):
    return make_review(plan, coordinator, meeting_in_days=30)


@pytest.fixture
def family_parent(parent, child):
    FamilyMember.objects.create(child=child, user=parent, name=str(parent), email=parent.email)
    return parent


@pytest.fixture
def invited_therapist(review, therapist, nhs_trust):
    invite_person(review, therapist, agency=nhs_trust, discipline=Discipline.SPEECH_AND_LANGUAGE)
    return therapist


@pytest.fixture
def other_parent(authority, school):
    other = make_child(authority, school, first="Ben", last="Other", ref="T-0002")
    person = make_person("other.parent@test.example", "Olive", "Other")
    FamilyMember.objects.create(child=other, user=person, name="Olive Other",
                                email=person.email)
    return person


@pytest.fixture
def refused(outsider, other_parent, uninvited_professional):
    """Everyone who must be refused: a stranger, another child's parent, an uninvited
    professional."""
    return [outsider, other_parent, uninvited_professional]
