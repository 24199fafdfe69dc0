from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    """Whether the law is kept, by whom: dashboards, exports and the DfE SEN2 return."""

    name = "accountability"
    verbose_name = "Accountability"
