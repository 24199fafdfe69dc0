"""A council's busiest week: a Locust soak of the portal behind nginx, against a floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        make soak                      # or: .venv/bin/python -m bench.soak --help

It creates (once) and seeds its own database (`bench_soak`, --database): an authority of
--children (3,000) children made by bench/seed_large.py, with parents signed up for some of
them. Then it starts two Daphne processes (DEBUG off) behind nginx (its own config file, as
bench/resilience.py starts it), and the django-q2 cluster, which sends the day's chasers and
builds exports meanwhile; and runs Locust headless (bench/soak_locustfile.py) with --users
(200) people in realistic proportions and think times (coordinators, an SEND lead,
professionals, parents) for --minutes (30). Each page a person opens is followed by its
floor: a bare Django view that renders a table of the same rows and cells through the same
base template, behind the same proxy and middleware, in the same run (bench/floor.py).

It prints: requests, errors and 5xx; for each page, p50 and p95 and its floor's p95, the
ratio and the target (3x); and each server process's memory (RSS) over time, with its growth
after warm-up (the first fifth of the run; target: 10% at most). Exit status 1 when a target
is missed. Everything it starts, it stops.
"""

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

from bench.cluster import Daphne, Nginx, stop_process
from bench.resilience import say
from bench.rooms import enrolled_in_two_step, signed_in_cookie
from bench.seed_large import DOMAIN, prepare, require_postgres, seed
from bench.servers import ROOT, free_port

FLOOR_TARGET = 3.0
MEMORY_TARGET = 0.10  # growth after warm-up
LOCUST = Path(sys.executable).with_name("locust")


# ---------------------------------------------------------------------------------------------
# Who takes part
# ---------------------------------------------------------------------------------------------


def parents(how_many: int) -> list:
    """Parents signed up for the first children with a review open: made once."""
    from agencies.models import User
    from reviews.models import FamilyMember, Review

    made = []
    open_reviews = Review.objects.open().select_related("plan__child").order_by("id")
    for n, review in enumerate(open_reviews[:how_many]):
        email = f"soak.parent.{n:04d}@{DOMAIN}"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=None, first_name="Parent", last_name=str(n))
        FamilyMember.objects.get_or_create(child=review.plan.child, user=user,
                                           defaults={"name": str(user), "email": email})
        made.append((user, [str(review.pk)]))
    return made


def people(lead, per_kind: int) -> dict[str, list]:
    """Signed-in sessions for each persona, with the reviews each may open."""
    from django.db.models import Count

    from agencies.models import User
    from reviews.models import Invitation, Review

    def entry(user, reviews, professional=True):
        if professional:
            enrolled_in_two_step(user)  # or every page sends them to enrol first
        return {"cookie": signed_in_cookie(user), "reviews": reviews}

    coordinators = User.objects.annotate(n=Count("coordinated_reviews")).filter(
        n__gt=0).order_by("pk")[:per_kind]
    professionals = User.objects.order_by("pk").filter(
        pk__in=Invitation.objects.filter(
            review__in=Review.objects.open(), user__isnull=False,
            role__in=[Invitation.Role.HEALTH, Invitation.Role.SOCIAL_CARE,
                      Invitation.Role.PROFESSIONAL]).values("user_id"))[:per_kind]

    def open_reviews(**where):
        return [str(pk) for pk in Review.objects.open().filter(**where).values_list(
            "pk", flat=True)[:20]]

    return {
        "lead": [entry(lead, [])],
        "coordinator": [entry(u, open_reviews(coordinator=u)) for u in coordinators],
        "professional": [entry(u, open_reviews(invitations__user=u)) for u in professionals],
        "parent": [entry(u, reviews, professional=False) for u, reviews in parents(per_kind)],
    }


# ---------------------------------------------------------------------------------------------
# Memory per process over time
# ---------------------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the q2 cluster's workers), in MB."""
    total, pids = 0.0, [pid]
    while pids:
        current = pids.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pids.extend(int(child) for child in children)
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


