"""A council's whole caseload imported, on PostgreSQL, against the floor of saving the same
rows bare.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m bench.imports [--rows 25000] [--runs 3] [--database bench_imports]

It creates (once) and migrates its own database, `bench_imports` unless --database says
otherwise, with an authority of 200 schools (imported from a register file, as a council
would) and 20 case officers, and writes a caseload file of --rows children in the
template's columns: most with a last review meeting, a third with a second parent, young
people with their own email, UPNs and ULNs with their check characters. Then, in turn, --runs
times, each in a transaction rolled back afterwards so every run starts from the same empty
caseload:

- the floor: the file read with the csv module and the same rows (children, plans, family,
  the last meetings, the open reviews dated by the clock, and each review's first event)
  saved with bare `bulk_create`, a thousand at a time: what any import of this file must
  do at the least;
- the dry run (`import_caseload(..., dry_run=True)`): every row checked, nothing written;
- the import; and, after it, the same file imported again (nothing to change), timed alone.

Targets (issue: councils import their caseload): the dry run, the import and the import
again each within 3 times the floor's median, and at most QUERY_TARGET queries per 1,000
rows (no query a row). Exit status 1 if a target is missed. Absolute times do not travel
between machines; the ratios do.
"""

import argparse
import csv
import datetime as dt
import io
import random
import statistics
import sys
import time

from bench.seed_large import prepare, require_postgres

AUTHORITY_NAME, AUTHORITY_CODE = "Importshire County Council", "898"
DOMAIN = "importshire.example"
FLOOR_TARGET = 3.0
QUERY_TARGET = 20  # a thousand rows
SCHOOLS, OFFICERS = 200, 20
FIRST = ["Amira", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hari", "Isla", "Jack"]
LAST = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal",
        "Jones"]
NEEDS = ["ASD", "SLCN", "SEMH", "MLD", "SPLD", "PD", "SLD"]
PHASES = [("Primary", 4, 11), ("Secondary", 11, 18), ("Not applicable", 2, 19),
          ("16 plus", 16, 99), ("Primary", 4, 7)]


# ---------------------------------------------------------------------------------------
# The authority and its file
# ---------------------------------------------------------------------------------------


def authority():
    """The benchmark's authority, its schools (from a register file) and officers: made
    once."""
    from agencies.models import Agency, Discipline, LocalAuthority, Membership, Role, User
    from imports.schools import import_schools

    found = LocalAuthority.objects.filter(dfe_code=AUTHORITY_CODE).first()
    if found is not None:
        return found
    found = LocalAuthority.objects.create(name=AUTHORITY_NAME, dfe_code=AUTHORITY_CODE)
    team = Agency.objects.create(authority=found, name="Importshire SEND team",
                                 kind=Agency.Kind.LA_SEND)
    for n in range(OFFICERS):
        user = User.objects.create_user(email=f"officer{n}@{DOMAIN}", first_name="Officer",
                                        last_name=str(n))
        Membership.objects.create(user=user, agency=team, role=Role.COORDINATOR,
                                  discipline=Discipline.SEN_OFFICER)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["URN", "LA (code)", "EstablishmentName", "TypeOfEstablishment (name)",
                     "PhaseOfEducation (name)", "EstablishmentStatus (name)",
                     "StatutoryLowAge", "StatutoryHighAge"])
    for n in range(SCHOOLS):
        phase, low, high = PHASES[n % len(PHASES)]
        writer.writerow([str(400000 + n), AUTHORITY_CODE, f"School {n}", "Community school",
                         phase, "Open", low, high])
    import_schools(io.BytesIO(out.getvalue().encode("cp1252")), found)
    return found


def upn(rng: random.Random) -> str:
    from common.validators import upn_check_letter

    body = f"{AUTHORITY_CODE}{rng.randrange(10**9):09d}"
    return upn_check_letter("X" + body) + body


