"""Where a member of staff works in the Wagtail admin, and what they may grant there.

Where they work: the authorities of the agencies they are an active member of. They see,
change and choose only those authorities' records (children, plans, terms, agencies, people,
memberships, invitations). The platform's operator, a superuser who belongs to no agency,
works everywhere; anyone else who belongs to no agency works nowhere. Each model the admin
shows says how its records lead to an authority (`register`), and every admin screen,
form and chooser filters through `AdminScope` (agencies/admin_views.py).

What they may grant: an agency invitation, or a membership made in the admin, gives a role
in an agency, and nobody gives more than they hold. Roles rank practitioner < coordinator
< lead.
- The operator gives any role in any agency; another superuser, any role in any agency of
  their authorities.
- An LA SEND team's lead, or a member of staff (`is_staff`) in an authority, gives roles up
  to their own highest role there, in any agency of that authority.
- An agency's lead gives roles up to lead in that agency.
- Nobody else gives anything: a practitioner or coordinator holding the admin permission
  to send invitations still asks their lead.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from agencies.models import Agency, AgencyInvitation, LocalAuthority, Membership, Role, User

ROLE_RANK = {Role.PRACTITIONER: 0, Role.COORDINATOR: 1, Role.LEAD: 2}
TOP_RANK = max(ROLE_RANK.values())

# model -> (lookup from one of its records to its authority's id, whether it is many-valued)
_AUTHORITY_LOOKUPS: dict[type, tuple[str, bool]] = {}


def register(model, lookup: str, *, many: bool = False) -> None:
    """Say how a `model` record leads to its authority (`"child__authority"`); `many` when
    one record may lead to several (a person in two councils' agencies)."""
    _AUTHORITY_LOOKUPS[model] = (lookup, many)


register(LocalAuthority, "pk")
register(Agency, "authority")
register(Membership, "agency__authority")
register(AgencyInvitation, "agency__authority")
# A person belongs where they hold (or held) a membership: families, who hold none, are
# seen by the operator only.
register(User, "memberships__agency__authority", many=True)


def is_scoped(model) -> bool:
    return model in _AUTHORITY_LOOKUPS


def _active_memberships(user) -> list[Membership]:
    """Read once per request: the scope and the grants both come from it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = user.__dict__.get("_active_memberships")
    if cached is None:
        cached = list(Membership.objects.filter(user=user, is_active=True)
                      .select_related("agency"))
        user.__dict__["_active_memberships"] = cached
    return cached


def _is_operator(user, memberships) -> bool:
    return (user is not None and user.is_authenticated and user.is_active
            and user.is_superuser and not memberships)


@dataclass(frozen=True)
class AdminScope:
    """The authorities a member of staff works in; None for every authority."""

    authorities: frozenset | None

    @property
    def is_everywhere(self) -> bool:
        return self.authorities is None

    def filter(self, queryset):
        """The records of `queryset` in these authorities. A model nobody registered is
        refused rather than shown whole."""
        if self.authorities is None:
            return queryset
        lookup, many = _AUTHORITY_LOOKUPS[queryset.model]
        if many:
            model = queryset.model
            return queryset.filter(pk__in=model._default_manager.filter(
                **{f"{lookup}__in": self.authorities}).values("pk"))
        return queryset.filter(**{f"{lookup}__in": self.authorities})

    def contains(self, record) -> bool:
        model = type(record)
        return self.filter(model._default_manager.filter(pk=record.pk)).exists()


def admin_scope(user) -> AdminScope:
    memberships = _active_memberships(user)
    if _is_operator(user, memberships):
        return AdminScope(None)
    return AdminScope(frozenset(m.agency.authority_id for m in memberships))


@dataclass(frozen=True)
class Grants:
    """The roles a person may give, by authority (any agency in it) and by agency: each
    the highest rank they may give there."""

    everywhere: bool = False
    in_authorities: dict = field(default_factory=dict)
    in_agencies: dict = field(default_factory=dict)

    def agencies(self):
        if self.everywhere:
            return Agency.objects.all()
        return Agency.objects.filter(Q(authority_id__in=self.in_authorities)
                                     | Q(pk__in=self.in_agencies))

    def _ceiling(self, agency) -> int:
        if self.everywhere:
            return TOP_RANK
        return max(self.in_authorities.get(agency.authority_id, -1),
                   self.in_agencies.get(agency.pk, -1))

    def allows(self, agency, role) -> bool:
        return role in ROLE_RANK and ROLE_RANK[role] <= self._ceiling(agency)

    def role_choices(self) -> list[tuple[str, str]]:
        """Every role they may give somewhere (which agency is checked by `allows`)."""
        highest = TOP_RANK if self.everywhere else max(
            [*self.in_authorities.values(), *self.in_agencies.values()], default=-1)
        return [(role.value, role.label) for role in Role if ROLE_RANK[role] <= highest]


def _raise_to(ceilings: dict, key, rank: int) -> None:
    ceilings[key] = max(ceilings.get(key, -1), rank)


def grants_of(user) -> Grants:
    memberships = _active_memberships(user)
    if _is_operator(user, memberships):
        return Grants(everywhere=True)
    in_authorities, in_agencies = {}, {}
    for membership in memberships:
        agency, rank = membership.agency, ROLE_RANK[membership.role]
        if user.is_superuser:
            _raise_to(in_authorities, agency.authority_id, TOP_RANK)
        elif user.is_staff or (agency.kind == Agency.Kind.LA_SEND
                               and membership.role == Role.LEAD):
            _raise_to(in_authorities, agency.authority_id, rank)
        elif membership.role == Role.LEAD:
            _raise_to(in_agencies, agency.pk, rank)
    return Grants(in_authorities=in_authorities, in_agencies=in_agencies)
