from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        from agencies import scope
        from reviews import (
            clock,
            scheduling,  # noqa: F401  (writes the invitation by post: reviews/post.py)
        )
        from reviews.models import Child, Plan, Term

        # A bad STATUTORY_DURATIONS stops the portal starting, rather than failing at the
        # first page that asks the clock (or, worse, printing a wrong date on a letter).
        try:
            clock.durations_from_settings()
        except ValueError as error:
            raise ImproperlyConfigured(str(error)) from error

        # How the admin keeps each record to its authority's staff.
        scope.register(Child, "authority")
        scope.register(Plan, "child__authority")
        scope.register(Term, "authority")
