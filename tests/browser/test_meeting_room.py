"""The live meeting room in a real browser: the coordinator and a parent in the same room,
each in their own browser context, served by Daphne (HTTP and WebSockets) in its own
process, as in production. Every page is checked by axe at 1024 and 360 pixels wide.

pytest-django's live_server is WSGI only, so these tests start Daphne themselves, the way
channels.testing.ChannelsLiveServerTestCase does. The server process needs a database it
can share with the test: PostgreSQL's test database as it is, or, on SQLite, a copy of the
in-memory test database in a file, which this process then uses too until the test ends.
"""

import datetime as dt
import json
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
from django.utils import timezone
from playwright.sync_api import expect

from meeting.models import AgendaItem, Comment, Meeting
from meeting.room import LIMITS, do_open_meeting
from reviews import events
from reviews.models import Invitation, Review
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, assert_accessible
from tests.browser.conftest import WIDE as DESKTOP
from tests.conftest import PASSWORD, sign_in
from tests.meeting.test_room_two_processes import free_port
from tests.reviews.conftest import invite_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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


def test_a_note_and_a_question_reach_the_other_person_in_the_room(
        server, meeting, open_as, review, coordinator, family_parent):
    first, second = items_of(meeting)[:2]
    host = enter_room(open_as(coordinator), review)
    guest = enter_room(open_as(family_parent), review)
    expect(host.locator("[data-presence]")).to_contain_text("Pat Parent")
    expect(guest.locator("[data-presence]")).to_contain_text("Cora Ordinator")
    assert_accessible(host, "the room, for the coordinator")
    assert_accessible(guest, "the room, for the parent")

    host.get_by_label(f"Notes on {first.title}").fill("Amira is happier at school.")
    host.get_by_role("button", name=f"Save notes on {first.title}").click()
    expect(guest.locator(f"#item-{first.pk} [data-notes-view]")).to_have_text(
        "Amira is happier at school.")
    expect(host.locator(f"#notes-form-{first.pk} [data-form-status]")).to_have_text("Saved")

    comment_form(guest, first).get_by_label("Question").check()
    add_comment(guest, first, "Can she see the therapist weekly?")
    expect(host.locator(f'[data-comments="{first.pk}"]')).to_contain_text(
        "Can she see the therapist weekly?")
    expect(host.locator(f'[data-comments="{first.pk}"]')).to_contain_text("Question")
    expect(comment_box(guest, first)).to_have_value("")

    # The coordinator moves the agenda on; the parent can still comment on the first item.
    host.locator(f'[data-move="{second.pk}"]').click()
    expect(guest.locator(f'[data-agenda-item="{second.pk}"] a')).to_have_attribute(
        "aria-current", "step")
    add_comment(guest, first, "She likes the quiet room.")
    expect(host.locator(f'[data-comments="{first.pk}"]')).to_contain_text(
        "She likes the quiet room.")
    assert_accessible(guest, "the room after the agenda moved on")

    first.refresh_from_db()
    assert first.notes == "Amira is happier at school."
    assert list(Comment.objects.filter(item=first).values_list("kind", flat=True)) == [
        Comment.Kind.QUESTION, Comment.Kind.COMMENT]


def listen(page):
    """Keep, on the page, everything its live region says (each text it is given)."""
    page.evaluate("""() => {
      const region = document.querySelector("[data-room-announce]");
      window.heard = [];
      new MutationObserver(() => {
        if (region.textContent) window.heard.push(region.textContent);
      }).observe(region, { childList: true, characterData: true, subtree: true });
    }""")


def heard(page) -> list[str]:
    return page.evaluate("window.heard")


