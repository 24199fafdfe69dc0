from django.db import migrations


class Migration(migrations.Migration):
    """Once created this app's recurring job. The timetable of every background job is now
    kept in one place, portal/recurring_jobs.py, synced after every migrate."""

    dependencies = [
        ("reviews", "0003_meeting_room"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = []
