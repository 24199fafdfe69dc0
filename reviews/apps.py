from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        from agencies import scope
        from reviews.models import Child, Plan, Term

        # How the admin keeps each record to its authority's staff.
        scope.register(Child, "authority")
        scope.register(Plan, "child__authority")
        scope.register(Term, "authority")
