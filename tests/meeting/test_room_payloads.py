"""Malformed room changes: every field of every change kind, given the wrong type or a value
that cannot be what it names, is answered with an error frame carrying the change's key, and
the socket stays open. Nothing is recorded."""

import pytest
from asgiref.sync import sync_to_async

from reviews.models import Invitation, Review
from tests.meeting.test_room_consumer import first_item, join, next_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

KEY = "key-malformed-1"
ITEM = "That agenda item is not in this meeting"
INVITED = "That person is not invited to this review"
CHOOSE = "Choose someone invited to this review"
DATE = "Enter the date as YYYY-MM-DD"

MALFORMED = [
    # (change, payload, what the error says)
    ("notes.save", {"item": "first", "text": "x", "base_version": 0}, ITEM),
    ("notes.save", {"item": [1], "text": "x", "base_version": 0}, ITEM),
    ("notes.save", {"item": 2**70, "text": "x", "base_version": 0}, ITEM),
    ("notes.save", {"item": 1.5, "text": "x", "base_version": 0}, ITEM),
    ("notes.save", {"item": "ITEM", "text": 5, "base_version": 0}, "The notes must be text"),
    ("notes.save", {"item": "ITEM", "text": {"a": 1}, "base_version": 0},
     "The notes must be text"),
    ("notes.save", {"item": "ITEM", "text": "x", "base_version": [1]}, "version"),
    ("notes.save", {"item": "ITEM", "text": "x", "base_version": "one"}, "version"),
    ("notes.save", {"item": "ITEM", "text": "x", "base_version": -1}, "version"),
    ("notes.save", {"item": "ITEM", "text": "x", "base_version": True}, "version"),
    ("notes.save", {"item": "ITEM", "text": "x"}, "version"),
    ("comment.add", {"item": {"id": 1}, "text": "x"}, ITEM),
    ("comment.add", {"item": "ITEM", "text": ["x"]}, "Your comment must be text"),
    ("comment.add", {"item": "ITEM", "text": "x", "kind": ["comment"]},
     "Unknown kind of comment"),
    ("comment.add", {"item": "ITEM", "text": "x", "kind": "shout"}, "Unknown kind of comment"),
    ("action.add", {"what": 1, "who": "School"}, "What needs to be done must be text"),
    ("action.add", {"what": "Ring", "who": ["School"]}, "Who will do it must be text"),
    ("action.add", {"what": "Ring", "who": "School", "due_on": 20270101}, DATE),
    ("action.add", {"what": "Ring", "who": "School", "due_on": "2027-02-31"}, DATE),
    ("action.add", {"what": "Ring", "who": "School", "due_on": ["2027-02-01"]}, DATE),
    ("recommendation.set", {"section": 1, "text": "x"}, "Unknown plan section"),
    ("recommendation.set", {"section": "Z", "text": "x"}, "Unknown plan section"),
    ("recommendation.set", {"overall": ["maintain"]}, "Choose maintain, amend or cease"),
    ("recommendation.set", {"section": "F", "text": 7}, "What should change must be text"),
    ("recommendation.set", {"overall": "maintain", "agreed_by": {"who": "all"}},
     "Who agreed must be text"),
    ("agenda.move", {"item": "next"}, ITEM),
    ("agenda.move", {"item": None}, ITEM),
    ("agenda.move", {"item": -3}, ITEM),
    ("attendance.mark", {"invitation": "not-a-uuid", "present": True}, INVITED),
    ("attendance.mark", {"invitation": 12, "present": True}, INVITED),
    ("attendance.mark", {"invitation": ["a"], "present": True}, INVITED),
    ("attendance.mark", {"invitation": "INVITATION", "present": "false"},
     "Say whether they are present"),
    ("minute_taker.name", {"user": "12a"}, CHOOSE),
    ("minute_taker.name", {"user": [1]}, CHOOSE),
    ("minute_taker.name", {"user": 1.5}, CHOOSE),
    ("minute_taker.name", {"user": True}, CHOOSE),
    ("minute_taker.name", {"user": "9" * 5000}, CHOOSE),
    ("meeting.close", "close it", "A change's payload must be an object"),
    ("meeting.close", [1, 2], "A change's payload must be an object"),
    ("meeting.close", {"before_start": "true"}, "close the meeting before it starts"),
]


def filled(payload, item, invitation):
    """The payload with the real agenda item or invitation where the case names them."""
    if not isinstance(payload, dict):
        return payload
    real = {"ITEM": item.pk, "INVITATION": str(invitation.pk)}
    return {name: real.get(value, value) if isinstance(value, str) else value
            for name, value in payload.items()}


@pytest.mark.parametrize("change, payload, error", MALFORMED,
                         ids=[f"{c}-{n}" for n, (c, _, _) in enumerate(MALFORMED)])
async def test_a_malformed_payload_is_refused_with_its_key_and_the_room_stays_open(
        review, coordinator, invited_therapist, change, payload, error):


    host, connected, _ = await join(coordinator, review)
    assert connected
    item = await first_item(review)
    invitation = await sync_to_async(Invitation.objects.get)(user=invited_therapist)
    seq = await sync_to_async(Review.objects.values_list("event_seq", flat=True).get)(
        pk=review.pk)

    await host.send_json_to({"type": "change", "v": 1, "change": change, "key": KEY,
                             "payload": filled(payload, item, invitation)})
    reply = await next_of(host, "error")
    assert reply["key"] == KEY
    assert error in reply["error"]
    await host.send_json_to({"type": "ping", "v": 1})
    assert (await next_of(host, "pong"))["type"] == "pong", "still open after the error"
    after = await sync_to_async(Review.objects.values_list("event_seq", flat=True).get)(
        pk=review.pk)
    assert after == seq, "nothing was recorded"
    await host.disconnect()


@pytest.mark.parametrize("frame, error", [
    ({"change": ["comment.add"], "key": KEY, "payload": {}}, "Unknown change"),
    ({"change": {"name": "comment.add"}, "key": KEY, "payload": {}}, "Unknown change"),
    ({"change": "comment.add", "key": 123456789, "payload": {}}, "key of 8 to 64"),
    ({"change": "comment.add", "key": ["key-in-a-list"], "payload": {}}, "key of 8 to 64"),
])
async def test_a_change_badly_named_or_keyed_is_refused_and_the_room_stays_open(
        review, coordinator, frame, error):
    host, _, _ = await join(coordinator, review)
    await host.send_json_to({"type": "change", "v": 1, **frame})
    assert error in (await next_of(host, "error"))["error"]
    await host.send_json_to({"type": "ping", "v": 1})
    assert (await next_of(host, "pong"))["type"] == "pong"
    await host.disconnect()


@pytest.mark.parametrize("after", [2**70, True, -1, 1.5])
async def test_a_resume_from_a_number_no_review_reaches_is_refused(review, coordinator, after):
    host, _, _ = await join(coordinator, review)
    await host.send_json_to({"type": "resume", "v": 1, "after": after})
    assert "whole number" in (await next_of(host, "error"))["error"]
    await host.send_json_to({"type": "ping", "v": 1})
    assert (await next_of(host, "pong"))["type"] == "pong"
    await host.disconnect()
