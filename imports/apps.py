from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Imports"

    def ready(self):
        from agencies import scope
        from imports.models import ImportRun

        # How the admin keeps each import to its authority's staff.
        scope.register(ImportRun, "authority")