def test_a_comment_begun_before_the_agenda_moves_on_lands_under_its_own_item(
        server, meeting, open_as, review, coordinator, family_parent):
    """The parent is writing about the first item when the coordinator moves on: what they
    wrote stays where it was, in a form that says which item it is for, and is filed there.
    Each hears the other, briefly, and never themselves; moving on is said once."""
    first, second = items_of(meeting)[:2]
    host = enter_room(open_as(coordinator, DESKTOP), review)
    guest = enter_room(open_as(family_parent, PHONE), review)
    for page in (host, guest):
        listen(page)

    add_comment(host, first, "We will look at the reading plan together.")
    expect(guest.locator("[data-room-announce]")).to_have_text(
        "Cora Ordinator commented on The child's and family's views: We will look at the "
        "reading plan together.")

    comment_box(guest, first).fill("She likes the quiet room at lunch.")
    move = host.locator(f'[data-move="{second.pk}"]')
    move.focus()
    move.press("Enter")
    # The button used has gone: the coordinator's focus is on the item now discussed.
    expect(host.locator(f'[data-agenda-item="{second.pk}"] a')).to_be_focused()
    moved_on = f"Now discussing: {second.title.rstrip('.')}."
    expect(guest.locator("[data-room-announce]")).to_have_text(moved_on)
    form = comment_form(guest, first)
    expect(form.get_by_role("group", name=f"Comment on {first.title}")).to_be_visible()
    expect(comment_box(guest, first)).to_have_value("She likes the quiet room at lunch.")
    assert form.evaluate("form => form.closest('.room-item').id") == f"item-{first.pk}"
    expect(comment_box(guest, second)).to_have_value("")

    form.get_by_role("button", name=f"Add your comment on {first.title}").click()
    expect(host.locator(f'[data-comments="{first.pk}"]')).to_contain_text(
        "She likes the quiet room at lunch.")
    expect(host.locator("[data-room-announce]")).to_have_text(
        "Pat Parent commented on The child's and family's views: She likes the quiet room "
        "at lunch.")
    expect(guest.locator("[data-room-announce]")).to_have_text("Your comment was added.")
    assert list(Comment.objects.values_list("item_id", "text")) == [
        (first.pk, "We will look at the reading plan together."),
        (first.pk, "She likes the quiet room at lunch.")]

    # What each heard: moving on once, with its title; the other's comment with who said
    # it; never their own comment, nor their own move.
    said_by_guest, said_by_host = heard(guest), heard(host)
    assert [text for text in said_by_guest if "Now discussing" in text] == [moved_on]
    assert not [text for text in said_by_guest if "quiet room" in text]
    assert not [text for text in said_by_host if "reading plan" in text or "Now" in text]

    # The accessibility tree: one heading per item naming it, its comments' heading naming
    # it too, and one live region with what was last said.
    tree = guest.locator("#notes").aria_snapshot()
    for item in items_of(meeting):
        assert f'heading "{item.title}" [level=3]' in tree
        assert f'heading "Comments and questions on {item.title}" [level=4]' in tree
    # (GOV.UK's character count has its own, for the box being typed in.)
    # The time-out warning's countdown speaks only in its own dialog, outside <main>.
    assert guest.locator("main [aria-live]:not(.govuk-character-count__sr-status)").count() == 1
    assert guest.locator("[data-room-announce]").aria_snapshot() == (
        "- text: Your comment was added.")
    # Marking someone by keyboard: the button used goes, and focus moves to the other.
    person = host.locator("[data-invitation]", has_text="Pat Parent")
    person.get_by_role("button", name="Mark absent").press("Enter")
    expect(person.get_by_role("button", name="Mark present")).to_be_focused()

    for page, label in ((host, "the coordinator"), (guest, "the parent")):
        assert_accessible(page, f"the room after the agenda moved on, for {label}")
        page.set_viewport_size(PHONE if page is host else DESKTOP)
        assert_accessible(page, f"the room at the other width, for {label}")