class MemoryWatch(threading.Thread):
    def __init__(self, processes: dict[str, subprocess.Popen], every: float):
        super().__init__(daemon=True)
        self.processes, self.every = processes, every
        self.samples: list[tuple[float, dict[str, float]]] = []
        self.done = threading.Event()

    def run(self):
        started = time.monotonic()
        while not self.done.is_set():
            self.samples.append((time.monotonic() - started,
                                 {name: rss_mb(p.pid) for name, p in self.processes.items()}))
            self.done.wait(self.every)

    def growth(self, warm_up: float) -> dict[str, tuple[float, float, float]]:
        """Each process: (MB after warm-up, MB at the end, growth)."""
        after = [s for at, s in self.samples if at >= warm_up] or [self.samples[-1][1]]
        return {name: (after[0][name], after[-1][name],
                       (after[-1][name] - after[0][name]) / max(after[0][name], 1e-9))
                for name in self.processes}


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


def read_stats(prefix: Path) -> tuple[dict[str, dict], list[dict]]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        stats = {row["Name"]: row for row in csv.DictReader(handle)}
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv", newline="") as handle:
            failures = list(csv.DictReader(handle))
    return stats, failures


def background_work(since) -> str:
    """What the django-q2 cluster did during the run: exports asked for and built, and its
    jobs (chasers, email, exports) that succeeded or failed."""
    from django.db.models import Count
    from django_q.models import Failure, Success

    from accountability.models import ExportJob

    exports = dict(ExportJob.objects.filter(created_at__gte=since).values_list("status")
                   .annotate(n=Count("pk")))
    return (f"exports asked for in the run, by state: {exports or 'none'}; jobs run: "
            f"{Success.objects.filter(started__gte=since).count()} succeeded, "
            f"{Failure.objects.filter(started__gte=since).count()} failed")


def report(stats: dict, failures: list, memory: MemoryWatch, args, background: str) -> bool:
    total = stats.pop("Aggregated")
    errors = sum(int(f["Occurrences"]) for f in failures)
    server_errors = sum(int(f["Occurrences"]) for f in failures
                        if f["Error"].strip().startswith("5") or " 5" in f["Error"][:40])
    print(f"\nSoak, {time.strftime('%Y-%m-%d %H:%M')}: {args.users} people for {args.minutes:g} "
          f"min through nginx to 2 Daphne processes and a django-q2 cluster, PostgreSQL + "
          f"Redis; {os.cpu_count()} cores")
    print(f"requests {int(total['Request Count']):,}, errors {errors}, 5xx {server_errors}")
    for failure in failures[:10]:
        print(f"  {failure['Occurrences']} x {failure['Name']}: {failure['Error'][:120]}")
    print(background)
    ok = errors == 0 and server_errors == 0
    pages = sorted(name for name in stats if not name.startswith("floor: "))
    width = max((len(name) for name in pages), default=10)
    print(f"\n{'page':<{width}}  requests     p50      p95  floor p95  ratio  target  result")
    for name in pages:
        row, floor = stats[name], stats.get(f"floor: {name}")
        p95 = float(row["95%"])
        line = (f"{name:<{width}}  {int(row['Request Count']):>8}  {float(row['50%']):>5.0f} ms "
                f"{p95:>5.0f} ms")
        if floor and float(floor["95%"]) > 0:
            ratio = p95 / float(floor["95%"])
            met = ratio <= FLOOR_TARGET
            ok &= met
            line += (f"  {float(floor['95%']):>6.0f} ms  {ratio:>5.2f}  <= {FLOOR_TARGET:g}x  "
                     f"{'met' if met else 'MISSED'}")
        else:
            line += "  (no floor: a download, or no page came)"
        print(line)
    warm_up = args.minutes * 60 / 5
    print(f"\nmemory (RSS, MB) after warm-up ({warm_up:.0f} s) and at the end:")
    for name, (start, end, growth) in memory.growth(warm_up).items():
        met = growth <= MEMORY_TARGET
        ok &= met
        print(f"  {name}: {start:.0f} -> {end:.0f} ({growth:+.1%}; target at most "
              f"+{MEMORY_TARGET:.0%}): {'met' if met else 'MISSED'}")
    print("memory over time (s: " + ", ".join(memory.processes) + "):")
    step = max(1, len(memory.samples) // 12)
    for at, sample in memory.samples[::step]:
        print(f"  {at:>6.0f}: " + ", ".join(f"{mb:.0f}" for mb in sample.values()))
    print(f"\nevery target: {'MET' if ok else 'MISSED'}")
    return ok


# ---------------------------------------------------------------------------------------------


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="people arriving a second")
    parser.add_argument("--children", type=int, default=3000)
    parser.add_argument("--database", default="bench_soak")
    parser.add_argument("--keep", type=Path, help="copy the logs and Locust's CSVs here")
    args = parser.parse_args()
    if not 0 < args.minutes <= 120 or not 1 <= args.users <= 1000:
        parser.error("--minutes 0 to 120, --users 1 to 1000")
    return args


