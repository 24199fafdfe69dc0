"""Writes the audit trail: every sign-in, from whichever route (Django's signals fire
for every login), its failures, two-step and password changes; refusals by the access rule,
exports and downloads of children's data."""

import uuid
from types import SimpleNamespace

from allauth.account.authentication import get_authentication_records
from allauth.account.signals import password_changed, password_reset, password_set
from allauth.core.internal.httpkit import get_client_ip
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver

from agencies.models import AuditEntry

# Set when a person enrols in MFA during this session: entering a valid code to enrol proves
# the second factor as much as entering one at sign-in does.
MFA_ENROLLED_SESSION_KEY = "portal_mfa_enrolled"


def client_ip(request) -> str | None:
    """The address a request (or a socket's scope) came from."""
    if request is None:
        return None
    if isinstance(request, dict):  # a Channels scope
        client = request.get("client") or (None,)
        return client[0] or None
    # As the rate limits count it: behind a trusted proxy, the address the proxy saw.
    return get_client_ip(request) or None


def route_of(request) -> str:
    """The route asked, as its URL pattern (`reviews/<uuid:review_id>/`), never the path:
    paths carry feed and invitation tokens. A socket's scope gives its path with each
    captured value replaced by its name (`/ws/reviews/<review_id>/room/`)."""
    if request is None:
        return ""
    if isinstance(request, dict):
        path = request.get("path", "")
        for name, value in (request.get("url_route") or {}).get("kwargs", {}).items():
            path = path.replace(str(value), f"<{name}>")
        return path[:200]
    match = getattr(request, "resolver_match", None)
    return (match.route or "")[:200] if match is not None else ""


def record(action: str, request=None, user=None, email: str = "", detail: str = "",
           review=None) -> AuditEntry:
    """One entry in the audit trail. `request` is an HTTP request or a socket's scope;
    `review` a review or its id."""
    return AuditEntry.objects.create(
        action=action,
        user=user if user is not None and user.pk else None,
        email=(email or getattr(user, "email", "") or "")[:254],
        ip_address=client_ip(request),
        route=route_of(request),
        review_id=getattr(review, "pk", review),
        detail=detail[:200],
    )


def how_signed_in(request, user) -> str:
    """What this session has proved: a password, and which second factor, if any."""
    session = getattr(request, "session", None)
    if session is None:
        return ""
    records = get_authentication_records(SimpleNamespace(session=session), user)
    factors = [entry.get("type", "code") for entry in records if entry.get("method") == "mfa"]
    if session.get(MFA_ENROLLED_SESSION_KEY):
        factors.append("totp")
    if not factors:
        return "password only"
    words = {"totp": "authenticator app", "recovery_codes": "recovery code"}
    return f"two-step passed ({words.get(factors[-1], factors[-1])})"


def exported(request, what: str, rows: int | None = None) -> AuditEntry:
    """Children's data leaving the portal as a file, or asked for as one: `what`, with its
    format, in words that never name a child, and how many rows when known."""
    detail = what if rows is None else f"{what}, {rows} rows"
    return record(AuditEntry.Action.EXPORTED, request, request.user, detail=detail)


def file_downloaded(request, review, what: str) -> AuditEntry:
    """A child's file downloaded (an advice attachment, the child's own picture)."""
    return record(AuditEntry.Action.FILE_DOWNLOADED, request, request.user, detail=what,
                  review=review)


def refused(request, user, review_id, asked: str) -> AuditEntry | None:
    """A refusal by the access rule: who, the review asked for (a malformed id is left out:
    it is whatever the asker typed), the route, and what they asked (`asked`). Capped a
    minute (`_capped`): a scan of review ids must not fill the disk."""
    review = _uuid_or_none(review_id)
    detail = _capped("refusals", request, user,
                     asked if review is not None or review_id is None else f"{asked}; malformed id")
    if detail is None:
        return None
    return record(AuditEntry.Action.ACCESS_REFUSED, request, user, detail=detail, review=review)


def locked_out(request, user=None, email: str = "", detail: str = "") -> AuditEntry | None:
    """An attempt refused because its account or address is over a rate limit; capped a
    minute like refusals, so that hammering a lock cannot fill the disk either."""
    detail = _capped("lockouts", request, user, detail)
    if detail is None:
        return None
    return record(AuditEntry.Action.LOCKED_OUT, request, user, email=email, detail=detail)


def _capped(kind: str, request, user, detail: str) -> str | None:
    """`detail` for the first AUDIT_REFUSALS_PER_MINUTE entries of this kind a minute for one
    person (or address, when no one is signed in), then one entry saying the rest of that
    minute's are suppressed (its detail), then none (None) until the minute ends."""
    number, limit = _this_minute(kind, request, user), settings.AUDIT_REFUSALS_PER_MINUTE
    if number > limit + 1:
        return None
    if number > limit:
        return f"more than {limit} {kind} this minute: further {kind} suppressed until it ends"
    return detail


def _this_minute(kind: str, request, user) -> int:
    """How many entries of this kind this person (or address) has had in the minute since
    their first uncounted one, this one included; counted in the cache, which every process
    shares."""
    who = f"user-{user.pk}" if getattr(user, "pk", None) else f"address-{client_ip(request)}"
    key = f"audit-{kind}-{who}"
    cache.add(key, 0, timeout=60)
    try:
        return cache.incr(key)
    except ValueError:  # the minute ended between the two calls
        cache.add(key, 1, timeout=60)
        return 1


def _uuid_or_none(value) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    record(AuditEntry.Action.SIGNED_IN, request, user, detail=how_signed_in(request, user))


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditEntry.Action.SIGNED_OUT, request, user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; keep only the address tried.
    email = credentials.get("email") or credentials.get("username") or ""
    record(AuditEntry.Action.SIGN_IN_FAILED, request, email=email)


@receiver(authenticator_added)
def _mfa_added(sender, request, user, authenticator, **kwargs):
    record(AuditEntry.Action.MFA_ADDED, request, user, detail=authenticator.type)
    if request is not None and hasattr(request, "session"):
        request.session[MFA_ENROLLED_SESSION_KEY] = True


@receiver(authenticator_removed)
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    record(AuditEntry.Action.MFA_REMOVED, request, user, detail=authenticator.type)


@receiver(authenticator_reset)
def _mfa_reset(sender, request, user, authenticator, **kwargs):
    record(AuditEntry.Action.MFA_CODES_RESET, request, user, detail=authenticator.type)


@receiver(authentication_failed)
def _mfa_failed(sender, request, user, authenticator, **kwargs):
    record(AuditEntry.Action.SIGN_IN_FAILED, request, user, detail="wrong two-step code")


@receiver(password_changed)
def _password_changed(sender, request, user, **kwargs):
    record(AuditEntry.Action.PASSWORD_CHANGED, request, user)


@receiver(password_set)
def _password_set(sender, request, user, **kwargs):
    record(AuditEntry.Action.PASSWORD_CHANGED, request, user, detail="first password set")


@receiver(password_reset)
def _password_reset(sender, request, user, **kwargs):
    record(AuditEntry.Action.PASSWORD_RESET, request, user)


# Other apps' ways an audit entry belongs to an authority, each (authority ids) -> Q on
# AuditEntry, for the trail's admin: reviews adds "by the family of one of its children" and
# "about a review of one of its children" when it is ready (agencies imports no app above it).
AUTHORITY_RULES: list = []


def entries_belong_also(rule) -> None:
    AUTHORITY_RULES.append(rule)
