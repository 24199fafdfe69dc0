"""Accepting an agency invitation: the one way a professional gets an account."""

from allauth.account.adapter import get_adapter
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render

from agencies import audit
from agencies.adapters import INVITATION_SESSION_KEY
from agencies.models import AgencyInvitation, AuditEntry


def accept_invitation(request, token):
    invitation = AgencyInvitation.objects.for_token(token)
    if invitation is None:
        return render(request, "agencies/invitation_invalid.html", status=404)
    existing = get_user_model().objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        # Someone who already has an account joins the agency and signs in as usual.
        invitation.accept(existing)
        audit.record(AuditEntry.Action.INVITATION_ACCEPTED, request, existing,
                     detail=invitation.agency.name)
        return redirect("account_login")
    request.session[INVITATION_SESSION_KEY] = invitation.pk
    # The link arrived at this address, so the address is verified: allauth skips its email.
    get_adapter(request).stash_verified_email(request, invitation.email)
    return redirect("account_signup")
