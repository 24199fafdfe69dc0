"""Changes to who belongs where, and to how they sign in: each is in the audit trail with
who made it and whose it was (never anything about a child)."""

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from agencies import audit
from agencies.models import AgencyInvitation, AuditEntry, Membership


def describe(membership: Membership) -> str:
    return (f"{membership.user.email}: {membership.get_role_display()}, "
            f"{membership.agency.name}")


def record_change(request, actor, membership: Membership, what: str) -> None:
    audit.record(AuditEntry.Action.MEMBERSHIP_CHANGED, request, actor,
                 detail=f"{describe(membership)} ({what})")


def do_accept_agency_invitation(invitation: AgencyInvitation, user, request=None) -> Membership:
    """The person the invitation names joins the agency, with the role it gives."""
    if user.email.lower() != invitation.email.lower():
        raise ValidationError("This invitation was sent to someone else")
    with transaction.atomic():
        membership = invitation.accept(user)
        audit.record(AuditEntry.Action.INVITATION_ACCEPTED, request, user,
                     detail=invitation.agency.name)
        inviter = invitation.invited_by.email if invitation.invited_by else "someone since removed"
        record_change(request, user, membership, f"joined by invitation from {inviter}")
    return membership


def do_reset_two_step(person, actor, request=None) -> None:
    """Remove every way `person` proves their second step (authenticator app, recovery
    codes): at their next sign-in they set one up again, as on their first."""
    if person.pk == actor.pk:
        # A lost device is replaced by a colleague's check that it is really them.
        raise PermissionDenied("Nobody resets their own two-step sign-in")
    with transaction.atomic():
        Authenticator.objects.filter(user=person).delete()
        audit.record(AuditEntry.Action.MFA_RESET_BY_STAFF, request, actor,
                     detail=f"for {person.email}")
