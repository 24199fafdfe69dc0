from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def sent_sequences(apps, schema_editor):
    # Before this, every invitation sent had each move of its meeting sent to it too: the
    # last calendar message it was sent carried the review's sequence.
    Invitation, Review = apps.get_model("reviews", "Invitation"), apps.get_model("reviews", "Review")
    Invitation.objects.filter(sent_at__isnull=False).update(calendar_sequence=Subquery(
        Review.objects.filter(pk=OuterRef("review_id")).values("calendar_sequence")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0010_limit_free_text"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="content_changed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="calendarfeed",
            name="content_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="invitation",
            name="calendar_sequence",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(sent_sequences, migrations.RunPython.noop),
    ]
