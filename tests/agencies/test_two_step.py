"""A session that has not passed two-step is not a session for a professional: it reaches only
the step it owes and sign-out. What it may reach in each state: password only, two-step
passed, a recovery code used, reauthenticated."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import SESSION_KEY
from django.test import Client

from agencies.models import AuditEntry, Role
from tests.conftest import PASSWORD, current_code, make_person, sign_in
from tests.urlwalk import every_route

pytestmark = pytest.mark.django_db

CHALLENGE = "/accounts/2fa/reauthenticate/"
ENROL = "/accounts/2fa/totp/activate/"


def password_only(user) -> Client:
    """A signed-in session that has proved nothing more than a password: what any route
    other than allauth's sign-in would have made, were there one."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def reached(client, path, method="get") -> bool:
    response = getattr(client, method)(path)
    return not (response.status_code == 302 and response["Location"].startswith(
        (CHALLENGE, ENROL)))


def walk_reaches(client) -> set[str]:
    """The routes this session reaches, by GET or POST; signing out is asked last."""
    routes = sorted(every_route(), key=lambda route: route.name == "account_logout")
    return {route.name for route in routes for method in ("get", "post")
            if reached(client, route.path, method)}


def test_password_only_reaches_nothing_but_the_challenge_and_sign_out(coordinator):
    assert walk_reaches(password_only(coordinator)) == {"mfa_reauthenticate", "account_logout"}


@pytest.mark.parametrize("path", [
    "/accounts/reauthenticate/", "/accounts/2fa/", "/accounts/2fa/totp/deactivate/",
    "/accounts/2fa/recovery-codes/", "/accounts/2fa/recovery-codes/generate/",
    "/accounts/2fa/recovery-codes/download/", "/accounts/2fa/totp/activate/",
    "/accounts/password/change/", "/accounts/email/"])
def test_password_only_cannot_touch_the_account_or_its_two_step(coordinator, path):
    """The takeover: reauthenticating with the password, then removing the authenticator or
    reading the recovery codes."""
    client = password_only(coordinator)
    response = client.post(path, {"password": PASSWORD, "action_deactivate": "1"})
    assert response.status_code == 302 and response["Location"].startswith(CHALLENGE)
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()


def test_the_challenge_brings_them_back_to_the_page_they_asked_for(coordinator):
    client = password_only(coordinator)
    response = client.get("/reviews/due/")
    assert response["Location"] == f"{CHALLENGE}?next=%2Freviews%2Fdue%2F"
    passed = client.post(response["Location"], {"code": current_code()})
    assert passed["Location"] == "/reviews/due/"
    assert client.get("/reviews/due/").status_code == 200


def test_a_professional_not_yet_enrolled_reaches_only_enrolment(la_team):
    person = make_person("new@test.example", agency=la_team, role=Role.PRACTITIONER, mfa=False)
    assert walk_reaches(password_only(person)) == {
        "mfa_activate_totp", "account_reauthenticate", "account_logout"}


def test_two_step_passed_reaches_the_account_pages(client, coordinator):
    sign_in(client, coordinator)
    for path in ("/accounts/2fa/", "/accounts/2fa/recovery-codes/", "/reviews/due/"):
        assert reached(client, path), path


def test_a_recovery_code_passes_two_step_once(coordinator):
    codes = RecoveryCodes.activate(coordinator).generate_codes()
    client = Client()
    client.post("/accounts/login/", {"login": coordinator.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert client.session[SESSION_KEY] == str(coordinator.pk)
    assert client.get("/reviews/due/").status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SIGNED_IN, user=coordinator)
    assert entry.detail == "two-step passed (recovery code)"
    assert entry.route == "accounts/2fa/authenticate/"

    again = Client()
    again.post("/accounts/login/", {"login": coordinator.email, "password": PASSWORD})
    refused = again.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert refused.status_code == 200 and SESSION_KEY not in again.session


def test_reauthenticating_is_recorded_and_opens_what_it_guards(client, coordinator, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # every guarded page asks again
    sign_in(client, coordinator)
    asked = client.get("/accounts/2fa/recovery-codes/generate/")
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/reauthenticate/")
    confirmed = client.post(asked["Location"], {"password": PASSWORD})
    assert confirmed.status_code == 302
    assert AuditEntry.objects.filter(action=AuditEntry.Action.REAUTHENTICATED,
                                     user=coordinator).exists()


def test_a_professional_cannot_switch_two_step_off(client, coordinator):
    sign_in(client, coordinator)
    page = client.get("/accounts/2fa/").content.decode()
    assert "Switch off" not in page and "/accounts/2fa/totp/deactivate/" not in page
    assert "cannot be switched off" in page
    refused = client.post("/accounts/2fa/totp/deactivate/")
    assert refused.status_code == 200
    assert "cannot be switched off" in refused.content.decode()
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()


@pytest.mark.django_db(transaction=True)  # allauth announces the removal on commit
def test_a_family_member_may_switch_off_the_two_step_they_chose(client, parent):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    TOTP.activate(parent, TOTP_SECRET)
    sign_in(client, parent)
    assert "Switch off" in client.get("/accounts/2fa/").content.decode()
    client.post("/accounts/2fa/totp/deactivate/")
    assert not Authenticator.objects.filter(user=parent, type="totp").exists()


def test_someone_signed_in_who_is_not_staff_is_told_the_cms_is_not_for_them(client, parent):
    sign_in(client, parent)
    response = client.get("/cms/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 1
    assert "You cannot use this part of the portal" in response.content.decode()


def test_a_form_sent_before_the_code_is_sent_again_after_it(coordinator):
    """Nothing typed is lost to the challenge: the form waits in the session."""
    from reviews.models import CalendarFeed

    client = password_only(coordinator)
    asked = client.post("/calendar/reset/")
    assert asked["Location"] == f"{CHALLENGE}?next=%2Fcalendar%2Freset%2F"
    assert not CalendarFeed.objects.filter(user=coordinator).exists()
    client.post(asked["Location"], {"code": current_code()})
    assert CalendarFeed.objects.filter(user=coordinator).exists()
