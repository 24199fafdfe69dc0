"""Meeting-room fan-out: R rooms of M people over real WebSockets, the portal against floors.

Each person sends a comment at a steady rate; everyone in the room (the sender too) must get
it. The same load runs three times in one go, against servers this script starts on
127.0.0.1:
  1. the portal's meeting room (portal.asgi: session, access check, change written to the
     review's event log in PostgreSQL, broadcast through Redis),
  2. the durable floor (bench/bare_asgi.py, /ws/durable/): each frame written as one row,
     committed, then relayed, through the same database settings and channel layer,
  3. the bare floor (bench/bare_asgi.py, /ws/bare/): relay only, same channel layer,
and it prints, for each, delivered messages per second, latency from send to every receiver
(p50, p95, p99), what was lost or doubled, the portal's ratios to both floors, and the
issue's targets (against the durable floor) met or missed.

Needs PostgreSQL and Redis on this machine, as production has:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        make bench                       # or: .venv/bin/python -m bench.meeting_fanout --help

It creates (once) and migrates its own database, `bench` unless --database says otherwise,
seeds the rooms through the portal's models and action functions, and stops by itself.
"""

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.rooms import Room, forget_sessions, prepare_rooms
from bench.servers import (
    ORIGIN,
    CpuMeter,
    Server,
    create_database,
    require_services,
    server_environment,
    serving,
    set_up_django,
)

CONNECT_AT_ONCE = 20  # connections opened in parallel: a crowd arriving, not a stampede
CONNECT_TRIES = 3
CLOSE_TIMEOUT = 30
TAG = "bench"


# ---------------------------------------------------------------------------------------------
# The two kinds of room, as a client sees them
# ---------------------------------------------------------------------------------------------


def change_frame(item_id: int, key: str, text: str) -> str:
    return json.dumps({"type": "change", "v": 1, "change": "comment.add", "key": key,
                       "payload": {"item": item_id, "text": text}})


class PortalRoom:
    key, name = "portal", "portal meeting room"
    application = "portal.asgi:application"

    @staticmethod
    def path(room: Room) -> str:
        return f"/ws/reviews/{room.review_id}/room/"

    @staticmethod
    def read(message: dict):
        """('delivery', text, seq), ('ack', key, seq), ('error', why, None) or None."""
        kind = message.get("type")
        if kind == "event" and message["event"]["kind"] == "comment.added":
            return "delivery", message["event"]["data"]["text"], message["event"]["seq"]
        if kind == "ack":
            return "ack", message["key"], message["seq"]
        if kind in ("error", "conflict"):
            return "error", message.get("error", kind), None
        return None


class BareRoom:
    key, name = "bare", "bare Channels broadcast"
    application = "bench.bare_asgi:application"

    @classmethod
    def path(cls, room: Room) -> str:
        return f"/ws/{cls.key}/{room.review_id}/"

    @staticmethod
    def read(message: dict):
        return "delivery", message["payload"]["text"], None


class DurableRoom(BareRoom):
    key, name = "durable", "durable floor (one INSERT committed, then relayed)"


def empty_durable_table() -> None:
    """The durable floor's table, made once and emptied for each run."""
    from django.db import connection

    from bench.bare_asgi import CREATE_TABLE, TABLE

    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
        cursor.execute(f"TRUNCATE {TABLE}")


SIDES = (PortalRoom, DurableRoom, BareRoom)


# ---------------------------------------------------------------------------------------------
# The load
# ---------------------------------------------------------------------------------------------


def percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


