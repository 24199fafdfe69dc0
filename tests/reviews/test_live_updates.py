"""Pages that update without a reload: every event on a review tells its coordinator's and
its invitees' open tabs to refresh their lists, and the pages carry what live.js needs."""

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from agencies.sockets import person_group
from portal.asgi import application
from reviews import events
from reviews.events import review_group
from reviews.models import Invitation
from tests.conftest import ORIGIN, session_cookie_for, sign_in
from tests.reviews.conftest import invite_person

UPDATE = {"type": "person.update", "what": "reviews"}


@pytest.fixture
def layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return get_channel_layer()


def listen(layer, group: str) -> str:
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return channel


def received(layer, channels: dict) -> dict:
    """Everything waiting on each channel, read in one event loop (the in-memory layer's
    queues belong to the loop that first waits on them)."""

    async def drain():
        found = {}
        for name, channel in channels.items():
            found[name] = []
            while True:
                try:
                    found[name].append(await asyncio.wait_for(layer.receive(channel), 0.05))
                except TimeoutError:
                    break
        return found

    return async_to_sync(drain)()


@pytest.mark.django_db
def test_an_event_tells_the_coordinator_and_every_invitee_to_refresh_their_lists(
        layer, review, coordinator, invited_therapist, family_parent, outsider,
        django_capture_on_commit_callbacks):
    invite_person(review, family_parent, role=Invitation.Role.FAMILY)
    invite_person(review, outsider, removed_at=timezone.now())
    channels = {user: listen(layer, person_group(user.pk))
                for user in (coordinator, invited_therapist, family_parent, outsider)}
    channels["watching the review"] = listen(layer, review_group(review.pk))
    with django_capture_on_commit_callbacks(execute=True):
        events.record(review, "invitation.answered", "Theo Rapist is attending")
    found = received(layer, channels)
    for person in (coordinator, invited_therapist, family_parent):
        assert found[person] == [UPDATE], person
    assert found[outsider] == [], "a removed invitee is not told"
    frames = [json.loads(m["frame"]) for m in found["watching the review"]]
    assert [(f["type"], f["event"]["kind"]) for f in frames] == [("event", "invitation.answered")]


@pytest.mark.django_db
def test_the_people_to_tell_are_found_in_one_query(layer, review, coordinator,
                                                   invited_therapist,
                                                   django_assert_num_queries):
    event = events.record(review, "test", "Something happened", actor=coordinator)
    with django_assert_num_queries(1):
        events.broadcast(event)


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_invitees_open_my_reviews_tab_hears_of_the_change(review, invited_therapist):
    cookie = await sync_to_async(session_cookie_for)(invited_therapist)
    socket = WebsocketCommunicator(application, "/ws/updates/", headers=[ORIGIN, cookie])
    connected, _ = await socket.connect()
    assert connected
    await sync_to_async(events.record)(review, "advice.submitted", "Advice arrived")
    assert await socket.receive_json_from(timeout=3) == {"type": "update", "what": "reviews"}
    await socket.disconnect()


@pytest.mark.django_db
def test_the_review_page_is_live(client, review, coordinator):
    sign_in(client, coordinator)
    html = client.get(f"/reviews/{review.pk}/").content.decode()
    assert f'data-live-region data-live-socket="/ws/reviews/{review.pk}/"' in html
    assert 'src="/static/portal/live.js"' in html


@pytest.mark.django_db
def test_my_reviews_is_live(client, review, invited_therapist):
    sign_in(client, invited_therapist)
    html = client.get("/reviews/mine/").content.decode()
    assert 'data-live-region data-live-socket="/ws/updates/"' in html
    assert 'src="/static/portal/live.js"' in html


@pytest.mark.django_db
def test_reviews_due_is_live(client, review, coordinator):
    sign_in(client, coordinator)
    html = client.get("/reviews/due/").content.decode()
    assert html.count('data-live-socket="/ws/updates/"') == 2  # the counts and the list
    assert 'src="/static/portal/live.js"' in html
