"""The meeting room over real WebSockets through the real ASGI application."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.urls import path

from meeting.consumers import ReviewRoomConsumer
from meeting.models import AgendaItem, Comment, Meeting
from portal.asgi import application
from reviews.consumers import ReviewWatchConsumer
from reviews.models import Invitation
from tests.conftest import ORIGIN, session_cookie_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def join(user, review, room="room/", cookie=None, app=application):
    headers = [ORIGIN]
    if cookie is None and user is not None:
        cookie = await sync_to_async(session_cookie_for)(user)
    if cookie is not None:
        headers.append(cookie)
    socket = WebsocketCommunicator(app, f"/ws/reviews/{review.pk}/{room}", headers=headers)
    connected, code = await socket.connect()
    return socket, connected, code


async def next_of(socket, kind, limit=20):
    for _ in range(limit):
        message = await socket.receive_json_from(timeout=3)
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind} message")


async def first_item(review):
    return await sync_to_async(
        lambda: Meeting.objects.get(review=review).items.order_by("position").first())()


async def change(socket, change, key, **payload):
    await socket.send_json_to({"type": "change", "v": 1, "change": change, "key": key,
                               "payload": payload})


async def test_a_socket_without_a_session_is_refused(review):
    _, connected, _ = await join(None, review)
    assert not connected


async def test_the_uninvited_and_another_childs_family_are_refused(review, refused):
    for person in refused:
        _, connected, code = await join(person, review)
        assert not connected and code == 4404, person


async def test_an_agency_lead_who_may_read_the_review_still_cannot_join_the_room(
        review, nhs_trust):
    from agencies.models import Role
    from tests.conftest import make_person

    lead = await sync_to_async(make_person)("lead@test.example", agency=nhs_trust, role=Role.LEAD)
    await sync_to_async(Invitation.objects.create)(review=review, role="health",
                                                   agency=nhs_trust, name="Duty",
                                                   email="duty@nhs.test.example")
    watch, can_watch, _ = await join(lead, review, room="")
    assert can_watch
    await watch.disconnect()
    _, connected, _ = await join(lead, review)
    assert not connected


async def test_people_see_each_other_arrive_and_leave(review, coordinator, family_parent):
    host, connected, _ = await join(coordinator, review)
    assert connected
    assert [p["name"] for p in (await next_of(host, "presence"))["people"]] == ["Cora Ordinator"]
    guest, _, _ = await join(family_parent, review)
    people = (await next_of(host, "presence"))["people"]
    assert [p["name"] for p in people] == ["Cora Ordinator", "Pat Parent"]
    await guest.disconnect()
    assert [p["name"] for p in (await next_of(host, "presence"))["people"]] == ["Cora Ordinator"]
    await host.disconnect()


async def test_the_people_here_show_as_what_they_are_to_the_review(
        review, child, coordinator, family_parent, invited_therapist):
    from reviews.models import FamilyMember
    from tests.conftest import make_person

    young_person = await sync_to_async(make_person)("sam@test.example", "Sam", "Example")
    await sync_to_async(FamilyMember.objects.create)(
        child=child, user=young_person, name="Sam Example", email=young_person.email,
        relationship=FamilyMember.Relationship.YOUNG_PERSON)
    sockets = []
    for person in (coordinator, family_parent, invited_therapist, young_person):
        socket, connected, _ = await join(person, review)
        assert connected, person
        sockets.append(socket)
    people = []
    while len(people) < 4:
        people = (await next_of(sockets[0], "presence"))["people"]
    # The parent and the young person have no invitation: the family link says who they are.
    # A professional is what they do, in the same plain words as the invited list and report.
    assert people == [
        {"name": "Cora Ordinator", "role": "Coordinator", "agency": ""},
        {"name": "Pat Parent", "role": "Parent", "agency": ""},
        {"name": "Theo Rapist", "role": "Speech and language therapist",
         "agency": "Testshire NHS Trust"},
        {"name": "Sam Example", "role": "The young person", "agency": ""},
    ]
    for socket in sockets:
        await socket.disconnect()


async def test_joining_records_attendance_once(review, coordinator, invited_therapist):
    host, _, _ = await join(coordinator, review)
    # One sign-in: a one-time code cannot be used twice.
    cookie = await sync_to_async(session_cookie_for)(invited_therapist)
    for _ in range(2):
        guest, _, _ = await join(invited_therapist, review, cookie=cookie)
        await next_of(guest, "presence")
        await guest.disconnect()
    invitation = await sync_to_async(Invitation.objects.get)(user=invited_therapist)
    assert invitation.attended is True
    joined = await sync_to_async(review.events.filter(kind="attendance.joined").count)()
    assert joined == 1
    await host.disconnect()


async def test_notes_reach_everyone_in_the_room(review, coordinator, family_parent):
    host, _, _ = await join(coordinator, review)
    guest, _, _ = await join(family_parent, review)
    item = await first_item(review)
    await change(host, "notes.save", "key-notes-1", item=item.pk, text="Amira is happier.",
                 base_version=0)
    ack = await next_of(host, "ack")
    assert ack["key"] == "key-notes-1" and ack["seq"]
    seen = await next_of(guest, "event")
    while seen["event"]["kind"] != "notes.saved":
        seen = await next_of(guest, "event")
    assert seen["event"]["data"]["text"] == "Amira is happier."
    assert seen["event"]["seq"] == ack["seq"]
    await host.disconnect()
    await guest.disconnect()


async def test_two_people_saving_the_same_notes_are_told_of_the_conflict(
        review, coordinator, family_parent):
    from tests.conftest import make_person

    host, _, _ = await join(coordinator, review)
    item = await first_item(review)
    meeting = await sync_to_async(Meeting.objects.get)(review=review)
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    minute_taker = await sync_to_async(make_person)("minutes@test.example", "Min", "Taker",
                                                    agency=None)
    # Invited as a professional, so enrolled in MFA like every professional.
    await sync_to_async(TOTP.activate)(minute_taker, TOTP_SECRET)
    await sync_to_async(Invitation.objects.create)(review=review, role="other",
                                                   user=minute_taker, name="Min Taker",
                                                   email=minute_taker.email)
    meeting.minute_taker = minute_taker
    await sync_to_async(meeting.save)()
    other, _, _ = await join(minute_taker, review)
    await change(host, "notes.save", "key-a-000", item=item.pk, text="First", base_version=0)
    await next_of(host, "ack")
    await change(other, "notes.save", "key-b-000", item=item.pk, text="Second", base_version=0)
    conflict = await next_of(other, "conflict")
    assert conflict["text"] == "First" and conflict["version"] == 1
    assert conflict["by"] == "Cora Ordinator"
    stored = await sync_to_async(AgendaItem.objects.get)(pk=item.pk)
    assert stored.notes == "First"
    await change(other, "notes.save", "key-b-000", item=item.pk, text="First and second",
                 base_version=1)
    assert (await next_of(other, "ack"))["seq"], "the same key is free again after a conflict"
    await host.disconnect()
    await other.disconnect()


async def test_a_resent_change_is_applied_once(review, coordinator):
    host, _, _ = await join(coordinator, review)
    item = await first_item(review)
    for _ in range(3):
        await change(host, "comment.add", "key-comment-1", item=item.pk, text="A question?",
                     kind="question")
        await next_of(host, "ack")
    assert await sync_to_async(Comment.objects.count)() == 1
    await host.disconnect()


async def test_a_reconnecting_client_gets_every_missed_event_once_in_order(review, coordinator,
                                                                        family_parent):
    host, _, _ = await join(coordinator, review)
    guest, _, _ = await join(family_parent, review)
    item = await first_item(review)
    await change(guest, "comment.add", "key-seen-01", item=item.pk, text="seen")
    last_seen = (await next_of(guest, "ack"))["seq"]
    await guest.disconnect()
    for n in range(3):
        await change(host, "comment.add", f"key-missed-{n}", item=item.pk, text=f"missed {n}")
        await next_of(host, "ack")
    guest, _, _ = await join(family_parent, review)
    await guest.send_json_to({"type": "resume", "v": 1, "after": last_seen})
    replayed = []
    while True:
        message = await guest.receive_json_from(timeout=3)
        if message["type"] == "resumed":
            break
        if message["type"] == "event":
            replayed.append(message["event"])
    comments = [e["data"]["text"] for e in replayed if e["kind"] == "comment.added"]
    assert comments == ["missed 0", "missed 1", "missed 2"]
    seqs = [e["seq"] for e in replayed]
    assert seqs == sorted(set(seqs)) and seqs[0] == last_seen + 1
    await host.disconnect()
    await guest.disconnect()


@pytest.mark.parametrize("frame, error", [
    ("{not json", "not valid JSON"),
    ('{"type": "change", "v": 1, "change": "notes.save", "key": "short"}', "key of 8 to 64"),
    ('{"type": "change", "v": 1, "change": "explode", "key": "key-12345"}', "Unknown change"),
    ('{"type": "resume", "v": 1, "after": "yesterday"}', "whole number"),
    ('{"type": "ping", "v": 9}', "Unsupported protocol version"),
])
async def test_bad_frames_get_an_error_and_the_room_stays_open(review, coordinator, frame, error):
    host, _, _ = await join(coordinator, review)
    await host.send_to(text_data=frame)
    reply = await next_of(host, "error")
    assert error in reply["error"]
    await host.send_json_to({"type": "ping", "v": 1})
    assert (await next_of(host, "pong"))["type"] == "pong"
    await host.disconnect()


async def test_a_frame_over_64_kb_is_refused(review, coordinator):
    host, _, _ = await join(coordinator, review)
    await host.send_to(text_data=json.dumps({"type": "ping", "pad": "x" * 70_000}))
    assert "64 KB" in (await next_of(host, "error"))["error"]
    await host.disconnect()


async def test_only_the_family_can_say_they_disagree(review, coordinator, family_parent):
    host, _, _ = await join(coordinator, review)
    guest, _, _ = await join(family_parent, review)
    item = await first_item(review)
    await change(host, "comment.add", "key-dis-coord", item=item.pk, kind="disagree")
    assert "Only the family" in (await next_of(host, "error"))["error"]
    await change(guest, "comment.add", "key-dis-family", item=item.pk, kind="disagree")
    assert (await next_of(guest, "ack"))["seq"]
    await host.disconnect()
    await guest.disconnect()


async def test_only_the_coordinator_moves_the_agenda_and_closes(review, coordinator,
                                                                family_parent):
    guest, _, _ = await join(family_parent, review)
    host, _, _ = await join(coordinator, review)
    items = await sync_to_async(lambda: list(Meeting.objects.get(review=review).items.all()))()
    await change(guest, "agenda.move", "key-move-fam", item=items[1].pk)
    assert "Only the coordinator" in (await next_of(guest, "error"))["error"]
    await change(host, "agenda.move", "key-move-coord", item=items[1].pk)
    await next_of(host, "ack")
    meeting = await sync_to_async(Meeting.objects.get)(review=review)
    assert meeting.current_item_id == items[1].pk
    await host.disconnect()
    await guest.disconnect()


async def next_event(socket, kind):
    while True:
        message = await next_of(socket, "event")
        if message["event"]["kind"] == kind:
            return message["event"]


async def test_a_comment_is_filed_under_the_item_it_was_written_for_after_the_agenda_moves(
        review, coordinator, family_parent):
    """The parent starts a comment on the first item; the coordinator moves on before it is
    sent. The comment's frame names its item, and that is where it is filed."""
    host, _, _ = await join(coordinator, review)
    guest, _, _ = await join(family_parent, review)
    first, second = await sync_to_async(
        lambda: list(Meeting.objects.get(review=review).items.order_by("position")[:2]))()
    await change(host, "agenda.move", "key-move-on-1", item=second.pk)
    await next_of(host, "ack")
    assert (await next_event(guest, "agenda.moved"))["data"]["item"] == second.pk
    await change(guest, "comment.add", "key-late-comment", item=first.pk,
                 text="She likes the quiet room.")
    await next_of(guest, "ack")
    added = await next_event(host, "comment.added")
    assert added["data"]["item"] == first.pk
    comment = await sync_to_async(Comment.objects.get)(text="She likes the quiet room.")
    assert comment.item_id == first.pk
    meeting = await sync_to_async(Meeting.objects.get)(review=review)
    assert meeting.current_item_id == second.pk
    await host.disconnect()
    await guest.disconnect()


