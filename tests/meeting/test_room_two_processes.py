"""One meeting room shared by two real ASGI server processes through the Redis channel layer.

Each person's browser may land on a different server process behind the load balancer; a
change sent to one process must reach the people connected to the other. The in-memory
channel layer cannot do that by design, so this runs only with Redis and PostgreSQL.
"""

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection, transaction

from meeting.models import AppliedChange, Presence
from meeting.room import do_open_meeting
from tests.conftest import session_cookie_for, session_cookie_of, sign_in

pytestmark = [
    pytest.mark.skipif(
        not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
        reason="a room across processes needs Redis and PostgreSQL: run with DATABASE_URL "
               "and REDIS_URL, as CI does"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
DAPHNE = Path(sys.executable).with_name("daphne")
# Generous, because CI runs the suite on a busy 2-core machine; every wait is still bounded.
START_TIMEOUT = 120
MESSAGE_TIMEOUT = 30
# Longer than channels-redis's blocking read of a consumer's messages (its brpop_timeout).
QUIET = 8


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SERVERS_NAME = "room-test-server"  # the servers' sessions, as PostgreSQL lists them


def database_url_for_tests() -> str:
    """DATABASE_URL, pointed at the test database pytest-django made for this run."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"],
                                   query=f"application_name={SERVERS_NAME}"))


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def log_tail(path: Path) -> str:
    return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def start_daphne(port: int, log: Path) -> subprocess.Popen:
    # As `make run` serves: its pages come from http://localhost:PORT or 127.0.0.1:PORT.
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url_for_tests(),
           "PORT": str(port)}
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(DAPHNE), "-b", "127.0.0.1", "-p", str(port), "portal.asgi:application"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def wait_until_listening(process: subprocess.Popen, port: int, log: Path):
    deadline = time.monotonic() + START_TIMEOUT
    while not answers(port):
        if process.poll() is not None:
            pytest.fail(f"daphne on port {port} exited ({process.returncode}):\n{log_tail(log)}")
        if time.monotonic() > deadline:
            pytest.fail(f"daphne on port {port} did not listen within {START_TIMEOUT} s:\n"
                        f"{log_tail(log)}")
        time.sleep(0.2)


def stop(process: subprocess.Popen):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(scope="module")
def two_servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two Daphne processes serving the portal on the test database; always stopped."""
    logs = tmp_path_factory.mktemp("daphne")
    processes, ports = [], []
    try:
        for name in ("a", "b"):
            port, log = free_port(), logs / f"daphne-{name}.log"
            processes.append(start_daphne(port, log))
            ports.append((port, log))
        for process, (port, log) in zip(processes, ports, strict=True):
            wait_until_listening(process, port, log)
        yield [port for port, _ in ports]
    finally:
        for process in processes:
            stop(process)
        with django_db_blocker.unblock():
            wait_until_their_sessions_end()


def wait_until_their_sessions_end():
    """The servers keep pooled connections to the test database; PostgreSQL ends their
    sessions a moment after the processes exit, and the database cannot be dropped before."""
    try:
        deadline = time.monotonic() + MESSAGE_TIMEOUT
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                               "current_database() AND application_name = %s", [SERVERS_NAME])
                if not cursor.fetchone()[0]:
                    return
                time.sleep(0.1)
    finally:
        connection.close()


async def join(port: int, review, cookie: tuple[bytes, bytes]):
    from websockets.asyncio.client import connect

    name, value = cookie
    return await connect(f"ws://127.0.0.1:{port}/ws/reviews/{review.pk}/room/",
                         origin=f"http://127.0.0.1:{port}",
                         additional_headers={name.decode(): value.decode()},
                         open_timeout=MESSAGE_TIMEOUT)


async def next_message(socket, wanted, what: str) -> dict:
    """The first message for which `wanted` is true, within MESSAGE_TIMEOUT seconds."""
    async def first():
        async for frame in socket:
            message = json.loads(frame)
            if wanted(message):
                return message
        raise AssertionError(f"the connection closed before {what}")

    try:
        return await asyncio.wait_for(first(), MESSAGE_TIMEOUT)
    except TimeoutError:
        raise AssertionError(f"no {what} within {MESSAGE_TIMEOUT} s") from None


async def comment(socket, item, text: str) -> int:
    """Send a comment and return the sequence number the server gave its event."""
    key = uuid.uuid4().hex
    await socket.send(json.dumps({"type": "change", "v": 1, "change": "comment.add",
                                  "key": key, "payload": {"item": item.pk, "text": text}}))
    reply = await next_message(socket, lambda m: m.get("key") == key, f"the reply to {text!r}")
    assert reply["type"] == "ack", reply
    return reply["seq"]


def comment_event(text: str):
    return lambda m: (m["type"] == "event" and m["event"]["kind"] == "comment.added"
                      and m["event"]["data"]["text"] == text)


@asynccontextmanager
async def in_the_room(ports, review, host_cookie, guest_cookie):
    """The host connected to process A and the guest to process B, both in the room."""
    async with await join(ports[0], review, host_cookie) as host, \
            await join(ports[1], review, guest_cookie) as guest:
        # The guest's arrival, announced by process B, reaching the host on process A shows
        # both are in the room's group before anything is sent.
        await next_message(host, lambda m: m["type"] == "presence" and len(m["people"]) == 2,
                           "both people in the room")
        yield host, guest


async def exchange(host, guest, item):
    """A comment each way; each arrives on the other process as the event the sender was
    acknowledged with."""
    seq = await comment(host, item, "Sent to process A")
    arrived = await next_message(guest, comment_event("Sent to process A"),
                                 "process A's comment on process B")
    assert arrived["event"]["seq"] == seq

    reply_seq = await comment(guest, item, "Sent to process B")
    arrived = await next_message(host, comment_event("Sent to process B"),
                                 "process B's comment on process A")
    assert arrived["event"]["seq"] == reply_seq > seq


@pytest.fixture
def room(two_servers, review, coordinator, family_parent):
    """The review's open meeting and both people's sessions; afterwards, waits until both
    servers have finished with the departures, so nothing writes while the test database is
    being reset."""
    item = do_open_meeting(review, coordinator).items.order_by("position").first()
    yield item, session_cookie_for(coordinator), session_cookie_for(family_parent)
    deadline = time.monotonic() + MESSAGE_TIMEOUT
    while Presence.objects.filter(review=review).exists() and time.monotonic() < deadline:
        time.sleep(0.2)


def test_a_change_sent_to_one_server_process_reaches_people_on_the_other(
        two_servers, room, review):
    item, host_cookie, guest_cookie = room

    async def meet():
        async with in_the_room(two_servers, review, host_cookie, guest_cookie) as (host, guest):
            await exchange(host, guest, item)

    asyncio.run(meet())

    stored = set(review.events.filter(kind="comment.added").values_list("data__text", flat=True))
    assert stored == {"Sent to process A", "Sent to process B"}


def test_people_sitting_quietly_in_the_room_stay_connected_and_still_get_changes(
        two_servers, room, review):
    """Nothing arrives for longer than the channel layer's blocking read from Redis (5 s);
    a Redis client that gives up on that read first must not end anyone's connection."""
    item, host_cookie, guest_cookie = room

    async def meet():
        async with in_the_room(two_servers, review, host_cookie, guest_cookie) as (host, guest):
            await asyncio.sleep(QUIET)
            await exchange(host, guest, item)

    asyncio.run(meet())


@contextmanager
def key_held_elsewhere(review, key: str):
    """Another transaction holds this idempotency key, so a change sent with it waits in the
    database until `release()` is called (or the time limit passes)."""
    held, released = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                AppliedChange.objects.create(review=review, key=key)
                held.set()
                released.wait(MESSAGE_TIMEOUT * 2)
                transaction.set_rollback(True)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(MESSAGE_TIMEOUT), "the key was not held"
        yield released.set
    finally:
        released.set()
        holder.join(MESSAGE_TIMEOUT * 2)


def wait_until_a_change_waits_on_a_lock():
    """Poll PostgreSQL until some session is waiting for a lock: the held change."""
    try:
        deadline = time.monotonic() + MESSAGE_TIMEOUT
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                               "current_database() AND wait_event_type = 'Lock'")
                if cursor.fetchone()[0]:
                    return
                time.sleep(0.1)
        raise AssertionError("the change never reached the database")
    finally:
        connection.close()


