"""The one access rule: which reviews a person may see, and what they may do there.

Every view, consumer, feed and export asks this module; none decides for itself.

- LA coordinators and LA SEND leads: every review of their authority's children.
- A setting's SENCO (or a coordinator at a school): reviews of children at that setting.
- Invited people: the reviews they are invited to, until 90 days after the review closes.
- Families: their own children's reviews. From the end of compulsory school age the young
  person decides which parents and carers see their review and take part (CFA 2014 s19;
  SEND Code of Practice 8.13-8.17): a parent they have not agreed to no longer does, nor
  hears of its steps (`family_told`, `invitations_told`). Before that day nothing changes.
- Agency leads: reviews their agency is invited to; an advocacy provider's lead also the
  reviews whose family is referred to it for an advocate.

Staff keeping records in the Wagtail admin see their own authorities' records only: that
rule is agencies/scope.py's, as the agencies app (which this one builds on) needs it too.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeAlias, TypeGuard

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet
from django.db.models.functions import Lower, Now
from django.http import Http404, HttpRequest
from django.utils import timezone

from agencies import audit
from agencies.models import Agency, AuditEntry, Discipline, Membership, Role, User
from common.prepared import prepared_cursor, quoted_column
from reviews import clock
from reviews.models import (
    ACCESS_AFTER_CLOSE,
    AdvocacyReferral,
    FamilyMember,
    Invitation,
    Review,
    ReviewQuerySet,
    YoungPersonDecision,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# Whoever asks: a request's user, signed in or not, or a socket's.
Person: TypeAlias = "User | AnonymousUser"
# A review's id as a URL or a socket gives it; a malformed one is refused as not found.
ReviewId: TypeAlias = uuid.UUID | str
# Where the question came from, for the audit trail: a request, or a socket's scope.
Asker: TypeAlias = HttpRequest | dict[str, Any] | None


def _school_age_ended_for_born_before(on_date: dt.date | None = None) -> dt.date:
    return clock.born_before_school_age_ended(on_date or timezone.localdate())


def _signed_in(user: Person) -> TypeGuard[User]:
    """Signed in, to an account switched on, as the request or socket has it (where the
    person stands is read again from the database: `Standing.of`)."""
    return user.is_authenticated and user.is_active


@dataclass(frozen=True)
class Standing:
    """Where a person stands, read once per request from their account and memberships."""

    la_authorities: frozenset[int] = field(default_factory=frozenset)
    settings: frozenset[int] = field(default_factory=frozenset)
    led_agencies: frozenset[int] = field(default_factory=frozenset)
    is_professional: bool = False
    # The account as the database has it now, not as a long-lived object (a WebSocket's
    # user, read when it connected) remembers it: a switched-off account stands nowhere.
    active: bool = False
    # Children born before this have passed the end of compulsory school age today: part
    # of where a person stands, so an answer kept across that day is asked again.
    born_before: dt.date = field(default_factory=_school_age_ended_for_born_before)

    @classmethod
    def of(cls, user: Person) -> Standing:
        if not _signed_in(user):
            return cls()
        la: set[int] = set()
        schools: set[int] = set()
        led: set[int] = set()
        rows = _account_and_memberships(user.pk)
        if not rows or not rows[0][0]:
            return cls()
        memberships = [row[1:] for row in rows if row[1] is not None]
        for agency_id, kind, authority_id, role, discipline in memberships:
            if kind == Agency.Kind.LA_SEND and role in (Role.COORDINATOR, Role.LEAD):
                la.add(authority_id)
            if kind == Agency.Kind.SCHOOL and (role == Role.COORDINATOR
                                                or discipline == Discipline.SENCO):
                schools.add(agency_id)
            if role == Role.LEAD:
                led.add(agency_id)
        return cls(frozenset(la), frozenset(schools), frozenset(led), bool(memberships),
                   active=True)


def _account_and_memberships(user_id: int | None) -> list[tuple[Any, ...]]:
    """One query: the account's is_active, read again, with each of its active memberships
    as (agency, kind, authority, role, discipline), or one row of NULLs when there is none.
    As `User.objects.filter(pk=...).annotate(m=FilteredRelation("memberships", condition=
    Q(memberships__is_active=True))).values_list("is_active", "m__agency_id", ...)` would
    read it, in plain SQL: every page and every change in the meeting room asks this, and
    Django took longer to build that query than PostgreSQL to answer it."""
    quote, column = connection.ops.quote_name, quoted_column
    return _rows(
        f"SELECT u.{column(User, 'is_active')}, m.{column(Membership, 'agency')}, "
        f"a.{column(Agency, 'kind')}, a.{column(Agency, 'authority')}, "
        f"m.{column(Membership, 'role')}, m.{column(Membership, 'discipline')} "
        f"FROM {quote(User._meta.db_table)} u LEFT JOIN {quote(Membership._meta.db_table)} m "
        f"ON m.{column(Membership, 'user')} = u.{column(User)} "
        f"AND m.{column(Membership, 'is_active')} = %s "
        f"LEFT JOIN {quote(Agency._meta.db_table)} a "
        f"ON a.{column(Agency)} = m.{column(Membership, 'agency')} "
        f"WHERE u.{column(User)} = %s",
        [True, user_id])


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def _young_person_agrees(born_before: dt.date) -> Q:
    """The family records (FamilyMember) whose person may see the child's reviews: the young
    person themselves; anyone in the family of a child not yet past the end of compulsory
    school age; after it, those the young person lets see their review, or who act for
    them under the Mental Capacity Act (YoungPersonDecision)."""
    return (Q(relationship=FamilyMember.Relationship.YOUNG_PERSON)
            | Q(child__date_of_birth__gte=born_before)
            | Q(young_person_decision__choice__in=YoungPersonDecision.SHARING))


def _family_of(user: User, standing: Standing) -> QuerySet[FamilyMember]:
    return FamilyMember.objects.filter(user=user).filter(
        _young_person_agrees(standing.born_before))


def _invited_to(user: User, standing: Standing) -> QuerySet[Invitation, dict[str, Any]]:
    # The database's clock, not a parameter: a query compiled once and asked again later
    # (`access_again`) moves the cut-off on with time.
    invited: QuerySet[Invitation, dict[str, Any]] = (
        Invitation.objects.current().filter(user=user).filter(
            Q(review__closed_at__isnull=True)
            | Q(review__closed_at__gte=Now() - ACCESS_AFTER_CLOSE))
        .exclude(_refused_family(Q(user=user), standing.born_before)).values("review_id"))
    return invited


def _refused_family(person: Q, born_before: dt.date) -> Q:
    """Family invitations (a filter on Invitation) to `person` (a filter on FamilyMember)
    where they are on the child's record and the young person has not agreed to them: an
    invitation sent before the young person decided does not outlast their decision."""
    refused = FamilyMember.objects.filter(person).exclude(_young_person_agrees(born_before))
    return Q(role=Invitation.Role.FAMILY, review__plan__child__in=refused.values("child_id"))


def family_links(user: User) -> QuerySet[FamilyMember]:
    """This person's places in children's families that count today, with the child: the
    family pages' cards."""
    return FamilyMember.objects.filter(user=user).filter(
        _young_person_agrees(_school_age_ended_for_born_before())).select_related("child")


