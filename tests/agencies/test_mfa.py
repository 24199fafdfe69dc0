import pytest

from agencies.models import Role
from tests.conftest import current_code, make_person, sign_in

pytestmark = pytest.mark.django_db


def test_an_agency_member_without_mfa_can_reach_only_enrolment(client, la_team):
    person = make_person("new@test.example", agency=la_team, role=Role.PRACTITIONER, mfa=False)
    sign_in(client, person)
    for path in ["/", "/cms/", "/advocacy/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/", path
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


@pytest.mark.django_db(transaction=True)  # allauth announces the new authenticator on commit
def test_enrolling_in_mfa_opens_the_portal(client, la_team):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    person = make_person("new@test.example", agency=la_team, role=Role.PRACTITIONER, mfa=False)
    sign_in(client, person)
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    assert person.authenticator_set.filter(type="totp").exists()
    assert client.get("/accounts/email/").status_code == 200


def test_an_enrolled_member_must_give_a_code_at_sign_in(client, coordinator):
    response = sign_in(client, coordinator, code=False)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not client.get("/").wsgi_request.user.is_authenticated
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    home = client.get("/")
    assert home.status_code == 200 and home.wsgi_request.user == coordinator


def test_families_are_not_forced_to_enrol(client, parent):
    response = sign_in(client, parent)
    assert response["Location"] == "/reviews/", "straight to their own work"
    assert client.get("/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200, "families may still enrol"
