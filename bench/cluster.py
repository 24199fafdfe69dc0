"""A cluster of its own for the resilience and soak runs, on 127.0.0.1 in a temporary
folder: a PostgreSQL cluster (initdb, pg_ctl; never the machine's shared one), a
redis-server, Daphne processes serving the portal, and nginx (Debian's package, with a
config file of its own) balancing them with WebSocket upgrades, as the README's production
section describes. Each can be stopped and started again, which is what the runs do."""

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.servers import DAPHNE, ROOT, START_TIMEOUT, free_port, listening


def wait_listening(port: int, what: str, process: subprocess.Popen | None = None,
                   log: Path | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not listening(port):
        dead = process is not None and process.poll() is not None
        if dead or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            sys.exit(f"{what} did not start on port {port}.\n{tail}")
        time.sleep(0.2)


def stop_process(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


class Postgres:
    """A PostgreSQL cluster of its own (initdb), started and stopped with pg_ctl."""

    def __init__(self, folder: Path):
        self.bin = self.binaries()
        self.data, self.port = folder / "postgres", free_port()
        self.data.mkdir()
        self.log = folder / "postgres.log"
        # PostgreSQL will not run as root: as the postgres user, when this runs as root.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.data, "postgres")
            self.log.touch()
            shutil.chown(self.log, "postgres")
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--no-sync")

    @staticmethod
    def binaries() -> Path:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                       key=lambda p: int(p.parts[-3]))
        if not found:
            sys.exit("PostgreSQL's server binaries are needed: apt-get install postgresql")
        return found[-1].parent

    def run(self, program: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / program), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-o",
                 f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
                 "-c max_connections=200", "start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


class Redis:
    """A redis-server of its own, on its own port, keeping nothing on disk."""

    def __init__(self, folder: Path):
        if not shutil.which("redis-server"):
            sys.exit("redis-server is needed: apt-get install redis-server")
        self.folder, self.port, self.process = folder, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        wait_listening(self.port, "Redis", self.process)

    def stop(self) -> None:
        if self.process:
            stop_process(self.process)


@dataclass
class Daphne:
    port: int
    log: Path
    application: str = "portal.asgi:application"
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(DAPHNE), "-b", "127.0.0.1", "-p", str(self.port), "--proxy-headers",
                 "--access-log", os.devnull, self.application],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_listening(self.port, "Daphne", self.process, self.log)

    def stop(self) -> None:
        if self.process:
            stop_process(self.process)


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {folder}/nginx-body;
    proxy_temp_path {folder}/nginx-proxy;
    fastcgi_temp_path {folder}/nginx-fastcgi;
    uwsgi_temp_path {folder}/nginx-uwsgi;
    scgi_temp_path {folder}/nginx-scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream portal {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_connect_timeout 2s;
            proxy_read_timeout 1h;
        }}
    }}
}}
"""


class Nginx:
    """nginx with a config file of its own, in front of the Daphne processes."""

    def __init__(self, folder: Path, upstreams: list[int]):
        if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
            sys.exit("nginx is needed: apt-get install nginx")
        self.folder, self.port, self.process = folder, free_port(), None
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;"
                            for port in upstreams)
        self.conf = folder / "nginx.conf"
        self.conf.write_text(NGINX_CONF.format(folder=folder, servers=servers, port=self.port))

    def start(self) -> None:
        program = shutil.which("nginx") or "/usr/sbin/nginx"
        self.process = subprocess.Popen(
            [program, "-p", str(self.folder), "-c", str(self.conf)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        wait_listening(self.port, "nginx", self.process, self.folder / "nginx-error.log")

    def stop(self) -> None:
        if self.process:
            stop_process(self.process, signal.SIGQUIT)
