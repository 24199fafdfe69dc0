"""`bin/serve` (what `make run` runs) stops as a service manager stops it, and loses no work.

The real processes run here: the script, Daphne and the django-q2 cluster, on a database
of their own in a temporary folder, sending their email to a small SMTP server in this
test that holds each connection before greeting it, so a job is caught mid-send.
"""

import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STOP_WITHIN = 10  # seconds: systemd's and Kubernetes' usual grace before SIGKILL
START_WITHIN = 180  # the processes import the whole portal; a busy machine is slow

# The subprocesses' database: every table made straight from the models (no migrations to
# replay: seconds instead of most of a minute), then one email queued, which queues its job.
PREPARE = """
import django
django.setup()
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
call_command("migrate", run_syncdb=True, verbosity=0)
from outbox.mail import queue_email
with transaction.atomic():
    queue_email("clean-stop-1", "parent@test.example", "Your child's review", "Hello.")
"""


class HeldMail(socketserver.ThreadingTCPServer):
    """Enough SMTP for Django's backend. The n-th connection waits `holds[n]` seconds (the
    last for later ones) before the greeting; a message counts once its data is in."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, holds):
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.holds, self.connections, self.messages = holds, 0, []
        self.connected, self.closing = threading.Event(), threading.Event()


class SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self):
        server = self.server
        hold = server.holds[min(server.connections, len(server.holds) - 1)]
        server.connections += 1
        server.connected.set()
        if server.closing.wait(hold):
            return
        self.reply("220 test ready")
        for line in iter(self.rfile.readline, b""):
            command = line.strip().split(b" ", 1)[0].upper()
            if command == b"DATA":
                self.reply("354 go on")
                data = b"".join(iter(self.rfile.readline, b".\r\n"))
                server.messages.append(data)
                self.reply("250 queued")
            elif command == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")

    def reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def processes_of(var_dir):
    """Every process started for this test (each inherits its VAR_DIR)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"VAR_DIR={var_dir}".encode() in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            pass  # gone meanwhile, or not ours to read
    return found


def start(env):
    return subprocess.Popen(["bin/serve"], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for_connection(mail, count):
    deadline = time.monotonic() + START_WITHIN
    while mail.connections < count:
        assert time.monotonic() < deadline, "the job never reached the mail server"
        mail.connected.wait(0.2)


def test_stopped_mid_send_the_portal_exits_in_time_and_sends_each_email_once(tmp_path):
    mail = HeldMail(holds=[600, 3])  # the first send hangs until killed; the next is slow
    threading.Thread(target=mail.serve_forever, daemon=True).start()
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(VAR_DIR=str(tmp_path), DEBUG="1", PORT=str(free_port()),
               DJANGO_SETTINGS_MODULE="portal.settings", EMAIL_HOST="127.0.0.1",
               EMAIL_PORT=str(mail.server_address[1]), EMAIL_USE_TLS="0",
               Q_TIMEOUT="10", Q_RETRY="20")
    try:
        subprocess.run([sys.executable, "-c", PREPARE], cwd=ROOT, env=env, check=True)

        # Killed outright mid-send (the power goes; a stop that ran out of time).
        first = start(env)
        wait_for_connection(mail, 1)
        for pid in processes_of(tmp_path):
            os.kill(pid, signal.SIGKILL)
        first.wait(5)
        assert mail.messages == []

        # Started again, the job is handed out again and sends the email; stopped while it
        # does (SIGTERM to the whole process group), the job is finished, not cut off.
        second = start(env)
        wait_for_connection(mail, 2)
        stopping = time.monotonic()
        os.killpg(second.pid, signal.SIGTERM)
        while processes_of(tmp_path) and time.monotonic() - stopping < STOP_WITHIN + 5:
            time.sleep(0.1)
        took = time.monotonic() - stopping
        assert not processes_of(tmp_path), "still running 15 s after SIGTERM"
        assert took < STOP_WITHIN
        assert mail.connections == 2, "the job ran twice: once cut off, once to the end"
        assert len(mail.messages) == 1 and b"parent@test.example" in mail.messages[0]
    finally:
        for pid in processes_of(tmp_path):
            os.kill(pid, signal.SIGKILL)
        mail.closing.set()
        mail.shutdown()
        mail.server_close()
