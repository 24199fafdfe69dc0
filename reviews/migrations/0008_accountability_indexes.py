"""Indexes for the accountability dashboards' filters (issue #7): current invitations sent
in a period (for an authority, and per agency for its lead), each discipline's invitations
by person (educational psychologists' caseloads), and advocacy offers made in a period."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0007_review_statutory_facts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="advocacyoffer",
            index=models.Index(fields=["offered_at"], name="advocacy_offered"),
        ),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(condition=models.Q(("removed_at__isnull", True)),
                               fields=["agency", "sent_at"], name="invitation_agency_sent"),
        ),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(condition=models.Q(("removed_at__isnull", True)),
                               fields=["sent_at"], name="invitation_sent"),
        ),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(condition=models.Q(("removed_at__isnull", True)),
                               fields=["discipline", "user"],
                               name="invitation_discipline_user"),
        ),
    ]
