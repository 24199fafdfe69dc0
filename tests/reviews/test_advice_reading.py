"""Reading advice: before circulation each contributor sees only their own, the coordinator
sees all; after it everyone invited sees all submitted advice. Files download through the
access rule, never from the media URL."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Discipline, Role
from reviews.advice import do_circulate_advice, do_save_advice
from reviews.models import Review
from reviews.uploads import PDF
from tests.conftest import ON_TODAY, make_person, sign_in
from tests.reviews.conftest import invite_person
from tests.reviews.test_advice_fixtures import (  # noqa: F401
    PDF_BYTES,
    invitation_of,
    media_fixture,
    pdf,
    physio_fixture,
    submit,
    submitted_fixture,
    typed_advice,
)

pytestmark = [pytest.mark.django_db, ON_TODAY]


@pytest.fixture
def physio_advice(review, physio, media):
    return submit(review, physio, what_is_working="Standing frame at break.")


@pytest.fixture
def invited_review(review):
    Review.objects.filter(pk=review.pk).update(status=Review.Status.INVITATIONS_SENT,
                                               invitations_sent_at=timezone.now())
    review.refresh_from_db()
    return review


def advice_page(client, person, review):
    client.logout()
    sign_in(client, person)
    response = client.get(reverse("reviews:advice_list", args=[review.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_before_circulation_each_contributor_sees_only_their_own(
        client, review, submitted, physio_advice, invited_therapist, physio):
    page = advice_page(client, invited_therapist, review)
    assert "Visual timetables help." in page
    assert "Standing frame at break." not in page
    assert "Until then you can only see your own" in page
    page = advice_page(client, physio, review)
    assert "Standing frame at break." in page
    assert "Visual timetables help." not in page


def test_the_coordinator_sees_all_advice_and_who_has_sent_it(
        client, invited_review, submitted, physio_advice, coordinator, senco, school):
    invite_person(invited_review, senco, role="setting", agency=school)
    page = advice_page(client, coordinator, invited_review)
    assert "Visual timetables help." in page
    assert "Standing frame at break." in page
    assert "Who has sent advice" in page
    assert "Not started" in page  # the SENCO
    assert page.count("govuk-tag--green") == 2
    assert "Share the advice now" in page


def test_drafts_are_never_shown_to_anyone_else(client, review, invited_therapist, physio,
                                               coordinator, media):
    do_save_advice(invitation_of(review, physio), physio,
                   typed_advice(review, what_is_working="Draft words."))
    do_circulate_advice(review)  # not yet possible: invitations are not out
    Review.objects.filter(pk=review.pk).update(advice_circulated_at=timezone.now())
    for person in (coordinator, invited_therapist):
        assert "Draft words." not in advice_page(client, person, review)


def test_the_family_waits_for_circulation_then_reads_everything(
        client, invited_review, submitted, physio_advice, family_parent, invited_therapist):
    invite_person(invited_review, family_parent, role="family")
    page = advice_page(client, family_parent, invited_review)
    assert "Visual timetables help." not in page
    assert "No advice has been submitted yet." in page
    do_circulate_advice(invited_review)
    page = advice_page(client, family_parent, invited_review)
    assert "Visual timetables help." in page
    assert "Standing frame at break." in page
    page = advice_page(client, invited_therapist, invited_review)
    assert "Standing frame at break." in page


def test_a_file_downloads_as_an_attachment_with_its_checked_type(
        client, review, submitted, invited_therapist):
    attachment = submitted.attachments.get()
    sign_in(client, invited_therapist)
    response = client.get(reverse("reviews:attachment", args=[review.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "report" not in attachment.file.name  # stored under a random name


def test_another_contributor_gets_the_file_only_after_circulation(
        client, invited_review, submitted, physio):
    url = reverse("reviews:attachment", args=[invited_review.pk, submitted.attachments.get().pk])
    sign_in(client, physio)
    assert client.get(url).status_code == 404
    do_circulate_advice(invited_review)
    assert client.get(url).status_code == 200


def test_a_file_on_a_draft_downloads_only_for_its_author(
        client, review, invited_therapist, coordinator, media):
    draft = do_save_advice(invitation_of(review, invited_therapist), invited_therapist,
                           typed_advice(review), files=[(pdf(), PDF)])
    url = reverse("reviews:attachment", args=[review.pk, draft.attachments.get().pk])
    sign_in(client, invited_therapist)
    assert client.get(url).status_code == 200
    client.logout()
    sign_in(client, coordinator)
    assert client.get(url).status_code == 404


def test_an_earlier_version_of_someone_elses_advice_is_hidden_before_circulation(
        client, review, submitted, physio):
    sign_in(client, physio)
    url = reverse("reviews:advice_version", args=[review.pk, submitted.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("contributors", [2, 10])
def test_the_page_runs_the_same_number_of_queries_however_much_advice_there_is(
        client, invited_review, coordinator, nhs_trust, media, contributors,
        django_assert_max_num_queries):
    for n in range(contributors):
        person = make_person(f"c{n}@test.example", "Con", f"Tributor{n}", nhs_trust,
                             Role.PRACTITIONER, Discipline.PHYSIOTHERAPIST)
        invite_person(invited_review, person, agency=nhs_trust)
        submit(invited_review, person, files=[(pdf(f"r{n}.pdf"), PDF)])
    sign_in(client, coordinator)
    with django_assert_max_num_queries(17):
        response = client.get(reverse("reviews:advice_list", args=[invited_review.pk]))
    page = response.content.decode()
    assert all(f"r{n}.pdf" in page for n in range(contributors))
