"""The account pages (the sign-in library's: password, email, reauthentication, two-step,
recovery codes, sign-out) are the portal's own GOV.UK pages, with headings, titles and
buttons in sentence case ("Change password", never "Change Password")."""

import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client

from agencies.models import Role
from tests.conftest import make_person, sign_in

pytestmark = pytest.mark.django_db

# Each page a signed-in professional can open from their account, and the first words of
# its heading.
SIGNED_IN_PAGES = {
    "/accounts/password/change/": "Change your password",
    "/accounts/email/": "Email addresses",
    "/accounts/reauthenticate/": "Confirm it is you",
    "/accounts/2fa/reauthenticate/": "Confirm it is you",
    "/accounts/2fa/": "Two-step sign-in",
    "/accounts/2fa/recovery-codes/": "Recovery codes",
    "/accounts/2fa/recovery-codes/generate/": "Make new recovery codes",
    "/accounts/logout/": "Sign out",
}
# Pages for someone signed out: resetting a password, and what follows a link.
SIGNED_OUT_PAGES = {
    "/accounts/password/reset/": "Reset your password",
    "/accounts/password/reset/done/": "Check your email",
    "/accounts/password/reset/key/1-not-a-key/": "This link does not work",
    "/accounts/password/reset/key/done/": "Your password has been changed",
    "/accounts/confirm-email/": "Check your email",
    "/accounts/confirm-email/not-a-key/": "Confirm your email address",
    "/accounts/inactive/": "This account is switched off",
}
ENROL = "/accounts/2fa/totp/activate/"

# Words that keep their capital inside a sentence.
PROPER = {"I", "QR", "Google", "Microsoft", "Authenticator"}


def capitalised_inside(text: str) -> list[str]:
    """Words after the first that start with a capital and are not a name or an acronym."""
    words = re.findall(r"[A-Za-z][\w'-]*", text)
    return [w for w in words[1:] if w[0].isupper() and not w.isupper() and w not in PROPER]


def texts(html: str) -> dict[str, list[str]]:
    def clean(fragment):
        return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())

    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    return {
        "title": [clean(re.search(r"<title>(.*?)</title>", html, re.S).group(1))],
        "headings": [clean(h) for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", main, re.S)],
        "buttons": [clean(b) for b in re.findall(r"<button[^>]*>(.*?)</button>", main, re.S)]
        + [clean(a) for a in re.findall(r'<a[^>]*class="govuk-button[^"]*"[^>]*>(.*?)</a>',
                                        main, re.S)],
    }


def assert_a_portal_page_in_sentence_case(html: str, path: str, heading: str):
    assert 'class="govuk-generic-header' in html, f"{path} is not in the portal's layout"
    assert '<main class="govuk-main-wrapper' in html, path
    found = texts(html)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", " ", h1).split()).startswith(heading), (path, h1)
    for kind, strings in found.items():
        for text in strings:
            assert not capitalised_inside(text.split(" – ")[0]), \
                f"{path}: {kind} not in sentence case: {text!r}"


@pytest.fixture
def professional(la_team):
    person = make_person("officer@test.example", "Ola", "Officer", la_team, Role.COORDINATOR)
    RecoveryCodes.activate(person)
    return person


def test_every_account_page_is_a_gov_uk_page_in_sentence_case(professional):
    client = Client()
    sign_in(client, professional)
    for path, heading in SIGNED_IN_PAGES.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert_a_portal_page_in_sentence_case(response.content.decode(), path, heading)


def test_and_for_someone_signed_out(db):
    client = Client()
    for path, heading in SIGNED_OUT_PAGES.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert_a_portal_page_in_sentence_case(response.content.decode(), path, heading)


def test_setting_up_the_authenticator_app_too(la_team):
    newcomer = make_person("new@test.example", "Nia", "New", la_team, Role.PRACTITIONER,
                           mfa=False)
    client = Client()
    sign_in(client, newcomer)
    response = client.get(ENROL)
    assert response.status_code == 200
    assert_a_portal_page_in_sentence_case(response.content.decode(), ENROL,
                                          "Set up two-step sign-in")


def test_the_password_hint_holds_no_link_and_the_reset_link_follows_the_button(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "id_password_helptext" not in page
    assert page.index("Forgot your password?") > page.index(">Sign in</button>")
