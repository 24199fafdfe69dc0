"""Correcting submitted advice makes a new version from a copy of the last; both are kept
and readable."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reviews.advice import do_correct_advice, do_save_advice, do_submit_advice
from reviews.models import Advice
from tests.conftest import sign_in
from tests.reviews.test_advice_fixtures import (  # noqa: F401
    invitation_of,
    media_fixture,
    submitted_fixture,
    typed_advice,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, invited_therapist):
    sign_in(client, invited_therapist)
    return client


def test_correcting_copies_the_submission_into_a_new_draft(signed_in, review, submitted,
                                                           invited_therapist):
    response = signed_in.post(reverse("reviews:advice_correct", args=[review.pk]))
    assert response["Location"] == reverse("reviews:advice", args=[review.pk])
    draft = Advice.objects.get(version=2)
    assert draft.status == Advice.Status.DRAFT
    assert draft.what_is_working == submitted.what_is_working
    assert draft.recommended_changes == submitted.recommended_changes
    assert {(p.outcome_id, p.progress, p.evidence) for p in draft.progress.all()} == \
        {(p.outcome_id, p.progress, p.evidence) for p in submitted.progress.all()}
    copied, original = draft.attachments.get(), submitted.attachments.get()
    assert (copied.name, copied.file.name) == (original.name, original.file.name)
    assert review.events.filter(kind="advice_correction_started").count() == 1
    page = signed_in.get(response["Location"]).content.decode()
    assert "This will be version 2" in page
    assert "Visual timetables help." in page


def test_a_double_click_on_correct_makes_one_new_version(signed_in, review, submitted):
    for _ in range(2):
        signed_in.post(reverse("reviews:advice_correct", args=[review.pk]))
    assert list(Advice.objects.values_list("version", flat=True).order_by("version")) == [1, 2]


def test_both_versions_are_kept_and_readable(signed_in, review, submitted, invited_therapist):
    draft = do_correct_advice(invitation_of(review, invited_therapist), invited_therapist)
    draft = do_save_advice(draft.invitation, invited_therapist,
                           typed_advice(review, what_is_working="Corrected: signing helps."),
                           remove=[draft.attachments.get().pk])
    do_submit_advice(draft, invited_therapist)
    assert Advice.objects.filter(status=Advice.Status.SUBMITTED).count() == 2
    page = signed_in.get(reverse("reviews:advice_list", args=[review.pk])).content.decode()
    assert "Corrected: signing helps." in page
    assert "Visual timetables help." not in page  # the latest version is the one shown
    old = reverse("reviews:advice_version", args=[review.pk, submitted.pk])
    assert old in page
    page = signed_in.get(old).content.decode()
    assert "This is an earlier version" in page
    assert "Visual timetables help." in page
    # The first version's file is still there, though the correction dropped it.
    download = signed_in.get(reverse("reviews:attachment",
                                     args=[review.pk, submitted.attachments.get().pk]))
    assert download.status_code == 200


def test_there_is_nothing_to_correct_before_advice_exists(signed_in, review,
                                                          invited_therapist):
    response = signed_in.post(reverse("reviews:advice_correct", args=[review.pk]))
    assert response["Location"] == reverse("reviews:advice", args=[review.pk])
    assert not Advice.objects.exists()
    with pytest.raises(ValueError):
        do_correct_advice(invitation_of(review, invited_therapist), invited_therapist)


def test_the_invitation_keeps_when_its_first_advice_came_whatever_the_corrections(
        review, submitted, invited_therapist):
    """The dashboards count an agency's advice as sent, on time or late, from the first
    version (Invitation.first_advice_*): a correction weeks later changes neither."""
    invitation = invitation_of(review, invited_therapist)
    assert (invitation.first_advice_at, invitation.first_advice_late) == \
        (submitted.submitted_at, submitted.was_late)
    draft = do_correct_advice(invitation, invited_therapist)
    later = submitted.submitted_at + dt.timedelta(days=40)
    do_submit_advice(draft, invited_therapist, now=later)
    draft.refresh_from_db()
    assert draft.submitted_at == later
    invitation.refresh_from_db()
    assert (invitation.first_advice_at, invitation.first_advice_late) == \
        (submitted.submitted_at, submitted.was_late)


def test_corrections_stop_at_the_most_versions_allowed_and_the_page_says_why(
        signed_in, review, submitted, invited_therapist, settings):
    settings.ADVICE_MAX_VERSIONS = 2
    invitation = invitation_of(review, invited_therapist)
    do_submit_advice(do_correct_advice(invitation, invited_therapist), invited_therapist)
    page = signed_in.get(reverse("reviews:advice_list", args=[review.pk])).content.decode()
    assert "Correct your advice" not in page
    assert ("You submitted version 2 of your advice" in page
            and "the most versions allowed, so it cannot be corrected again" in page)
    response = signed_in.post(reverse("reviews:advice_correct", args=[review.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews:advice_list", args=[review.pk])
    assert ("You cannot correct this advice again: it already has the most versions allowed "
            "(2). If something still needs to change, contact Cora Ordinator") in \
        response.content.decode()
    assert list(Advice.objects.values_list("version", flat=True).order_by("version")) == [1, 2]
    assert review.events.filter(kind="advice_correction_started").count() == 1


def test_the_most_versions_allowed_is_a_setting(review, submitted, invited_therapist,
                                                settings):
    invitation = invitation_of(review, invited_therapist)
    settings.ADVICE_MAX_VERSIONS = 1
    with pytest.raises(ValidationError, match=r"the most versions allowed \(1\)"):
        do_correct_advice(invitation, invited_therapist)
    settings.ADVICE_MAX_VERSIONS = 3
    assert do_correct_advice(invitation, invited_therapist).version == 2
