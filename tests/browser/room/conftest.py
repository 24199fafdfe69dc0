"""The live meeting room's browser harness: Daphne serving HTTP and WebSockets in its own
process, as in production, sharing the test's database, and Chromium opening the room as
each person. pytest-django's live_server is WSGI only, so the room's tests start Daphne
themselves, the way channels.testing.ChannelsLiveServerTestCase does. The server process
needs a database it can share with the test: PostgreSQL's test database as it is, or, on
SQLite, a copy of the test database in a file, which this process then uses too until the
test ends.
"""

import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from asgiref.sync import SyncToAsync
from channels.testing.live import make_application
from daphne.testing import DaphneProcess
from django.conf import settings
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.db import connections
from django.test import Client
from playwright.sync_api import expect

from meeting.models import AgendaItem
from meeting.room import do_open_meeting
from reviews.models import Invitation
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import sign_in
from tests.meeting.test_room_two_processes import free_port
from tests.reviews.conftest import invite_person

WIDE = {"width": 1024, "height": 800}
PHONE = {"width": 360, "height": 740}
# A separator with nothing on one side: "Nadia Khan — ," where a job title was missing.
DANGLING = re.compile(r"[,—–]\s*[,—–]|[—–,]\s*$", re.M)


_INHERITED_POOLS = []


def _fresh_after_fork():
    """Runs in the server process before it serves. The fork copied this process's channel
    layer and executors (asgiref's thread-sensitive one, the meeting room's), but not their
    threads: the server needs its own, or its first database call waits for a thread that
    is not there. It copied PostgreSQL's connection pools too, whose connections are this
    process's sessions: the server makes pools of its own, and leaves those be (closing
    them would end this process's sessions)."""
    from channels.layers import channel_layers
    from django.db.backends.postgresql.base import DatabaseWrapper

    from meeting import consumers

    channel_layers.backends = {}
    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)
    consumers.ROOM_THREADS = ThreadPoolExecutor(max_workers=4)
    _INHERITED_POOLS.append(DatabaseWrapper._connection_pools)
    DatabaseWrapper._connection_pools = {}


def _start_daphne(port: int) -> DaphneProcess:
    process = DaphneProcess(
        host="localhost",
        get_application=partial(make_application, static_wrapper=ASGIStaticFilesHandler),
        setup=_fresh_after_fork, port=port)
    process.start()
    if not process.ready.wait(timeout=30):
        process.terminate()
        error = process.errors.get(timeout=1)[1] if not process.errors.empty() else "no error"
        raise RuntimeError(f"Daphne did not start: {error}")
    return process


@pytest.fixture
def shared_database(tmp_path):
    """A database the server process and this one share.

    On SQLite: the in-memory test database copied to a file, and the database settings
    pointed at the file until the test ends, for this process and the server it forks (the
    in-memory database is kept, for pytest-django to reset afterwards). On PostgreSQL: the
    test database as it is.
    """
    original = connections["default"]
    if original.vendor != "sqlite":
        yield
        return
    path = str(tmp_path / "meeting-room.sqlite3")
    original.ensure_connection()
    target = sqlite3.connect(path)
    original.connection.backup(target)
    target.close()
    in_memory = settings.DATABASES["default"]
    settings.DATABASES["default"] = {**in_memory, "NAME": path}
    in_file = original.__class__(settings.DATABASES["default"], "default")
    connections["default"] = in_file
    yield
    in_file.close()
    settings.DATABASES["default"] = in_memory
    connections["default"] = original


@pytest.fixture
def server(shared_database, settings):
    """The address of Daphne serving the portal from its own process: the site's BASE_URL
    there, which its pages' sockets must come from."""
    port = free_port()
    settings.BASE_URL = f"http://localhost:{port}"
    process = _start_daphne(port)
    yield settings.BASE_URL
    process.terminate()
    process.join(10)


def _forget_connection():
    try:
        del connections["default"]
    except AttributeError:
        pass  # none made yet


@pytest.fixture
def chromium(server, monkeypatch):
    # Started after the server: Daphne's process is forked from this one, and should not
    # inherit Playwright's threads. Playwright's loop runs in this thread: Django must allow
    # ORM calls beside it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # While Playwright's loop counts as running, Django keeps this thread's connection in
        # a context variable, where one made by an earlier test may linger (on another
        # database): the test gets a fresh one, made from the settings, and it goes after.
        _forget_connection()
        yield browser
        connections["default"].close()
        _forget_connection()
        browser.close()


@pytest.fixture
def open_as(chromium, server):
    """A signed-in browser context for a person: open_as(user, viewport) -> page."""
    contexts = []

    def opened(user, viewport=WIDE):
        client = Client()
        sign_in(client, user)
        options = {"is_mobile": True, "has_touch": True} if viewport == PHONE else {}
        context = chromium.new_context(base_url=server, viewport=viewport, **options)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": server,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
        contexts.append(context)
        return context.new_page()

    yield opened
    for context in contexts:
        context.close()


@pytest.fixture
def meeting(review, coordinator, family_parent, invited_therapist):
    invite_person(review, family_parent, role=Invitation.Role.FAMILY)
    review.meeting_link = "https://meet.jit.si/annual-review-ae"
    review.save()
    return do_open_meeting(review, coordinator)


def enter_room(page, review):
    page.goto(f"/reviews/{review.pk}/meeting/")
    expect(page.locator("[data-room-status]")).to_contain_text("Connected")
    return page


def items_of(meeting) -> list[AgendaItem]:
    return list(meeting.items.order_by("position"))


def comment_box(page, item):
    return page.get_by_label(f"What you want to say or ask about {item.title}", exact=True)


def add_comment(page, item, text: str):
    comment_box(page, item).fill(text)
    page.get_by_role("button", name=f"Add your comment on {item.title}", exact=True).click()


def comment_form(page, item):
    return page.locator(f"#comment-form-{item.pk}")


class Network:
    """Every WebSocket of a page passes through here, so a test can drop them all and keep
    new ones from connecting, then let them through again."""

    def __init__(self, page):
        self.up, self.open = True, []
        page.route_web_socket("**/ws/**", self.route)

    def route(self, socket):
        if not self.up:
            socket.close()
            return
        self.open.append((socket, socket.connect_to_server()))

    def drop(self):
        self.up = False
        for page_side, server_side in self.open:
            server_side.close()
            page_side.close()
        self.open = []

    def restore(self):
        self.up = True
