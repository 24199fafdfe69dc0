"""The link in every invitation email: the invitation it belongs to, whose it is, and
accepting it, which binds the invitation (and a family's record) to the account that
followed it. Sending the invitations is reviews/scheduling.py's."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from reviews import events
from reviews.models import FamilyMember, Invitation, hash_token


def invitation_link(token: str) -> str:
    return settings.BASE_URL.rstrip("/") + reverse("reviews:invitation_link", args=[token])


def invitation_for_token(token: str) -> Invitation | None:
    """The current invitation an emailed link belongs to, or None."""
    return (Invitation.objects.current().filter(token_hash=hash_token(token))
            .select_related("review", "user").first())


def invitation_is_for(invitation: Invitation, user) -> bool:
    """The account the invitation is bound to, or before it is bound, any account with the
    address it was sent to."""
    if invitation.user_id is not None:
        return invitation.user_id == user.pk
    return user.email.lower() == invitation.email.lower()


# Where an invitation's link keeps it while its person signs up (agencies.adapters).
REVIEW_INVITATION_SESSION_KEY = "portal_review_invitation"


def invitation_open_to_sign_up(invitation_id) -> Invitation | None:
    """The sent invitation a link brought that no account has taken yet."""
    return Invitation.objects.current().filter(pk=invitation_id, user__isnull=True,
                                               sent_at__isnull=False).first()


def invitation_is_accepted(invitation: Invitation, user) -> bool:
    """Nothing is left for `do_accept_invitation` to do for this person."""
    if invitation.user_id != user.pk:
        return False
    return invitation.role != Invitation.Role.FAMILY or FamilyMember.objects.filter(
        child_id=invitation.review.plan.child_id, user=user).exists()


def do_accept_invitation(invitation: Invitation, user) -> Invitation:
    """Bind an invitation (and, for a family, the child's family record) to the account
    made or signed in from its link. Only ever to the address it was sent to."""
    if not invitation_is_for(invitation, user):
        raise ValidationError("This invitation was sent to someone else")
    with transaction.atomic():
        linked = Invitation.objects.filter(pk=invitation.pk, user__isnull=True).update(user=user)
        if invitation.role == Invitation.Role.FAMILY:
            _put_on_family_record(invitation, user)
        if linked:
            events.record(invitation.review, "invitation_accepted",
                          f"{invitation.name} opened their invitation and signed in",
                          actor=user, invitation=str(invitation.pk))
    invitation.refresh_from_db()
    return invitation


def _put_on_family_record(invitation: Invitation, user) -> None:
    """A family invitation puts its person on this child's family record, linked to their
    account: their row if staff made one, else a new one (as a parent, which staff correct
    on the child's record to a carer or the young person).

    Why the record and not the invitation alone: what the family is owed after the review
    hangs on the record. The authority's decision and the final plan are sent to it, the
    published report goes to it, and the family's pages open from it after the review
    closes (an appeal outlasts the review). The coordinator inviting someone in the family
    role is saying they are the child's parent or the young person, and following the link
    proves the address. Only this child's record: other children's reviews stay closed."""
    child_id = invitation.review.plan.child_id
    linked = FamilyMember.objects.filter(child_id=child_id, email__iexact=invitation.email,
                                         user__isnull=True).update(user=user)
    if not linked:
        FamilyMember.objects.get_or_create(
            child_id=child_id, email__iexact=invitation.email,
            defaults={"email": invitation.email.lower(), "name": invitation.name, "user": user})
