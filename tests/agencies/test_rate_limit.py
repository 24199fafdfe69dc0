import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_repeated_failed_sign_ins_are_stopped_even_with_the_right_password(client, parent):
    for _ in range(5):
        wrong = client.post("/accounts/login/", {"login": parent.email, "password": "wrong-guess"})
        assert wrong.status_code == 200
    right = client.post("/accounts/login/", {"login": parent.email, "password": PASSWORD})
    assert "too many attempts to sign in" in right.content.decode()
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_a_few_mistakes_do_not_lock_anyone_out(client, parent):
    for _ in range(3):
        client.post("/accounts/login/", {"login": parent.email, "password": "wrong-guess"})
    right = client.post("/accounts/login/", {"login": parent.email, "password": PASSWORD})
    assert right.status_code == 302
