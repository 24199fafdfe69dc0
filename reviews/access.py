"""The one access rule: which reviews a person may see, and what they may do there.

Every view, consumer, feed and export asks this module; none decides for itself.

- LA coordinators and LA SEND leads: every review of their authority's children.
- A setting's SENCO (or a coordinator at a school): reviews of children at that setting.
- Invited people: the reviews they are invited to, until 90 days after the review closes.
- Families: their own children's reviews.
- Agency leads: reviews their agency is invited to.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from agencies import audit
from agencies.models import Agency, AuditEntry, Discipline, Membership, Role
from reviews.models import ACCESS_AFTER_CLOSE, FamilyMember, Invitation, Review


@dataclass(frozen=True)
class Standing:
    """Where a person stands, read once per request from their memberships."""

    la_authorities: frozenset = field(default_factory=frozenset)
    settings: frozenset = field(default_factory=frozenset)
    led_agencies: frozenset = field(default_factory=frozenset)
    is_professional: bool = False

    @classmethod
    def of(cls, user) -> "Standing":
        if not user.is_authenticated or not user.is_active:
            return cls()
        la, schools, led = set(), set(), set()
        memberships = Membership.objects.filter(user=user, is_active=True).values_list(
            "agency_id", "agency__kind", "agency__authority_id", "role", "discipline")
        rows = list(memberships)
        for agency_id, kind, authority_id, role, discipline in rows:
            if kind == Agency.Kind.LA_SEND and role in (Role.COORDINATOR, Role.LEAD):
                la.add(authority_id)
            if kind == Agency.Kind.SCHOOL and (role == Role.COORDINATOR
                                                or discipline == Discipline.SENCO):
                schools.add(agency_id)
            if role == Role.LEAD:
                led.add(agency_id)
        return cls(frozenset(la), frozenset(schools), frozenset(led), bool(rows))


def _invited_to(user):
    cutoff = timezone.now() - ACCESS_AFTER_CLOSE
    return Invitation.objects.current().filter(user=user).filter(
        Q(review__closed_at__isnull=True) | Q(review__closed_at__gte=cutoff)
    ).values("review_id")


def visible_reviews(user, standing: Standing | None = None):
    """Every review this person may see, as a queryset to filter further."""
    if not user.is_authenticated or not user.is_active:
        return Review.objects.none()
    standing = standing or Standing.of(user)
    rule = Q(pk__in=_invited_to(user))
    rule |= Q(plan__child__in=FamilyMember.objects.filter(user=user).values("child_id"))
    if standing.la_authorities:
        rule |= Q(plan__child__authority_id__in=standing.la_authorities)
    if standing.settings:
        rule |= Q(plan__child__setting_id__in=standing.settings)
    if standing.led_agencies:
        rule |= Q(pk__in=Invitation.objects.current().filter(
            agency_id__in=standing.led_agencies).values("review_id"))
    return Review.objects.filter(rule)


@dataclass(frozen=True)
class ReviewAccess:
    """What one person may do on one review."""

    review: Review
    can_manage: bool
    invitation: Invitation | None
    is_family: bool
    is_professional: bool
    is_la_officer: bool = False

    @property
    def can_advise(self) -> bool:
        return bool(self.invitation and self.invitation.advice_requested
                    and self.invitation.role != Invitation.Role.FAMILY and self.review.is_open)

    @property
    def can_give_family_views(self) -> bool:
        return self.is_family and self.review.is_open

    @property
    def can_join_meeting(self) -> bool:
        """The coordinator side, the invited, the family: not everyone who may read."""
        return self.can_manage or self.invitation is not None or self.is_family

    @property
    def can_decide(self) -> bool:
        """Only the local authority decides after a review (SEND Regs 2014 regs 20-22),
        even where a school convened it."""
        return self.is_la_officer

    @property
    def sees_all_advice(self) -> bool:
        """Before circulation each contributor sees only their own advice. The published
        report sends everyone its summary of every piece, with a link to it in full, so
        publishing shares it too, circulated or not."""
        return (self.can_manage or self.review.advice_circulated_at is not None
                or self.review.report_sent_on is not None)


def can_manage(user, review: Review, standing: Standing) -> bool:
    if review.coordinator_id == user.pk:
        return True
    if review.plan.child.authority_id in standing.la_authorities:
        return True
    return (review.convenor == Review.Convenor.SETTING
            and review.plan.child.setting_id in standing.settings)


def review_access(user, review_id, *, need: str = "view", request=None,
                  audit_read: bool = True) -> ReviewAccess:
    """The review and what `user` may do there; 404 if they may not see it or do `need`.

    A refusal is a 404, never a 403, so nobody learns that a review exists.
    """
    standing = Standing.of(user)
    try:
        review = visible_reviews(user, standing).with_child().select_related("plan").get(
            pk=review_id)
    except (Review.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such review") from None
    invitation = (Invitation.objects.current().filter(review=review, user=user)
                  .order_by("created_at").first())
    access = ReviewAccess(
        review=review,
        can_manage=can_manage(user, review, standing),
        invitation=invitation,
        is_family=FamilyMember.objects.filter(child_id=review.plan.child_id, user=user).exists(),
        is_professional=standing.is_professional,
        is_la_officer=review.plan.child.authority_id in standing.la_authorities,
    )
    if not _allows(access, need):
        raise Http404("No such review")
    if standing.is_professional and audit_read:
        # Staff reads of a child's record go in the audit trail.
        audit.record(AuditEntry.Action.RECORD_VIEWED, request, user, detail=f"review {review.pk}")
    return access


def _allows(access: ReviewAccess, need: str) -> bool:
    return {
        "view": True,
        "manage": access.can_manage,
        "advise": access.can_advise,
        "family": access.can_give_family_views,
        "meeting": access.can_join_meeting,
        "decide": access.can_decide,
    }[need]


@dataclass(frozen=True)
class OversightScope:
    """Whose figures a person may see on the accountability pages and exports.

    LA coordinators and leads see their whole authority (they may read every review in it
    already); an agency lead sees only their own agency's rows. Families and practitioners
    see no dashboards at all.
    """

    authorities: frozenset = field(default_factory=frozenset)
    agencies: frozenset = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not (self.authorities or self.agencies)

    @property
    def sees_authority(self) -> bool:
        return bool(self.authorities)


def oversight_scope(user, standing: Standing | None = None) -> OversightScope:
    if not user.is_authenticated or not user.is_active:
        return OversightScope()
    standing = standing or Standing.of(user)
    return OversightScope(authorities=standing.la_authorities, agencies=standing.led_agencies)
