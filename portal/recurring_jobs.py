"""Every job the portal runs on a timetable, in one list, and the one way they reach
django-q2's schedule table: ``sync()``, run after every ``migrate`` (so `make run`, a deploy
and the test database all have them) and by ``manage.py sync_recurring_jobs``.

Each job is found by its name. Syncing again changes nothing it need not: a job's first run
time is set only when it is created, so a deploy never moves tomorrow's run; a job taken off
this list is taken off the timetable. ``catch_up`` is off in Q_CLUSTER: a missed run happens
once, and each job catches up on what it missed itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class RecurringJob:
    name: str
    func: str  # the task's dotted path
    every: str  # django-q2's schedule type: "I" (minutes), "H" (hourly), "D" (daily)
    minutes: int | None = None  # for "I"
    at: dt.time | None = None  # for "D": the time of day in London
    first_after: dt.timedelta = dt.timedelta(0)  # for "H": a pause before the first run

    def first_run(self, now: dt.datetime) -> dt.datetime:
        if self.at is None:
            return now + self.first_after
        london = now.astimezone(LONDON)
        run = dt.datetime.combine(london.date(), self.at, tzinfo=LONDON)
        return run if run > london else run + dt.timedelta(days=1)


JOBS = [
    # The Redis broker keeps no receipts: the sweep sends anything whose after-commit job
    # was lost.
    RecurringJob("outbox: send due emails", "outbox.mail.send_due_emails", "I", minutes=1),
    # Before the working day, so reminders are waiting at 9am.
    RecurringJob("reviews: daily chasers and termly lists", "reviews.tasks.daily_chasers", "D",
                 at=dt.time(6, 0)),
    RecurringJob("reviews: calendar replies", "reviews.tasks.read_calendar_replies", "I",
                 minutes=5),
    # After the review chasers, before the working day.
    RecurringJob("decisions: reminders, and ceasing plans once the time to appeal has passed",
                 "decisions.tasks.daily_decisions", "D", at=dt.time(6, 15)),
    # Hourly, so no file outlives its 24 hours by more than an hour.
    RecurringJob("accountability: delete expired exports",
                 "accountability.tasks.delete_expired_exports", "H",
                 first_after=dt.timedelta(minutes=5)),
    # An uploaded caseload checked and never confirmed is not kept beyond a day.
    RecurringJob("imports: forget abandoned uploads", "imports.tasks.forget_abandoned_imports",
                 "H", first_after=dt.timedelta(minutes=10)),
]

# Tasks of these apps are the portal's own: a schedule of theirs not in JOBS is left over
# from an older release and is removed. Anything else in the table (added by hand through
# the admin) is left alone.
OWN_APPS = ("outbox.", "reviews.", "decisions.", "accountability.", "reports.", "agencies.",
            "imports.")


def sync(now: dt.datetime | None = None) -> dict[str, str]:
    """Bring django-q2's schedule table to JOBS: {name: "created" | "updated" | "unchanged"
    | "removed"}."""
    from django.db.models import Q
    from django_q.models import Schedule

    now = now or dt.datetime.now(dt.UTC)
    done = {}
    for job in JOBS:
        wanted = {"func": job.func, "schedule_type": job.every, "minutes": job.minutes,
                  "repeats": -1}
        existing = Schedule.objects.filter(name=job.name).first()
        if existing is None:
            Schedule.objects.create(name=job.name, next_run=job.first_run(now), **wanted)
            done[job.name] = "created"
        elif any(getattr(existing, field) != value for field, value in wanted.items()):
            Schedule.objects.filter(pk=existing.pk).update(**wanted)
            done[job.name] = "updated"
        else:
            done[job.name] = "unchanged"
    own = Q()
    for app in OWN_APPS:
        own |= Q(func__startswith=app)
    for leftover in Schedule.objects.exclude(name__in=[job.name for job in JOBS]).filter(own):
        leftover.delete()
        done[leftover.name] = "removed"
    return done
