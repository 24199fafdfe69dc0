"""Independent advocacy after the family says yes: a referral to the authority's advocacy
provider, whose lead assigns a named advocate; the advocate is then invited to the review
like anyone else, and the family is told who it is.

Views call these functions; tests call them directly. Each change records an Event in the
same transaction, and doing the same thing twice changes nothing the second time.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Discipline, Membership, Role
from common.links import absolute_url
from outbox.mail import queue_email
from reviews import events, presenters
from reviews.access import family_told
from reviews.invitees import Invitee
from reviews.models import AdvocacyReferral, FamilyMember, Invitation, Review
from reviews.scheduling import do_add_invitations, do_remove_invitation, do_send_invitations


def advocacy_provider(authority_id) -> Agency | None:
    """The authority's advocacy provider: the organisation whose people are invited (the
    first by name, if it has several)."""
    return (Agency.objects.filter(authority_id=authority_id, kind=Agency.Kind.ADVOCACY)
            .order_by("name").first())


def referral_of(review: Review) -> AdvocacyReferral | None:
    return (AdvocacyReferral.objects.filter(review=review)
            .select_related("provider", "advocate").first())


# ---------------------------------------------------------------------------
# The family says yes, or changes their mind
# ---------------------------------------------------------------------------


def do_refer(review: Review, actor) -> AdvocacyReferral | None:
    """Refer the family to the authority's advocacy provider, whose leads are emailed a
    link to assign an advocate. Called inside the family's answer's transaction."""
    provider = advocacy_provider(review.plan.child.authority_id)
    if provider is None:
        events.record(review, "advocate_not_invited",
                      "The family asked for an independent advocate, but no advocacy provider "
                      "is set up for this authority: arrange one by hand", actor=actor)
        _tell_coordinator_no_provider(review)
        return None
    referral, created = AdvocacyReferral.objects.select_for_update().get_or_create(
        review=review, defaults={"provider": provider})
    if not created and referral.withdrawn_at is None:
        return referral  # asked already
    if not created:
        referral.provider, referral.withdrawn_at = provider, None
        referral.referred_at = timezone.now()
        referral.save(update_fields=["provider", "withdrawn_at", "referred_at"])
    leads = _leads(provider)
    events.record(review, "advocacy_referred",
                  f"The family asked for an independent advocate: referred to {provider.name}",
                  actor=actor, provider=provider.pk)
    for lead in leads:
        _email(f"advocacy-referral:{referral.pk}:{referral.referred_at.isoformat()}:{lead.pk}",
               lead.email, f"A family has asked for an advocate: {_reference(review)}",
               "reviews/email/advocacy_referral.txt", review,
               {"name": str(lead), "provider": provider,
                "link": absolute_url(reverse("reviews:advocacy_referral", args=[review.pk]))})
    if not leads:
        _tell_coordinator_no_provider(review, provider)
    return referral


def do_withdraw_referral(review: Review, actor) -> None:
    """The family no longer wants an advocate: the referral is withdrawn and an advocate
    already assigned is no longer invited (their calendar entry is cancelled)."""
    referral = AdvocacyReferral.objects.select_for_update().filter(
        review=review, withdrawn_at__isnull=True).first()
    if referral is None:
        return
    referral.withdrawn_at = timezone.now()
    referral.save(update_fields=["withdrawn_at"])
    events.record(review, "advocacy_referral_withdrawn",
                  f"The family no longer wants an advocate: the referral to "
                  f"{referral.provider.name} is withdrawn", actor=actor)
    invitation = _advocates_invitation(referral)
    if invitation is not None:
        do_remove_invitation(invitation, actor)


# ---------------------------------------------------------------------------
# The provider's lead assigns an advocate
# ---------------------------------------------------------------------------


def advocates_to_choose(provider: Agency) -> list[Membership]:
    """The provider's people, advocates first: anyone active there may be the advocate."""
    return list(Membership.objects.filter(agency=provider, is_active=True)
                .select_related("user")
                .annotate(advocate_first=Case(When(discipline=Discipline.ADVOCATE,
                                                   then=Value(0)),
                                              default=Value(1), output_field=IntegerField()))
                .order_by("advocate_first", "user__first_name", "user__last_name"))


def may_assign(user, access, referral: AdvocacyReferral) -> bool:
    """The provider's lead, or whoever manages the review (the coordinator side)."""
    return access.can_manage or Membership.objects.filter(
        user=user, agency_id=referral.provider_id, role=Role.LEAD, is_active=True).exists()


