"""Who runs a family's review, and how they reach them: ``coordinator_contact(review)``,
the review's coordinator with an email and their team's phone. Every page and email that
names the coordinator to a family asks it. The services that help (SENDIASS, advocacy,
mediation...) are the authority's own contacts: agencies/contacts.py."""

from __future__ import annotations

from dataclasses import dataclass

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
