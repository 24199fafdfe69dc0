"""The browser harness itself: what a journey test does in its own thread and what the live
server does for the browser meet in one database without tripping over each other."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_test_writing_while_the_browser_reads_does_not_lock_the_server_out(
        chromium, live_server):
    """A page's scripts keep asking the server things (a live page whose socket has no ASGI
    server here asks whether it may still see the page), while the test signs someone else
    in. On SQLite's in-memory database the two once held two connections, and one found the
    sessions table locked by the other at once, failing a journey now and then."""
    page = chromium.new_context(base_url=live_server.url).new_page()
    store = SessionStore()
    store.create()
    page.context.add_cookies([{"name": "sessionid", "value": store.session_key,
                               "url": live_server.url}])
    with transaction.atomic():
        SessionStore().create()  # the sessions table held for writing, as a sign-in does
        status = page.request.get("/accounts/login/").status
    assert status == 200