def test_many_changes_at_once_are_read_out_as_one_short_announcement(
        server, meeting, open_as, review, coordinator, family_parent):
    item = items_of(meeting)[0]
    guest = open_as(family_parent)
    network = Network(guest)
    enter_room(guest, review)
    host = enter_room(open_as(coordinator), review)
    listen(guest)
    network.drop()
    for n in range(1, 6):
        add_comment(host, item, f"Point {n} of five.")
        expect(host.locator(f'[data-comments="{item.pk}"]')).to_contain_text(f"Point {n}")
    network.restore()
    expect(guest.locator(f'[data-comments="{item.pk}"]')).to_contain_text(
        "Point 5 of five.", timeout=20_000)
    expect(guest.locator("[data-room-announce]")).to_contain_text(
        "5 new updates in the meeting. The latest: Cora Ordinator commented on The child's "
        "and family's views: Point 5 of five.")
    assert not [text for text in heard(guest) if "Point 1" in text]


def test_the_room_stacks_its_panels_on_a_phone_and_stays_accessible(
        server, meeting, open_as, review, coordinator, family_parent):
    for person in (family_parent, coordinator):
        page = enter_room(open_as(person, PHONE), review)
        contents = page.get_by_role("navigation", name="Parts of the meeting room")
        expect(contents).to_be_visible()
        boxes = [page.locator(f"#{panel}").bounding_box()
                 for panel in ("agenda", "notes", "people-and-actions")]
        assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"], "one panel under another"
        assert all(box["width"] <= PHONE["width"] for box in boxes)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        contents.get_by_role("link", name="People and actions").click()
        assert_accessible(page, f"the room on a phone, for {person}")


def test_a_second_writer_is_told_of_the_conflict_and_keeps_their_text(
        server, meeting, open_as, review, coordinator, invited_therapist):
    Meeting.objects.filter(pk=meeting.pk).update(minute_taker=invited_therapist)
    item = items_of(meeting)[0]
    host = enter_room(open_as(coordinator), review)
    minutes = enter_room(open_as(invited_therapist), review)
    minutes.get_by_label(f"Notes on {item.title}").fill("Minute-taker's notes.")
    host.get_by_label(f"Notes on {item.title}").fill("Coordinator's notes.")
    host.get_by_role("button", name=f"Save notes on {item.title}").click()
    expect(host.locator(f"#notes-form-{item.pk} [data-form-status]")).to_have_text("Saved")

    minutes.get_by_role("button", name=f"Save notes on {item.title}").click()
    conflict = minutes.locator(f"#notes-form-{item.pk} [data-conflict]")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Cora Ordinator saved these notes while you were writing")
    expect(conflict).to_contain_text("Coordinator's notes.")
    expect(minutes.get_by_label(f"Notes on {item.title}")).to_have_value("Minute-taker's notes.")
    assert_accessible(minutes, "the room showing a conflict")

    minutes.get_by_role("button", name="Save my notes instead of theirs").click()
    expect(host.get_by_label(f"Notes on {item.title}")).to_have_value("Minute-taker's notes.")
    item.refresh_from_db()
    assert (item.notes, item.notes_version) == ("Minute-taker's notes.", 2)


def test_the_coordinator_names_a_minute_taker_who_then_writes_the_notes(
        server, meeting, open_as, review, coordinator, invited_therapist):
    item = items_of(meeting)[0]
    host = enter_room(open_as(coordinator), review)
    minutes = enter_room(open_as(invited_therapist), review)
    expect(minutes.get_by_label(f"Notes on {item.title}")).to_have_count(0)
    host.get_by_label("Who takes the minutes").select_option(label="Theo Rapist")
    host.get_by_role("button", name="Name the minute-taker").click()
    for page in (host, minutes):
        expect(page.locator("[data-minute-taker]")).to_have_text(
            "Theo Rapist is taking the minutes.")
    expect(minutes.locator("[data-minutes-reload]")).to_be_visible()
    assert_accessible(host, "the room after naming a minute-taker")
    assert_accessible(minutes, "the room telling the new minute-taker to reload")

    minutes.get_by_role("link", name="Reload the page").click()
    expect(minutes.locator("[data-room-status]")).to_contain_text("Connected")
    minutes.get_by_label(f"Notes on {item.title}").fill("Minuted by Theo.")
    minutes.get_by_role("button", name=f"Save notes on {item.title}").click()
    expect(host.get_by_label(f"Notes on {item.title}")).to_have_value("Minuted by Theo.")

    host.get_by_label("Who takes the minutes").select_option(label="Nobody else: I will take them")
    host.get_by_role("button", name="Name the minute-taker").click()
    expect(minutes.locator("[data-minute-taker]")).to_have_text(
        "The coordinator is taking the minutes.")
    expect(minutes.get_by_label(f"Notes on {item.title}")).to_be_hidden()
    expect(minutes.locator(f"#item-{item.pk} [data-notes-view]")).to_have_text(
        "Minuted by Theo.")


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


