"""Answering an invitation: attending, not attending or advice only; an invited
professional may say they can't contribute, and an agency (its duty inbox or its lead) may
decline for the agency, each with a reason the coordinator reads. The portal is the record."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Discipline, Role
from outbox.models import Email
from reviews.advice import do_answer_invitation
from reviews.models import Event, Invitation
from tests.conftest import ON_TODAY, make_person, sign_in
from tests.reviews.conftest import invite_person

pytestmark = [pytest.mark.django_db, ON_TODAY]


def url(review, invitation=None):
    base = reverse("reviews:answer", args=[review.pk])
    return f"{base}?invitation={invitation.pk}" if invitation else base


@pytest.fixture
def duty_invitation(review, nhs_trust):
    nhs_trust.email = "duty@nhs.test.example"
    nhs_trust.save()
    return Invitation.objects.create(review=review, role=Invitation.Role.HEALTH,
                                     agency=nhs_trust, name="Therapies duty inbox",
                                     email=nhs_trust.email)


@pytest.fixture
def lead(nhs_trust):
    return make_person("lead@test.example", "Lena", "Lead", nhs_trust, Role.LEAD,
                       Discipline.DESIGNATED_CLINICAL_OFFICER)


def test_a_therapist_says_they_will_attend_and_the_answer_is_recorded_with_an_event(
        client, review, invited_therapist):
    sign_in(client, invited_therapist)
    page = client.get(url(review)).content.decode()
    assert "Will you come to the review meeting?" in page
    assert "Decline for the agency" not in page
    response = client.post(url(review), {"answer": "attending"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:home")
    invitation = review.invitations.get(user=invited_therapist)
    assert invitation.answer == Invitation.Answer.ATTENDING
    assert invitation.answered_at is not None
    event = review.events.get(kind="invitation_answered")
    assert event.actor == invited_therapist
    assert event.data["answer"] == "attending"


def test_no_choice_shows_an_error_summary(client, review, invited_therapist):
    sign_in(client, invited_therapist)
    response = client.post(url(review), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Select whether you will come to the meeting" in page
    assert 'href="#id_answer_0"' in page


def test_answering_twice_the_same_way_records_one_event(client, review, invited_therapist):
    sign_in(client, invited_therapist)
    client.post(url(review), {"answer": "advice_only"})
    client.post(url(review), {"answer": "advice_only"})
    assert review.events.filter(kind="invitation_answered").count() == 1
    client.post(url(review), {"answer": "attending"})  # a change of mind is a new event
    assert review.events.filter(kind="invitation_answered").count() == 2


def test_a_practitioner_cannot_decline_for_their_agency(client, review, invited_therapist):
    sign_in(client, invited_therapist)
    page = client.get(url(review)).content.decode()
    assert "Decline for the agency" not in page
    assert "If the agency is declining" not in page


def test_an_invited_professional_can_say_they_cant_contribute_and_the_coordinator_is_told(
        client, review, invited_therapist, coordinator, nhs_trust):
    """Issue #16, item 9: the email says they can; the page offers it, with a reason."""
    review.invitations.update(sent_at=timezone.now())
    sign_in(client, invited_therapist)
    advice_form = client.get(reverse("reviews:advice", args=[review.pk])).content.decode()
    assert f'href="{url(review)}"' in advice_form and "can't contribute" in advice_form
    page = client.get(url(review)).content.decode()
    assert "I can&#x27;t contribute to this review" in page
    assert "If you can&#x27;t contribute, say why" in page
    refused = client.post(url(review), {"answer": "declined", "reason": " "})
    assert "Enter why you can&#x27;t contribute" in refused.content.decode()
    assert 'value="declined" checked' in refused.content.decode()
    assert not Email.objects.exists()
    client.post(url(review), {"answer": "declined",
                              "reason": "I stopped working with this child in June."})
    invitation = review.invitations.get(user=invited_therapist)
    assert invitation.answer == Invitation.Answer.DECLINED
    assert invitation.declined_reason == "I stopped working with this child in June."
    assert review.events.get(kind="invitation_answered").summary == (
        "Theo Rapist can't contribute to this review")
    told = Email.objects.get(to=coordinator.email)
    assert told.subject == "Theo Rapist can't contribute to this review: annual review for " \
                           "AE (T-0001)"
    assert f"/reviews/{review.pk}/" in told.text
    assert "June" not in told.text, "the reason stays in the portal"
    # The coordinator sees who and why, and is prompted to invite someone else.
    client.logout()
    sign_in(client, coordinator)
    review_page = client.get(reverse("reviews:review", args=[review.pk]))
    assert "Can't contribute: I stopped working with this child in June." in \
        review_page.content.decode()
    advice_task = next(t for t in review_page.context["tasks"] if t["name"] == "Advice")
    assert "Can't contribute: Theo Rapist" in advice_task["hint"]


