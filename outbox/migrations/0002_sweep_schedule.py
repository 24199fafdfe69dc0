from django.db import migrations


def create_sweep(apps, schema_editor):
    # Created once, by name: the Redis broker keeps no receipts, so a minutely sweep sends
    # anything whose after-commit job was lost.
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name="outbox: send due emails",
        defaults={"func": "outbox.mail.send_due_emails", "schedule_type": "I", "minutes": 1,
                  "repeats": -1},
    )


def remove_sweep(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="outbox: send due emails").delete()


class Migration(migrations.Migration):
    dependencies = [("outbox", "0001_initial"), ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [migrations.RunPython(create_sweep, remove_sweep)]