def family_told(child_id: uuid.UUID, on_date: dt.date | None = None) -> QuerySet[FamilyMember]:
    """The child's family record as far as it hears of the child's reviews (invitations,
    letters, decisions, the report): everyone on it before the end of compulsory school
    age; after it, the young person and those they agree to."""
    return FamilyMember.objects.filter(child_id=child_id).filter(
        _young_person_agrees(_school_age_ended_for_born_before(on_date)))


def invitations_told(review: Review) -> QuerySet[Invitation]:
    """The review's current invitations, less family invitations to anyone the young person
    has not agreed to: who is emailed each step (the meeting, the report)."""
    born_before = _school_age_ended_for_born_before()
    refused = FamilyMember.objects.filter(child_id=review.plan.child_id).exclude(
        _young_person_agrees(born_before))
    told: QuerySet[Invitation] = review.invitations.current().alias(
        address=Lower("email")).exclude(
        Q(role=Invitation.Role.FAMILY)
        & (Q(user__in=refused.filter(user__isnull=False).values("user_id"))
           | Q(address__in=refused.annotate(address=Lower("email")).values("address"))))
    return told


def visible_reviews(user: Person, standing: Standing | None = None) -> ReviewQuerySet:
    """Every review this person may see, as a queryset to filter further."""
    if not _signed_in(user):
        return Review.objects.none()
    standing = standing or Standing.of(user)
    if not standing.active:
        return Review.objects.none()
    rule = Q(pk__in=_invited_to(user, standing))
    rule |= Q(plan__child__in=_family_of(user, standing).values("child_id"))
    if standing.la_authorities:
        rule |= Q(plan__child__authority_id__in=standing.la_authorities)
    if standing.settings:
        rule |= Q(plan__child__setting_id__in=standing.settings)
    if standing.led_agencies:
        rule |= Q(pk__in=Invitation.objects.current().filter(
            agency_id__in=standing.led_agencies).values("review_id"))
        # An advocacy provider's lead chooses the advocate for a family referred to it.
        rule |= Q(pk__in=AdvocacyReferral.objects.filter(
            provider_id__in=standing.led_agencies, withdrawn_at__isnull=True)
            .values("review_id"))
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
    # The rule's query, kept by `access_again` to tell that this answer still holds.
    asked: _Asked | None = field(default=None, compare=False, repr=False)

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

    @property
    def sees_childs_own_views(self) -> bool:
        """The child's own picture or recording, once the family has sent it: theirs, the
        coordinator side's, and, from when all advice is shared, the people invited to this
        review. Not an agency lead's: their oversight is of their agency's work, not of a
        child they have not met."""
        return self.is_family or self.can_manage or (self.invitation is not None
                                                     and self.sees_all_advice)


def can_manage(user: Person, review: Review, standing: Standing) -> bool:
    if review.coordinator_id == user.pk:
        return True
    if review.plan.child.authority_id in standing.la_authorities:
        return True
    return (review.convenor == Review.Convenor.SETTING
            and review.plan.child.setting_id in standing.settings)


def managed_reviews(user: User, standing: Standing | None = None) -> ReviewQuerySet:
    """`can_manage` as a filter: the reviews this person runs for the council or a school
    (for lists across reviews, such as the letters to post)."""
    standing = standing or Standing.of(user)
    rule = Q(coordinator=user) | Q(plan__child__authority_id__in=standing.la_authorities) \
        | Q(convenor=Review.Convenor.SETTING, plan__child__setting_id__in=standing.settings)
    return visible_reviews(user, standing).filter(rule)


def may_manage_any(user: User, standing: Standing) -> bool:
    """Whether this person runs reviews at all: who lists across reviews are for."""
    return standing.active and (bool(standing.la_authorities or standing.settings)
                                or Review.objects.filter(coordinator=user).exists())


def does_next_step(user: Person, review: Review, standing: Standing) -> bool:
    """Whether the review's next step is this person's to do: before the report, theirs
    who arrange the meeting (its coordinator, and the council's SEND officers or, where the
    school or college convenes it, the setting's SENCOs); from the report, the council's.
    The council may still act on any review of its own (`can_manage`): this is whose work
    it is, for their lists."""
    child = review.plan.child
    if review.status in Review.COUNCIL_STAGES:
        return child.authority_id in standing.la_authorities
    if review.coordinator_id == user.pk:
        return True
    if review.convenor == Review.Convenor.SETTING:
        return child.setting_id in standing.settings
    return child.authority_id in standing.la_authorities


def next_step_theirs(user: Person, standing: Standing) -> Q:
    """`does_next_step` as a filter on reviews."""
    council = Q(plan__child__authority_id__in=standing.la_authorities)
    arranging = (Q(coordinator=user)
                 | Q(convenor=Review.Convenor.SETTING,
                     plan__child__setting_id__in=standing.settings)
                 | (Q(convenor=Review.Convenor.LA) & council))
    councils_stage = Q(status__in=Review.COUNCIL_STAGES)
    return (councils_stage & council) | (~councils_stage & arranging)


def review_access(user: Person, review_id: ReviewId, *, need: str = "view",
                  request: Asker = None, audit_read: bool = True) -> ReviewAccess:
    """The review and what `user` may do there; 404 if they may not see it or do `need`.

    A refusal is a 404, never a 403, so nobody learns that a review exists.

    Two queries: where the person stands (`Standing.of`, their account read again), then
    the review they may see, with their earliest current invitation to it and whether they
    are the child's family joined in.
    """
    standing = Standing.of(user)
    try:
        if not (_signed_in(user) and standing.active):  # an account switched off
            raise Http404("No such review")
        access = _answer(user, standing, need, _found(
            user, standing, review_id,
            visible_reviews(user, standing).with_child().select_related("plan")))
    except Http404:
        audit.refused(request, user, review_id, f"need {need}")
        raise
    if standing.is_professional and audit_read:
        # Staff reads of a child's record go in the audit trail.
        audit.record(AuditEntry.Action.RECORD_VIEWED, request, user, review=access.review,
                     detail=f"need {need}")
    return access


def refusal(request: HttpRequest, access: ReviewAccess, what: str, pk: object) -> Http404:
    """The 404 for something asked for by id inside a review the person may see (an
    attachment, the child's own file, a version) that is not there or not theirs to
    have: recorded as the rule's own refusals are, since ids can be walked too."""
    audit.refused(request, request.user, access.review.pk, f"{what} {pk} not found")
    return Http404(f"No such {what}")


@dataclass(frozen=True)
class _Asked:
    """The rule's query for one answer, compiled, and the rows it gave: the answer holds
    while the person stands where they stood and the query gives the same rows."""

    standing: Standing
    sql: str
    params: tuple[object, ...]
    rows: list[tuple[Any, ...]]

    def still_holds(self, standing: Standing) -> bool:
        return standing == self.standing and _rows(self.sql, self.params) == self.rows


# Not part of anyone's access, so not in the kept query: what every event of the review
# bumps (reviews/events.py), and the plan's text (long: every change would fetch it).
_NOT_KEPT = ("event_seq", "changed_at", "plan__sections")


def access_again(access: ReviewAccess, user: Person, need: str,
                 request: Asker = None) -> ReviewAccess:
    """`review_access` asked again by someone who holds its answer (the meeting room asks
    on every change): the same rule and answer, with no audit entry for a read (it was
    recorded on the way in), only for a refusal.

    Django took longer to build the rule's query than the database to answer it, so the
    query is built once and kept with the answer; asked again, the account and memberships
    are read (`Standing.of`) and the kept query re-run, and if both give what they gave,
    so would the rule. Otherwise the rule is asked in full and its query kept anew.
    """
    standing = Standing.of(user)
    if access.asked is not None and access.asked.still_holds(standing):
        return access
    try:
        if not _signed_in(user):
            raise Http404("No such review")
        return _asked_in_full(user, standing, need, access.review.pk)
    except Http404:
        audit.refused(request, user, access.review.pk, f"need {need}")
        raise


def _asked_in_full(user: User, standing: Standing, need: str,
                   review_id: ReviewId) -> ReviewAccess:
    """The rule's answer, with its query kept to ask again (`access_again`)."""
    found = _found(user, standing, review_id, visible_reviews(user, standing)
                   .select_related("plan__child").defer(*_NOT_KEPT))
    try:
        sql, params = found.query.sql_with_params()
    except EmptyResultSet:  # they may see no review at all
        raise Http404("No such review") from None
    before = _rows(sql, params)
    access = _answer(user, standing, need, found)
    if _rows(sql, params) != before:
        return access  # it changed while being read: asked in full again next time
    return replace(access, asked=_Asked(standing, sql, tuple(params), before))


def _found(user: User, standing: Standing, review_id: ReviewId,
           reviews: ReviewQuerySet) -> ReviewQuerySet:
    """The review of `reviews` (their visible reviews) with this id, a row per current
    invitation of theirs to it (almost always one, or none), and whether they are the
    child's family."""
    mine = Q(invitations__user=user) & Q(invitations__removed_at__isnull=True)  # current()
    try:
        found: ReviewQuerySet = (
            reviews.annotate(my_invitation=FilteredRelation("invitations", condition=mine),
                             of_my_family=Exists(_family_of(user, standing).filter(
                                 child_id=OuterRef("plan__child_id"))))
            .select_related("my_invitation").filter(pk=review_id).order_by())
    except (ValueError, ValidationError):
        raise Http404("No such review") from None
    return found


def _answer(user: User, standing: Standing, need: str,
            found: ReviewQuerySet) -> ReviewAccess:
    """What `user` may do on the review `found` (`_found`) gives."""
    try:
        rows = list(found)
    except (ValueError, ValidationError):
        raise Http404("No such review") from None
    if not rows:
        raise Http404("No such review")
    # A row per current invitation of theirs: the earliest is the one that counts, chosen
    # here rather than by an ORDER BY (cheaper to build).
    review = min(rows, key=_by_invitation_date)
    access = ReviewAccess(
        review=review,
        can_manage=can_manage(user, review, standing),
        invitation=review.__dict__.pop("my_invitation", None),
        is_family=review.__dict__.pop("of_my_family"),
        is_professional=standing.is_professional,
        is_la_officer=review.plan.child.authority_id in standing.la_authorities,
    )
    if not _allows(access, need):
        raise Http404("No such review")
    return access


def _by_invitation_date(review: Review) -> tuple[dt.datetime, str] | tuple[()]:
    invitation = review.__dict__.get("my_invitation")
    return (invitation.created_at, str(invitation.pk)) if invitation else ()


def _allows(access: ReviewAccess, need: str) -> bool:
    return {
        "view": True,
        "manage": access.can_manage,
        "advise": access.can_advise,
        "family": access.can_give_family_views,
        "meeting": access.can_join_meeting,
        "decide": access.can_decide,
        "council": access.is_la_officer,
    }[need]


@dataclass(frozen=True)
class OversightScope:
    """Whose figures a person may see on the accountability pages and exports.

    LA coordinators and leads see their whole authority (they may read every review in it
    already); an agency lead sees only their own agency's rows. Families and practitioners
    see no dashboards at all.
    """

    authorities: frozenset[int] = field(default_factory=frozenset)
    agencies: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not (self.authorities or self.agencies)

    @property
    def sees_authority(self) -> bool:
        return bool(self.authorities)


def oversight_scope(user: Person, standing: Standing | None = None) -> OversightScope:
    if not _signed_in(user):
        return OversightScope()
    standing = standing or Standing.of(user)
    if not standing.active:
        return OversightScope()
    return OversightScope(authorities=standing.la_authorities, agencies=standing.led_agencies)
