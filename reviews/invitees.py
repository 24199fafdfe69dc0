"""Who should be invited to a review: the people the law and the child's record name,
proposed to the coordinator (``proposed_invitees``), and the ``Invitee`` the coordinator's
form makes of someone typed in. Inviting them is reviews/scheduling.py's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import Q
from django.utils import timezone

from agencies.models import Agency, Discipline, Membership, Role
from reviews import clock
from reviews.access import family_told
from reviews.models import FamilyMember, Invitation, NamedProfessional, Review


@dataclass(frozen=True)
class Invitee:
    """Someone the coordinator may invite: proposed by the portal or typed in."""

    name: str
    email: str
    role: str
    agency: Agency | None = None
    user: object = None
    discipline: str = ""
    reason: str = ""
    suggested: bool = False

    @property
    def key(self) -> str:
        """Stable across requests, so a ticked box means the same person on submit."""
        return f"{self.role}:{self.email.lower()}"

    @property
    def role_label(self) -> str:
        return Invitation.Role(self.role).label


def _members(authority_id, *, kinds, disciplines=(), roles=()):
    wanted = Q(discipline__in=disciplines) | Q(role__in=roles)
    return (Membership.objects.filter(is_active=True, agency__authority_id=authority_id,
                                      agency__kind__in=kinds).filter(wanted)
            .select_related("user", "agency").order_by("agency__name", "user__last_name"))


def _member(membership, role, reason) -> Invitee:
    return Invitee(name=str(membership.user), email=membership.user.email, role=role,
                   agency=membership.agency, user=membership.user,
                   discipline=membership.discipline, reason=reason)


class _Proposals:
    """One entry per email address, in the order added. ``tick``: True for people always
    asked (the family, named professionals), False for suggestions left to the
    coordinator, None for "the first candidate for a role nobody covers yet"."""

    def __init__(self):
        self.items: list[Invitee] = []
        self._emails: set[str] = set()
        self._covered: set[str] = set()

    def add(self, invitee: Invitee, tick: bool | None = None) -> None:
        if invitee.email.lower() in self._emails:
            return
        suggested = (invitee.role not in self._covered) if tick is None else tick
        if suggested:
            self._covered.add(invitee.role)
        self._emails.add(invitee.email.lower())
        self.items.append(replace(invitee, suggested=suggested))


def proposed_invitees(review: Review, today: dt.date | None = None) -> list[Invitee]:
    """Who the law and the child's record say should be asked: the family, the setting's
    SENCO or head, an LA SEN officer, the child's named professionals (health and social
    care among them), the health commissioner's DCO or lead, the social care duty inbox,
    and from Year 9 post-16 contacts."""
    today = today or timezone.localdate()
    child = review.plan.child
    authority = child.authority_id
    proposals = _Proposals()

    # Someone without email is invited by letter (reviews/post.py), not on this list.
    for member in family_told(child.pk, today).exclude(email="").select_related("user"):
        if member.parental_responsibility or member.relationship == \
                FamilyMember.Relationship.YOUNG_PERSON:
            proposals.add(Invitee(member.name, member.email, Invitation.Role.FAMILY,
                                  user=member.user, reason=member.get_relationship_display()),
                          tick=True)

    if child.setting_id:
        for m in (Membership.objects.filter(agency_id=child.setting_id, is_active=True,
                                            discipline__in=[Discipline.SENCO,
                                                            Discipline.HEADTEACHER])
                  .select_related("user", "agency").order_by("-discipline", "user__last_name")):
            proposals.add(_member(m, Invitation.Role.SETTING, m.get_discipline_display()))

    coordinator_la = Membership.objects.filter(
        user_id=review.coordinator_id, is_active=True, agency__kind=Agency.Kind.LA_SEND,
        agency__authority_id=authority).select_related("user", "agency").first()
    if coordinator_la is not None:
        proposals.add(_member(coordinator_la, Invitation.Role.LA_SEN, "Review coordinator"))
    for m in _members(authority, kinds=[Agency.Kind.LA_SEND], roles=[Role.COORDINATOR]):
        proposals.add(_member(m, Invitation.Role.LA_SEN, "SEND team"))

    for n in (NamedProfessional.objects.filter(child=child)
              .select_related("user", "agency").order_by("discipline")):
        role = {Agency.Kind.NHS: Invitation.Role.HEALTH,
                Agency.Kind.SOCIAL_CARE: Invitation.Role.SOCIAL_CARE}.get(
                    n.agency.kind, Invitation.Role.PROFESSIONAL)
        proposals.add(Invitee(str(n.user), n.user.email, role, agency=n.agency, user=n.user,
                              discipline=n.discipline,
                              reason=f"Named {n.get_discipline_display().lower()}"),
                      tick=True)
    for m in _members(authority, kinds=[Agency.Kind.NHS],
                      disciplines=[Discipline.DESIGNATED_CLINICAL_OFFICER], roles=[Role.LEAD]):
        proposals.add(_member(m, Invitation.Role.HEALTH,
                              m.get_discipline_display() or m.get_role_display()))
    for agency in Agency.objects.filter(authority_id=authority, kind=Agency.Kind.SOCIAL_CARE) \
            .exclude(email="").order_by("name"):
        proposals.add(Invitee(agency.name, agency.email, Invitation.Role.SOCIAL_CARE,
                              agency=agency, reason="Duty inbox"))

    if clock.is_preparing_for_adulthood(child.year_group(today),
                                        durations=clock.durations_from_settings()):
        for m in _members(authority, kinds=[Agency.Kind.SCHOOL, Agency.Kind.OTHER],
                          disciplines=[Discipline.CAREERS_ADVISER]):
            proposals.add(_member(m, Invitation.Role.ADULTHOOD, "Post-16 and careers"),
                          tick=False)
    return proposals.items

