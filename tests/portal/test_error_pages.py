"""When the database is down, a page says so in the GOV.UK way (503), never with a traceback."""

import pytest
from django.db import OperationalError, connection

from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def database_down(execute, sql, params, many, context):
    raise OperationalError("connection failed: server closed the connection unexpectedly")


@pytest.fixture
def failing_client(client):
    client.raise_request_exception = False  # as a browser sees it, not the test's exception
    return client


@pytest.mark.parametrize("path", ["/reviews/", "/accounts/login/", "/"])
def test_while_the_database_is_down_pages_show_the_service_unavailable_page(
        failing_client, parent, path):
    sign_in(failing_client, parent)
    with connection.execute_wrapper(database_down):
        response = failing_client.get(path)
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "<title>Sorry, the service is unavailable – " in page
    assert '<h1 class="govuk-heading-l">Sorry, the service is unavailable</h1>' in page
    assert "Anything you have already saved is kept." in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert "Sign out" not in page  # nothing that needed the database


def test_any_other_failure_shows_the_problem_page_not_a_traceback(failing_client, settings):
    settings.ROOT_URLCONF = "tests.portal.failing_urls"
    response = failing_client.get("/fails/")
    page = response.content.decode()
    assert response.status_code == 500
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in page
    assert "Traceback" not in page and "ZeroDivisionError" not in page
