"""The browser harness itself: what a journey test does in its own thread and what the live
server does for the browser meet in one database without tripping over each other."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pages_requests_and_the_tests_writes_meet_in_the_database_without_failing(
        chromium, live_server):
    """A page's scripts keep asking the server things (a live page whose socket has no ASGI
    server here asks whether it may still see the page) while the test signs people in.
    On SQLite's shared in-memory database the two once held two connections and found each
    other's tables locked at once, failing a journey now and then; the server's own threads,
    sharing one connection, could deadlock. The test database is now a file
    (tests/conftest.py), where each waits its turn."""
    page = chromium.new_context(base_url=live_server.url).new_page()
    store = SessionStore()
    store["visits"] = 0  # not empty: every request saves it (SESSION_SAVE_EVERY_REQUEST)
    store.create()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": store.session_key, "url": live_server.url}])
    page.goto("/accounts/login/")
    page.evaluate("""() => {
        window.statuses = [];
        for (let i = 0; i < 20; i++) {
            fetch("/accounts/login/", {method: "HEAD"}).then(
                (response) => window.statuses.push(response.status),
                () => window.statuses.push("failed"));
        }
    }""")
    for _ in range(20):
        SessionStore().create()  # the sessions table written, as a sign-in does
    # (Polled from here: the pages' CSP refuses wait_for_function's eval.)
    deadline = time.monotonic() + 30
    while page.evaluate("() => window.statuses.length") < 20 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert page.evaluate("() => window.statuses") == [200] * 20
