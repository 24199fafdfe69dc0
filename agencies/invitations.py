"""Sending agency invitations: the email carries the only copy of the link's secret."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from agencies import audit
from agencies.models import AgencyInvitation, AuditEntry
from outbox.mail import queue_email


def do_invite_to_agency(invitation: AgencyInvitation, invited_by, request=None) -> AgencyInvitation:
    """Save a new invitation and queue its email in the same transaction."""
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
