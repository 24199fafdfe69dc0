"""An agency invitation's link: the one way a professional joins an agency.

Opening the link changes nothing (mail scanners open links): the person it names, signed
in, confirms on the page it shows. Anyone not signed in signs in, or signs up if the
address has no account, and comes back to that page.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render

from agencies import memberships
from agencies.adapters import INVITATION_SESSION_KEY, sign_in_to_answer
from agencies.models import AgencyInvitation


def accept_invitation(request, token):
    invitation = AgencyInvitation.objects.for_token(token)
    if invitation is None:
        return render(request, "agencies/invitation_invalid.html",
                      {"valid_days": AgencyInvitation.VALID_FOR.days}, status=404)
    if not request.user.is_authenticated:
        return sign_in_to_answer(request, invitation.email, INVITATION_SESSION_KEY,
                                 invitation.pk)
    if request.user.email.lower() != invitation.email.lower():
        return render(request, "agencies/invitation_invalid.html",
                      {"other_account": True, "valid_days": AgencyInvitation.VALID_FOR.days},
                      status=404)
    if request.method == "POST":
        memberships.do_accept_agency_invitation(invitation, request.user, request)
        messages.success(request, f"You have joined {invitation.agency.name}.")
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "agencies/invitation_confirm.html", {"invitation": invitation})
