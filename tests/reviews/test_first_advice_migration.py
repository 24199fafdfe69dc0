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
    migrator("reviews", "0008_accountability_indexes")
    migrator("reviews", "0009_invitation_first_advice")
    therapist = invitation_of(review, invited_therapist)
    assert (therapist.first_advice_at, therapist.first_advice_late) == \
        (submitted.submitted_at, submitted.was_late)
    assert Invitation.objects.get(pk=invitation_of(review, physio).pk).first_advice_at is None
