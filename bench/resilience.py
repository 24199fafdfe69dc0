"""A meeting that survives failure: R rooms of M people commenting through nginx while a
server dies, Redis restarts and PostgreSQL stops for a while.

    make resilience                      # or: .venv/bin/python -m bench.resilience --help

Everything it uses it starts itself, on 127.0.0.1, in a temporary folder, and stops at the
end: a PostgreSQL cluster of its own (initdb, pg_ctl; never the machine's shared one), a
redis-server of its own, two Daphne processes serving the portal (DEBUG off), and nginx
(Debian's package, its own config file) balancing them with WebSocket upgrades, as the
README's production section describes. It needs `nginx`, `redis-server` and PostgreSQL's
server binaries installed (`apt-get install nginx redis-server postgresql`).

Each person is a client that speaks the room's protocol as static/portal/room.js does: it
resumes from the last seq it saw on every (re)connection, keeps every change until it is
acknowledged and sends it again after reconnecting (same key), sends it again a moment later
when the server answers "retry", puts events that overtook each other back in order, pings
every 25 s and asks for what it missed when the pong's seq is ahead of its own, and
reconnects with room.js's backoff (1 s, 2 s, 4 s ... plus up to 0.5 s). Then, one after
the other, while everyone comments (one comment each every --interval seconds):

1. **a server dies**: `kill -9` of one Daphne; its clients reconnect through nginx to the
   other. Printed: how many were cut off, and the time from the kill until each was back
   (resumed), p50 / p95 / max (target p95 under 5 s). The server is started again after.
2. **Redis restarts**: its process stopped and started again on the same port.
3. **PostgreSQL stops** for --outage seconds (10): meanwhile a signed-in page is asked for
   through nginx every second and must answer 503 with the GOV.UK page, never a traceback.

After the last failure everyone keeps commenting for a while, then stops and waits until
nothing is left unacknowledged. Counted from the database and the clients: changes sent,
lost (never saved), doubled (saved twice), applied once; and deliveries missing (a comment
saved in a room that someone in that room never received without reloading). Exit status 1
when anything is lost, doubled or missing, a page showed a traceback, or the reconnect
target is missed.
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from bench.cluster import Daphne, Nginx, Postgres, Redis
from bench.meeting_fanout import percentile
from bench.rooms import prepare_rooms
from bench.servers import ORIGIN, create_database, free_port, server_environment, set_up_django

RECONNECT_TARGET = 5.0  # seconds, p95, from the kill until every client is back
RETRY_WAIT = 3.0  # room.js: seconds before changes the server could not save go again
GAP_WAIT = 1.0  # room.js: seconds to wait for an overtaken event before asking for a replay
PING_EVERY = 25.0  # room.js: seconds between pings (a pong carries the room's last seq)
TAG = "resilience"


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# A person in the room, as room.js is
# ---------------------------------------------------------------------------------------------


@dataclass
class Person:
    number: int
    room: int
    review_id: str
    item_id: int
    cookie: str
    last_seq: int = 0
    outbox: dict = field(default_factory=dict)  # key -> frame, until acknowledged
    seen: set = field(default_factory=set)  # texts of the comments received
    early: dict = field(default_factory=dict)  # seq -> event that overtook one before it
    socket: object = None
    resuming: bool = False
    retry_soon: bool = False
    dropped_at: float | None = None
    back_after: list = field(default_factory=list)  # (dropped at, back at)
    errors: list = field(default_factory=list)
    sent: int = 0


class Meeting:
    def __init__(self, rooms, url: str, interval: float):
        self.url, self.interval, self.run = url, interval, uuid.uuid4().hex[:8]
        self.people = []
        for r, room in enumerate(rooms):
            for cookie in room.cookies:
                self.people.append(Person(len(self.people), r, room.review_id, room.item_id,
                                          cookie))
        self.talking = True
        self.stopping = False

    # -- the connection -------------------------------------------------------------------

    async def live(self, person: Person) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed, InvalidHandshake

        attempts = 0
        while not self.stopping:
            try:
                async with connect(f"{self.url}/ws/reviews/{person.review_id}/room/",
                                   origin=ORIGIN, additional_headers={"Cookie": person.cookie},
                                   compression=None, ping_interval=None, open_timeout=20,
                                   close_timeout=2) as socket:
                    attempts = 0
                    person.socket, person.resuming = socket, True
                    await self.send(person, {"type": "resume", "after": person.last_seq})
                    async for frame in socket:
                        await self.take(person, json.loads(frame))
            except (TimeoutError, ConnectionClosed, InvalidHandshake, OSError):
                pass
            except Exception as fault:  # noqa: BLE001  (a fault of this script: shown, not fatal)
                person.errors.append(f"client fault: {fault!r}")
            person.socket = None
            if self.stopping:
                return
            if person.dropped_at is None:
                person.dropped_at = time.monotonic()
            await asyncio.sleep(min(30, 2 ** attempts) + random.uniform(0, 0.5))
            attempts += 1

    async def send(self, person: Person, message: dict) -> None:
        if person.socket is not None:
            try:
                await person.socket.send(json.dumps({"v": 1, **message}))
            except Exception:  # noqa: BLE001  (closed meanwhile: it goes again on reconnecting)
                pass

    async def transmit_outbox(self, person: Person) -> None:
        if person.socket is not None and not person.resuming:
            for frame in list(person.outbox.values()):
                await self.send(person, frame)

    # -- what arrives ---------------------------------------------------------------------

    async def take(self, person: Person, message: dict) -> None:
        kind = message.get("type")
        if kind == "event":
            await self.on_event(person, message["event"])
        elif kind == "resumed":
            person.resuming = False
            if not message.get("complete", True):
                person.resuming = True
                await self.send(person, {"type": "resume", "after": person.last_seq})
                return
            if person.dropped_at is not None:
                person.back_after.append((person.dropped_at, time.monotonic()))
                person.dropped_at = None
            self.apply_early(person)
            await self.transmit_outbox(person)
        elif kind == "pong":
            if (message.get("seq") or 0) > person.last_seq and not person.early:
                await self.fill_gap(person, missed=True)
        elif kind == "ack":
            person.outbox.pop(message.get("key"), None)
        elif kind == "conflict":
            person.outbox.pop(message.get("key"), None)
            person.errors.append("conflict")
        elif kind == "error" and message.get("retry"):
            if not person.retry_soon:
                person.retry_soon = True  # one timer for the whole outbox, as room.js
                asyncio.get_running_loop().call_later(
                    RETRY_WAIT, lambda: asyncio.ensure_future(self.retry(person)))
        elif kind == "error":
            person.outbox.pop(message.get("key"), None)
            person.errors.append(message.get("error", "error"))

    async def retry(self, person: Person) -> None:
        person.retry_soon = False
        await self.transmit_outbox(person)

    async def on_event(self, person: Person, event: dict) -> None:
        if event["seq"] <= person.last_seq:
            return
        if event["seq"] > person.last_seq + 1:
            person.early[event["seq"]] = event
            if not person.resuming:
                asyncio.get_running_loop().call_later(
                    GAP_WAIT, lambda: asyncio.ensure_future(self.fill_gap(person)))
            return
        self.apply(person, event)
        self.apply_early(person)

    def apply(self, person: Person, event: dict) -> None:
        person.last_seq = event["seq"]
        if event["kind"] == "comment.added":
            person.seen.add(event["data"]["text"])

    def apply_early(self, person: Person) -> None:
        for seq in [s for s in person.early if s <= person.last_seq]:
            del person.early[seq]
        while person.last_seq + 1 in person.early:
            self.apply(person, person.early.pop(person.last_seq + 1))

    async def fill_gap(self, person: Person, missed: bool = False) -> None:
        if (person.early or missed) and not person.resuming and person.socket is not None:
            person.resuming = True
            await self.send(person, {"type": "resume", "after": person.last_seq})

    async def ping(self, person: Person) -> None:
        while not self.stopping:
            await asyncio.sleep(PING_EVERY)
            await self.send(person, {"type": "ping"})

    # -- what they say --------------------------------------------------------------------

    async def talk(self, person: Person) -> None:
        await asyncio.sleep(random.uniform(0, self.interval))
        n = 0
        while self.talking:
            key = uuid.uuid4().hex
            person.outbox[key] = {"type": "change", "change": "comment.add", "key": key,
                                  "payload": {"item": person.item_id,
                                              "text": f"{TAG} {self.run} {person.number}.{n}"}}
            person.sent += 1
            if person.socket is not None and not person.resuming:
                await self.send(person, person.outbox[key])
            n += 1
            await asyncio.sleep(self.interval)

    def state(self) -> str:
        return (f"{sum(p.socket is None for p in self.people)} not connected, "
                f"{sum(p.resuming for p in self.people)} resuming, "
                f"{self.unacknowledged()} unacknowledged")

    def everyone_back(self) -> bool:
        return all(p.socket is not None and not p.resuming and p.dropped_at is None
                   for p in self.people)

    def unacknowledged(self) -> int:
        return sum(len(p.outbox) for p in self.people)


# ---------------------------------------------------------------------------------------------
# The failures
# ---------------------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    started: float = 0.0
    ended: float = 0.0
    back: list = field(default_factory=list)  # seconds from the failure to each client back
    pages: dict = field(default_factory=dict)  # status -> count (PostgreSQL only)
    traceback: bool = False
    notes: list = field(default_factory=list)
    cut_off: int = 0

    def collect(self, meeting: Meeting) -> None:
        self.back = sorted(back - self.started for p in meeting.people
                           for dropped, back in p.back_after
                           if self.started <= dropped <= self.ended)
        self.cut_off = sum(1 for p in meeting.people
                           if any(self.started <= d <= self.ended for d, _ in p.back_after)
                           or (p.dropped_at is not None and p.dropped_at >= self.started))


async def wait_until(condition, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


async def server_dies(meeting: Meeting, daphnes: list[Daphne]) -> Scenario:
    scenario = Scenario("a server dies (kill -9 of one Daphne)")
    victim = daphnes[0]
    scenario.started = time.monotonic()
    victim.process.kill()
    victim.process.wait()
    await asyncio.sleep(1)
    if not await wait_until(meeting.everyone_back, 60):
        scenario.notes.append(f"60 s later: {meeting.state()}")
    scenario.ended = time.monotonic()
    await asyncio.to_thread(victim.start)
    return scenario


async def redis_restarts(meeting: Meeting, redis: Redis, pause: float) -> Scenario:
    scenario = Scenario(f"Redis restarts (stopped, started again {pause:g} s later)")
    scenario.started = time.monotonic()
    await asyncio.to_thread(redis.stop)
    await asyncio.sleep(pause)
    await asyncio.to_thread(redis.start)
    await asyncio.sleep(5)
    if not await wait_until(meeting.everyone_back, 60):
        scenario.notes.append(f"60 s later: {meeting.state()}")
    scenario.ended = time.monotonic()
    return scenario


def ask_for_page(url: str, cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=40) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except OSError as error:
        return 0, str(error)


async def postgres_stops(meeting: Meeting, postgres: Postgres, outage: float,
                         page_url: str, cookie: str) -> Scenario:
    scenario = Scenario(f"PostgreSQL stops for {outage:g} s")
    scenario.started = time.monotonic()
    await asyncio.to_thread(postgres.stop)
    stopped = time.monotonic()

    # A thread for each request: a page may wait a while, and none may hold up pg_ctl.
    askers = ThreadPoolExecutor(max_workers=int(outage) + 2, thread_name_prefix="page")

    async def ask():
        status, page = await asyncio.get_running_loop().run_in_executor(
            askers, ask_for_page, page_url, cookie)
        scenario.pages[status] = scenario.pages.get(status, 0) + 1
        if "Traceback" in page or (status >= 500 and "Sorry, the service is unavailable"
                                   not in page and "Sorry, there is a problem" not in page):
            scenario.traceback = True

    asking = []
    while time.monotonic() - stopped < outage:
        asking.append(asyncio.create_task(ask()))
        await asyncio.sleep(1)
    await asyncio.to_thread(postgres.start)
    await asyncio.gather(*asking)
    askers.shutdown()
    if not await wait_until(lambda: meeting.everyone_back() and not any(
            p.outbox for p in meeting.people), 90):
        scenario.notes.append(f"90 s later: {meeting.state()}")
    scenario.ended = time.monotonic()
    return scenario


# ---------------------------------------------------------------------------------------------
# The count
# ---------------------------------------------------------------------------------------------


def saved_comments(database_url: str, run: str) -> dict[str, int]:
    """Each comment's text -> how many times it was saved, read afresh from PostgreSQL."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        return dict(connection.execute(
            "SELECT text, count(*) FROM reviews_comment WHERE text LIKE %s GROUP BY text",
            [f"{TAG} {run} %"]).fetchall())


