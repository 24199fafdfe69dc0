"""allauth's sign-in is the one way in: no other route, Wagtail's and Django's included, makes
a signed-in session from a password, and none shows a password form of its own."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from agencies.models import AuditEntry
from tests.conftest import PASSWORD, sign_in
from tests.urlwalk import every_route

pytestmark = pytest.mark.django_db

# allauth's own pages that ask for a password (each rate-limited by allauth).
ALLAUTH_PASSWORD_PAGES = {"account_login", "account_signup", "account_reauthenticate",
                          "account_change_password", "account_set_password",
                          "account_reset_password_from_key"}


def credentials(user) -> dict:
    """Every name a sign-in form might give its fields."""
    return {"login": user.email, "email": user.email, "username": user.email,
            "password": PASSWORD, "password1": PASSWORD, "password2": PASSWORD,
            "next": "/"}


def test_allauths_sign_in_makes_a_session_from_a_password(parent):
    """The walk below would find a second door: it can tell when one opens."""
    client = Client()
    client.post("/accounts/login/", credentials(parent))
    assert client.session.get(SESSION_KEY) == str(parent.pk)


def test_no_other_route_makes_a_session_from_a_password(parent):
    routes = [route for route in every_route() if route.name != "account_login"]
    assert len(routes) > 300, "the walk covers Wagtail's admin and front end too"
    opened = []
    for route in routes:
        for method in ("get", "post"):
            client = Client(raise_request_exception=False)
            getattr(client, method)(route.path, credentials(parent))
            if SESSION_KEY in client.session:
                opened.append(f"{method.upper()} {route}")
    assert opened == []


def test_wagtails_front_end_sign_in_is_not_a_way_in(client, parent):
    response = client.post("/_util/login/?next=/guides/", credentials(parent))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/guides/"
    assert SESSION_KEY not in client.session


def test_only_allauths_pages_show_a_password_field(client, parent):
    asking = set()
    for signed_in in (False, True):
        if signed_in:
            sign_in(client, parent)
        for route in every_route():
            response = Client(raise_request_exception=False).get(route.path) if not signed_in \
                else client.get(route.path)
            if b'type="password"' in response.content:
                asking.add(route.name)
    assert asking <= ALLAUTH_PASSWORD_PAGES
    assert "account_login" in asking


def test_wagtail_private_pages_send_people_to_the_portals_sign_in(client):
    from wagtail.models import Page, PageViewRestriction

    page = Page.objects.get(depth=2).specific
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_pages_and_collections_cannot_be_given_a_shared_password():
    from django.conf import settings

    assert settings.WAGTAIL_PRIVATE_PAGE_OPTIONS == {"password": False}
    assert settings.WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS == {"password": False}


def test_a_sign_in_from_any_route_is_in_the_audit_trail(parent):
    """Django's own signal fires for every login() whoever calls it, so even a sign-in that
    did not come through allauth would be recorded."""
    Client().force_login(parent)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SIGNED_IN, user=parent).exists()
