"""Each pytest-xdist worker gets a Redis database of its own.

Loaded with `-p tests.workers` (pyproject's addopts), so it runs before pytest-django reads the
settings. The tests clear the cache between tests (rate-limit counters and used one-time codes
live there), and Django's Redis cache clears with FLUSHDB: on one shared database, one worker's
clear would wipe another's counters, and its channel layer's messages, mid-test. Worker gwN
uses database N + 1 of the same server (the tests' own REDIS_URL keeps database 0 or whichever
it names, for a run without workers). The SQLite and PostgreSQL test databases are already one
per worker (pytest-django suffixes their names).
"""

import os
from urllib.parse import urlsplit, urlunsplit

REDIS_DATABASES = 16  # Redis's default `databases`


def redis_url_for_worker(url: str, worker: str) -> str:
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    database = (base + int(worker.removeprefix("gw")) + 1) % REDIS_DATABASES
    return urlunsplit(parts._replace(path=f"/{database}"))


_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("REDIS_URL", "").startswith("redis"):
    os.environ["REDIS_URL"] = redis_url_for_worker(os.environ["REDIS_URL"], _worker)
