"""Every secret a person types or follows is rate-limited, per account and per address: the
attempt past the limit is refused, the right secret too while locked, and the lock expires.
A refusal reads the same whether or not the account exists, and is in the audit trail."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from agencies.models import AgencyInvitation, AuditEntry
from outbox.models import Email
from tests.conftest import PASSWORD, current_code, sign_in

pytestmark = pytest.mark.django_db

LOCKED = "too many attempts to sign in"


def later(minutes: float):
    return time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=True)


def try_password(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_an_account_is_locked_after_5_wrong_passwords_and_opens_again_5_minutes_later(
        client, parent):
    for _ in range(5):
        assert LOCKED not in try_password(client, parent.email, "wrong-guess").content.decode()
    refused = try_password(client, parent.email)
    assert LOCKED in refused.content.decode()
    assert "Wait 5 minutes" in refused.content.decode()
    assert SESSION_KEY not in client.session
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOCKED_OUT,
                                     email=parent.email).exists()
    with later(5.5):
        assert try_password(Client(), parent.email).status_code == 302


def test_a_few_mistakes_do_not_lock_anyone_out(client, parent):
    for _ in range(3):
        try_password(client, parent.email, "wrong-guess")
    assert try_password(client, parent.email).status_code == 302


def test_one_address_trying_many_accounts_is_stopped_after_10_a_minute(client, parent):
    for n in range(10):
        try_password(client, f"guess{n}@test.example", "wrong-guess")
    assert LOCKED in try_password(client, parent.email).content.decode()
    with later(1.5):
        assert try_password(client, parent.email).status_code == 302


def test_a_locked_address_reads_the_same_whether_or_not_it_has_an_account(parent):
    answers = []
    for email in (parent.email, "nobody-here@test.example"):
        client = Client(REMOTE_ADDR=f"10.0.0.{len(answers) + 1}")
        for _ in range(6):
            response = try_password(client, email, "wrong-guess")
        page = re.sub(r'value="[^"]*"', "", response.content.decode())  # CSRF, the address
        answers.append(page)
    assert answers[0] == answers[1]


def test_two_step_codes_are_limited_and_the_right_one_refused_while_locked(coordinator):
    client = Client()
    try_password(client, coordinator.email)
    for _ in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": "000001"})
    refused = client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    assert SESSION_KEY not in client.session
    assert LOCKED in refused.content.decode()
    locked = AuditEntry.objects.filter(action=AuditEntry.Action.LOCKED_OUT).get()
    assert locked.user == coordinator
    with later(5.5):
        client.post("/accounts/2fa/authenticate/", {"code": current_code()})
        assert client.session.get(SESSION_KEY) == str(coordinator.pk)


def test_recovery_codes_are_limited_like_two_step_codes(coordinator):
    code = RecoveryCodes.activate(coordinator).generate_codes()[0]
    client = Client()
    try_password(client, coordinator.email)
    for _ in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": "abcd1234"})
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert SESSION_KEY not in client.session


def test_reauthentication_is_limited_per_person(client, coordinator, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    sign_in(client, coordinator)
    for _ in range(5):
        client.post("/accounts/reauthenticate/", {"password": "wrong-guess"})
    refused = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    with later(5.5):
        assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302


def test_password_reset_requests_are_limited_per_address_asked(client, parent):
    for _ in range(6):
        client.post("/accounts/password/reset/", {"email": parent.email})
    assert Email.objects.filter(to=parent.email).count() == 5
    with later(1.5):
        client.post("/accounts/password/reset/", {"email": parent.email})
    assert Email.objects.filter(to=parent.email).count() == 6


def calendar_address(user) -> str:
    from django.urls import reverse

    from reviews.models import CalendarFeed

    feed = CalendarFeed(user=user)
    token = feed.reset()
    feed.save()
    return reverse("calendar:feed", args=[token])


def agency_invitation_link(agency) -> str:
    invitation = AgencyInvitation(agency=agency, email="new.person@test.example")
    token = invitation.issue_token()
    invitation.save()
    return f"/invitations/{token}/"


@pytest.mark.parametrize("secret_link", ["calendar", "agency_invitation"])
def test_guessing_secret_links_is_stopped_per_address(client, parent, la_team, secret_link):
    if secret_link == "calendar":
        right, wrong = calendar_address(parent), "/calendar/guess-x.ics"
    else:
        right, wrong = agency_invitation_link(la_team), "/invitations/guess-x/"
    assert client.get(right).status_code != 404
    for _ in range(20):
        assert client.get(wrong).status_code == 404
    assert client.get(right).status_code == 429
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOCKED_OUT,
                                     route__contains="<str:token>").exists()
    with later(1.5):
        assert client.get(right).status_code != 429


def test_a_calendar_service_fetching_many_right_addresses_is_never_slowed(client, parent):
    address = calendar_address(parent)
    for _ in range(40):
        assert client.get(address).status_code == 200


def test_hammering_a_lock_cannot_fill_the_audit_trail(client, parent, settings):
    settings.AUDIT_REFUSALS_PER_MINUTE = 3
    for _ in range(20):
        try_password(client, parent.email, "wrong-guess")
    lockouts = AuditEntry.objects.filter(action=AuditEntry.Action.LOCKED_OUT)
    assert lockouts.count() == 4
    assert "further lockouts suppressed" in lockouts.order_by("at", "pk").last().detail
