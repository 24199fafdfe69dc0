"""Sending agency invitations: the email carries the only copy of the link's secret.

An invitation gives only a role its sender may give (the rule is in agencies/scope.py);
the admin's form offers nothing else, and this refuses anything else however it is asked.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse

from agencies import audit
from agencies.models import AgencyInvitation, AuditEntry
from agencies.scope import grants_of
from outbox.mail import queue_email


def do_invite_to_agency(invitation: AgencyInvitation, invited_by, request=None) -> AgencyInvitation:
    """Save a new invitation and queue its email in the same transaction."""
    if not grants_of(invited_by).allows(invitation.agency, invitation.role):
        raise PermissionDenied("You cannot give this role in this agency")
    token = invitation.issue_token()
    invitation.invited_by = invited_by
    invitation.save()
    link = settings.BASE_URL.rstrip("/") + reverse("accept_invitation", args=[token])
    text = render_to_string(
        "agencies/email/agency_invitation.txt",
        {"invitation": invitation, "link": link, "service_name": settings.SITE_NAME,
         "valid_days": AgencyInvitation.VALID_FOR.days},
    )
    queue_email(
        key=f"agency-invitation:{invitation.pk}", to=invitation.email,
        subject=f"You have been invited to join {invitation.agency.name} on {settings.SITE_NAME}",
        text=text,
    )
    audit.record(AuditEntry.Action.INVITATION_SENT, request, invited_by,
                 detail=f"{invitation.email} to {invitation.agency.name}")
    return invitation
