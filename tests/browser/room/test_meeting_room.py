"""The live meeting room in a real browser: the coordinator, a parent and a therapist in the
same room, each in their own browser context, working together. Every page is checked by axe
at 1024 and 360 pixels wide. The harness (Daphne in its own process) is this folder's
conftest.py.
"""


import pytest
from playwright.sync_api import expect

from meeting.models import Comment, Meeting
from tests.browser.conftest import WIDE as DESKTOP
from tests.browser.conftest import assert_accessible
from tests.browser.room.conftest import (
    PHONE,
    Network,
    add_comment,
    comment_box,
    comment_form,
    enter_room,
    items_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
