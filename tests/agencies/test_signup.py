import re

import pytest
from django.core import mail

from agencies.invitations import do_invite_to_agency
from agencies.models import AgencyInvitation, Membership, Role, User
from outbox.models import Email

pytestmark = pytest.mark.django_db


def invite(agency, staff, email="new.person@test.example"):
    invitation = AgencyInvitation(agency=agency, email=email, first_name="Nia",
                                  last_name="Newcomer", role=Role.PRACTITIONER, discipline="ot")
    do_invite_to_agency(invitation, staff)
    return invitation


def link_from(email: Email) -> str:
    return re.search(r"http\S+/invitations/\S+/", email.text).group(0).split("8000", 1)[-1]


def signup(client, email, password="a-strong-new-password-9"):
    return client.post("/accounts/signup/", {"email": email, "password1": password,
                                             "password2": password})


def test_sign_up_is_closed_without_an_invitation(client):
    page = client.get("/accounts/signup/")
    assert "account/signup_closed.html" in [t.name for t in page.templates]
    signup(client, "walk.in@test.example")
    assert not User.objects.filter(email="walk.in@test.example").exists()


def test_the_invitation_email_carries_a_link_and_says_what_it_is_for(la_team, staff):
    invite(la_team, staff)
    email = Email.objects.get()
    assert email.to == "new.person@test.example"
    assert "Testshire SEND team" in email.subject
    assert "/invitations/" in email.text and "two-step sign-in" in email.text


def test_only_a_hash_of_the_link_secret_is_stored(la_team, staff):
    invitation = invite(la_team, staff)
    token = link_from(Email.objects.get()).rstrip("/").rsplit("/", 1)[-1]
    assert token not in invitation.token_hash
    assert AgencyInvitation.objects.for_token(token) == invitation


def test_an_invited_person_signs_up_and_joins_the_agency(client, la_team, staff):
    invitation = invite(la_team, staff)
    response = client.get(link_from(Email.objects.get()))
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/"
    signup(client, "new.person@test.example")
    user = User.objects.get(email="new.person@test.example")
    assert (user.first_name, user.last_name) == ("Nia", "Newcomer")
    assert user.emailaddress_set.get().verified, "the link proved the address"
    membership = Membership.objects.get(user=user)
    assert (membership.agency, membership.role, membership.discipline) == (la_team, "practitioner",
                                                                           "ot")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert not mail.outbox, "no separate verification email is needed"


def test_the_sign_up_must_use_the_invited_address(client, la_team, staff):
    invite(la_team, staff)
    client.get(link_from(Email.objects.get()))
    response = signup(client, "someone.else@test.example")
    assert "Use the email address your invitation was sent to" in response.content.decode()
    assert not User.objects.filter(email="someone.else@test.example").exists()


def test_a_used_link_does_not_work_again(client, la_team, staff):
    invite(la_team, staff)
    link = link_from(Email.objects.get())
    client.get(link)
    signup(client, "new.person@test.example")
    client.logout()
    assert client.get(link).status_code == 404


def test_an_expired_link_does_not_work(client, la_team, staff):
    from datetime import timedelta

    from django.utils import timezone

    invitation = invite(la_team, staff)
    AgencyInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(link_from(Email.objects.get()))
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


def test_a_person_with_an_account_joins_the_agency_from_the_link(client, la_team, staff, parent):
    invite(la_team, staff, email=parent.email)
    response = client.get(link_from(Email.objects.get()))
    assert response["Location"] == "/accounts/login/"
    assert Membership.objects.filter(user=parent, agency=la_team).exists()


def test_inviting_twice_in_one_save_queues_one_email(la_team, staff):
    invitation = invite(la_team, staff)
    from outbox.mail import queue_email

    queue_email(f"agency-invitation:{invitation.pk}", invitation.email, "again", "again")
    assert Email.objects.count() == 1
