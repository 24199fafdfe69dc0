from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    """The LA's decision after a review: notices, amendments, cease, disagreement."""

    name = "decisions"
    verbose_name = "LA decisions"

    def ready(self):
        from decisions import letters  # noqa: F401  (writes the decision letters by post)
