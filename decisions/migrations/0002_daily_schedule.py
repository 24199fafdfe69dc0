import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations

NAME = "decisions: reminders, and ceasing plans once the time to appeal has passed"
RUN_AT = dt.time(6, 15)  # after the review chasers, before the working day


def next_run_at(now):
    london = now.astimezone(ZoneInfo("Europe/London"))
    run = dt.datetime.combine(london.date(), RUN_AT, tzinfo=london.tzinfo)
    return run if run > london else run + dt.timedelta(days=1)


def create_schedule(apps, schema_editor):
    # Created once, by name; the first run time only when created, so migrating again never
    # moves it. catch_up is off in Q_CLUSTER: a missed day runs once, and the job ceases
    # every plan whose window has closed by then, so nothing is lost.
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={"func": "decisions.tasks.daily_decisions", "schedule_type": "D",
                  "repeats": -1},
        create_defaults={"func": "decisions.tasks.daily_decisions", "schedule_type": "D",
                         "repeats": -1, "next_run": next_run_at(dt.datetime.now(dt.UTC))},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0001_decisions"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
