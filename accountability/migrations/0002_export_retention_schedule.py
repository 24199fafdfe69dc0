import datetime as dt

from django.db import migrations

NAME = "accountability: delete expired exports"


def create_schedule(apps, schema_editor):
    # Created once, by name. Hourly, so no file outlives its 24 hours by more than an hour;
    # catch_up is off in Q_CLUSTER, and one run deletes everything past its time.
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={"func": "accountability.tasks.delete_expired_exports", "schedule_type": "H",
                  "repeats": -1},
        create_defaults={"func": "accountability.tasks.delete_expired_exports",
                         "schedule_type": "H", "repeats": -1,
                         "next_run": dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0001_export_jobs"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
