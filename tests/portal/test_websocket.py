import pytest
from channels.testing import WebsocketCommunicator

from agencies.sockets import person_group
from portal.asgi import application
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
    ("null", "must be an object"),
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


SITE = "https://reviews.example.gov.uk"


@pytest.fixture
def site(settings):
    settings.BASE_URL = SITE + "/"
    settings.CSRF_TRUSTED_ORIGINS = ["https://reviews-proxy.example.gov.uk"]
    settings.DEBUG = False
    settings.PORT = 8123


@pytest.mark.parametrize("origin, accepted", [
    (SITE, True),
    (SITE + ":443", True),  # the same origin, its port spelt out
    ("https://reviews-proxy.example.gov.uk", True),  # CSRF_TRUSTED_ORIGINS
    ("http://reviews.example.gov.uk", False),  # another scheme
    ("https://reviews.example.gov.uk:8443", False),  # another port
    ("https://evil.example", False),  # another host
    ("https://reviews.example.gov.uk.evil.example", False),
    ("https://www.reviews.example.gov.uk", False),  # a subdomain is another host
    ("http://localhost:8123", False),  # make run's address, but DEBUG is off
    ("https://reviews.example.gov.uk:port", False),  # no port at all
    ("https://reviews.example.gov.uk:99999", False),
    ("null", False),  # a sandboxed frame or a file
    (None, False),
])
async def test_a_socket_opens_only_from_one_of_the_sites_own_origins(site, parent, origin,
                                                                     accepted):
    from asgiref.sync import sync_to_async

    cookie = await sync_to_async(session_cookie_for)(parent)
    headers = [cookie] + ([(b"origin", origin.encode())] if origin else [])
    communicator, connected, _ = await connect(headers)
    assert connected is accepted
    if connected:
        await communicator.disconnect()


@pytest.mark.parametrize("origin, accepted", [
    ("http://localhost:8123", True),
    ("http://127.0.0.1:8123", True),
    ("http://localhost:9999", False),
    ("https://localhost:8123", False),
    (SITE, True),
])
async def test_while_debug_make_runs_local_address_may_open_sockets_too(site, settings, parent,
                                                                       origin, accepted):
    """`make run` serves on http://localhost:PORT whatever BASE_URL says."""
    from asgiref.sync import sync_to_async

    settings.DEBUG = True
    cookie = await sync_to_async(session_cookie_for)(parent)
    communicator, connected, _ = await connect([(b"origin", origin.encode()), cookie])
    assert connected is accepted
    if connected:
        await communicator.disconnect()