def test_saying_so_twice_tells_the_coordinator_once(review, invited_therapist, coordinator):
    invitation = review.invitations.get()
    for _ in range(2):
        do_answer_invitation(invitation, invited_therapist, Invitation.Answer.DECLINED,
                             "On leave until after the meeting.")
    assert Email.objects.filter(to=coordinator.email).count() == 1


def test_a_family_is_not_offered_to_refuse(client, review, family_parent):
    invite_person(review, family_parent, role=Invitation.Role.FAMILY)
    sign_in(client, family_parent)
    page = client.get(url(review)).content.decode()
    assert "contribute" not in page and 'value="declined"' not in page


def test_the_duty_inbox_declines_for_the_agency_with_a_reason(
        client, review, duty_invitation, therapist):
    duty_invitation.user = therapist  # whoever opened the duty inbox's link
    duty_invitation.save()
    sign_in(client, therapist)
    assert "Decline for the agency" in client.get(url(review)).content.decode()
    response = client.post(url(review), {"answer": "declined", "reason": "  "})
    page = response.content.decode()
    assert "Enter why the agency is declining" in page
    assert 'value="declined" checked' in page  # the choice is kept
    client.post(url(review), {"answer": "declined", "reason": "No therapist covers the area."})
    duty_invitation.refresh_from_db()
    assert duty_invitation.answer == Invitation.Answer.DECLINED
    assert duty_invitation.declined_reason == "No therapist covers the area."


def test_an_agency_lead_answers_for_their_agencys_invitation(
        client, review, duty_invitation, lead):
    sign_in(client, lead)
    assert client.get(url(review)).status_code == 404  # no invitation of their own
    page = client.get(url(review, duty_invitation)).content.decode()
    assert "for Testshire NHS Trust" in page
    client.post(url(review, duty_invitation), {"answer": "declined",
                                               "reason": "Nobody is free that week."})
    duty_invitation.refresh_from_db()
    assert duty_invitation.answer == Invitation.Answer.DECLINED
    assert review.events.get(kind="invitation_answered").actor == lead


def test_a_lead_cannot_answer_another_agencys_invitation(
        client, review, lead, senco, school, duty_invitation):
    other = invite_person(review, senco, role=Invitation.Role.SETTING, agency=school)
    sign_in(client, lead)
    assert client.get(url(review, other)).status_code == 404
    assert client.get(f"{url(review)}?invitation=not-a-uuid").status_code == 404


def test_people_who_see_the_review_without_an_invitation_have_nothing_to_answer(
        client, review, coordinator):
    sign_in(client, coordinator)
    assert client.get(url(review)).status_code == 404


def test_the_action_refuses_a_decline_without_a_reason(review, invited_therapist):
    invitation = review.invitations.get()
    with pytest.raises(ValidationError):
        do_answer_invitation(invitation, invited_therapist, Invitation.Answer.DECLINED, " ")
    with pytest.raises(ValueError):
        do_answer_invitation(invitation, invited_therapist, "maybe")
    assert not Event.objects.filter(kind="invitation_answered").exists()
