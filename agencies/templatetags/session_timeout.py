"""{% session_timeout_dialog %}: the idle time-out's warning, on every signed-in page
(agencies/session_timeout.py)."""

from django import template
from django.conf import settings

from agencies.session_timeout import idle_words

register = template.Library()


@register.inclusion_tag("includes/session_timeout.html", takes_context=True)
def session_timeout_dialog(context):
    # A page rendered without its request (an email, a file) has nobody signed in to warn.
    request = context.get("request")
    idle = settings.SESSION_COOKIE_AGE
    return {"csrf_token": context.get("csrf_token"),
            "signed_in": request is not None and request.user.is_authenticated,
            "idle_seconds": idle, "idle_words": idle_words(idle),
            # A session shorter than the warning is warned from its start.
            "warn_seconds": min(settings.SESSION_WARNING_SECONDS, idle)}
