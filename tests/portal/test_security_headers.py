import pytest

pytestmark = pytest.mark.django_db


def test_every_page_carries_a_strict_content_security_policy(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'", "no inline scripts anywhere"


def test_pages_are_not_sniffed_framed_or_leaked_in_referrers(client):
    response = client.get("/accounts/login/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_a_session_ends_after_half_an_hour_without_a_request(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def directives_of(response) -> dict:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_only_the_staff_admin_allows_inline_scripts(client, staff):
    from tests.conftest import sign_in

    sign_in(client, staff)
    admin = directives_of(client.get("/cms/"))
    assert "'unsafe-inline'" in admin["script-src"]
    assert admin["object-src"] == "'none'"
    assert directives_of(client.get("/accounts/email/"))["script-src"] == "'self'"


def test_only_the_staff_admin_allows_inline_styles(client, staff):
    """Wagtail's page editor writes <style> elements and style attributes (its rich text
    editor, its panels): blocked, they filled the console with violations."""
    from tests.conftest import sign_in

    assert "'unsafe-inline'" not in client.get("/accounts/login/")["Content-Security-Policy"]
    sign_in(client, staff)
    admin = directives_of(client.get("/cms/"))
    assert admin["style-src"] == "'self' 'unsafe-inline'"
    public = client.get("/accounts/email/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in public
