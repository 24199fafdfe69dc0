"""The accountability dashboards and exports against a large authority, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m bench.accountability [--runs 20] [--database bench_large]

Seeds (once) the authority of bench/seed_large.py: 25,000 children and plans, about 50,000
reviews, 300,000 invitations and their advice and events. Then, signed in as the
authority's SEND lead through Django's test client (a real session, every middleware, DEBUG
off), it times:

- every dashboard page, with this year's filters and with another deadline chosen, and a
  click-through from a count to the reviews behind it: p50 and p95 over --runs requests;
- every table's download as CSV and as Excel;
- the SEN2 return end to end: the form posted, the django-q2 job run (in this process,
  synchronously: the worker's share without the broker's wait), the job's page and the
  file downloaded.

Each page and download is timed against its floor, in the same run, request for request in
turn (bench/floor.py): a bare Django view that reads as many rows as the page read, with one
plain query, and renders a table of the same rows and cells through the same base template
(or writes a CSV or Excel file of that shape), behind the same middleware. Absolute times do
not travel between machines; the ratio does.

Targets (issue #19): each dashboard page and download p95 within 3 times its floor's; the
SEN2 return under 60 s. It then runs EXPLAIN on every query the dashboards and downloads
make and reports each sequential scan of the big tables (reviews, invitations, advice,
events), with the filter the scan applies: the index that filter needs is the one to add.
Exit status 1 if a target is missed.
"""

import argparse
import csv
import datetime as dt
import io
import json
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field

from bench.seed_large import prepare, require_postgres, seed

FLOOR_TARGET = 3.0  # a page's p95 at most this many times its floor's
SEN2_TARGET = 60.0
BIG_TABLES = {"reviews_review", "reviews_invitation", "reviews_advice", "reviews_event"}


def percentile(seconds: list[float], p: float) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Timing:
    name: str
    url: str
    seconds: list[float] = field(default_factory=list)
    floor_url: str = ""
    floor_seconds: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        return percentile(self.seconds, 95)

    @property
    def floor_p95(self) -> float:
        return percentile(self.floor_seconds, 95)

    @property
    def ratio(self) -> float:
        return self.p95 / self.floor_p95


@dataclass(frozen=True)
class SeqScan:
    where: str
    table: str
    rows: int
    filter: str


def signed_in_client(user):
    from django.conf import settings
    from django.test import Client

    from bench.rooms import signed_in_cookie

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_cookie(user).split("=", 1)[1]
    return client