class Overtaking:
    """Passes a page's room socket through, except that the event carrying `first` is held
    back until the one after it has reached the page: what happens when two server
    processes broadcast one after the other. Records the types of what the page sends."""

    def __init__(self, page, first: str):
        self.first, self.held, self.sent = first, [], []
        page.route_web_socket("**/ws/reviews/*/room/", self.route)

    def route(self, socket):
        server = socket.connect_to_server()

        def from_page(frame):
            self.sent.append(json.loads(frame)["type"])
            server.send(frame)

        def from_server(frame):
            message = json.loads(frame)
            text = message.get("event", {}).get("data", {}).get("text")
            if text == self.first:
                self.held.append(frame)
                return
            socket.send(frame)
            if self.held and message["type"] == "event":
                socket.send(self.held.pop())

        socket.on_message(from_page)
        server.on_message(from_server)


def test_events_that_overtake_each_other_are_put_back_in_order_without_a_replay(
        server, meeting, open_as, review, coordinator, family_parent):
    item = items_of(meeting)[0]
    guest = open_as(family_parent)
    overtaking = Overtaking(guest, first="First")
    enter_room(guest, review)
    host = enter_room(open_as(coordinator), review)
    comments = guest.locator(f'[data-comments="{item.pk}"] [data-slot="text"]')
    for text in ("First", "Second"):
        add_comment(host, item, text)
        expect(host.locator(f'[data-comments="{item.pk}"]')).to_contain_text(text)
    expect(comments).to_have_text(["First", "Second"])
    assert overtaking.sent.count("resume") == 1, "only the replay on joining"


def test_a_comment_made_while_the_connection_is_down_is_sent_when_it_is_back(
        server, meeting, open_as, review, family_parent):
    item = items_of(meeting)[0]
    guest = open_as(family_parent)
    network = Network(guest)
    enter_room(guest, review)
    network.drop()
    expect(guest.locator("[data-room-status]")).to_contain_text("The connection was lost")
    add_comment(guest, item, "Sent while offline.")
    expect(comment_form(guest, item).locator("[data-form-status]")).to_contain_text(
        "Not sent yet")
    assert not Comment.objects.exists()
    guest.reload()  # even a reload keeps it: it waits in the browser's storage
    network.restore()
    expect(guest.locator("[data-room-status]")).to_contain_text("Connected", timeout=20_000)
    expect(guest.locator("[data-comments]").first).to_contain_text("Sent while offline.")
    assert Comment.objects.filter(text="Sent while offline.").count() == 1


def test_someone_removed_from_the_review_is_told_and_the_page_stops_trying(
        server, meeting, open_as, review, invited_therapist):
    page = open_as(invited_therapist)
    network = Network(page)
    enter_room(page, review)
    Invitation.objects.filter(user=invited_therapist).update(removed_at=timezone.now())
    network.drop()
    network.restore()
    expect(page.locator("[data-room-status]")).to_have_text(
        "You cannot join this meeting room.", timeout=15_000)
    expect(page.locator('[data-change="comment.add"]:visible')).to_have_count(0)


