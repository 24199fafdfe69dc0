from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    """The LA's decision after a review: notices, amendments, cease, disagreement."""

    name = "decisions"
    verbose_name = "LA decisions"
