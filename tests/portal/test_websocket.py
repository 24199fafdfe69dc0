import pytest
from channels.testing import WebsocketCommunicator

from portal.asgi import application
from portal.consumers import person_group
from tests.conftest import ORIGIN, session_cookie_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

async def connect(headers):
    communicator = WebsocketCommunicator(application, "/ws/updates/", headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_a_socket_without_a_session_is_refused():
    communicator, connected, code = await connect([ORIGIN])
    assert not connected and code == 4401


async def test_a_socket_from_another_site_is_refused(parent):
    from asgiref.sync import sync_to_async

    cookie = await sync_to_async(session_cookie_for)(parent)
    communicator, connected, _ = await connect([(b"origin", b"https://evil.example"), cookie])
    assert not connected


async def test_a_signed_in_person_receives_their_own_updates(parent):
    from asgiref.sync import sync_to_async
    from channels.layers import get_channel_layer

    cookie = await sync_to_async(session_cookie_for)(parent)
    communicator, connected, _ = await connect([ORIGIN, cookie])
    assert connected
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await get_channel_layer().group_send(person_group(parent.pk),
                                         {"type": "person.update", "what": "reviews"})
    assert await communicator.receive_json_from() == {"type": "update", "what": "reviews"}
    await communicator.disconnect()


@pytest.mark.parametrize("frame, error", [
    ("not json", "not valid JSON"),
    ("[1, 2]", "must be an object"),
    ('{"no": "type"}', "must be an object"),
    ('{"type": "launch"}', "Unknown message type"),
])
async def test_a_malformed_frame_is_answered_with_an_error(parent, frame, error):
    from asgiref.sync import sync_to_async

    cookie = await sync_to_async(session_cookie_for)(parent)
    communicator, connected, _ = await connect([ORIGIN, cookie])
    await communicator.send_to(text_data=frame)
    reply = await communicator.receive_json_from()
    assert reply["type"] == "error" and error in reply["error"]
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}, "still open after the error"
    await communicator.disconnect()


async def test_a_professional_who_has_not_enrolled_in_mfa_gets_no_socket(la_team):
    from asgiref.sync import sync_to_async

    from agencies.models import Role
    from tests.conftest import make_person

    person = await sync_to_async(make_person)("unenrolled@test.example", agency=la_team,
                                              role=Role.PRACTITIONER, mfa=False)
    cookie = await sync_to_async(session_cookie_for)(person)
    communicator, connected, code = await connect([ORIGIN, cookie])
    assert not connected and code == 4403
