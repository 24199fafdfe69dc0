from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_first_advice(apps, schema_editor):
    """Each invitation's first advice, from the version 1 already submitted."""
    Advice = apps.get_model("reviews", "Advice")
    Invitation = apps.get_model("reviews", "Invitation")
    submitted = Advice.objects.filter(version=1, status="submitted")
    first = submitted.filter(invitation=OuterRef("pk"))
    Invitation.objects.filter(pk__in=submitted.values("invitation_id")).update(
        first_advice_at=Subquery(first.values("submitted_at")[:1]),
        first_advice_late=Subquery(first.values("was_late")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0008_accountability_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="first_advice_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="invitation",
            name="first_advice_late",
            field=models.BooleanField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(copy_first_advice, migrations.RunPython.noop),
    ]
