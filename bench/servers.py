"""The portal served for a benchmark on this machine: its PostgreSQL and Redis (never
another machine's), a database of the benchmark's own with Django set up on it, Daphne
processes on free ports, and the CPU each part uses while the load runs."""

import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DAPHNE = Path(sys.executable).with_name("daphne")
LOCAL_HOSTS = {None, "", "127.0.0.1", "localhost", "::1"}
ORIGIN = "http://localhost"  # where the clients' sockets say they come from
START_TIMEOUT = 120


# ---------------------------------------------------------------------------------------------
# The services and the database
# ---------------------------------------------------------------------------------------------


def require_services() -> None:
    """PostgreSQL and Redis on this machine, or a clear refusal."""
    database, redis = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database.startswith(("postgres://", "postgresql://")) or not redis.startswith(
            ("redis://", "unix://")):
        sys.exit("The meeting benchmark measures the room as production runs it, on PostgreSQL "
                 "and Redis. Set both, for example:\n  DATABASE_URL=postgres://postgres@"
                 "127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 make bench")
    for name, url in (("DATABASE_URL", database), ("REDIS_URL", redis)):
        if urlsplit(url).hostname not in LOCAL_HOSTS:
            sys.exit(f"{name} must name a service on this machine (127.0.0.1): the benchmark "
                     "sends its load nowhere else.")


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + name))


def create_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def server_environment(database: str) -> None:
    """Settings for this process and the servers it starts: production-like (DEBUG off, so
    no query log), on the bench database, under their own channel-layer prefix."""
    os.environ.update({
        "DATABASE_URL": database_url(database),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),  # sessions are made here, checked there
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BASE_URL": ORIGIN,  # where the clients' sockets say they come from
        "EMAIL_HOST": "127.0.0.1",  # required with DEBUG off; the benchmark sends no email
        "SECURE_SSL_REDIRECT": "0",
        # A fresh prefix each run: a killed run's consumers stay in their groups for a day.
        "CHANNELS_PREFIX": f"bench-{secrets.token_hex(4)}",
        "CACHE_PREFIX": "bench",
        # Each person comments at a steady pace, up to a comment every 2 s (run A: 30 a
        # minute, the room's limit by default); the limit is not what is measured.
        "ROOM_CHANGES_PER_MINUTE": "600",
    })
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def set_up_django() -> None:
    import django
    from django.core.management import call_command

    sys.path.insert(0, str(ROOT))
    django.setup()
    call_command("migrate", verbosity=0)


# ---------------------------------------------------------------------------------------------
# The servers
# ---------------------------------------------------------------------------------------------


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@contextmanager
def serving(application: str, processes: int, logs: Path, label: str = "server"):
    """`processes` Daphne servers of `application` on 127.0.0.1, each logging to
    LOGS/LABEL-N.log; always stopped."""
    servers = []
    try:
        for n in range(processes):
            name = f"{label}-{n}.log"
            port, log = free_port(), logs / name
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [str(DAPHNE), "-b", "127.0.0.1", "-p", str(port), "--access-log",
                     os.devnull, application],
                    cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            servers.append(Server(port, process, log))
        deadline = time.monotonic() + START_TIMEOUT
        for server in servers:
            while not listening(server.port):
                if server.process.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"The server on port {server.port} did not start; its log:\n"
                             + server.log.read_text(errors="replace")[-3000:])
                time.sleep(0.2)
        yield servers
    finally:
        for server in servers:
            _stop(server.process)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> float:
    """Busy CPU seconds of the whole machine so far (every core), from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq = (
        int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def service_pids(database: str) -> dict[str, list[int]]:
    """The PostgreSQL backends connected to the benchmark's database and the Redis server:
    the work they do for the servers is counted apart from the rest of the machine's."""
    import psycopg
    import redis

    with psycopg.connect(database_url(database)) as postgres:
        backends = [pid for (pid,) in postgres.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database])]
    with redis.Redis.from_url(os.environ["REDIS_URL"]) as client:
        redis_pid = int(client.info("server")["process_id"])
    return {"postgres": backends, "redis": [redis_pid]}


def cpu_of(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(pid)
        except (FileNotFoundError, ProcessLookupError):
            pass  # a backend that ended: its time is lost to the count, not to the machine
    return total


class CpuMeter:
    """Where the machine's CPU went during the load: the servers, this client, PostgreSQL's
    backends for this database, Redis, and everything else (other work on the machine)."""

    def __init__(self, servers: list, database: str):
        self.groups = {"servers": [s.process.pid for s in servers]}
        self.groups.update(service_pids(database))
        self.before, self.since = self.read(), time.perf_counter()

    def read(self) -> dict[str, float]:
        used = {name: cpu_of(pids) for name, pids in self.groups.items()}
        used["client"] = time.process_time()
        used["machine"] = machine_busy()
        return used

    def per_core(self) -> dict[str, float]:
        """Each part's use since the meter started, in cores (2.0 is both cores of two)."""
        after, window = self.read(), time.perf_counter() - self.since
        used = {name: (after[name] - self.before[name]) / window for name in after}
        used["other"] = used["machine"] - sum(v for k, v in used.items() if k != "machine")
        return used
