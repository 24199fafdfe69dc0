"""The meeting room while Redis is down or restarting, and after a fault: a saved change is
still acknowledged, a fault closes the socket so that the browser reconnects, and the pong
says how far the room has got (what a browser that missed a broadcast needs to catch up)."""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer
from redis.exceptions import ConnectionError as RedisConnectionError

from meeting.consumers import SERVER_FAULT
from meeting.models import Comment
from reviews.models import Review
from tests.meeting.test_room_consumer import change, first_item, join, next_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


class FailingLayer(InMemoryChannelLayer):
    """The in-memory channel layer, except that publishing raises `fault` while it is set:
    channels_redis raises redis's ConnectionError while Redis is stopped."""

    fault = None

    async def group_send(self, group, message):
        if FailingLayer.fault is not None:
            raise FailingLayer.fault
        await super().group_send(group, message)


@pytest.fixture
def failing_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": f"{__name__}.FailingLayer"}}
    yield FailingLayer
    FailingLayer.fault = None


async def test_a_change_saved_while_redis_is_down_is_acknowledged_and_the_room_carries_on(
        failing_layer, review, coordinator):
    host, _, _ = await join(coordinator, review)
    await next_of(host, "presence")  # in the room: Redis goes down only now
    item = await first_item(review)
    failing_layer.fault = RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")
    await change(host, "comment.add", "key-redis-down", item=item.pk, text="Saved anyway.")
    ack = await next_of(host, "ack")
    assert ack["key"] == "key-redis-down" and ack["seq"]
    assert await sync_to_async(Comment.objects.filter(text="Saved anyway.").count)() == 1

    failing_layer.fault = None
    await host.send_json_to({"type": "ping", "v": 1})
    pong = await next_of(host, "pong")
    assert pong["seq"] == ack["seq"], "the room's last seq: the others can see they missed it"
    await host.disconnect()


async def test_a_fault_while_applying_a_change_closes_with_a_code_daphne_can_send(
        failing_layer, review, coordinator):
    host, _, _ = await join(coordinator, review)
    await next_of(host, "presence")  # in the room: Redis goes down only now
    item = await first_item(review)
    failing_layer.fault = RuntimeError("something nobody expected")
    await change(host, "comment.add", "key-fault", item=item.pk, text="Then a fault.")
    while (output := await host.receive_output(timeout=3))["type"] != "websocket.close":
        pass
    # Daphne sends 1000 or 3000 to 4999 only: any other code left the socket open, with
    # nobody applying its changes. socket.js reconnects on this one.
    assert output["code"] == SERVER_FAULT and 3000 <= SERVER_FAULT <= 4999
    assert SERVER_FAULT not in (4401, 4403, 4404)


async def test_the_pong_says_how_far_the_room_has_got(review, coordinator):
    host, _, _ = await join(coordinator, review)
    await host.send_json_to({"type": "ping", "v": 1})
    pong = await next_of(host, "pong")
    assert pong["seq"] == await sync_to_async(
        lambda: Review.objects.get(pk=review.pk).event_seq)()
    await host.disconnect()