class Load:
    """One round of one side: every client of every room, their sends, and everything they
    receive."""

    def __init__(self, side, rooms: list[Room], servers: list[Server], args):
        self.side, self.rooms, self.servers, self.args = side, rooms, servers, args
        self.people = len(rooms[0].cookies)
        self.run = uuid.uuid4().hex[:8]
        self.sent_at: dict[str, float] = {}  # message id -> when it was sent
        self.key_of: dict[str, str] = {}  # idempotency key -> message id
        self.acked: dict[str, int] = {}  # message id -> the seq its sender was given
        self.received = [Counter() for _ in range(len(rooms) * self.people)]
        self.seq_seen: dict[tuple[int, str], int] = {}  # (client, message) -> seq delivered
        self.highest = [0] * len(self.received)
        self.latencies: list[float] = []
        self.first_copies = 0
        self.out_of_order = 0
        self.errors = Counter()
        self.dropped = 0
        self.late_sends = 0
        self.lags: list[float] = []
        self.stopping = False
        self.start = self.last_delivery = 0.0
        self.cpu: dict[str, float] = {}
        self.reconnects = 0

    def url(self, client: int) -> str:
        room = self.rooms[client // self.people]
        server = self.servers[client % len(self.servers)]  # a room spans every process
        return f"ws://127.0.0.1:{server.port}{self.side.path(room)}"

    async def connect(self, client: int, gate: asyncio.Semaphore):
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidHandshake

        cookie = self.rooms[client // self.people].cookies[client % self.people]
        async with gate:
            for attempt in range(CONNECT_TRIES):
                try:
                    return await connect(self.url(client), origin=ORIGIN,
                                         additional_headers={"Cookie": cookie},
                                         compression=None, ping_interval=None, open_timeout=60,
                                         close_timeout=5)
                except (InvalidHandshake, OSError):
                    if attempt == CONNECT_TRIES - 1:
                        raise
                    self.reconnects += 1  # as a browser would, after a moment
                    await asyncio.sleep(1 + attempt)

    async def listen(self, client: int, socket):
        from websockets.exceptions import ConnectionClosed

        try:
            async for frame in socket:
                self.take(client, json.loads(frame), time.perf_counter())
        except ConnectionClosed:
            pass
        if not self.stopping:
            self.dropped += 1

    def take(self, client: int, message: dict, now: float):
        got = self.side.read(message)
        if got is None:
            return
        what, value, seq = got
        if what == "ack":
            if value in self.key_of:
                self.acked[self.key_of[value]] = seq
            return
        if what == "error":
            self.errors[value] += 1
            return
        tag, run, message_id = (value.split(" ") + ["", "", ""])[:3]
        if tag != TAG or run != self.run:
            return
        copies = self.received[client]
        copies[message_id] += 1
        if copies[message_id] == 1:
            self.first_copies += 1
            self.latencies.append(now - self.sent_at[message_id])
            self.last_delivery = now
        if seq is not None:
            self.seq_seen[(client, message_id)] = seq
            if seq < self.highest[client]:
                self.out_of_order += 1  # a browser would see a gap and ask for a replay
            self.highest[client] = max(self.highest[client], seq)

    async def talk(self, client: int, socket, start: float, end: float):
        """One comment every `interval` seconds, from a random point in the first interval."""
        interval = self.args.interval
        room = self.rooms[client // self.people]
        at, n = start + random.uniform(0, interval), 0
        while at < end:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            if time.perf_counter() - at > interval / 2:
                self.late_sends += 1  # this client process could not keep up
            message_id, key = f"{client}.{n}", uuid.uuid4().hex
            self.key_of[key] = message_id
            self.sent_at[message_id] = time.perf_counter()
            await socket.send(change_frame(room.item_id, key, f"{TAG} {self.run} {message_id}"))
            at, n = at + interval, n + 1

    async def watch_loop(self):
        """How late this client's own event loop runs: if it lags, so do the latencies."""
        while not self.stopping:
            before = time.perf_counter()
            await asyncio.sleep(0.05)
            self.lags.append(time.perf_counter() - before - 0.05)

    async def run_load(self) -> "Load":
        clients = len(self.received)
        gate = asyncio.Semaphore(CONNECT_AT_ONCE)
        print(f"  connecting {clients} clients...", file=sys.stderr, flush=True)
        sockets = await asyncio.gather(*(self.connect(c, gate) for c in range(clients)))
        listeners = [asyncio.create_task(self.listen(c, s)) for c, s in enumerate(sockets)]
        watcher = asyncio.create_task(self.watch_loop())
        await asyncio.sleep(self.args.settle)  # arrivals and their presence news die down

        meter = CpuMeter(self.servers, self.args.database)
        self.start = time.perf_counter() + 0.5
        end = self.start + self.args.duration
        print(f"  sending for {self.args.duration:g} s...", file=sys.stderr, flush=True)
        await asyncio.gather(*(self.talk(c, s, self.start, end) for c, s in enumerate(sockets)))
        # A delivery still missing once --drain has passed since the last send is lost.
        drain_until = time.perf_counter() + self.args.drain
        while self.first_copies < self.expected and time.perf_counter() < drain_until:
            await asyncio.sleep(0.1)
        self.cpu = meter.per_core()

        self.stopping = True
        await asyncio.wait([asyncio.create_task(s.close()) for s in sockets],
                           timeout=CLOSE_TIMEOUT)
        await asyncio.wait(listeners + [watcher], timeout=CLOSE_TIMEOUT)
        for task in listeners:
            if task.done() and task.exception():
                raise task.exception()  # a fault in this script, not in the servers
        return self

    @property
    def expected(self) -> int:
        return len(self.sent_at) * self.people

    def seq_problems(self) -> int:
        """Deliveries whose seq is not the one the sender was acknowledged with, and two
        messages of one room acknowledged with the same seq."""
        wrong = sum(1 for (_, message), seq in self.seq_seen.items()
                    if self.acked.get(message) not in (None, seq))
        by_room = Counter((int(m.split(".")[0]) // self.people, seq)
                          for m, seq in self.acked.items())
        return wrong + sum(n - 1 for n in by_room.values() if n > 1)


@dataclass
class Result:
    """One side's rounds, added together."""

    name: str
    key: str
    rounds: int
    connections: int
    sent: int
    expected: int
    delivered: int
    duplicated: int
    lost: int
    per_second: float
    latency_ms: dict
    unacknowledged: int = 0
    seq_problems: int = 0
    out_of_order: int = 0
    errors: Counter = field(default_factory=Counter)
    dropped: int = 0
    reconnects: int = 0
    cpu: dict = field(default_factory=dict)
    loop_lag_ms: float = 0.0
    late_sends: int = 0

    @classmethod
    def of(cls, loads: list[Load]) -> "Result":
        first, portal = loads[0], loads[0].side is PortalRoom
        delivered = sum(load.first_copies for load in loads)
        copies = sum(sum(c.values()) for load in loads for c in load.received)
        expected = sum(load.expected for load in loads)
        span = sum(max(1e-9, load.last_delivery - load.start) for load in loads)
        ordered = sorted(x for load in loads for x in load.latencies)
        cpu = {part: sum(load.cpu[part] for load in loads) / len(loads) for part in first.cpu}
        return cls(
            name=first.side.name, key=first.side.key, rounds=len(loads),
            connections=len(first.received),
            sent=sum(len(load.sent_at) for load in loads), expected=expected,
            delivered=delivered, duplicated=copies - delivered, lost=expected - delivered,
            per_second=delivered / span,
            latency_ms={p: percentile(ordered, p) * 1000 for p in (50, 95, 99, 100)},
            unacknowledged=sum(len(load.sent_at) - len(load.acked) for load in loads)
            if portal else 0,
            seq_problems=sum(load.seq_problems() for load in loads) if portal else 0,
            out_of_order=sum(load.out_of_order for load in loads),
            errors=sum((load.errors for load in loads), Counter()),
            dropped=sum(load.dropped for load in loads),
            reconnects=sum(load.reconnects for load in loads), cpu=cpu,
            loop_lag_ms=percentile(sorted(x for load in loads for x in load.lags), 99) * 1000,
            late_sends=sum(load.late_sends for load in loads))


def schedule(rounds: int, sides: list) -> list:
    """The sides in turn, ABBA: on a machine others use too, neither side keeps the quiet
    (or the busy) moments to itself."""
    order = []
    for n in range(rounds):
        order += sides if n % 2 == 0 else sides[::-1]
    return order


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


def describe(result: Result) -> str:
    latency, cpu = result.latency_ms, result.cpu
    lines = [
        f"{result.name}" + (f" ({result.rounds} rounds)" if result.rounds > 1 else ""),
        f"  {result.connections} connections; {result.sent} sent, {result.delivered} of "
        f"{result.expected} deliveries arrived ({result.per_second:.0f} a second)",
        f"  latency send -> every receiver: p50 {latency[50]:.1f} ms, p95 {latency[95]:.1f} ms,"
        f" p99 {latency[99]:.1f} ms, max {latency[100]:.1f} ms",
        f"  lost {result.lost}, duplicated {result.duplicated}, connections dropped "
        f"{result.dropped}, handshakes tried again {result.reconnects}",
    ]
    if result.name == PortalRoom.name:
        lines.append(f"  unacknowledged {result.unacknowledged}, seq problems "
                     f"{result.seq_problems}, arrived after a later seq {result.out_of_order}")
    if result.errors:
        lines.append(f"  errors: {dict(result.errors.most_common(5))}")
    lines.append(
        f"  CPU, in cores: servers {cpu['servers']:.2f}, PostgreSQL {cpu['postgres']:.2f}, "
        f"Redis {cpu['redis']:.2f}, this client {cpu['client']:.2f}, other work on the "
        f"machine {cpu['other']:.2f} (machine {cpu['machine']:.2f} of {os.cpu_count()})")
    lines.append(f"  client loop lag p99 {result.loop_lag_ms:.1f} ms; late sends "
                 f"{result.late_sends}")
    return "\n".join(lines)


STRESS_INTERVAL = 2.0  # seconds between one person's comments at the stress rate


def ratios(portal: Result, floor: Result) -> str:
    return (f"portal / {floor.key}: p95 {portal.latency_ms[95] / floor.latency_ms[95]:.2f}, "
            f"deliveries a second {portal.per_second / floor.per_second:.2f}")


def verdict(portal: Result, durable: Result, args) -> tuple[str, bool]:
    """The issue's targets, against the durable floor: nothing lost or doubled at any rate;
    at the stress rate (a comment every 2 s or faster) at least 90% of the floor's
    deliveries a second, and at slower rates (10 s) a p95 within 1.5 times the floor's."""
    intact = (portal.lost == durable.lost == 0 and portal.duplicated == durable.duplicated == 0
              and portal.seq_problems == 0)
    if args.interval <= STRESS_INTERVAL:
        ratio, limit = portal.per_second / durable.per_second, args.throughput_target
        met, what = intact and ratio >= limit, f"deliveries a second at least {limit:g} x"
    else:
        ratio, limit = portal.latency_ms[95] / durable.latency_ms[95], args.latency_target
        met, what = intact and ratio <= limit, f"p95 at most {limit:g} x"
    return (f"target ({what} the durable floor's, nothing lost or doubled): ratio {ratio:.2f}, "
            f"{'MET' if met else 'MISSED'}"), met


# ---------------------------------------------------------------------------------------------


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--clients", type=int, default=10, help="people in each room (2+)")
    parser.add_argument("--interval", type=float, default=2.0,
                        help="seconds between one person's comments")
    parser.add_argument("--duration", type=float, default=60.0,
                        help="seconds of load per side and round")
    parser.add_argument("--rounds", type=int, default=1,
                        help="rounds per side, taken in turn (ABBA); more is fairer on a "
                             "machine that other work shares")
    parser.add_argument("--processes", type=int, default=2, help="server processes per side")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds between the last arrival and the first comment")
    parser.add_argument("--drain", type=float, default=30.0,
                        help="how long after the last comment a delivery may still arrive; "
                             "one that has not by then is lost")
    parser.add_argument("--database", default="bench")
    parser.add_argument("--only", choices=[side.key for side in SIDES], action="append",
                        help="run this side (repeat for several); default all three")
    parser.add_argument("--latency-target", type=float, default=1.5,
                        help="slower than the stress rate: the most the portal's p95 may be, "
                             "as a multiple of the durable floor's")
    parser.add_argument("--throughput-target", type=float, default=0.9,
                        help="at the stress rate: the least the portal's deliveries a second "
                             "may be, as a share of the durable floor's")
    parser.add_argument("--logs", type=Path, help="keep the servers' logs in this folder")
    parser.add_argument("--portal-app", default=PortalRoom.application,
                        help="the ASGI application to serve as the portal, to measure a variant")
    args = parser.parse_args()
    if args.clients < 2 or args.rooms < 1 or args.processes < 1 or args.interval <= 0:
        parser.error("need at least 1 room of 2 people, 1 process and a positive interval")
    if not 0 < args.duration <= 600 or not 1 <= args.rounds <= 10:
        parser.error("--duration must be more than 0 and at most 600 seconds, --rounds 1 to 10")
    return args


def main() -> int:
    args = arguments()
    require_services()
    server_environment(args.database)
    print(f"Preparing the {args.database!r} database and {args.rooms} rooms of "
          f"{args.clients}...", file=sys.stderr, flush=True)
    create_database(args.database)
    set_up_django()
    rooms = prepare_rooms(args.rooms, args.clients)
    empty_durable_table()
    sides = [s for s in SIDES if not args.only or s.key in args.only]
    loads = {side: [] for side in sides}
    load_average = os.getloadavg()[0]
    try:
        with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
            logs = args.logs or Path(scratch)
            logs.mkdir(parents=True, exist_ok=True)
            for side in schedule(args.rounds, sides):
                print(f"{side.name}: {args.processes} server processes, round "
                      f"{len(loads[side]) + 1}", file=sys.stderr, flush=True)
                application = args.portal_app if side is PortalRoom else side.application
                label = f"{side.key}-round{len(loads[side]) + 1}"
                with serving(application, args.processes, logs, label) as servers:
                    loads[side].append(asyncio.run(Load(side, rooms, servers, args).run_load()))
    finally:
        forget_sessions(rooms)

    results = {side: Result.of(loads[side]) for side in sides}
    print(f"\nMeeting fan-out, {time.strftime('%Y-%m-%d %H:%M')}: {args.rooms} rooms x "
          f"{args.clients} people, one comment each every {args.interval:g} s for "
          f"{args.duration:g} s x {args.rounds} round(s) per side, {args.processes} server "
          f"processes per side, {os.cpu_count()} cores, PostgreSQL + Redis; load average "
          f"{load_average:.1f} at the start\n")
    for result in results.values():
        print(describe(result) + "\n")
    portal = results.get(PortalRoom)
    for floor in (DurableRoom, BareRoom):
        if portal and floor in results:
            print(ratios(portal, results[floor]))
    if portal and DurableRoom in results:
        line, met = verdict(portal, results[DurableRoom], args)
        print(line)
        return 0 if met else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
