"""allauth's adapters: sign-up only by invitation, emails through the outbox with links from
BASE_URL, lockouts audited, and two-step that a professional cannot switch off."""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.account.internal.stagekit import unstash_login
from allauth.core.internal.ratelimit import parse_rate
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.shortcuts import redirect
from django.urls import reverse

from agencies import audit
from agencies.models import AgencyInvitation, AuditEntry
from common.links import rebased
from outbox.mail import queue_email

INVITATION_SESSION_KEY = "portal_agency_invitation"


@dataclass(frozen=True)
class SignUpInvitation:
    """Another app's invitation whose link may open sign-up (reviews: an invitation to a
    review), registered with ``accept_sign_ups_from`` when that app is ready: agencies knows
    only its own invitations, and imports no app above it."""

    session_key: str  # where the link keeps the invitation's id
    find: Callable[[object], object | None]  # that id -> the invitation still open, or None
    accept: Callable[[object, object], object]  # (invitation, the new account)


_SIGN_UP_INVITATIONS: list[SignUpInvitation] = []


def accept_sign_ups_from(kind: SignUpInvitation) -> None:
    _SIGN_UP_INVITATIONS.append(kind)


def agency_invitation_in_session(request) -> AgencyInvitation | None:
    invitation_id = request.session.get(INVITATION_SESSION_KEY)
    if invitation_id is None:
        return None
    return AgencyInvitation.objects.open().filter(pk=invitation_id).select_related("agency").first()


def other_invitation_in_session(request) -> tuple[SignUpInvitation | None, object | None]:
    for kind in _SIGN_UP_INVITATIONS:
        invitation_id = request.session.get(kind.session_key)
        invitation = kind.find(invitation_id) if invitation_id is not None else None
        if invitation is not None:
            return kind, invitation
    return None, None


def invitation_in_session(request):
    """The agency or review invitation this visitor's link brought, or None."""
    return agency_invitation_in_session(request) or other_invitation_in_session(request)[1]


def _rebase_links(context: dict) -> dict:
    return {name: rebased(value) if isinstance(value, str) and value.startswith(("http://",
                                                                               "https://"))
            else value for name, value in context.items()}


def lockout_minutes() -> int:
    """How long a locked account waits: the per-account window of the failed sign-in limit."""
    rates = [parse_rate(rate) for rate in account_settings.RATE_LIMITS["login_failed"].split(",")]
    return max(1, round(max(rate.duration for rate in rates if rate.per == "key") / 60))


def _who_is_signing_in(request):
    """The account a refused attempt was for: the signed-in person, or the one whose sign-in
    waits for its two-step code."""
    if request.user.is_authenticated:
        return request.user
    pending = unstash_login(request, peek=True)
    return pending.user if pending is not None else None


def sign_in_to_answer(request, email: str, session_key: str, invitation_id):
    """Where an invitation's link sends someone not signed in: to sign in if the invited
    address has an account, else to sign up (open to that address only), and either way
    back to the link, which asks them to confirm."""
    back = f"?{urlencode({'next': request.path})}"
    if get_user_model().objects.filter(email__iexact=email).exists():
        return redirect(reverse("account_login") + back)
    request.session[session_key] = invitation_id
    # The link arrived at this address, so the address is verified: allauth skips its email.
    get_adapter(request).stash_verified_email(request, email)
    return redirect(reverse("account_signup") + back)


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    @property
    def error_messages(self):
        # The same words whether or not the address has an account (no enumeration).
        return {**DefaultAccountAdapter.error_messages, "too_many_login_attempts": (
            f"There have been too many attempts to sign in. Wait {lockout_minutes()} minutes, "
            "then try again, or reset your password with \"Forgotten your password?\". If you "
            "still cannot sign in, contact the person who invited you to the portal.")}

    def is_open_for_signup(self, request):
        return invitation_in_session(request) is not None

    def send_mail(self, template_prefix, email, context):
        """allauth's emails (password reset, address confirmation, account notices) go
        through the outbox like every other email, their links on BASE_URL."""
        request = self.request
        context = _rebase_links({"request": request, "email": email,
                                 "current_site": get_current_site(request), **context})
        message = self.render_mail(template_prefix, email, context)
        queue_email(key=f"account:{template_prefix.rpartition('/')[2]}:{uuid.uuid4()}",
                    to=email, subject=message.subject, text=message.body)

    def validation_error(self, code, *args):
        if code == "too_many_login_attempts":
            audit.locked_out(self.request, _who_is_signing_in(self.request),
                             email=self.request.POST.get("login", ""))
        return super().validation_error(code, *args)

    def reauthenticate(self, user, password):
        confirmed = super().reauthenticate(user, password)
        if confirmed:
            audit.record(AuditEntry.Action.REAUTHENTICATED, self.request, user,
                         detail="password")
        return confirmed

    def is_reauthentication_required(self, *, app, **kwargs):
        # Someone who typed their password moments ago (as every agency member does right
        # before the compulsory MFA enrolment) is not asked for it again.
        records = get_authentication_records(self.request, self.request.user)
        cutoff = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
        if any(r.get("method") == "password" and r.get("at", 0) > cutoff for r in records):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def clean_email(self, email):
        invitation = invitation_in_session(self.request)
        if invitation is not None and email.lower() != invitation.email.lower():
            raise forms.ValidationError(
                f"Use the email address your invitation was sent to: {invitation.email}"
            )
        return email

    def save_user(self, request, user, form, commit=True):
        user = self._save_invitee(request, user, form, commit)
        # Choosing a password is typing it: the two-step enrolment that follows a
        # professional's sign-up does not ask for it again.
        record_authentication(request, user, method="password", email=user.email)
        return user

    def _save_invitee(self, request, user, form, commit):
        invitation = agency_invitation_in_session(request)
        if invitation is None:
            return self._save_other_invitee(request, user, form, commit)
        user.first_name = user.first_name or invitation.first_name
        user.last_name = user.last_name or invitation.last_name
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # The account only: they join the agency on the link's confirmation page, where
            # sign-up sends them back.
            request.session.pop(INVITATION_SESSION_KEY, None)
        return user

    def _save_other_invitee(self, request, user, form, commit):
        kind, invitation = other_invitation_in_session(request)
        first, _, last = invitation.name.partition(" ")
        user.first_name = user.first_name or first
        user.last_name = user.last_name or last
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            kind.accept(invitation, user)
            request.session.pop(kind.session_key, None)
        return user


class PortalMFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": "Your role needs two-step sign-in, so it cannot be "
                                       "switched off",
    }

    def can_delete_authenticator(self, authenticator):
        """Professionals cannot switch two-step off: a lost phone is handled by a recovery
        code or by staff resetting it (audited)."""
        return not authenticator.user.must_use_mfa