def test_a_person_whose_change_is_waiting_still_hears_the_room(two_servers, room, review):
    """One slow change must not hold up what everyone else says meanwhile."""
    item, host_cookie, guest_cookie = room
    held_key = uuid.uuid4().hex

    async def meet(release):
        async with in_the_room(two_servers, review, host_cookie, guest_cookie) as (host, guest):
            await guest.send(json.dumps({"type": "change", "v": 1, "change": "comment.add",
                                         "key": held_key,
                                         "payload": {"item": item.pk, "text": "Mine waits"}}))
            await asyncio.to_thread(wait_until_a_change_waits_on_a_lock)

            seq = await comment(host, item, "While you wait")
            arrived = await next_message(guest, comment_event("While you wait"),
                                         "the host's comment while the guest's change waits")
            assert arrived["event"]["seq"] == seq

            release()
            ack = await next_message(guest, lambda m: m.get("key") == held_key,
                                     "the reply to the change that waited")
            assert ack["type"] == "ack" and ack["seq"] > seq

    with key_held_elsewhere(review, held_key) as release:
        asyncio.run(meet(release))


def test_signing_out_closes_the_persons_room_on_another_server_process(
        two_servers, room, review, family_parent):
    """The sign-out is handled here; the room's socket is held by a server process, which
    hears of it over Redis."""
    from django.test import Client
    from websockets.exceptions import ConnectionClosed

    client = Client()
    sign_in(client, family_parent)
    cookie = session_cookie_of(client)

    def sign_out():
        try:
            assert client.post("/accounts/logout/").status_code == 302
        finally:
            connection.close()

    async def meet():
        async with await join(two_servers[1], review, cookie) as guest:
            await next_message(guest, lambda m: m["type"] == "presence", "the guest's arrival")
            await asyncio.to_thread(sign_out)

            async def until_closed():
                with contextlib.suppress(ConnectionClosed):
                    async for _ in guest:
                        pass

            await asyncio.wait_for(until_closed(), MESSAGE_TIMEOUT)
            assert guest.close_code == 4401

    asyncio.run(meet())
