"""The browser harness: Debian's Chromium driven by Playwright against a live server.

Every journey test uses it: `browser_page` opens a page, `as_persona` signs a page in as any
person (through the real sign-in, then hands the session cookie to the browser), `at_width`
opens a signed-in page at 1280 px (WIDE) or 360 px (PHONE), and `assert_accessible` runs
axe-core and fails on serious or critical violations.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from tests.conftest import sign_in

# The reviews cast, for journeys through a review (imported here, not in the test modules,
# so that a test taking them as arguments does not shadow an import).
from tests.reviews.conftest import (  # noqa: F401
    child,
    family_parent,
    invited_therapist,
    plan,
    review,
    school,
)

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium")
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(
        reason="Debian's chromium is not installed: apt-get install chromium to run browser tests"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def chromium(monkeypatch):
    # Playwright's sync API runs an event loop in this thread while it is open: Django must
    # allow ORM calls beside it, and it must close after each test so that async tests can
    # start their own loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright's loop runs, Django keeps connections per context, not per thread:
        # the test's own queries used one that the test's teardown never sees. Closed here,
        # where it is still reachable, or it keeps the test database from being dropped.
        connections.close_all()



@pytest.fixture
def browser_page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url,
                                   viewport={"width": 1024, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740},
                                   is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def as_persona(live_server):
    """Sign a page's browser in as a person through the real sign-in (password, then MFA)."""

    def signed_in(page, user):
        client = Client()
        sign_in(client, user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value,
                                   "url": live_server.url}])
        return page

    return signed_in


@pytest.fixture
def at_width(chromium, live_server, as_persona):
    """A signed-in page at a width: 1280 px on a desktop, 360 px on a phone."""
    contexts = []

    def page_for(user, viewport):
        phone = viewport == PHONE
        context = chromium.new_context(base_url=live_server.url, viewport=viewport,
                                       is_mobile=phone, has_touch=phone)
        contexts.append(context)
        return as_persona(context.new_page(), user)

    yield page_for
    for context in contexts:
        context.close()


def assert_accessible(page, label: str = "", exclude: tuple[str, ...] = ()):
    """axe at its serious and critical findings; `exclude`: CSS selectors of parts that are
    not the portal's own markup (each caller says why)."""
    from axe_playwright_python.sync_playwright import Axe

    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    results = Axe().run(page, context=context, options={
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                              "wcag22aa", "best-practice"]},
        "resultTypes": ["violations"],
    })
    serious = [v for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
    details = "\n".join(f"{v['id']} ({v['impact']}): {v['help']} – "
                        f"{[n['target'] for n in v['nodes']][:3]}" for v in serious)
    assert not serious, f"axe found problems on {label or page.url}:\n{details}"


def checked_at_both_widths(at_width, user, paths: list[str]) -> None:
    """Each path opens (no 403, 404 or 500) and passes axe at both widths."""
    for viewport in (WIDE, PHONE):
        page = at_width(user, viewport)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, f"{path} answered {response.status}"
            assert_accessible(page, f"{path} at {viewport['width']} px")
