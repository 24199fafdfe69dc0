"""The idle time-out, said before it happens (agencies/session_timeout.py): every signed-in page
carries the warning dialog; "Stay signed in" moves the session's expiry on; a page whose time
has run out sends the person to sign in, told why, and back to where they were."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from agencies.session_timeout import idle_words
from tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

KEEP_ALIVE = "/session/keep-alive/"
TIMED_OUT = "/session/timed-out/"


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def expiring_soon(client) -> Session:
    """The client's session, as if its last request had been nearly half an hour ago."""
    row = session_row(client)
    row.expire_date = timezone.now() + dt.timedelta(seconds=30)
    row.save()
    return row


def test_the_urls_are_the_ones_the_dialog_uses():
    assert reverse("session_keep_alive") == KEEP_ALIVE
    assert reverse("session_timed_out") == TIMED_OUT


@pytest.mark.parametrize("save_every_request", [True, False])
def test_stay_signed_in_moves_the_sessions_expiry_on(client, parent, settings,
                                                     save_every_request):
    """Whether or not every request saves the session, the keep-alive does."""
    settings.SESSION_SAVE_EVERY_REQUEST = save_every_request
    sign_in(client, parent)
    expiring_soon(client)
    before = timezone.now()
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 204
    assert response.content == b""  # nothing of anyone's: it answers only for the session
    expires = session_row(client).expire_date
    assert expires >= before + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_stay_signed_in_after_the_session_has_ended_is_refused(client, parent):
    sign_in(client, parent)
    row = session_row(client)
    row.expire_date = timezone.now() - dt.timedelta(seconds=1)
    row.save()
    assert client.post(KEEP_ALIVE).status_code == 401
    assert not Session.objects.filter(expire_date__gt=timezone.now()).exists()


def test_a_stranger_signed_out_cannot_make_a_session_with_it(client):
    assert client.post(KEEP_ALIVE).status_code == 401
    assert Session.objects.count() == 0


def test_the_keep_alive_is_a_post_with_the_pages_csrf_token(parent):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    sign_in(client, parent)
    assert client.get(KEEP_ALIVE).status_code == 405
    assert client.post(KEEP_ALIVE).status_code == 403


def test_a_timed_out_page_goes_to_sign_in_with_the_reason_and_back_afterwards(client, parent):
    response = client.get(TIMED_OUT, {"next": "/reviews/family/", "saved": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Freviews%2Ffamily%2F"
    page = response.content.decode()
    assert ("You were signed out because you had not done anything for 30 minutes. "
            "We saved what you had typed.") in page
    signed_in = client.post("/accounts/login/?next=%2Freviews%2Ffamily%2F",
                            {"login": parent.email, "password": PASSWORD,
                             "next": "/reviews/family/"})
    assert signed_in["Location"] == "/reviews/family/"


def test_a_page_with_nothing_saved_as_typed_does_not_claim_it_was(client):
    page = client.get(TIMED_OUT, {"next": "/reviews/due/"}, follow=True).content.decode()
    assert "had not done anything for 30 minutes." in page
    assert "We saved" not in page


def test_the_way_back_stays_on_this_site(client):
    response = client.get(TIMED_OUT, {"next": "https://elsewhere.example/"})
    assert response["Location"] == "/accounts/login/?next=%2Freviews%2F"


def test_still_signed_in_elsewhere_goes_straight_back(client, parent):
    """Another tab kept the session alive: nothing to sign in again for."""
    sign_in(client, parent)
    response = client.get(TIMED_OUT, {"next": "/reviews/family/"})
    assert response["Location"] == "/reviews/family/"


def test_every_signed_in_page_carries_the_warning_and_no_signed_out_page_does(client, parent,
                                                                                settings):
    assert "data-session-timeout" not in client.get("/accounts/login/").content.decode()
    sign_in(client, parent)
    page = client.get("/reviews/family/").content.decode()
    assert 'role="dialog"' not in page  # a <dialog> element: its role is its own
    assert "<dialog" in page and 'aria-labelledby="session-timeout-heading"' in page
    assert f'data-idle-seconds="{settings.SESSION_COOKIE_AGE}"' in page
    assert 'data-warn-seconds="120"' in page
    assert "session-timeout.js" in page


def test_idle_time_in_words():
    assert idle_words(30 * 60) == "30 minutes"
    assert idle_words(60) == "1 minute"
    assert idle_words(12) == "12 seconds"