def fetch(client, url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    assert body
    return elapsed, body


def timed(client, timing: Timing, runs: int, warm: int = 2) -> None:
    """The page and its floor in turn: neither keeps the machine's quiet moments to itself."""
    for n in range(warm + runs):
        for url, times in ((timing.url, timing.seconds), (timing.floor_url, timing.floor_seconds)):
            elapsed, _ = fetch(client, url)
            if n >= warm:
                times.append(elapsed)


# ---------------------------------------------------------------------------------------
# Each page's floor: as many rows read, a table of as many rows and cells
# ---------------------------------------------------------------------------------------


def rows_read(client, url: str) -> tuple[int, bytes]:
    """How many rows the page's queries returned, and the page."""
    from django.db import connection

    read = 0

    def count(execute, sql, params, many, context):
        nonlocal read
        result = execute(sql, params, many, context)
        read += max(0, context["cursor"].rowcount or 0)  # server-side cursors say -1
        return result

    with connection.execute_wrapper(count):
        _, body = fetch(client, url)
    return read, body


def table_shape(url: str, body: bytes) -> tuple[str, int, int]:
    """(format, rows, cells a row) of the page's tables or the file."""
    if "format=xlsx" in url:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
        return "xlsx", len(rows), max((len(row) for row in rows), default=1)
    if "format=csv" in url:
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        return "csv", len(rows), max((len(row) for row in rows), default=1)
    html = body.decode()
    rows = len(re.findall(r"<tr[\s>]", html))
    cells = len(re.findall(r"<t[dh][\s>]", html))
    return "html", rows, -(-cells // max(1, rows))


def floor_url(client, url: str) -> str:
    read, body = rows_read(client, url)
    kind, rows, cells = table_shape(url, body)
    return f"/bench-floor/?read={read}&rows={rows}&cells={cells}&format={kind}"


# ---------------------------------------------------------------------------------------
# What to time
# ---------------------------------------------------------------------------------------


def dashboard_urls(client, today: dt.date) -> list[tuple[str, str]]:
    from django.urls import reverse

    from accountability.views import PAGES

    urls = [("index", reverse("accountability:index"))]
    for slug in PAGES:
        urls.append((slug, reverse(f"accountability:{slug}")))
    urls.append(("timeliness, decisions, last year",
                 reverse("accountability:timeliness") + f"?rule=decision&year={today.year - 1}"))
    drill = first_drill_down(client, reverse("accountability:timeliness"))
    if drill:
        urls.append(("reviews behind a count", drill))
    return urls


def first_drill_down(client, page_url: str) -> str:
    """The biggest count's link on a page: the longest list of reviews behind a figure."""
    html = client.get(page_url).content.decode()
    links = re.findall(r'href="(/accountability/reviews/\?[^"]+)"[^>]*>\s*([\d,]+)', html)
    if not links:
        return ""
    url, _ = max(links, key=lambda link: int(link[1].replace(",", "")))
    return url.replace("&amp;", "&")


def export_urls(scope) -> list[tuple[str, str]]:
    from accountability.measures import available

    return [(f"{key} ({fmt})", f"/accountability/exports/table/{key}/?format={fmt}")
            for key in available(scope) for fmt in ("csv", "xlsx")]


def sen2_end_to_end(client, census: dt.date) -> tuple[float, dict]:
    """Post the form, let the job run, open its page and download the file."""

    from django_q.conf import Conf

    from accountability.models import ExportJob

    Conf.SYNC = True  # the task runs as it is queued, in this process
    form = client.get("/accountability/exports/sen2/").content.decode()
    key = re.search(r'name="request_key" value="([^"]+)"', form)[1]
    started = time.perf_counter()
    response = client.post("/accountability/exports/sen2/", {
        "census_0": census.day, "census_1": census.month, "census_2": census.year,
        "format": "xml", "request_key": key})
    page = client.get(response["Location"])
    job = ExportJob.objects.get(request_key=key)
    download = client.get(f"/accountability/exports/{job.pk}/file/")
    size = len(b"".join(download.streaming_content))
    elapsed = time.perf_counter() - started
    if page.status_code != 200 or download.status_code != 200 or job.status != "ready":
        sys.exit(f"The SEN2 job did not finish: {job.status} {job.error}")
    return elapsed, {**job.summary, "bytes": size}


# ---------------------------------------------------------------------------------------
# Query plans
# ---------------------------------------------------------------------------------------


def captured_selects(client, url: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # The session and sign-in checks are read by primary key: only the big tables are
    # looked for in the plans, so they need no sorting out. A server-side cursor's fetches
    # (a download read in chunks) are captured with no SQL of their own.
    return [q["sql"] for q in queries.captured_queries
            if q["sql"] and q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]


def seq_scans(where: str, sql: str) -> list[SeqScan]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    found = []

    def walk(node):
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in BIG_TABLES:
            found.append(SeqScan(where, node["Relation Name"], int(node.get("Plan Rows", 0)),
                                 node.get("Filter", "(no filter: the whole table)")))
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found


# ---------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(timings: list[Timing], sen2: tuple[float, dict], scans: list[SeqScan],
           counts: dict) -> bool:
    print("\nData:", ", ".join(f"{n:,} {name}" for name, n in counts.items()))
    width = max(len(t.name) for t in timings)
    print(f"\n{'page or download':<{width}}  runs     p50      p95  floor p95  ratio  "
          f"target  result")
    ok = True
    for t in timings:
        met = t.ratio <= FLOOR_TARGET
        ok &= met
        print(f"{t.name:<{width}}  {len(t.seconds):>4}  {t.p50 * 1000:>5.0f} ms "
              f"{t.p95 * 1000:>5.0f} ms  {t.floor_p95 * 1000:>6.0f} ms  {t.ratio:>5.2f}  "
              f"<= {FLOOR_TARGET:g}x  {verdict(met)}")
    print(f"  (floor: {timings[0].floor_url} and the like: rows read, table rows, cells a row)")
    seconds, summary = sen2
    met = seconds < SEN2_TARGET
    ok &= met
    print(f"\nSEN2 return, XML, end to end: {seconds:.1f} s (target < 60 s): {verdict(met)}")
    print(f"  {summary['plans']:,} active plans, {summary['people']:,} children, "
          f"{summary['problems']:,} problems in the validation report, "
          f"{summary['bytes'] / 1e6:.1f} MB")
    print("\nSequential scans of the big tables in the dashboards' and downloads' plans:")
    if not scans:
        print("  none")
    seen: dict[tuple, list[str]] = {}
    for scan in scans:
        seen.setdefault((scan.table, scan.rows, scan.filter), []).append(scan.where)
    for (table, rows, condition), where in seen.items():
        print(f"  {table} (~{rows:,} rows), filter {condition}\n"
              f"      in: {', '.join(dict.fromkeys(where))}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bench_large")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--children", type=int, default=25_000)
    args = parser.parse_args()
    require_postgres()
    # The SEN2 files it makes go to a folder of their own, removed at the end.
    media = tempfile.TemporaryDirectory(prefix="bench-accountability-")
    os.environ["MEDIA_ROOT"] = media.name
    prepare(args.database)
    from django.conf import settings
    from django.test.utils import override_settings
    from django.utils import timezone

    # Pages name their static files; the manifest of hashed names needs collectstatic,
    # which the pages' timing has nothing to do with.
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
    from bench.floor import URLCONF

    override_settings(ROOT_URLCONF=URLCONF).enable()  # the portal's URLs and the floor

    from accountability.sen2 import latest_census_day
    from bench.seed_large import counts
    from reviews.access import oversight_scope

    lead = seed(args.children)
    import portal.asgi  # noqa: F401  (the server's start-up: its URLconf loaded, its objects frozen)

    client = signed_in_client(lead)
    today = timezone.localdate()
    timings = []
    for name, url in [*dashboard_urls(client, today), *export_urls(oversight_scope(lead))]:
        timing = Timing(name, url, floor_url=floor_url(client, url))
        timed(client, timing, args.runs)
        timings.append(timing)
        print(f"  {name}: p95 {timing.p95 * 1000:.0f} ms, its floor's "
              f"{timing.floor_p95 * 1000:.0f} ms ({timing.ratio:.2f}x)", flush=True)
    sen2 = sen2_end_to_end(client, latest_census_day(today))
    scans = [scan for t in timings for sql in captured_selects(client, t.url)
             for scan in seq_scans(t.name, sql)]
    ok = report(timings, sen2, scans, counts())
    media.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
