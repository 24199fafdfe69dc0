from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The joint outcome of a review: drafted from the meeting, signed off, published."""

    name = "reports"
    verbose_name = "Review reports"

    def ready(self):
        from reports import signals  # noqa: F401  (connects the receiver)
