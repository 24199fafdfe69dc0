from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The joint outcome of a review: drafted from the meeting, signed off, published."""

    name = "reports"
    verbose_name = "Review reports"

    def ready(self):
        from reports import publishing  # noqa: F401  (writes the report by post: reviews/post.py)
        from reports.drafting import draft_when_meeting_closes
        from reviews import events

        # Drafted in the transaction that closes the meeting: a closed meeting always has
        # its draft (or, if drafting failed, a logged error and the button on the outcome
        # page).
        events.subscribe("meeting.closed", draft_when_meeting_closes)
