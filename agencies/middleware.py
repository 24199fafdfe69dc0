"""Two-step sign-in is compulsory for professionals: agency members and people invited in a
professional role.

allauth asks for the second factor at sign-in once a person has one; it does not make anyone
enrol. A session that has not passed two-step is not a session for a professional: it reaches
the one step it owes and sign-out, nothing else:
- with no authenticator yet, enrolment (and allauth's password check before it, if the
  password was typed more than a few minutes ago);
- with one, the two-step challenge.
Reauthentication, recovery codes, deactivation and changing the authenticator are reached
only once this session has passed two-step: a password alone opens none of them.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from agencies.audit import MFA_ENROLLED_SESSION_KEY

SIGN_OUT = "account_logout"
ADMIN_PREFIX = "/cms/"


@dataclass(frozen=True)
class Step:
    """What a signed-in professional owes before the portal opens: where to go, and the
    only routes (by URL name) reachable meanwhile, sign-out aside."""

    url_name: str
    reachable: frozenset[str]

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def allows(self, path: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        try:
            name = resolve(path).url_name
        except Resolver404:
            return False
        return name == SIGN_OUT or name in self.reachable


ENROL = Step("mfa_activate_totp", frozenset({"mfa_activate_totp", "account_reauthenticate"}))
CHALLENGE = Step("mfa_reauthenticate", frozenset({"mfa_reauthenticate"}))


def session_passed_mfa(session, user) -> bool:
    if session.get(MFA_ENROLLED_SESSION_KEY):
        return True
    # allauth reads only the session from the request it is given.
    records = get_authentication_records(SimpleNamespace(session=session), user)
    return any(entry.get("method") == "mfa" for entry in records)


def mfa_step_needed(user, session) -> Step | None:
    """The step a signed-in professional owes this session: enrolment, or the second factor.
    None when nothing is owed (and for families)."""
    if not user.is_authenticated or not user.must_use_mfa:
        return None
    if not is_mfa_enabled(user):
        return ENROL
    if not session_passed_mfa(session, user):
        return CHALLENGE
    return None


class RequireMfaForProfessionals:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = mfa_step_needed(request.user, request.session)
        if step is CHALLENGE and not step.allows(request.path_info):
            # Kept as allauth keeps a request that needs reauthenticating: once the code is
            # given, the page asked for opens, and a form that was sent is sent again, so
            # nothing typed is lost.
            return suspend_request(request, step.url)
        if step is not None and not step.allows(request.path_info):
            return redirect(step.url)
        return self.get_response(request)


class AdminOnlyForStaff:
    """Someone signed in who may not use the CMS is told so. Wagtail would send them to sign
    in, and allauth, seeing them signed in, straight back: a redirect loop."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (request.path_info.startswith(ADMIN_PREFIX) and user.is_authenticated
                and not user.has_perm("wagtailadmin.access_admin")):
            raise PermissionDenied("Only staff may use the content management system.")
        return self.get_response(request)