def test_the_review_page_updates_without_a_reload_when_the_room_changes(
        server, meeting, open_as, review, coordinator, family_parent):
    review_page = open_as(coordinator)
    review_page.goto(f"/reviews/{review.pk}/")
    review_page.wait_for_load_state("networkidle")
    guest = enter_room(open_as(family_parent), review)
    add_comment(guest, items_of(meeting)[0], "Hello from the family.")
    expect(review_page.locator(".moj-timeline")).to_contain_text(
        "Comment on The child's and family's views")


def test_closing_the_meeting_asks_first_then_makes_the_room_read_only(
        server, meeting, open_as, review, coordinator, family_parent):
    Review.objects.filter(pk=review.pk).update(meeting_at=timezone.now() - dt.timedelta(hours=1))
    host = enter_room(open_as(coordinator), review)
    guest = enter_room(open_as(family_parent), review)
    host.get_by_role("button", name="Close the meeting").click()
    expect(host.get_by_text("Are you sure?")).to_be_focused()
    expect(host.locator("[data-close-warning]")).not_to_contain_text("not started")
    assert_accessible(host, "the room asking to confirm the close")
    host.get_by_role("button", name="Yes, close the meeting").click()
    for page in (host, guest):
        expect(page.get_by_text("This meeting has closed.")).to_be_visible()
        expect(page.locator('[data-change="comment.add"]:visible')).to_have_count(0)
    review.refresh_from_db()
    assert review.status == "held"


def test_closing_before_the_start_warns_and_the_closed_room_leads_to_the_report(
        server, meeting, open_as, review, coordinator, family_parent):
    """Opened early to prepare, the room is not closed by mistake; closed, it says where
    the report is; someone invited without a job or organisation is just their name."""
    Review.objects.filter(pk=review.pk).update(meeting_at=timezone.now() + dt.timedelta(hours=3))
    Invitation.objects.create(review=review, role=Invitation.Role.OTHER, name="Nadia Khan",
                              email="nadia@test.example")
    host = enter_room(open_as(coordinator), review)
    guest = enter_room(open_as(family_parent, PHONE), review)
    nadia = host.locator("[data-invitation]", has_text="Nadia Khan")
    expect(nadia).to_contain_text("Also invited")
    assert not DANGLING.search(nadia.inner_text())

    host.get_by_role("button", name="Close the meeting").click()
    warning = host.locator("[data-close-warning]")
    expect(warning).to_be_focused()
    expect(warning).to_contain_text("This meeting has not started yet: it is due to start on")
    assert_accessible(host, "the room warning that the meeting has not started")
    host.get_by_role("button", name="Yes, close the meeting before it starts").click()
    for page in (host, guest):
        expect(page.get_by_text("This meeting has closed.")).to_be_visible()
    assert_accessible(guest, "the closed room, for the parent on a phone")
    guest.get_by_role("link", name="See where the report is").click()
    guest.wait_for_url(f"**/reviews/{review.pk}/family/#joint-outcome")

    host.get_by_role("link", name="Check the draft report and send it to people to "
                                  "confirm").click()
    host.wait_for_url(f"**/reviews/{review.pk}/outcome/")
    assert_accessible(host, "the joint outcome page, from the closed room")
    host.get_by_role("link", name="Read the draft").click()
    expect(host.get_by_role("cell", name="Nadia Khan")).to_be_visible()
    assert not DANGLING.search(host.locator("main").inner_text())


def test_a_comment_over_its_limit_is_counted_refused_and_kept_in_the_box(
        server, meeting, open_as, review, family_parent):
    item = items_of(meeting)[0]
    guest = enter_room(open_as(family_parent), review)
    form, box = comment_form(guest, item), comment_box(guest, item)
    too_long = "a" * (LIMITS.comment + 1)
    box.fill(too_long)
    expect(form.locator(".govuk-character-count__status")).to_have_text(
        "You have 1 character too many")
    form.get_by_role("button", name=f"Add your comment on {item.title}").click()
    expect(form.locator("[data-error]")).to_have_text(
        f"Error: Your comment must be {LIMITS.comment:,} characters or fewer")
    expect(box).to_have_value(too_long)
    expect(form.locator(".govuk-character-count__status")).to_have_text(
        "You have 1 character too many")
    assert_accessible(guest, "the room refusing a comment over its limit")
    assert not Comment.objects.exists()


