"""The room's limits: how long each piece of free text may be, how deeply a frame may nest,
and how many changes a person may make a minute."""

import uuid

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache

from meeting.models import AgendaItem, Comment, MeetingAction, Recommendation
from meeting.room import LIMITS, ChangeRefused, apply_change, do_open_meeting
from reviews.access import review_access
from tests.conftest import session_cookie_for
from tests.meeting.test_room_consumer import change, first_item, join, next_of

# (change, the field that is too long, the rest of the payload, the limit, what the error says)
TEXTS = [
    ("notes.save", "text", {"base_version": 0}, LIMITS.notes, "The notes"),
    ("comment.add", "text", {}, LIMITS.comment, "Your comment"),
    ("action.add", "what", {"who": "School"}, LIMITS.action, "What needs to be done"),
    ("action.add", "who", {"what": "Ring"}, LIMITS.who, "Who will do it"),
    ("recommendation.set", "text", {"section": "F"}, LIMITS.recommendation,
     "What should change"),
    ("recommendation.set", "agreed_by", {"overall": "maintain"}, LIMITS.agreed_by,
     "Who agreed"),
]


def apply(review, user, name, payload):
    access = review_access(user, review.pk, need="meeting")
    return apply_change(access, user, name, payload, key=str(uuid.uuid4()))


@pytest.mark.django_db
@pytest.mark.parametrize("name, field, rest, limit, words", TEXTS,
                         ids=[f"{c}.{f}" for c, f, *_ in TEXTS])
def test_free_text_is_taken_up_to_its_limit_and_refused_beyond_it(
        review, coordinator, name, field, rest, limit, words):
    item = do_open_meeting(review, coordinator).items.order_by("position").first()
    payload = {"item": item.pk, **rest}
    with pytest.raises(ChangeRefused) as refused:
        apply(review, coordinator, name, {**payload, field: "x" * (limit + 1)})
    assert str(refused.value) == f"{words} must be {limit:,} characters or fewer"
    assert review.events.filter(kind__in=["notes.saved", "comment.added", "action.added",
                                          "recommendation.set"]).count() == 0

    # Space around the text is not counted: it is trimmed before it is kept.
    saved = apply(review, coordinator, name, {**payload, field: f"  {'y' * limit}\n"})
    assert saved.data[field] == "y" * limit


@pytest.mark.django_db
def test_nothing_over_a_limit_is_kept(review, coordinator):
    """The four kinds of record the room writes free text into stay empty when refused."""
    item = do_open_meeting(review, coordinator).items.order_by("position").first()
    for name, field, rest, limit, _ in TEXTS:
        with pytest.raises(ChangeRefused):
            apply(review, coordinator, name,
                  {"item": item.pk, **rest, field: "x" * (limit + 1)})
    assert AgendaItem.objects.get(pk=item.pk).notes == ""
    assert not Comment.objects.exists()
    assert not MeetingAction.objects.exists()
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("socket_path", ["room/", "updates"])
@pytest.mark.parametrize("frame", [
    "[" * 10_000,
    '{"type": "ping", "v": 1, "deep": ' + "[" * 100 + "]" * 100 + "}",
    '{"type": "ping", "v": 1, "deep": ' + '{"a": ' * 8 + "1" + "}" * 8 + "}",
], ids=["10,000 levels", "100 levels", "9 levels"])
@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_deeply_nested_frame_is_answered_with_an_error_and_the_socket_stays_open(
        review, coordinator, socket_path, frame):
    from channels.testing import WebsocketCommunicator

    from portal.asgi import application
    from tests.conftest import ORIGIN

    if socket_path == "updates":
        cookie = await sync_to_async(session_cookie_for)(coordinator)
        socket = WebsocketCommunicator(application, "/ws/updates/", headers=[ORIGIN, cookie])
        assert (await socket.connect())[0]
    else:
        socket, _, _ = await join(coordinator, review, room=socket_path)
    await socket.send_to(text_data=frame)
    assert (await next_of(socket, "error"))["error"] == "That message is nested too deeply."
    await socket.send_json_to({"type": "ping", "v": 1})
    assert (await next_of(socket, "pong"))["type"] == "pong"
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_frame_over_64_kb_is_refused_on_the_personal_updates_socket_too(coordinator):
    import json

    from channels.testing import WebsocketCommunicator

    from portal.asgi import application
    from tests.conftest import ORIGIN

    cookie = await sync_to_async(session_cookie_for)(coordinator)
    socket = WebsocketCommunicator(application, "/ws/updates/", headers=[ORIGIN, cookie])
    await socket.connect()
    await socket.send_to(text_data=json.dumps({"type": "ping", "pad": "x" * 70_000}))
    assert "64 KB" in (await next_of(socket, "error"))["error"]
    await socket.send_json_to({"type": "ping"})
    assert (await next_of(socket, "pong"))["type"] == "pong"
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_comment_over_its_limit_is_refused_in_the_room_with_its_key(review, coordinator):
    host, _, _ = await join(coordinator, review)
    item = await first_item(review)
    await change(host, "comment.add", "key-too-long", item=item.pk,
                 text="x" * (LIMITS.comment + 1))
    error = await next_of(host, "error")
    assert error == {"type": "error", "key": "key-too-long",
                     "error": f"Your comment must be {LIMITS.comment:,} characters or fewer"}
    assert not await sync_to_async(Comment.objects.exists)()
    await host.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_person_making_too_many_changes_a_minute_is_told_when_to_try_again(
        review, coordinator, family_parent, settings):
    settings.ROOM_CHANGES_PER_MINUTE = 3
    item = await first_item_opened(review, coordinator)
    # Two tabs of one person: the limit is theirs, not each socket's.
    cookie = await sync_to_async(session_cookie_for)(family_parent)
    first, _, _ = await join(family_parent, review, cookie=cookie)
    second, _, _ = await join(family_parent, review, cookie=cookie)
    for socket, key in ((first, "key-rate-001"), (second, "key-rate-002"),
                        (first, "key-rate-003")):
        await change(socket, "comment.add", key, item=item.pk, text=key)
        assert (await next_of(socket, "ack"))["key"] == key

    await change(second, "comment.add", "key-rate-004", item=item.pk, text="One too many")
    refused = await next_of(second, "error")
    assert refused["key"] == "key-rate-004"
    # Three a minute: the next is taken once a third of a minute has passed.
    assert 15 <= refused["retry_after"] <= 20
    assert refused["error"] == (f"You can make up to 3 changes a minute. Try again in "
                                f"{refused['retry_after']} seconds.")
    assert await sync_to_async(Comment.objects.count)() == 3

    # Somebody else in the room is not held up by them.
    host, _, _ = await join(coordinator, review)
    await change(host, "comment.add", "key-rate-host", item=item.pk, text="Go on")
    assert (await next_of(host, "ack"))["seq"]

    # The refused change was not applied, so its key is free: sent again once the minute's
    # count has gone (the cache forgets it), it is applied.
    await sync_to_async(cache.clear)()
    await change(second, "comment.add", "key-rate-004", item=item.pk, text="One too many")
    assert (await next_of(second, "ack"))["seq"]
    texts = await sync_to_async(lambda: list(Comment.objects.values_list("text", flat=True)))()
    assert texts.count("One too many") == 1
    for socket in (first, second, host):
        await socket.disconnect()


async def first_item_opened(review, coordinator):
    await sync_to_async(do_open_meeting)(review, coordinator)
    return await first_item(review)