async def test_a_comment_that_names_no_item_is_refused_not_filed_under_the_current_one(
        review, coordinator):
    host, _, _ = await join(coordinator, review)
    await change(host, "comment.add", "key-no-item-1", text="Where does this go?")
    assert "agenda item" in (await next_of(host, "error"))["error"]
    assert not await sync_to_async(Comment.objects.exists)()
    await host.disconnect()


async def test_each_event_says_whose_it_is_so_a_page_does_not_read_back_its_own(
        review, coordinator, family_parent):
    host, _, _ = await join(coordinator, review)
    guest, _, _ = await join(family_parent, review)
    item = await first_item(review)
    await change(guest, "comment.add", "key-whose-1", item=item.pk, text="Mine.")
    added = await next_event(host, "comment.added")
    assert added["actor_id"] == family_parent.pk
    assert added["data"]["author"] == "Pat Parent"
    await host.disconnect()
    await guest.disconnect()


async def test_the_coordinator_names_a_minute_taker_who_can_then_write_the_notes(
        review, coordinator, family_parent, invited_therapist):
    host, _, _ = await join(coordinator, review)
    guest, _, _ = await join(family_parent, review)
    minutes, _, _ = await join(invited_therapist, review)
    item = await first_item(review)
    await change(minutes, "notes.save", "key-notes-early", item=item.pk, text="Mine",
                 base_version=0)
    assert "Only the coordinator or the minute-taker" in (await next_of(minutes, "error"))["error"]

    await change(host, "minute_taker.name", "key-minutes-01", user=str(invited_therapist.pk))
    ack = await next_of(host, "ack")
    named = await next_event(guest, "minute_taker.named")
    assert named["seq"] == ack["seq"]
    assert named["summary"] == "Theo Rapist is taking the minutes"
    assert named["data"] == {"user": invited_therapist.pk, "name": "Theo Rapist"}
    meeting = await sync_to_async(Meeting.objects.get)(review=review)
    assert meeting.minute_taker_id == invited_therapist.pk
    await change(minutes, "notes.save", "key-notes-named", item=item.pk, text="Minuted",
                 base_version=0)
    assert (await next_of(minutes, "ack"))["seq"]

    await change(host, "minute_taker.name", "key-minutes-02", user="")
    assert (await next_event(guest, "minute_taker.named"))["data"] == {"user": None, "name": ""}
    await change(minutes, "notes.save", "key-notes-late", item=item.pk, text="Again",
                 base_version=1)
    assert "Only the coordinator or the minute-taker" in (await next_of(minutes, "error"))["error"]
    kinds = await sync_to_async(lambda: list(
        review.events.filter(kind="minute_taker.named").values_list("actor_id", flat=True)))()
    assert kinds == [coordinator.pk, coordinator.pk]
    for socket in (host, guest, minutes):
        await socket.disconnect()