@pytest.fixture
def six_changes_a_minute(settings):
    """Set before the server process is forked from this one, so that it has it too."""
    settings.ROOM_CHANGES_PER_MINUTE = 6


def test_a_change_made_too_quickly_waits_its_turn_and_is_sent_without_retyping(
        six_changes_a_minute, server, meeting, open_as, review, coordinator, family_parent):
    item = items_of(meeting)[0]
    host = enter_room(open_as(coordinator), review)
    guest = enter_room(open_as(family_parent), review)
    status = comment_form(guest, item).locator("[data-form-status]")
    for n in range(6):
        add_comment(guest, item, f"Point {n}")
        expect(status).to_have_text("Added")
    add_comment(guest, item, "One point too many")
    expect(status).to_contain_text("Not sent yet: you have made a lot of changes")
    expect(comment_box(guest, item)).to_have_value("")
    # Six a minute: the seventh goes ten seconds after the first, with no one sending it.
    expect(host.locator(f'[data-comments="{item.pk}"]')).to_contain_text(
        "One point too many", timeout=20_000)
    expect(status).to_have_text("Added")
    assert Comment.objects.filter(text="One point too many").count() == 1


def test_a_password_changed_in_one_browser_signs_the_room_out_in_another_and_not_in_its_own(
        server, meeting, open_as, review, family_parent):
    item = items_of(meeting)[0]
    here = enter_room(open_as(family_parent), review)
    elsewhere = enter_room(open_as(family_parent), review)
    here.evaluate("""() => {
      const status = document.querySelector("[data-room-status]");
      window.statusesSeen = [];
      new MutationObserver(() => window.statusesSeen.push(status.textContent))
        .observe(status, { childList: true, characterData: true, subtree: true });
    }""")

    settings_tab = here.context.new_page()
    settings_tab.goto("/accounts/password/change/")
    settings_tab.locator('input[name="oldpassword"]').fill(PASSWORD)
    settings_tab.locator('input[name="password1"]').fill("another-long-password-2")
    settings_tab.locator('input[name="password2"]').fill("another-long-password-2")
    with settings_tab.expect_navigation():
        settings_tab.locator('input[name="password2"]').press("Enter")
    family_parent.refresh_from_db()
    assert family_parent.check_password("another-long-password-2")

    expect(elsewhere.locator("[data-room-status]")).to_have_text(
        "You have been signed out. Sign in again to join the meeting.")
    expect(elsewhere.locator('[data-change="comment.add"]:visible')).to_have_count(0)
    # The browser that changed it keeps its session: its room connects again and carries on.
    add_comment(here, item, "Still here after the change.")
    expect(here.locator(f'[data-comments="{item.pk}"]')).to_contain_text(
        "Still here after the change.")
    expect(here.locator("[data-room-status]")).to_contain_text("Connected")
    # Connecting again to check the session is not a lost connection to tell them about.
    assert not [seen for seen in here.evaluate("window.statusesSeen") if "lost" in seen]


def test_a_review_page_whose_socket_checked_the_session_again_fetches_what_it_missed(
        server, meeting, open_as, review, coordinator):
    review_page = open_as(coordinator)
    review_page.goto(f"/reviews/{review.pk}/")
    review_page.wait_for_load_state("networkidle")
    settings_tab = review_page.context.new_page()
    settings_tab.goto("/accounts/password/change/")
    settings_tab.locator('input[name="oldpassword"]').fill(PASSWORD)
    settings_tab.locator('input[name="password1"]').fill("another-long-password-2")
    settings_tab.locator('input[name="password2"]').fill("another-long-password-2")
    with settings_tab.expect_navigation():
        settings_tab.locator('input[name="password2"]').press("Enter")
    # Recorded while the page's socket is closed (and, on SQLite, from a process whose
    # channel layer the server does not share): only fetching the page again shows it. In
    # a thread of its own: this one runs Playwright's event loop, where no broadcast can.
    def record():
        try:
            events.record(review, "note.test", "Recorded while the page was connecting again")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(record).result()
    expect(review_page.locator(".moj-timeline")).to_contain_text(
        "Recorded while the page was connecting again")


