"""Who a family can reach: the person who runs their review, and the services that help.

Two functions, and every page, letter and email that names a contact asks them:

- ``coordinator_contact(review)``: the review's coordinator with an email and a phone;
- ``service_contacts(authority_id)``: the authority's SENDIASS, advocacy, mediation and
  disagreement resolution services.

Until the authority holds its service contacts itself, they are read from the agencies of
kind SENDIASS and advocacy and from the authority's mediation service record: this module
is the one place to change when that moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps

from agencies.models import Agency, Membership
from reviews.models import Review


@dataclass(frozen=True)
class CoordinatorContact:
    """The person who runs a review, as a family reaches them."""

    name: str
    email: str
    team: str = ""
    phone: str = ""  # the team's line: people move desks, the team's number stays


def coordinator_contact(review: Review) -> CoordinatorContact:
    """The coordinator's name, email and team, and their team's phone. The team is the one
    they run this review for: the child's school or college when it convenes, else the
    authority's SEND team. One query."""
    return coordinator_contacts([review])[review.pk]


def coordinator_contacts(reviews) -> dict:
    """``coordinator_contact`` for each of ``reviews`` (fetched with their child and
    coordinator), by review id: one query however many."""
    reviews = list(reviews)
    if not reviews:
        return {}
    teams: dict = {}
    for membership in (Membership.objects.filter(
            user_id__in={r.coordinator_id for r in reviews}, is_active=True)
            .select_related("agency")):
        teams.setdefault(membership.user_id, []).append(membership)
    return {review.pk: _contact(review, teams.get(review.coordinator_id, []))
            for review in reviews}


def _contact(review: Review, memberships: list[Membership]) -> CoordinatorContact:
    coordinator, child = review.coordinator, review.plan.child

    def rank(membership: Membership) -> int:
        agency = membership.agency
        if review.convenor == Review.Convenor.SETTING and agency.pk == child.setting_id:
            return 0
        return 1 if agency.kind == Agency.Kind.LA_SEND else 2

    mine = [m for m in memberships if m.agency.authority_id == child.authority_id]
    membership = min(mine, key=rank, default=None)
    if membership is None:
        return CoordinatorContact(str(coordinator), coordinator.email)
    return CoordinatorContact(str(coordinator), coordinator.email,
                              team=membership.agency.name, phone=membership.agency.phone)


@dataclass(frozen=True)
class ServiceContacts:
    """Each service has a name, phone, email and website (decisions/_contact.html)."""

    sendiass: list = field(default_factory=list)
    advocacy: list = field(default_factory=list)
    mediation: object = None
    # No record holds a disagreement resolution service yet (CFA 2014 s57): empty until the
    # authority's own contacts do.
    disagreement_resolution: list = field(default_factory=list)


def service_contacts(authority_id) -> ServiceContacts:
    """The authority's help services, from its records: two queries."""
    agencies = list(Agency.objects.filter(
        authority_id=authority_id, kind__in=[Agency.Kind.SENDIASS, Agency.Kind.ADVOCACY])
        .order_by("name"))
    # The decisions app keeps the mediation service and builds on this one: asked by name.
    mediation = apps.get_model("decisions", "MediationService")
    return ServiceContacts(
        sendiass=[a for a in agencies if a.kind == Agency.Kind.SENDIASS],
        advocacy=[a for a in agencies if a.kind == Agency.Kind.ADVOCACY],
        mediation=mediation.objects.filter(authority_id=authority_id).first(),
    )
