"""allauth's emails go through the outbox like every other email, with links built on
BASE_URL (never the request's Host header) and the portal's own name."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.sites.models import Site
from django.test import Client

from agencies.models import AuditEntry
from outbox.models import Email
from tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-password-7"  # noqa: S105


def only_email_to(address) -> Email:
    return Email.objects.get(to=address)


def test_a_password_reset_link_is_built_on_base_url_whatever_the_host_header(parent, settings):
    settings.BASE_URL = "https://reviews.example.gov.uk"
    Client(HTTP_HOST="127.0.0.1:31337").post("/accounts/password/reset/",
                                             {"email": parent.email})
    email = only_email_to(parent.email)
    links = re.findall(r"https?://\S+", email.text)
    assert links and all(link.startswith("https://reviews.example.gov.uk/") for link in links)
    assert "31337" not in email.text and "example.com" not in email.text
    assert email.subject.endswith("Reset your password")


def test_the_emailed_link_resets_the_password_and_the_person_is_told(client, parent):
    client.post("/accounts/password/reset/", {"email": parent.email})
    link = re.search(r"https?://\S+", only_email_to(parent.email).text).group()
    form = client.get(urlsplit(link).path, follow=True)
    response = client.post(form.wsgi_request.path,
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PASSWORD_RESET,
                                     user=parent).exists()
    notice = Email.objects.filter(to=parent.email).latest("created_at")
    assert "has been reset" in notice.text and "not you" in notice.text
    assert Client().post("/accounts/login/", {"login": parent.email,
                                              "password": NEW_PASSWORD}).status_code == 302


def test_an_address_without_an_account_is_told_accounts_come_by_invitation(client):
    client.post("/accounts/password/reset/", {"email": "stranger@test.example"})
    email = only_email_to("stranger@test.example")
    assert "invites you by email" in email.text
    assert "/accounts/signup/" not in email.text


def test_a_password_change_is_recorded_and_announced(client, parent):
    sign_in(client, parent)
    client.post("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PASSWORD_CHANGED,
                                     user=parent).exists()
    assert "has been changed" in only_email_to(parent.email).text


def test_the_site_record_is_the_portals_own_address_and_name(settings):
    from agencies.apps import site_from_base_url

    settings.BASE_URL, settings.SITE_NAME = "https://reviews.example.gov.uk", "Reviews"
    site_from_base_url()
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("reviews.example.gov.uk", "Reviews")
