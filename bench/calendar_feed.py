"""How long a coordinator's calendar feed takes to build, against the floor of building the
same number of bare icalendar events.

    .venv/bin/python bench/calendar_feed.py [--events 2000] [--repeat 5]

Runs on a fresh SQLite database in a temporary folder (or on DATABASE_URL when set), seeds one
coordinator with the reviews that make about --events feed events (a meeting, a report
deadline and a decision deadline each), then times: the whole feed (queries + building +
serialising) and the floor (the same number of VEVENTs with a TZID, serialised). Target: the
feed within 3x the floor.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django():
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-calendar-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def seed(events: int):
    from django.utils import timezone

    from agencies.models import Agency, LocalAuthority, Membership, Role, User
    from reviews.models import Child, Plan, Review

    authority, _ = LocalAuthority.objects.get_or_create(dfe_code="990", defaults={"name": "Bench"})
    team, _ = Agency.objects.get_or_create(authority=authority, name="Bench SEND",
                                           defaults={"kind": Agency.Kind.LA_SEND})
    user, _ = User.objects.get_or_create(email="bench.coordinator@bench.example")
    Membership.objects.get_or_create(user=user, agency=team, role=Role.COORDINATOR)
    reviews = events // 3
    start = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    children = Child.objects.bulk_create(
        Child(authority=authority, first_name="B", last_name=f"C{n}", la_reference=f"B-{n:05}",
              date_of_birth=dt.date(2015, 1, 1) + dt.timedelta(days=n % 2000))
        for n in range(reviews))
    plans = Plan.objects.bulk_create(Plan(child=c, first_issued_on=dt.date(2025, 1, 1))
                                     for c in children)
    Review.objects.bulk_create(
        Review(plan=p, coordinator=user, due_by=dt.date(2026, 1, 1),
               meeting_at=start + dt.timedelta(days=n % 200, hours=n % 6),
               meeting_place="School", meeting_link="https://meet.jit.si/bench")
        for n, p in enumerate(plans))
    return user


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def floor(count: int) -> bytes:
    from icalendar import Calendar, Event

    london = ZoneInfo("Europe/London")
    cal = Calendar()
    cal.add("prodid", "-//bench//EN")
    cal.add("version", "2.0")
    start = dt.datetime(2027, 1, 4, 10, tzinfo=london)
    for n in range(count):
        event = Event()
        event.add("uid", f"bare-{n}@bench")
        event.add("dtstamp", dt.datetime.now(dt.UTC))
        event.add("dtstart", start + dt.timedelta(days=n % 200))
        event.add("dtend", start + dt.timedelta(days=n % 200, minutes=90))
        event.add("summary", f"Event {n}")
        cal.add_component(event)
    cal.add_missing_timezones(first_date=dt.date(2026, 1, 1), last_date=dt.date(2028, 12, 31))
    return cal.to_ical()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from icalendar import Calendar

    from reviews.calendar import feed_calendar, feed_reviews

    user = seed(args.events)

    def feed():
        return feed_calendar(user, feed_reviews(user))

    built = len(list(Calendar.from_ical(feed()).walk("VEVENT")))
    ours = timed(feed, args.repeat)
    bare = timed(lambda: floor(built), args.repeat)
    ours_median, bare_median = statistics.median(ours), statistics.median(bare)
    print(f"feed events: {built}")
    print(f"feed (queries + build + serialise): median {ours_median * 1000:.0f} ms, "
          f"best {min(ours) * 1000:.0f} ms")
    print(f"floor (bare icalendar events):     median {bare_median * 1000:.0f} ms, "
          f"best {min(bare) * 1000:.0f} ms")
    ratio = ours_median / bare_median
    print(f"ratio: {ratio:.2f}x (target: within 3x) -> {'met' if ratio <= 3 else 'MISSED'}")


if __name__ == "__main__":
    main()
