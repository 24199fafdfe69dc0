"""A child with a plan and a review, and the people around it, for every reviews test.

Access tests reuse the same cast: the coordinator (LA), the setting's SENCO, an invited
therapist, the child's parent, and three who must be refused: a stranger, the parent of
another child, and a professional who was not invited.
"""

import pytest

from agencies.models import Agency, Discipline, Role
from reviews.models import Invitation
from tests.conftest import make_person
from tests.factories import (
    AgencyFactory,
    ChildFactory,
    FamilyMemberFactory,
    InvitationFactory,
    PlanFactory,
    ReviewFactory,
)


@pytest.fixture
def school(authority):
    return AgencyFactory(authority=authority, name="Testshire Primary", kind=Agency.Kind.SCHOOL,
                         urn="999001")


@pytest.fixture
def senco(school):
    return make_person("senco@test.example", "Sue", "Senco", school, Role.COORDINATOR,
                       Discipline.SENCO)


@pytest.fixture
def uninvited_professional(nhs_trust):
    return make_person("uninvited@test.example", "Una", "Invited", nhs_trust,
                       Role.PRACTITIONER, Discipline.OCCUPATIONAL_THERAPIST)


def invite_person(review, user, role=Invitation.Role.PROFESSIONAL, agency=None, **fields):
    """The invitation factory in the short form most tests call: this person, to this
    review."""
    return InvitationFactory(review=review, user=user, role=role, agency=agency, **fields)


@pytest.fixture
def child(authority, school):
    return ChildFactory(authority=authority, setting=school, la_reference="T-0001")


@pytest.fixture
def plan(child):
    return PlanFactory(child=child)


@pytest.fixture
def review(plan, coordinator):
    return ReviewFactory(plan=plan, coordinator=coordinator, meeting_in_days=30)


@pytest.fixture
def family_parent(parent, child):
    FamilyMemberFactory(child=child, user=parent)
    return parent


@pytest.fixture
def invited_therapist(review, therapist, nhs_trust):
    invite_person(review, therapist, agency=nhs_trust, discipline=Discipline.SPEECH_AND_LANGUAGE)
    return therapist


@pytest.fixture
def other_parent(authority, school):
    other = ChildFactory(authority=authority, setting=school, first_name="Ben",
                         last_name="Other", la_reference="T-0002")
    person = make_person("other.parent@test.example", "Olive", "Other")
    FamilyMemberFactory(child=other, user=person)
    return person


@pytest.fixture
def refused(outsider, other_parent, uninvited_professional):
    """Everyone who must be refused: a stranger, another child's parent, an uninvited
    professional."""
    return [outsider, other_parent, uninvited_professional]