@pytest.mark.parametrize("chosen, error", [
    ("outsider", "Choose someone invited to this review"),
    ("not a person", "Choose someone invited to this review"),
    ("nobody", "They are already taking the minutes"),
])
async def test_only_someone_invited_can_be_named_minute_taker(review, coordinator, outsider,
                                                               chosen, error):
    host, _, _ = await join(coordinator, review)
    user = {"outsider": str(outsider.pk), "not a person": "12a", "nobody": ""}[chosen]
    await change(host, "minute_taker.name", "key-minutes-bad", user=user)
    assert (await next_of(host, "error"))["error"] == error
    await host.disconnect()


async def test_only_the_coordinator_names_the_minute_taker(review, family_parent,
                                                           invited_therapist):
    guest, _, _ = await join(family_parent, review)
    await change(guest, "minute_taker.name", "key-minutes-fam", user=str(invited_therapist.pk))
    assert "Only the coordinator" in (await next_of(guest, "error"))["error"]
    meeting = await sync_to_async(Meeting.objects.get)(review=review)
    assert meeting.minute_taker_id is None
    await guest.disconnect()


async def test_a_closed_meeting_is_read_only(review, coordinator):
    host, _, _ = await join(coordinator, review)
    item = await first_item(review)
    await change(host, "meeting.close", "key-close-01", before_start=True)
    await next_of(host, "ack")
    await change(host, "notes.save", "key-late-note", item=item.pk, text="late", base_version=0)
    assert "closed" in (await next_of(host, "error"))["error"]
    await sync_to_async(review.refresh_from_db)()
    assert review.status == "held"
    await host.disconnect()


