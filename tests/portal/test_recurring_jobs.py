"""The timetable of background jobs: one list (portal/recurring_jobs.py), in django-q2's
table after every migrate, synced without moving a run that is already due."""

import datetime as dt

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from portal import recurring_jobs

pytestmark = pytest.mark.django_db


def timetable():
    return {s.name: (s.func, s.schedule_type, s.minutes, s.repeats, s.next_run)
            for s in Schedule.objects.all()}


def test_every_job_on_the_list_is_on_the_timetable_once_after_migrating():
    assert sorted(Schedule.objects.values_list("name", flat=True)) == sorted(
        job.name for job in recurring_jobs.JOBS)
    for job in recurring_jobs.JOBS:
        schedule = Schedule.objects.get(name=job.name)
        assert (schedule.func, schedule.schedule_type, schedule.repeats) == (
            job.func, job.every, -1)


def test_syncing_again_changes_nothing():
    before = timetable()
    call_command("sync_recurring_jobs", stdout=None)
    assert recurring_jobs.sync() == {job.name: "unchanged" for job in recurring_jobs.JOBS}
    assert timetable() == before


def test_a_changed_job_is_updated_without_moving_its_next_run_and_a_dropped_one_removed():
    sweep = Schedule.objects.get(name="outbox: send due emails")
    Schedule.objects.filter(pk=sweep.pk).update(minutes=10)
    Schedule.objects.create(name="reviews: a job no release runs any more",
                            func="reviews.tasks.gone", schedule_type="D")
    Schedule.objects.create(name="Added by hand", func="somewhere.else.job", schedule_type="D")
    done = recurring_jobs.sync()
    assert done["outbox: send due emails"] == "updated"
    assert done["reviews: a job no release runs any more"] == "removed"
    assert "Added by hand" not in done
    assert Schedule.objects.get(pk=sweep.pk).minutes == 1
    assert Schedule.objects.get(pk=sweep.pk).next_run == sweep.next_run
    assert Schedule.objects.filter(name="Added by hand").exists()


@pytest.mark.parametrize("now, first", [
    (dt.datetime(2027, 1, 15, 5, 0, tzinfo=dt.UTC), dt.datetime(2027, 1, 15, 6, 0)),
    (dt.datetime(2027, 1, 15, 7, 0, tzinfo=dt.UTC), dt.datetime(2027, 1, 16, 6, 0)),
    # British Summer Time: 6am in London is 5am UTC.
    (dt.datetime(2027, 7, 15, 4, 30, tzinfo=dt.UTC), dt.datetime(2027, 7, 15, 6, 0)),
    (dt.datetime(2027, 7, 15, 5, 30, tzinfo=dt.UTC), dt.datetime(2027, 7, 16, 6, 0)),
])
def test_a_daily_job_first_runs_at_its_time_in_london(now, first):
    chasers = next(job for job in recurring_jobs.JOBS if job.func == "reviews.tasks.daily_chasers")
    run = chasers.first_run(now)
    assert run.astimezone(recurring_jobs.LONDON).replace(tzinfo=None) == first
    assert run > now