def uln(rng: random.Random) -> str:
    from common.validators import uln_check_digit

    while True:
        body = str(rng.randrange(10**8, 10**9))
        digit = uln_check_digit(body)
        if digit is not None:
            return f"{body}{digit}"


def caseload_file(rows: int, today: dt.date, seed: int = 2026) -> bytes:
    from imports.checks import OPTIONAL, REQUIRED

    rng = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=REQUIRED + OPTIONAL, lineterminator="\r\n")
    writer.writeheader()
    upns, ulns = set(), set()
    for n in range(rows):
        born = today - dt.timedelta(days=rng.randrange(3 * 365, 24 * 365))
        issued = born + dt.timedelta(days=rng.randrange(2 * 365, (today - born).days - 30))
        met = issued + dt.timedelta(days=rng.randrange(1, max(2, (today - issued).days)))
        first, last = rng.choice(FIRST), rng.choice(LAST)
        row = {
            "la_reference": f"IM-{n:06d}", "first_name": first, "last_name": last,
            "date_of_birth": born.strftime("%d/%m/%Y"),
            "plan_first_issued": issued.strftime("%d/%m/%Y"),
            "last_review_meeting": met.strftime("%d/%m/%Y") if rng.random() < 0.8 else "",
            "setting_urn": str(400000 + rng.randrange(SCHOOLS)),
            "primary_need": rng.choice(NEEDS),
            "coordinator_email": f"officer{rng.randrange(OFFICERS)}@{DOMAIN}",
            "parent_name": f"Parent {last}",
            "parent_email": f"parent{n}@families.{DOMAIN}",
            "parent_phone": f"07700 900 {rng.randrange(1000):03d}",
        }
        if rng.random() < 0.33:
            row.update(second_parent_name=f"Second {last}",
                       second_parent_email=f"second{n}@families.{DOMAIN}")
        if (today - born).days > 16 * 365 and rng.random() < 0.5:
            row["young_person_email"] = f"young{n}@families.{DOMAIN}"
        if rng.random() < 0.6:
            while (number := upn(rng)) in upns:
                pass
            upns.add(number)
            row["upn"] = number
        if (today - born).days > 14 * 365 and rng.random() < 0.5:
            while (number := uln(rng)) in ulns:
                pass
            ulns.add(number)
            row["uln"] = number
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


# ---------------------------------------------------------------------------------------
# The floor: the same rows, saved bare
# ---------------------------------------------------------------------------------------


def floor(data: bytes, authority) -> None:
    """The file read with the csv module and its rows saved with bulk_create: no checks,
    no comparison with what is held."""
    from agencies.models import Agency, User
    from reviews import clock
    from reviews.models import Child, Event, FamilyMember, Plan, Review

    def day(text):
        return dt.datetime.strptime(text, "%d/%m/%Y").date() if text else None

    schools = {a.urn: a for a in Agency.objects.filter(authority=authority, kind="school")}
    officers = {u.email: u for u in User.objects.filter(email__endswith=DOMAIN)}
    children, plans, family, reviews, firsts = [], [], [], [], []
    for row in csv.DictReader(io.StringIO(data.decode("utf-8"))):
        child = Child(authority=authority, la_reference=row["la_reference"],
                      first_name=row["first_name"], last_name=row["last_name"],
                      date_of_birth=day(row["date_of_birth"]),
                      setting=schools[row["setting_urn"]], upn=row["upn"], uln=row["uln"])
        plan = Plan(child=child, first_issued_on=day(row["plan_first_issued"]),
                    primary_need=row["primary_need"])
        children.append(child)
        plans.append(plan)
        for prefix in ("parent", "second_parent"):
            if row[f"{prefix}_email"]:
                family.append(FamilyMember(child=child, name=row[f"{prefix}_name"],
                                           email=row[f"{prefix}_email"],
                                           phone=row[f"{prefix}_phone"]))
        if row["young_person_email"]:
            family.append(FamilyMember(child=child, name=f"{child.first_name} {child.last_name}",
                                       email=row["young_person_email"],
                                       relationship="young_person"))
        coordinator, met = officers[row["coordinator_email"]], day(row["last_review_meeting"])
        if met:
            moment = dt.datetime.combine(met, dt.time(12), tzinfo=dt.UTC)
            reviews.append(Review(plan=plan, coordinator=coordinator, due_by=met,
                                  meeting_at=moment, status="closed", closed_at=moment,
                                  created_at=moment, event_seq=1))
        due = clock.next_review_due(plan_first_issued=plan.first_issued_on,
                                    last_review_meeting=met)
        reviews.append(Review(plan=plan, coordinator=coordinator, due_by=due, event_seq=1))
    firsts = [Event(review=review, seq=1, kind="review_opened", summary="Opened")
              for review in reviews]
    for model, rows in ((Child, children), (Plan, plans), (FamilyMember, family),
                        (Review, reviews), (Event, firsts)):
        model.objects.bulk_create(rows, batch_size=1000)


