"""Migration 0009 fills each invitation's first advice from the advice already in, so the
dashboards count advice sent before the upgrade."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reviews.advice import do_correct_advice, do_submit_advice
from reviews.models import Invitation
from tests.reviews.test_advice_fixtures import (  # noqa: F401
    invitation_of,
    media_fixture,
    physio_fixture,
    submitted_fixture,
)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reviews", "0008_accountability_indexes")]
AFTER = [("reviews", "0009_invitation_first_advice")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


@pytest.fixture(autouse=True)
def _back_to_the_latest():
    """The tests after these need every migration: a later one's tables too."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_upgrade_copies_each_first_submission_and_leaves_the_rest_empty(
        review, submitted, invited_therapist, physio):
    correction = do_correct_advice(invitation_of(review, invited_therapist), invited_therapist)
    do_submit_advice(correction, invited_therapist)  # a version 2, later: not the first
    migrate(BEFORE)
    migrate(AFTER)
    therapist = invitation_of(review, invited_therapist)
    assert (therapist.first_advice_at, therapist.first_advice_late) == \
        (submitted.submitted_at, submitted.was_late)
    assert Invitation.objects.get(pk=invitation_of(review, physio).pk).first_advice_at is None
