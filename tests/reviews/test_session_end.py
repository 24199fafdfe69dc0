"""A person's open sockets (room, review pages, personal updates) close at once when their
session ends or may have: signing out closes that session's sockets for good (4401); a
password change or reset, or a change to their two-step methods, closes all their sockets
with 4001, from which the browser connects again and the handshake lets in only a session
still signed in."""

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client

from portal.asgi import application
from tests.conftest import ORIGIN, PASSWORD, session_cookie_of, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

NEW_PASSWORD = "another-long-password-2"  # noqa: S105


def signed_in(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def paths(review) -> list[str]:
    """The personal updates socket, the review page's and the meeting room's."""
    return ["/ws/updates/", f"/ws/reviews/{review.pk}/", f"/ws/reviews/{review.pk}/room/"]


async def open_socket(path, client):
    socket = WebsocketCommunicator(application, path, headers=[ORIGIN, session_cookie_of(client)])
    connected, code = await socket.connect()
    return socket, connected, code


async def open_all(review, client):
    sockets = []
    for path in paths(review):
        socket, connected, _ = await open_socket(path, client)
        assert connected, path
        sockets.append(socket)
    return sockets


async def close_code(socket) -> int:
    """The code the server closed the socket with (whatever it said before). The consumer is
    then told the socket is gone, as Daphne tells it."""
    for _ in range(20):
        output = await socket.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            await socket.disconnect(code=output["code"])
            return output["code"]
    raise AssertionError("the socket was not closed")


async def still_open(socket):
    await socket.send_json_to({"type": "ping", "v": 1})
    for _ in range(20):
        if (await socket.receive_json_from(timeout=3))["type"] == "pong":
            return
    raise AssertionError("no pong")


async def test_signing_out_closes_that_sessions_sockets_for_good_and_no_others(
        review, family_parent):
    here, elsewhere = await sync_to_async(signed_in)(family_parent), \
        await sync_to_async(signed_in)(family_parent)
    sockets = await open_all(review, here)
    other, _, _ = await open_socket("/ws/updates/", elsewhere)

    response = await sync_to_async(here.post)("/accounts/logout/")
    assert response.status_code == 302
    assert [await close_code(socket) for socket in sockets] == [4401, 4401, 4401]
    await still_open(other)
    await other.disconnect()


async def test_a_password_change_closes_all_the_persons_sockets_and_only_the_changer_gets_back(
        review, family_parent):
    changer, elsewhere = await sync_to_async(signed_in)(family_parent), \
        await sync_to_async(signed_in)(family_parent)
    sockets = await open_all(review, changer) + await open_all(review, elsewhere)

    response = await sync_to_async(changer.post)("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert [await close_code(socket) for socket in sockets] == [4001] * 6

    for path in paths(review):
        _, connected, code = await open_socket(path, elsewhere)
        assert (connected, code) == (False, 4401), path
        socket, connected, _ = await open_socket(path, changer)
        assert connected, path
        await socket.disconnect()


async def test_a_password_reset_closes_the_persons_sockets_and_they_do_not_get_back(
        review, family_parent):
    client = await sync_to_async(signed_in)(family_parent)
    sockets = await open_all(review, client)

    def reset():
        family_parent.refresh_from_db()  # the token covers when they last signed in
        link = (f"/accounts/password/reset/key/{user_pk_to_url_str(family_parent)}-"
                f"{default_token_generator.make_token(family_parent)}/")
        stranger = Client()
        form = stranger.get(link)["Location"]
        return stranger.post(form, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert (await sync_to_async(reset)()).status_code == 302
    assert [await close_code(socket) for socket in sockets] == [4001] * 3
    _, connected, code = await open_socket("/ws/updates/", client)
    assert (connected, code) == (False, 4401)


async def test_switching_off_two_step_closes_the_persons_sockets(review, family_parent):
    """A family member may switch off the two-step sign-in they chose (a professional may
    not: tests/agencies/test_two_step.py)."""
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    await sync_to_async(TOTP.activate)(family_parent, TOTP_SECRET)
    client = await sync_to_async(signed_in)(family_parent)
    sockets = await open_all(review, client)

    response = await sync_to_async(client.post)("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not await sync_to_async(Authenticator.objects.filter(user=family_parent).exists)()
    assert [await close_code(socket) for socket in sockets] == [4001] * 3


async def test_a_professional_whose_two_step_staff_reset_gets_no_socket(review, coordinator):
    client = await sync_to_async(signed_in)(coordinator)
    sockets = await open_all(review, client)

    await sync_to_async(Authenticator.objects.filter(user=coordinator).delete)()
    assert [await close_code(socket) for socket in sockets] == [4001] * 3
    # A professional without a two-step method opens no page, and no socket.
    _, connected, code = await open_socket("/ws/updates/", client)
    assert (connected, code) == (False, 4403)


async def test_new_recovery_codes_close_the_persons_sockets_and_a_session_still_good_gets_back(
        review, coordinator):
    client = await sync_to_async(signed_in)(coordinator)
    sockets = await open_all(review, client)

    response = await sync_to_async(client.post)("/accounts/2fa/recovery-codes/generate/")
    assert response.status_code == 302
    assert await sync_to_async(Authenticator.objects.filter(
        user=coordinator, type=Authenticator.Type.RECOVERY_CODES).exists)()
    assert [await close_code(socket) for socket in sockets] == [4001] * 3
    socket, connected, _ = await open_socket("/ws/updates/", client)
    assert connected
    await socket.disconnect()


async def test_a_deletion_that_is_rolled_back_closes_nothing(review, coordinator):
    client = await sync_to_async(signed_in)(coordinator)
    socket, _, _ = await open_socket("/ws/updates/", client)

    def delete_then_change_mind():
        with transaction.atomic():
            Authenticator.objects.filter(user=coordinator).delete()
            transaction.set_rollback(True)

    await sync_to_async(delete_then_change_mind)()
    await still_open(socket)
    await socket.disconnect()