def main() -> int:
    args = arguments()
    require_postgres()
    if not os.environ.get("REDIS_URL", "").startswith("redis://127.0.0.1"):
        sys.exit("The soak runs on PostgreSQL and Redis: set REDIS_URL=redis://127.0.0.1:...")
    with ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="bench-soak-"))
        folder.chmod(0o755)  # nginx's workers run as another user
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        if args.keep:
            stack.callback(lambda: shutil.copytree(folder, args.keep, dirs_exist_ok=True))
        os.environ.update(STATIC_ROOT=str(folder / "static"), MEDIA_ROOT=str(folder / "media"),
                          BEHIND_PROXY="1")
        say(f"preparing {args.database!r}: {args.children:,} children")
        prepare(args.database)
        lead = seed(args.children)
        from django.core.management import call_command
        from django.db import connections

        call_command("collectstatic", interactive=False, verbosity=0)  # as a release does
        roster = people(lead, per_kind=max(10, args.users // 2))
        connections.close_all()
        people_file = folder / "people.json"
        people_file.write_text(json.dumps(roster))

        daphnes = [Daphne(free_port(), folder / f"daphne-{n}.log", "bench.soak_asgi:application")
                   for n in range(2)]
        for daphne in daphnes:
            stack.callback(daphne.stop)
            daphne.start()
        with (folder / "qcluster.log").open("ab") as out:
            jobs = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT,
                                    stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        stack.callback(stop_process, jobs)
        nginx = Nginx(folder, [d.port for d in daphnes])
        stack.callback(nginx.stop)
        nginx.start()

        processes = {f"daphne {n}": d.process for n, d in enumerate(daphnes)}
        processes["django-q2 cluster"] = jobs
        memory = MemoryWatch(processes, every=max(5.0, args.minutes * 60 / 120))
        memory.start()
        from django.utils import timezone

        started = timezone.now()
        say(f"Locust: {args.users} people for {args.minutes:g} min")
        subprocess.run(
            [str(LOCUST), "-f", str(ROOT / "bench" / "soak_locustfile.py"), "--headless",
             "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
             "--run-time", f"{int(args.minutes * 60)}s", "--host",
             f"http://127.0.0.1:{nginx.port}", "--csv", str(folder / "soak"), "--only-summary",
             "--loglevel", "WARNING"],
            cwd=ROOT, env={**os.environ, "SOAK_PEOPLE": str(people_file)},
            stdout=subprocess.DEVNULL, stderr=(folder / "locust.log").open("wb"))
        memory.done.set()
        memory.join()
        stats, failures = read_stats(folder / "soak")
        ok = report(stats, failures, memory, args, background_work(started))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