async def test_a_person_removed_from_the_review_is_disconnected(review, coordinator,
                                                               invited_therapist):
    from reviews.scheduling import do_remove_invitation

    guest, _, _ = await join(invited_therapist, review)
    invitation = await sync_to_async(Invitation.objects.get)(user=invited_therapist)
    await sync_to_async(do_remove_invitation)(invitation, coordinator)
    error = await next_of(guest, "error")
    assert "no longer part" in error["error"]
    assert (await guest.receive_output(timeout=3))["type"] == "websocket.close"


async def remove_unannounced(person):
    """End their invitation directly: no event tells the room."""
    from django.utils import timezone

    await sync_to_async(Invitation.objects.filter(user=person).update)(removed_at=timezone.now())


async def assert_shut_out(socket, key=None):
    error = await next_of(socket, "error")
    assert "no longer part" in error["error"] and error.get("key") == key
    assert (await socket.receive_output(timeout=3))["type"] == "websocket.close"


class RoomWhoseAnswersAreOld(ReviewRoomConsumer):
    """The room as it is once its last answer from the access rule is old (a minute, in
    the portal's room)."""

    access_fresh_for = 0


ANSWERS_OLD = AuthMiddlewareStack(URLRouter([
    path("ws/reviews/<uuid:review_id>/room/", RoomWhoseAnswersAreOld.as_asgi())]))


