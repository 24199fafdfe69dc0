"""MFA is compulsory for professionals: agency members and people invited in a
professional role.

allauth asks for the second factor at sign-in once a person has one; it does not make anyone
enrol. Until a professional has enrolled, and until this session has passed MFA, they reach
only the pages that let them enrol or sign out.
"""

from types import SimpleNamespace

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from agencies.audit import MFA_ENROLLED_SESSION_KEY


def session_passed_mfa(session, user) -> bool:
    if session.get(MFA_ENROLLED_SESSION_KEY):
        return True
    # allauth reads only the session from the request it is given.
    records = get_authentication_records(SimpleNamespace(session=session), user)
    return any(entry.get("method") == "mfa" for entry in records)


def mfa_step_needed(user, session) -> str | None:
    """Where a signed-in professional must go before the portal opens: enrolment, or the
    second factor for this session. None when nothing is owed (and for families)."""
    if not user.is_authenticated or not user.must_use_mfa:
        return None
    if not is_mfa_enabled(user):
        return reverse("mfa_activate_totp")
    if not session_passed_mfa(session, user):
        return reverse("mfa_reauthenticate")
    return None


class RequireMfaForProfessionals:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect_to = mfa_step_needed(request.user, request.session)
        if redirect_to and not self._is_allowed(request.path):
            return redirect(redirect_to)
        return self.get_response(request)

    @staticmethod
    def _is_allowed(path: str) -> bool:
        allowed = (
            reverse("mfa_index"),
            reverse("mfa_reauthenticate"),
            reverse("account_logout"),
            reverse("account_reauthenticate"),
            settings.STATIC_URL,
        )
        return path.startswith(allowed)
