"""The live meeting room in a real browser when things go wrong: events that overtake each
other, a dropped connection, someone removed, limits, a password changed elsewhere, the
database down and a lost broadcast. Nothing typed is lost. The harness is this folder's
conftest.py.
"""

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from meeting.models import Comment
from meeting.room import LIMITS
from reviews import events
from reviews.models import Invitation, Review
from tests.browser.conftest import assert_accessible
from tests.browser.room.conftest import (
    DANGLING,
    PHONE,
    Network,
    add_comment,
    comment_box,
    comment_form,
    enter_room,
    items_of,
)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