def report(meeting: Meeting, scenarios: list[Scenario], saved: dict[str, int], args) -> bool:
    sent = {f"{TAG} {meeting.run} {p.number}.{n}" for p in meeting.people
            for n in range(p.sent)}
    lost = sorted(sent - saved.keys())
    doubled = {text: n for text, n in saved.items() if n > 1}
    size = len(meeting.people) // args.rooms
    by_room: dict[int, set] = {}
    for text in saved:
        by_room.setdefault(int(text.split(" ")[2].split(".")[0]) // size, set()).add(text)
    missing = sum(len(by_room.get(p.room, set()) - p.seen) for p in meeting.people)
    errors = [e for p in meeting.people for e in p.errors]

    print(f"\nResilience, {time.strftime('%Y-%m-%d %H:%M')}: {args.rooms} rooms x {args.clients}"
          f" people through nginx to 2 Daphne processes, one comment each every "
          f"{args.interval:g} s; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    ok = True
    for scenario in scenarios:
        print(f"\n{scenario.name}:")
        if scenario.back:
            p95 = percentile(scenario.back, 95)
            print(f"  {scenario.cut_off} clients cut off, {len(scenario.back)} back; back "
                  f"(resumed) after: p50 "
                  f"{percentile(scenario.back, 50):.2f} s, p95 {p95:.2f} s, max "
                  f"{scenario.back[-1]:.2f} s")
            if scenario.name.startswith("a server dies"):
                met = p95 < RECONNECT_TARGET
                ok &= met
                print(f"  reconnect p95 under {RECONNECT_TARGET:g} s: "
                      f"{'MET' if met else 'MISSED'}")
        else:
            print("  no client was cut off")
        if scenario.pages:
            print(f"  a signed-in page asked every second meanwhile, answers: "
                  f"{dict(sorted(scenario.pages.items()))}; a traceback or a bare error page: "
                  f"{'YES' if scenario.traceback else 'none'}")
            ok &= not scenario.traceback
        for note in scenario.notes:
            print(f"  {note}")
            ok = False
    print(f"\nchanges sent {len(sent)}, saved once {len(saved) - len(doubled)}, lost "
          f"{len(lost)}, doubled {len(doubled)}, unacknowledged at the end "
          f"{meeting.unacknowledged()}")
    print(f"deliveries missing (saved, never received without a reload): {missing}")
    print(f"clients at the end: {sum(p.socket is None for p in meeting.people)} not "
          f"connected, {sum(p.resuming for p in meeting.people)} waiting for a replay")
    if errors:
        print(f"errors the clients were shown: {errors[:5]}")
    ok &= not lost and not doubled and not missing and not errors
    print(f"\nnothing lost, doubled or missing: {'MET' if ok else 'MISSED'}")
    return ok


# ---------------------------------------------------------------------------------------------


async def the_meeting(args, rooms, services) -> tuple[Meeting, list[Scenario]]:
    postgres, redis, daphnes, nginx = services
    meeting = Meeting(rooms, f"ws://127.0.0.1:{nginx.port}", args.interval)
    lives = [asyncio.create_task(meeting.live(p)) for p in meeting.people]
    pings = [asyncio.create_task(meeting.ping(p)) for p in meeting.people]
    say(f"{len(meeting.people)} people joining through nginx...")
    if not await wait_until(meeting.everyone_back, 120):
        sys.exit("Not everyone could join the meeting.")
    for person in meeting.people:
        person.back_after.clear()
    talks = [asyncio.create_task(meeting.talk(p)) for p in meeting.people]
    await asyncio.sleep(args.steady)

    page = f"http://127.0.0.1:{nginx.port}/reviews/"
    failures = {
        "kill": lambda: server_dies(meeting, daphnes),
        "redis": lambda: redis_restarts(meeting, redis, args.redis_pause),
        "postgres": lambda: postgres_stops(meeting, postgres, args.outage, page,
                                           rooms[0].cookies[0]),
    }
    scenarios = []
    for name in args.failures:
        say(f"failure: {name}; {meeting.state()}")
        scenarios.append(await failures[name]())
        say(f"after it: {meeting.state()}")
        await asyncio.sleep(args.steady)

    say("everyone stops; waiting for every change to be acknowledged")
    meeting.talking = False
    await asyncio.gather(*talks)
    await wait_until(lambda: meeting.unacknowledged() == 0, args.drain)
    await asyncio.sleep(3)  # the last broadcasts
    meeting.stopping = True
    for person in meeting.people:
        if person.socket is not None:
            await person.socket.close()
    await asyncio.wait(lives, timeout=10)
    for task in pings:
        task.cancel()
    for scenario in scenarios:
        scenario.collect(meeting)
    return meeting, scenarios


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--clients", type=int, default=10, help="people in each room (2+)")
    parser.add_argument("--interval", type=float, default=10.0,
                        help="seconds between one person's comments")
    parser.add_argument("--steady", type=float, default=15.0,
                        help="seconds of plain commenting before, between and after failures")
    parser.add_argument("--outage", type=float, default=10.0,
                        help="seconds PostgreSQL stays stopped")
    parser.add_argument("--redis-pause", type=float, default=2.0,
                        help="seconds between Redis stopping and starting again")
    parser.add_argument("--drain", type=float, default=90.0,
                        help="seconds to wait at the end for every change to be acknowledged")
    parser.add_argument("--failures", nargs="+", choices=["kill", "redis", "postgres"],
                        default=["kill", "redis", "postgres"],
                        help="which failures, in this order (default: all three)")
    parser.add_argument("--keep", type=Path, help="copy the servers' logs to this folder")
    args = parser.parse_args()
    if args.clients < 2 or args.rooms < 1 or args.interval <= 0:
        parser.error("need at least 1 room of 2 people and a positive interval")
    return args


def main() -> int:
    args = arguments()
    with ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="bench-resilience-"))
        folder.chmod(0o755)  # PostgreSQL and nginx's workers run as other users
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        if args.keep:
            stack.callback(lambda: shutil.copytree(folder, args.keep, dirs_exist_ok=True,
                                                   ignore=shutil.ignore_patterns("postgres")))
        say(f"starting PostgreSQL and Redis of its own in {folder}")
        postgres, redis = Postgres(folder), Redis(folder)
        postgres.start()
        stack.callback(postgres.stop)
        redis.start()
        stack.callback(redis.stop)
        os.environ.update(DATABASE_URL=postgres.url, REDIS_URL=redis.url)
        server_environment("resilience")
        os.environ.update(BEHIND_PROXY="1", STATIC_ROOT=str(folder / "static"))
        create_database("resilience")
        say("migrating and seeding the rooms")
        set_up_django()
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)  # as a release does
        rooms = prepare_rooms(args.rooms, args.clients)
        from django.db import connections

        connections.close_all()
        database_url = os.environ["DATABASE_URL"]
        daphnes = [Daphne(free_port(), folder / f"daphne-{n}.log") for n in range(2)]
        for daphne in daphnes:
            stack.callback(daphne.stop)
            daphne.start()
        nginx = Nginx(folder, [d.port for d in daphnes])
        stack.callback(nginx.stop)
        nginx.start()
        meeting, scenarios = asyncio.run(
            the_meeting(args, rooms, (postgres, redis, daphnes, nginx)))
        ok = report(meeting, scenarios, saved_comments(database_url, meeting.run), args)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
