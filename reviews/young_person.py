"""A young person's say over who in their family sees their review.

From the end of compulsory school age (clock.compulsory_school_age_ends) the rights and
decisions are the young person's own (CFA 2014 s19; SEND Code of Practice 8.13-8.17): they
decide, for each parent or carer on their record, whether that person sees their review and
takes part, and may change their mind. Where they lack the capacity to decide, a coordinator
records a Mental Capacity Act 2005 decision, which may let a named parent or deputy act for
them (CFA 2014 s80). reviews/access.py enforces what is decided here.

Views call these functions; tests call them directly. Each change records an event on the
young person's reviews in the same transaction; the same decision twice changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from reviews import events
from reviews.models import Child, FamilyMember, Invitation, Review, YoungPersonDecision


def family_to_decide(child: Child) -> list[FamilyMember]:
    """The parents and carers on the young person's record, each with their decision (or
    none yet): everyone but the young person. One query."""
    return list(child.family.exclude(relationship=FamilyMember.Relationship.YOUNG_PERSON)
                .select_related("young_person_decision").order_by("name", "pk"))


def marking_the_young_person(invitations, child_id):
    """`invitations` (a review's, as a queryset) each with `is_young_person`: a family
    invitation to the young person themselves, by their account or their address on the
    record, listed as the young person, never as family. No query of its own."""
    own = FamilyMember.objects.filter(
        Q(user_id=OuterRef("user_id")) | Q(email__iexact=OuterRef("email")),
        child_id=child_id, relationship=FamilyMember.Relationship.YOUNG_PERSON)
    return invitations.annotate(is_young_person=ExpressionWrapper(
        Q(Exists(own), role=Invitation.Role.FAMILY), output_field=BooleanField()))


def who_sees(child: Child, whose: str) -> list[tuple[str, str]]:
    """(name, what they may do) for each parent or carer, in plain words: "Can see your
    review" for the young person (`whose` "your"), "the review" for a coordinator."""
    return [(member.name, _seeing_words(decision_of(member), whose))
            for member in family_to_decide(child)]


def _seeing_words(decision: YoungPersonDecision | None, whose: str) -> str:
    if decision is None:
        return f"Cannot see {whose} review: not agreed yet"
    if decision.choice == YoungPersonDecision.Choice.ACTS_FOR:
        return "Acts for you" if whose == "your" else "Acts for the young person"
    return f"{'Can' if decision.shares else 'Cannot'} see {whose} review"


def decision_of(member: FamilyMember) -> YoungPersonDecision | None:
    try:
        return member.young_person_decision
    except YoungPersonDecision.DoesNotExist:
        return None


def is_the_young_person(user, child: Child) -> bool:
    return FamilyMember.objects.filter(
        child=child, user=user, relationship=FamilyMember.Relationship.YOUNG_PERSON).exists()


def do_decide(member: FamilyMember, choice: str, basis: str, actor,
              capacity_note: str = "") -> YoungPersonDecision:
    """Record whether `member` sees the young person's review (YoungPersonDecision.Choice),
    on what basis (YoungPersonDecision.Basis), recorded by `actor`."""
    child = member.child
    if member.relationship == FamilyMember.Relationship.YOUNG_PERSON:
        raise ValidationError("The young person always sees their own review")
    if not child.decides_for_themselves():
        raise ValidationError(
            "Until the end of compulsory school age the family sees the review as before")
    wanted = YoungPersonDecision(member=member, choice=choice, basis=basis,
                                 capacity_note=capacity_note.strip(), recorded_by=actor)
    wanted.full_clean(exclude=["member"])
    with transaction.atomic():
        # The person's record locked first: two submits at once wait for each other
        # rather than both find no decision and both insert one.
        FamilyMember.objects.select_for_update().filter(pk=member.pk).exists()
        current = YoungPersonDecision.objects.filter(member=member).first()
        if current is not None and _same(current, wanted):
            return current  # the same decision twice (a double click) changes nothing
        if current is not None:
            wanted.pk = current.pk
        wanted.decided_at = timezone.now()
        wanted.save()
        _record(child, wanted, actor)
    return wanted


def _same(current: YoungPersonDecision, wanted: YoungPersonDecision) -> bool:
    return (current.choice, current.basis, current.capacity_note) == (
        wanted.choice, wanted.basis, wanted.capacity_note)


def _record(child: Child, decision: YoungPersonDecision, actor) -> None:
    """The decision, on each of the young person's open reviews' timelines (the audit
    trail), or on their latest review when none is open."""
    reviews = list(Review.objects.filter(plan__child=child).open()) or list(
        Review.objects.filter(plan__child=child).order_by("-due_by")[:1])
    member = decision.member
    summary = (f"{member.name} ({member.get_relationship_display().lower()}): "
               f"{decision.get_choice_display().lower()}. "
               f"{decision.get_basis_display()}")
    for review in reviews:
        events.record(review, "young_person_decided", summary, actor=actor,
                      member=member.pk, choice=decision.choice, basis=decision.basis)
