from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The joint outcome of a review: drafted from the meeting, signed off, published."""

    name = "reports"
    verbose_name = "Review reports"

    def ready(self):
        from reports import (
            publishing,  # noqa: F401  (writes the report by post: reviews/post.py)
            signals,  # noqa: F401  (connects the receiver)
        )