async def test_a_person_removed_unannounced_is_shut_out_at_their_next_heartbeat(
        review, invited_therapist):
    guest, _, _ = await join(invited_therapist, review, app=ANSWERS_OLD)
    await next_of(guest, "presence")
    await guest.send_json_to({"type": "ping", "v": 1})
    assert (await next_of(guest, "pong"))["type"] == "pong"
    await remove_unannounced(invited_therapist)
    await guest.send_json_to({"type": "ping", "v": 1})
    await assert_shut_out(guest)


async def test_a_person_removed_unannounced_cannot_change_anything_once_the_answer_is_old(
        review, invited_therapist):
    guest, _, _ = await join(invited_therapist, review, app=ANSWERS_OLD)
    item = await first_item(review)
    await remove_unannounced(invited_therapist)
    await change(guest, "comment.add", "key-removed-1", item=item.pk, text="Still here?")
    await assert_shut_out(guest, key="key-removed-1")
    assert not await sync_to_async(Comment.objects.exists)()


async def deactivate(person):
    """Their account switched off (an administrator, a leaver): their open socket's user was
    read when they connected and still says active."""
    from agencies.models import User

    await sync_to_async(User.objects.filter(pk=person.pk).update)(is_active=False)


@pytest.mark.parametrize("who", ["invited_therapist", "family_parent", "coordinator"])
async def test_a_person_whose_account_is_switched_off_cannot_change_anything(
        review, who, invited_therapist, family_parent, coordinator):
    person = {"invited_therapist": invited_therapist, "family_parent": family_parent,
              "coordinator": coordinator}[who]
    socket, _, _ = await join(person, review)
    item = await first_item(review)
    await change(socket, "comment.add", "key-before-off", item=item.pk, text="Before")
    await next_of(socket, "ack")
    await deactivate(person)
    await change(socket, "comment.add", "key-after-off", item=item.pk, text="After")
    await assert_shut_out(socket, key="key-after-off")
    texts = await sync_to_async(lambda: list(Comment.objects.values_list("text", flat=True)))()
    assert texts == ["Before"]


async def test_a_flooding_client_is_slowed_not_served_at_once(review, coordinator):
    host, _, _ = await join(coordinator, review)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(45):
        await host.send_json_to({"type": "ping", "v": 1})
    for _ in range(45):
        await next_of(host, "pong")
    # 30 pings pass at once; the other 15 are let through at 10 a second.
    assert loop.time() - started >= 1.2
    await host.disconnect()


class WatchWhoseAnswersAreOld(ReviewWatchConsumer):
    """The review page's socket once its last answer from the access rule is old."""

    watch_fresh_for = 0


WATCH_ANSWERS_OLD = AuthMiddlewareStack(URLRouter([
    path("ws/reviews/<uuid:review_id>/", WatchWhoseAnswersAreOld.as_asgi())]))


async def test_a_watcher_whose_account_is_switched_off_stops_hearing_the_review(
        review, coordinator, invited_therapist):
    """A review page sends nothing: its person's access is asked again as events reach it."""
    host, _, _ = await join(coordinator, review)
    item = await first_item(review)
    watcher, connected, _ = await join(invited_therapist, review, room="",
                                       app=WATCH_ANSWERS_OLD)
    assert connected
    # A subscription just made over Redis can miss what is published at once (a browser
    # resumes from its last seq): comment until the watcher hears one.
    for n in range(10):
        await change(host, "comment.add", f"key-watched-{n}", item=item.pk, text="Seen")
        try:
            if (await watcher.receive_json_from(timeout=1))["type"] == "event":
                break
        except TimeoutError:
            continue
    else:
        raise AssertionError("the watcher heard nothing")
    await deactivate(invited_therapist)
    await change(host, "comment.add", "key-watched-off", item=item.pk, text="Not for them")
    await assert_shut_out(watcher)


async def test_a_review_page_keeps_listening_while_people_come_and_go_in_the_room(
        review, coordinator, family_parent):
    """The room tells the review's group who is present; review pages ignore it."""
    page, connected, _ = await join(coordinator, review, room="")
    assert connected
    await page.send_json_to({"type": "ping", "v": 1})
    await next_of(page, "pong")
    guest, _, _ = await join(family_parent, review)
    await next_of(guest, "presence")
    await guest.disconnect()
    await page.send_json_to({"type": "ping", "v": 1})
    assert (await next_of(page, "pong"))["type"] == "pong"
    await page.disconnect()
