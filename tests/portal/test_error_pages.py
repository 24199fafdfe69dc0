"""When the database is down, a page says so in the GOV.UK way (503), never with a traceback."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection

from tests.conftest import sign_in

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


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


PAGE_WHILE_DOWN = """
import time
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(raise_request_exception=False)
client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32  # a session to look up
started = time.monotonic()
response = client.get("/reviews/")
print(response.status_code, time.monotonic() - started)
"""
# The base template's files, as collectstatic would list them (production needs the list).
STATIC = ["portal/favicon.svg", "portal/portal.css", "portal/supported.js", "portal/init.js"]


def test_while_postgresql_cannot_be_reached_a_page_says_so_within_seconds(tmp_path):
    """In production (DEBUG off), on PostgreSQL that does not answer: the pool's wait for a
    connection is bounded. psycopg's default kept each request, and each of the meeting
    room's threads, waiting 30 s before the 503 page."""
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {name: name for name in STATIC}}))
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "testserver",
           "EMAIL_HOST": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "STATIC_ROOT": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "portal.settings",
           "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/nothing"}
    env.pop("REDIS_URL", None)
    finished = subprocess.run([sys.executable, "-c", PAGE_WHILE_DOWN], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120, check=True)
    status, seconds = finished.stdout.split()[-2:]
    assert status == "503"
    assert float(seconds) < 10
