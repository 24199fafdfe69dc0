import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client

from agencies.invitations import do_invite_to_agency
from agencies.models import AgencyInvitation, AuditEntry, Membership, Role, User
from outbox.models import Email
from tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def invite(agency, staff, email="new.person@test.example"):
    invitation = AgencyInvitation(agency=agency, email=email, first_name="Nia",
                                  last_name="Newcomer", role=Role.PRACTITIONER, discipline="ot")
    do_invite_to_agency(invitation, staff)
    return invitation


def link_from(email: Email) -> str:
    return re.search(r"http\S+/invitations/\S+/", email.text).group(0).split("8000", 1)[-1]


def signup(client, email, password="a-strong-new-password-9", next_url=""):
    return client.post("/accounts/signup/" + (f"?next={next_url}" if next_url else ""),
                       {"email": email, "password1": password, "password2": password})


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


def test_an_invited_person_signs_up_comes_back_and_joins_the_agency(client, la_team, staff):
    invitation = invite(la_team, staff)
    link = link_from(Email.objects.get())
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/signup/?next={quote(link, safe='')}"
    done = signup(client, "new.person@test.example", next_url=link)
    user = User.objects.get(email="new.person@test.example")
    assert (user.first_name, user.last_name) == ("Nia", "Newcomer")
    assert user.emailaddress_set.get().verified, "the link proved the address"
    assert not mail.outbox, "no separate verification email is needed"
    assert done["Location"] == link and not Membership.objects.filter(user=user).exists()

    page = client.get(link)
    assert "Join Testshire SEND team as practitioner" in page.content.decode()
    joined = client.post(link)
    assert joined.status_code == 302
    membership = Membership.objects.get(user=user)
    assert (membership.agency, membership.role, membership.discipline) == (la_team, "practitioner",
                                                                           "ot")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    change = AuditEntry.objects.get(action=AuditEntry.Action.MEMBERSHIP_CHANGED)
    assert change.user == user and change.detail == (
        "new.person@test.example: Practitioner, Testshire SEND team "
        "(joined by invitation from staff@test.example)")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.INVITATION_ACCEPTED,
                                     user=user).exists()
    assert client.get(joined["Location"])["Location"] == "/accounts/2fa/totp/activate/", \
        "a new member sets up two-step sign-in first"


def test_the_sign_up_must_use_the_invited_address(client, la_team, staff):
    invite(la_team, staff)
    client.get(link_from(Email.objects.get()))
    response = signup(client, "someone.else@test.example")
    assert "Use the email address your invitation was sent to" in response.content.decode()
    assert not User.objects.filter(email="someone.else@test.example").exists()


def test_a_used_link_does_not_work_again(client, la_team, staff, parent):
    invite(la_team, staff, email=parent.email)
    link = link_from(Email.objects.get())
    sign_in(client, parent)
    client.post(link)
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


def test_opening_the_link_changes_nothing_as_a_mail_scanner_does(client, la_team, staff,
                                                                  parent):
    invite(la_team, staff)
    invite(la_team, staff, email=parent.email)
    for email in Email.objects.all():
        client.get(link_from(email))
        client.head(link_from(email))
    assert not Membership.objects.exclude(user=staff).exists()
    assert AgencyInvitation.objects.open().count() == 2
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.MEMBERSHIP_CHANGED).exists()


def test_a_person_with_an_account_signs_in_comes_back_and_joins(client, la_team, staff,
                                                                parent):
    invite(la_team, staff, email=parent.email.upper())
    link = link_from(Email.objects.get())
    response = client.get(link)
    assert response["Location"] == f"/accounts/login/?next={quote(link, safe='')}"
    signed_in = client.post(response["Location"], {"login": parent.email,
                                                   "password": PASSWORD})
    assert signed_in["Location"] == link
    assert "Join Testshire SEND team" in client.get(link).content.decode()
    assert not Membership.objects.filter(user=parent).exists()
    client.post(link)
    assert Membership.objects.filter(user=parent, agency=la_team).exists(), \
        "the address matches whatever its capitals"


def test_someone_else_signed_in_is_told_the_invitation_is_for_another_address(
        client, la_team, staff, outsider):
    invite(la_team, staff)
    link = link_from(Email.objects.get())
    sign_in(client, outsider)
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 404
        assert "This invitation is for another email address" in response.content.decode()
        assert "new.person@test.example" not in response.content.decode()
    assert not Membership.objects.filter(user=outsider).exists()


def test_joining_needs_the_page_s_own_form(la_team, staff, parent):
    invite(la_team, staff, email=parent.email)
    link = link_from(Email.objects.get())
    client = Client(enforce_csrf_checks=True)
    sign_in(client, parent)
    assert client.post(link).status_code == 403
    assert not Membership.objects.filter(user=parent).exists()


def test_inviting_twice_in_one_save_queues_one_email(la_team, staff):
    invitation = invite(la_team, staff)
    from outbox.mail import queue_email

    queue_email(f"agency-invitation:{invitation.pk}", invitation.email, "again", "again")
    assert Email.objects.count() == 1


def test_a_new_member_sets_up_two_step_without_typing_the_password_just_chosen(
        client, la_team, staff):
    """Choosing a password at sign-up is typing it: the enrolment that follows does not
    ask for it again (allauth asks for a recent password before enrolling)."""
    invite(la_team, staff)
    link = link_from(Email.objects.get())
    client.get(link)
    signup(client, "new.person@test.example", next_url=link)
    client.post(link)
    enrolment = client.get("/accounts/2fa/totp/activate/")
    assert enrolment.status_code == 200
    assert "form" in enrolment.context and hasattr(enrolment.context["form"], "secret")