# ---------------------------------------------------------------------------------------
# The runs
# ---------------------------------------------------------------------------------------


class RolledBack(Exception):
    """Raised to leave a run's transaction, undoing what it wrote."""


class Stopwatch:
    """Times a run from its start, or from `restart`: what comes before is preparation."""

    def __init__(self, queries):
        self.queries = queries
        self.restart()

    def restart(self) -> None:
        self.started, self.first = time.perf_counter(), len(self.queries)


def timed(work) -> tuple[float, int]:
    """Seconds and queries of `work(stopwatch)`, in a transaction rolled back afterwards."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            stopwatch = Stopwatch(queries)
            work(stopwatch)
            elapsed = time.perf_counter() - stopwatch.started
            raise RolledBack
    except RolledBack:
        pass
    return elapsed, len(queries) - stopwatch.first


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=25_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", default="bench_imports")
    args = parser.parse_args(argv)
    require_postgres()
    prepare(args.database)

    from imports.caseload import import_caseload

    place = authority()
    today = dt.date.today()
    data = caseload_file(args.rows, today)
    print(f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB", flush=True)

    def dry(stopwatch):
        report = import_caseload(io.BytesIO(data), place, dry_run=True)
        assert report.refused == 0, report.lines()[:5]

    def real(stopwatch):
        report = import_caseload(io.BytesIO(data), place)
        assert report.counts()["new"] == args.rows, report.summary()

    def again(stopwatch):
        real(stopwatch)
        stopwatch.restart()
        report = import_caseload(io.BytesIO(data), place)
        assert report.counts()["unchanged"] == args.rows, report.summary()

    results = {"floor": [], "dry run": [], "import": [], "the same file again": []}
    work = {"floor": lambda stopwatch: floor(data, place), "dry run": dry, "import": real,
            "the same file again": again}
    for n in range(args.runs):
        for name in results:
            results[name].append(timed(work[name]))
            print(f"  run {n + 1}: {name} {results[name][-1][0]:.1f} s, "
                  f"{results[name][-1][1]:,} queries", flush=True)
    floor_s = statistics.median(s for s, _ in results["floor"])
    missed = []
    print(f"\n{'':22}{'median':>9}{'x floor':>9}{'queries/1,000 rows':>20}")
    for name, runs in results.items():
        seconds = statistics.median(s for s, _ in runs)
        per_thousand = runs[0][1] * 1000 / args.rows
        print(f"{name:22}{seconds:8.1f}s{seconds / floor_s:9.2f}{per_thousand:20.1f}")
        if name != "floor":
            if seconds > FLOOR_TARGET * floor_s:
                missed.append(f"{name} took {seconds / floor_s:.2f} times the floor")
            if per_thousand > QUERY_TARGET:
                missed.append(f"{name} made {per_thousand:.1f} queries a 1,000 rows")
    for miss in missed:
        print(f"MISSED: {miss}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
