"""Secrets people follow rather than type: calendar feed addresses and invitation links.

A link that matches nothing counts against the address it came from
(ACCOUNT_RATE_LIMITS["secret_link"], with allauth's limiter, the one that guards sign-in);
past the limit every such link from that address, right or wrong, is refused until the
window has passed, so guessing cannot go on at speed. Links that work count nothing: a
calendar service fetching many people's feeds from one address is never slowed.
"""

from functools import wraps

from allauth.core.internal import ratelimit
from django.http import Http404

from agencies import audit

ACTION = "secret_link"


def _consume(request, dry_run: bool) -> bool:
    return bool(ratelimit.consume(request, app="allauth.account", action=ACTION,
                                  dry_run=dry_run, limit_get=True))


def guards_secret_link(view):
    """For a view whose link carries a secret and which answers 404 when it matches nothing."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not _consume(request, dry_run=True):
            return ratelimit.respond_429(request)
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            _missed(request)
            raise
        if response.status_code == 404:
            _missed(request)
        return response

    return guarded


def _missed(request) -> None:
    _consume(request, dry_run=False)
    if not _consume(request, dry_run=True):  # this miss is the one that locks the address
        audit.locked_out(request, detail="links with a secret")
