"""What the portal already holds for one authority, read in a few queries whatever the size
of its caseload: its schools by URN, its coordinators by email, and every child with their
plan, family, open review and last review meeting. A caseload is checked and compared
against it, so no row costs a query of its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from agencies.models import Agency, LocalAuthority, User
from imports.models import Establishment
from reviews.models import Child, FamilyMember, Plan, Review
from reviews.termly import coordinators_for

BATCH = 1000
HELD = Review.ORDER[Review.ORDER.index(Review.Status.MEETING_HELD):]


@dataclass
class HeldChild:
    child: Child
    plan: Plan | None = None  # the EHC plan in force, the latest issued if several
    family: list[FamilyMember] = field(default_factory=list)
    open_review: Review | None = None
    last_meeting: dt.date | None = None  # of the plan's reviews held
    ceased_on: dt.date | None = None  # the latest ceased plan's, with none in force


@dataclass
class Holdings:
    authority: LocalAuthority
    schools: dict[str, Agency]
    setting_types: dict[int, str]  # by agency, for the schools in the register
    coordinators: dict[str, User]  # by email, in lower case
    children: dict[str, HeldChild]  # by LA reference
    upns: dict[str, str]  # reference by UPN
    ulns: dict[str, str]

    @classmethod
    def of(cls, authority: LocalAuthority) -> Holdings:
        schools = {agency.urn: agency for agency in Agency.objects.filter(
            authority=authority, kind=Agency.Kind.SCHOOL).exclude(urn="")}
        setting_types = dict(Establishment.objects.filter(agency__authority=authority)
                             .values_list("agency_id", "setting_type"))
        # Who may coordinate a review the council convenes: reviews/termly.py's rule.
        someone = Child(authority=authority)
        coordinators = {user.email.lower(): user
                        for user in coordinators_for(someone, Review.Convenor.LA)}
        children = {child.pk: HeldChild(child) for child in
                    Child.objects.filter(authority=authority)}
        _add_plans(children, authority)
        _add_family(children, authority)
        _add_reviews(children, authority)
        by_reference = {held.child.la_reference: held for held in children.values()}
        return cls(
            authority=authority, schools=schools, setting_types=setting_types,
            coordinators=coordinators, children=by_reference,
            upns={h.child.upn: ref for ref, h in by_reference.items() if h.child.upn},
            ulns={h.child.uln: ref for ref, h in by_reference.items() if h.child.uln})

    def elsewhere(self, upns: list[str], ulns: list[str]) -> tuple[set[str], set[str]]:
        """The UPNs and ULNs among these of a child with a plan in force at another
        authority. Only the numbers come back: nothing of the other authority's child."""
        plans = Plan.objects.in_force_on(timezone.localdate()).exclude(
            child__authority=self.authority)
        return (_held_by(plans, "child__upn", upns), _held_by(plans, "child__uln", ulns))


def _held_by(plans, lookup: str, numbers: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(numbers), BATCH):
        found.update(plans.filter(**{f"{lookup}__in": numbers[start:start + BATCH]})
                     .values_list(lookup, flat=True))
    return found


def _add_plans(children: dict, authority) -> None:
    plans = Plan.objects.filter(child__authority=authority, kind=Plan.Kind.EHCP)
    in_force = set(plans.in_force_on(timezone.localdate()).values_list("pk", flat=True))
    for plan in plans.order_by("first_issued_on"):
        held = children[plan.child_id]
        plan.child = held.child
        if plan.pk in in_force:
            held.plan = plan
        elif plan.ceased_on and (held.ceased_on is None or plan.ceased_on > held.ceased_on):
            held.ceased_on = plan.ceased_on


def _add_family(children: dict, authority) -> None:
    for member in FamilyMember.objects.filter(child__authority=authority).order_by("pk"):
        children[member.child_id].family.append(member)


def _add_reviews(children: dict, authority) -> None:
    plans = {held.plan.pk: held for held in children.values() if held.plan is not None}
    reviews = Review.objects.filter(plan__child__authority=authority)
    for review in reviews.open().select_related("coordinator"):
        if review.plan_id in plans:
            review.plan = plans[review.plan_id].plan
            plans[review.plan_id].open_review = review
    met = (reviews.filter(status__in=HELD, meeting_at__isnull=False).order_by()
           .values("plan_id").annotate(last=Max("meeting_at")).values_list("plan_id", "last"))
    for plan_id, last in met:
        if plan_id in plans:
            plans[plan_id].last_meeting = timezone.localdate(last)
