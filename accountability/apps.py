from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    """Whether the law is kept, by whom: dashboards, exports and the DfE SEN2 return."""

    name = "accountability"
    verbose_name = "Accountability"

    def ready(self):
        from accountability import exports, sen2
        from accountability.models import ExportJob

        exports.PREPARERS[ExportJob.Kind.SEN2] = sen2.prepare_sen2
