"""allauth adapter: sign-up is open only to someone holding an invitation to that address."""

import time
from urllib.parse import urlencode

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.authentication import get_authentication_records
from django import forms
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import reverse

from agencies.models import AgencyInvitation

INVITATION_SESSION_KEY = "portal_agency_invitation"
# A review invitation's link (reviews/views/coordinator.py) opens sign-up the same way.
REVIEW_INVITATION_SESSION_KEY = "portal_review_invitation"


def agency_invitation_in_session(request) -> AgencyInvitation | None:
    invitation_id = request.session.get(INVITATION_SESSION_KEY)
    if invitation_id is None:
        return None
    return AgencyInvitation.objects.open().filter(pk=invitation_id).select_related("agency").first()


def review_invitation_in_session(request):
    invitation_id = request.session.get(REVIEW_INVITATION_SESSION_KEY)
    if invitation_id is None:
        return None
    from reviews.models import Invitation  # reviews depends on agencies, not the reverse

    return Invitation.objects.current().filter(pk=invitation_id, user__isnull=True,
                                               sent_at__isnull=False).first()


def invitation_in_session(request):
    """The agency or review invitation this visitor's link brought, or None."""
    return agency_invitation_in_session(request) or review_invitation_in_session(request)


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
    def is_open_for_signup(self, request):
        return invitation_in_session(request) is not None

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
        invitation = agency_invitation_in_session(request)
        if invitation is None:
            return self._save_review_invitee(request, user, form, commit)
        user.first_name = user.first_name or invitation.first_name
        user.last_name = user.last_name or invitation.last_name
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # The account only: they join the agency on the link's confirmation page, where
            # sign-up sends them back.
            request.session.pop(INVITATION_SESSION_KEY, None)
        return user

    def _save_review_invitee(self, request, user, form, commit):
        from reviews.scheduling import do_accept_invitation

        invitation = review_invitation_in_session(request)
        first, _, last = invitation.name.partition(" ")
        user.first_name = user.first_name or first
        user.last_name = user.last_name or last
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            do_accept_invitation(invitation, user)
            request.session.pop(REVIEW_INVITATION_SESSION_KEY, None)
        return user
