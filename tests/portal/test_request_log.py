"""The request log `make run` prints (issue 16, item 15): one line a request, saying what
was asked for by its route's name, never its path, which can carry a secret (an invitation
link's token, a calendar feed's token) or a review's id."""

import logging
import uuid

import pytest

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-t0ken-from-an-email-link-0123456789"


def logged(caplog, client, path):
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        response = client.get(path)
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.requests"]
    assert len(lines) == 1, lines
    return response, lines[0]


def test_a_request_is_one_line_with_its_method_route_and_status(caplog, client):
    response, line = logged(caplog, client, "/accounts/login/")
    assert response.status_code == 200
    assert line.startswith("GET account_login 200 ") and line.endswith("ms")


@pytest.mark.parametrize("path", [f"/reviews/i/{TOKEN}/", f"/calendar/{TOKEN}.ics",
                                  f"/invitations/{TOKEN}/"])
def test_secret_links_are_logged_by_name_without_their_token(caplog, client, path):
    _, line = logged(caplog, client, path)
    assert TOKEN not in line and "/" not in line.split()[1], line


def test_a_review_is_logged_without_its_id(caplog, client, coordinator):
    review_id = uuid.uuid4()
    client.force_login(coordinator)
    _, line = logged(caplog, client, f"/reviews/{review_id}/")
    assert str(review_id) not in line and "reviews:review" in line


def test_an_address_that_matches_nothing_is_not_written_down(caplog, client):
    _, line = logged(caplog, client, f"/no-such-page/{TOKEN}/")
    assert TOKEN not in line and " 404 " in line


def test_djangos_own_request_errors_do_not_name_the_path_either(caplog, client, settings):
    with caplog.at_level(logging.INFO):
        client.get(f"/calendar/{TOKEN}.ics")
    assert not [r for r in caplog.records if TOKEN in r.getMessage()]
    settings.ROOT_URLCONF = "tests.portal.failing_urls"
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO):
        assert client.get(f"/fails/{TOKEN}/").status_code == 500
    errors = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert errors == ["Internal Server Error: fails"]
