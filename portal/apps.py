from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def sync_recurring_jobs(**kwargs):
    from portal import recurring_jobs

    recurring_jobs.sync()


class PortalConfig(AppConfig):
    """The project's configuration (settings, URLs, ASGI, routing, the timetable of
    background jobs) and its site-wide templates: no models, no logic of its own."""

    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        # After every migrate (and every flush of a test database), once: django-q2's app
        # has the schedule table, and Django tells each app with models in turn.
        post_migrate.connect(sync_recurring_jobs, sender=apps.get_app_config("django_q"),
                             dispatch_uid="portal.sync_recurring_jobs")
