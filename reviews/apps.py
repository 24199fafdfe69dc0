from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        from agencies import audit, scope
        from agencies.adapters import SignUpInvitation, accept_sign_ups_from
        from reviews import (
            clock,
            invitation_links,
            scheduling,  # noqa: F401  (writes the invitation by post: reviews/post.py)
        )
        from reviews.models import Child, Plan, Term
        from reviews.wagtail_hooks import audit_entries_of_authority

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

        # A review invitation's link opens sign-up for the address it was sent to.
        accept_sign_ups_from(SignUpInvitation(
            session_key=invitation_links.REVIEW_INVITATION_SESSION_KEY,
            find=invitation_links.invitation_open_to_sign_up,
            accept=invitation_links.do_accept_invitation))
        audit.entries_belong_also(audit_entries_of_authority)
