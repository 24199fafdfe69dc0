"""What one change in the meeting room costs, measured in one process without the network.

Times N comments (`comment.add`) through exactly the room consumer's path for a change:
`ReviewRoomConsumer.allowed_change` (the access rule asked again, then `apply_change` inside
`held_broadcasts`), called as the consumer calls it (`await self.database(...)`, on the
room's threads, with a pooled connection taken and given back each time). It reports, per
change: this process's CPU, the CPU of PostgreSQL's backends for the database, wall time,
and the statements sent (BEGIN and COMMIT not included: psycopg sends them itself).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python -m bench.room_change_cost [--changes 500] [--gap 0.05] [--profile 25]

It creates (once) and migrates its own database, `bench_change` unless --database says
otherwise, and seeds one room as bench/meeting_fanout.py seeds its rooms. Nothing is sent
to Redis (the deliveries are collected, as the consumer collects them, and dropped).
"""

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
import uuid

from bench.servers import (
    cpu_of,
    create_database,
    require_services,
    server_environment,
    service_pids,
    set_up_django,
)


def room_consumer(user, review_id):
    """The room consumer as a person's connection leaves it once they are in."""
    from reviews.consumers import ReviewRoomConsumer

    consumer = ReviewRoomConsumer()
    consumer.scope = {"user": user, "url_route": {"kwargs": {"review_id": review_id}}}
    consumer.review_id = review_id
    consumer.check_access(audit_read=False)
    return consumer


class StatementCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


async def run(consumers, item_id, changes: int, counter: StatementCounter, profiler=None,
              gap: float = 0):
    """Each change from the next person in turn, awaited as the consumer awaits it, `gap`
    seconds apart."""
    from django.db import connections

    def counted(consumer):
        def change(*args):
            if profiler:  # in the room's thread: a profiler sees only its own thread
                profiler.enable()
            try:
                with connections["default"].execute_wrapper(counter):
                    return consumer.allowed_change(*args)
            finally:
                if profiler:
                    profiler.disable()
        return change

    walls = []
    for n in range(changes):
        consumer = consumers[n % len(consumers)]
        payload = {"item": item_id, "text": f"Comment {n} from the cost benchmark."}
        started = time.perf_counter()
        result, deliveries = await consumer.database(counted(consumer))(
            "comment.add", payload, uuid.uuid4().hex)
        walls.append(time.perf_counter() - started)
        assert result is not None and result.seq and len(deliveries) == 1, (result, deliveries)
        await asyncio.sleep(gap)
    return walls


def measure(consumers, item_id, changes: int, database: str, profile: int | None,
            gap: float, batches: int = 5):
    """In batches, each figure the median batch's: other work on the machine comes and
    goes, and a batch it fell on should not decide the figure."""
    counter = StatementCounter()
    asyncio.run(run(consumers, item_id, 20, counter))  # warm: pool, caches, imports
    counter.count = 0
    backends = service_pids(database)["postgres"]
    # CPU time of the thread it runs in: waiting for the database is not counted.
    profiler = cProfile.Profile(time.thread_time) if profile else None
    walls, cpu, postgres = [], [], []
    size = max(1, changes // batches)
    for _ in range(batches):
        postgres_before, cpu_before = cpu_of(backends), time.process_time()
        walls += asyncio.run(run(consumers, item_id, size, counter, profiler, gap))
        cpu.append((time.process_time() - cpu_before) / size)
        postgres.append((cpu_of(backends) - postgres_before) / size)
    changes = size * batches
    walls.sort()
    figures = {
        "cpu_ms": 1000 * statistics.median(cpu),
        "postgres_ms": 1000 * statistics.median(postgres),
        "wall_p50_ms": 1000 * statistics.median(walls),
        "wall_p95_ms": 1000 * walls[int(0.95 * (len(walls) - 1))],
        "statements": counter.count / changes,
    }
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(profile)
        stats.sort_stats("cumulative").print_stats(profile)
        figures["profile"] = out.getvalue()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=500, help="comments per person kind")
    parser.add_argument("--clients", type=int, default=10, help="people in the room")
    parser.add_argument("--database", default="bench_change")
    parser.add_argument("--server-side-binding", action="store_true",
                        help="measure with psycopg's server-side binding and prepared statements "
                             "(OPTIONS server_side_binding, prepare_threshold 5)")
    parser.add_argument("--gap", type=float, default=0, metavar="SECONDS",
                        help="wait between changes, as a real room does (0: back to back, "
                             "with the CPU's caches warm from the change before)")
    parser.add_argument("--profile", type=int, metavar="LINES",
                        help="profile the changes (cProfile) and print this many lines")
    args = parser.parse_args()
    require_services()
    server_environment(args.database)
    create_database(args.database)
    set_up_django()
    if args.server_side_binding:
        from django.db import connections

        connections["default"].close()
        connections["default"].close_pool()
        connections["default"].settings_dict["OPTIONS"].update(
            server_side_binding=True, prepare_threshold=5)

    from bench.rooms import seed

    [(review_id, item_id, users)] = seed(1, args.clients)
    kinds = {"coordinator": users[:1], "parent": users[1:2], "invited professionals": users[2:]}
    print(f"Room change cost, {time.strftime('%Y-%m-%d %H:%M')}: {args.changes} comments per "
          f"kind of person in 5 batches, {args.gap:g} s apart (CPU: the median batch's), "
          f"PostgreSQL, "
          f"{args.database!r} database, load average {os.getloadavg()[0]:.1f}\n")
    print(f"{'who':<24}{'CPU ms':>8}{'PG ms':>8}{'wall p50':>10}{'wall p95':>10}"
          f"{'statements':>12}")
    for kind, people in kinds.items():
        consumers = [room_consumer(user, review_id) for user in people]
        figures = measure(consumers, item_id, args.changes, args.database, args.profile,
                          args.gap)
        print(f"{kind:<24}{figures['cpu_ms']:>8.2f}{figures['postgres_ms']:>8.2f}"
              f"{figures['wall_p50_ms']:>10.2f}{figures['wall_p95_ms']:>10.2f}"
              f"{figures['statements']:>12.1f}", flush=True)
        if "profile" in figures:
            print(figures["profile"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