def do_assign_advocate(review: Review, actor, advocate) -> AdvocacyReferral:
    """Make ``advocate`` (an active member of the provider) the family's advocate: invited
    to the review (their invitation goes now if the others' have gone), told, and the family
    told who it is. Choosing someone else removes the first advocate's invitation."""
    with transaction.atomic():
        referral = AdvocacyReferral.objects.select_for_update().select_related(
            "provider").get(review=review)
        if referral.withdrawn_at is not None:
            raise ValidationError("The family no longer wants an advocate", code="withdrawn")
        if referral.advocate_id == advocate.pk:
            return referral  # chosen already (a double click)
        membership = Membership.objects.filter(user=advocate, agency=referral.provider,
                                               is_active=True).first()
        if membership is None:
            raise ValidationError(f"Choose someone who works at {referral.provider.name}",
                                  code="not_at_provider")
        before = _advocates_invitation(referral)
        if before is not None:
            do_remove_invitation(before, actor)
        referral.advocate, referral.assigned_at = advocate, timezone.now()
        referral.assigned_by = actor
        referral.save(update_fields=["advocate", "assigned_at", "assigned_by"])
        do_add_invitations(review, actor, [Invitee(
            str(advocate), advocate.email, Invitation.Role.ADVOCATE, agency=referral.provider,
            user=advocate, discipline=membership.discipline, reason="Asked for by the family")])
        events.record(review, "advocate_assigned",
                      f"{advocate} from {referral.provider.name} is the family's advocate",
                      actor=actor, advocate=advocate.pk)
        if review.invitations_sent_at is not None:
            _send_now(review, actor)
        _tell_advocate(review, referral)
        _tell_family(review, referral)
    return referral


def _advocates_invitation(referral: AdvocacyReferral) -> Invitation | None:
    if referral.advocate_id is None:
        return None
    return Invitation.objects.current().filter(review_id=referral.review_id,
                                               role=Invitation.Role.ADVOCATE,
                                               user_id=referral.advocate_id).first()


def _send_now(review: Review, actor) -> None:
    """The others have had their invitations, so the advocate's goes now."""
    try:
        do_send_invitations(review, actor)
    except ValidationError as refused:
        # Say, a required role was withdrawn since: the advocate is still the family's, and
        # the coordinator sends the invitation with the others.
        events.record(review, "advocate_invitation_waiting",
                      "The advocate's invitation is waiting: send it with the others",
                      actor=actor, reason="; ".join(refused.messages))


# ---------------------------------------------------------------------------
# Who is told
# ---------------------------------------------------------------------------


def _leads(provider: Agency):
    return [m.user for m in Membership.objects.filter(
        agency=provider, role=Role.LEAD, is_active=True, user__is_active=True)
        .select_related("user").order_by("user__last_name")]


def _reference(review: Review) -> str:
    child = review.plan.child
    return f"{child.initials} ({child.la_reference})"


def _email(key, to, subject, template, review, context) -> None:
    queue_email(key, to, subject, render_to_string(template, {
        "review": review, "reference": _reference(review),
        "meeting": presenters.meeting_text(review.meeting_at),
        "service_name": settings.SITE_NAME, **context}))


def _tell_coordinator_no_provider(review: Review, provider: Agency | None = None) -> None:
    """Nobody at the provider can assign an advocate on the portal: the coordinator
    arranges it."""
    _email(f"advocacy-no-lead:{review.pk}:{timezone.now().isoformat()}",
           review.coordinator.email, f"Arrange an advocate: {_reference(review)}",
           "reviews/email/advocacy_no_lead.txt", review,
           {"name": str(review.coordinator), "provider": provider,
            "link": absolute_url(reverse("reviews:review", args=[review.pk]))})


def _tell_advocate(review: Review, referral: AdvocacyReferral) -> None:
    _email(f"advocate-assigned:{referral.pk}:{referral.assigned_at.isoformat()}",
           referral.advocate.email,
           f"You are the advocate for a review: {_reference(review)}",
           "reviews/email/advocacy_assigned_advocate.txt", review,
           {"name": str(referral.advocate), "provider": referral.provider,
            "link": absolute_url(reverse("reviews:review", args=[review.pk]))})


def _tell_family(review: Review, referral: AdvocacyReferral) -> None:
    family = family_told(review.plan.child_id).exclude(email="")
    for member in family:
        if not (member.parental_responsibility
                or member.relationship == FamilyMember.Relationship.YOUNG_PERSON):
            continue
        _email(f"advocate-for-family:{referral.pk}:{referral.assigned_at.isoformat()}:{member.pk}",
               member.email, "Your advocate for the review",
               "reviews/email/advocacy_assigned_family.txt", review,
               {"name": member.name, "advocate": referral.advocate,
                "provider": referral.provider,
                "link": absolute_url(reverse("reviews:family_review", args=[review.pk]))})
