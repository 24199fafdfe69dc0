"""A file removed from a draft is deleted from storage, unless an earlier version still
uses it: a child's documents are not kept once nobody needs them (UK GDPR, minimisation)."""

import pytest

from reviews.advice import do_correct_advice, do_save_advice
from reviews.uploads import PDF
from tests.reviews.test_advice_fixtures import (  # noqa: F401
    invitation_of,
    media_fixture,
    pdf,
    submitted_fixture,
    typed_advice,
)

pytestmark = pytest.mark.django_db(transaction=True)  # files go once the removal commits


def test_a_file_removed_from_a_draft_is_deleted(review, invited_therapist, media):
    invitation = invitation_of(review, invited_therapist)
    draft = do_save_advice(invitation, invited_therapist, typed_advice(review),
                           files=[(pdf(), PDF)])
    stored = draft.attachments.get().file
    assert stored.storage.exists(stored.name)
    do_save_advice(invitation, invited_therapist, typed_advice(review),
                   remove=[draft.attachments.get().pk])
    assert not draft.attachments.exists()
    assert not stored.storage.exists(stored.name)


def test_a_file_an_earlier_version_uses_is_kept(review, invited_therapist, submitted, media):
    draft = do_correct_advice(invitation_of(review, invited_therapist), invited_therapist)
    do_save_advice(draft.invitation, invited_therapist, typed_advice(review),
                   remove=[draft.attachments.get().pk])
    kept = submitted.attachments.get().file
    assert kept.storage.exists(kept.name)