class DatabaseDown:
    """Passes a page's room socket through, except that its first `refusals` changes are
    answered as the server answers while its database is down (an error that says "retry"),
    without reaching the server."""

    def __init__(self, page, refusals: int, error: str):
        self.refusals, self.error = refusals, error
        page.route_web_socket("**/ws/reviews/*/room/", self.route)

    def route(self, socket):
        server = socket.connect_to_server()

        def from_page(frame):
            message = json.loads(frame)
            if message["type"] == "change" and self.refusals:
                self.refusals -= 1
                socket.send(json.dumps({"type": "error", "key": message["key"],
                                        "error": self.error, "retry": True}))
                return
            server.send(frame)

        socket.on_message(from_page)
        server.on_message(socket.send)


def test_a_comment_the_server_cannot_save_yet_is_kept_and_sent_again(
        server, meeting, open_as, review, family_parent):
    from meeting.consumers import NOT_SAVED_YET

    item = items_of(meeting)[0]
    guest = open_as(family_parent)
    DatabaseDown(guest, refusals=2, error=NOT_SAVED_YET)
    enter_room(guest, review)
    add_comment(guest, item, "Said while the database was down.")
    form = comment_form(guest, item)
    expect(form.locator("[data-form-status]")).to_contain_text("Not saved yet")
    expect(guest.locator("[data-room-status]")).to_contain_text(NOT_SAVED_YET)
    expect(form.locator("[data-error]")).to_be_hidden()  # not an error of theirs
    # Sent again by itself (refused once more, then saved): it lands once.
    expect(guest.locator("[data-comments]").first).to_contain_text(
        "Said while the database was down.", timeout=15_000)
    expect(guest.locator("[data-room-status]")).to_contain_text("Connected")
    assert Comment.objects.filter(text="Said while the database was down.").count() == 1


class LostBroadcast:
    """Passes a page's room socket through, except the live event carrying `text`: lost, as
    a broadcast is while the server's Redis restarts. Replays ("resumed" follows) pass."""

    def __init__(self, page, text: str):
        self.text, self.lost = text, 0
        page.route_web_socket("**/ws/reviews/*/room/", self.route)

    def route(self, socket):
        server = socket.connect_to_server()

        def from_server(frame):
            text = json.loads(frame).get("event", {}).get("data", {}).get("text")
            if text == self.text and not self.lost:
                self.lost += 1
                return
            socket.send(frame)

        socket.on_message(server.send)
        server.on_message(from_server)


def test_a_broadcast_lost_on_the_way_is_caught_up_at_the_next_ping(
        server, meeting, open_as, review, coordinator, family_parent):
    item = items_of(meeting)[0]
    guest = open_as(family_parent)
    guest.clock.install()
    lost = LostBroadcast(guest, "Nobody said anything after this.")
    enter_room(guest, review)
    host = enter_room(open_as(coordinator), review)
    add_comment(host, item, "Nobody said anything after this.")
    expect(host.locator(f'[data-comments="{item.pk}"]')).to_contain_text("Nobody said")
    for _ in range(50):  # the guest's copy is on its way: lost once it reaches the route
        if lost.lost:
            break
        guest.wait_for_timeout(100)
    assert lost.lost == 1
    comments = guest.locator(f'[data-comments="{item.pk}"]')
    expect(comments).not_to_contain_text("Nobody said")
    guest.clock.run_for(26_000)  # the next ping: its pong says the room has got further
    expect(comments).to_contain_text("Nobody said anything after this.")
