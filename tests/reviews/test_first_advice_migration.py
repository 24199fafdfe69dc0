"""Migration 0009 fills each invitation's first advice from the advice already in, so the
dashboards count advice sent before the upgrade."""

import pytest

from reviews.advice import do_correct_advice, do_submit_advice
from reviews.models import Invitation
from tests.reviews.test_advice_fixtures import (  # noqa: F401
    invitation_of,
    media_fixture,
    physio_fixture,
    submitted_fixture,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_upgrade_copies_each_first_submission_and_leaves_the_rest_empty(
        migrator, review, submitted, invited_therapist, physio):
    correction = do_correct_advice(invitation_of(review, invited_therapist), invited_therapist)
    do_submit_advice(correction, invited_therapist)  # a version 2, later: not the first
    therapist, other = (invitation_of(review, person).pk for person in (invited_therapist, physio))
    migrator("reviews", "0008_accountability_indexes")
    migrator("reviews", "0009_invitation_first_advice")
    # Only the columns this migration knows: later ones are not there yet.
    first = dict((pk, (at, late)) for pk, at, late in Invitation.objects.values_list(
        "pk", "first_advice_at", "first_advice_late"))
    assert first[therapist] == (submitted.submitted_at, submitted.was_late)
    assert first[other][0] is None
