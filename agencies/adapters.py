"""allauth adapter: sign-up is open only to someone holding an invitation to that address."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from agencies.models import AgencyInvitation

INVITATION_SESSION_KEY = "portal_agency_invitation"


def invitation_in_session(request) -> AgencyInvitation | None:
    invitation_id = request.session.get(INVITATION_SESSION_KEY)
    if invitation_id is None:
        return None
    return AgencyInvitation.objects.open().filter(pk=invitation_id).select_related("agency").first()


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return invitation_in_session(request) is not None

    def clean_email(self, email):
        invitation = invitation_in_session(self.request)
        if invitation is not None and email.lower() != invitation.email.lower():
            raise forms.ValidationError(
                f"Use the email address your invitation was sent to: {invitation.email}"
            )
        return email

    def save_user(self, request, user, form, commit=True):
        invitation = invitation_in_session(request)
        user.first_name = user.first_name or invitation.first_name
        user.last_name = user.last_name or invitation.last_name
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            invitation.accept(user)
            request.session.pop(INVITATION_SESSION_KEY, None)
        return user
