"""Factories for the records tests build again and again.

Each default is the shared cast's (tests/conftest.py, tests/reviews/conftest.py): Testshire
County Council, Amira Example born 14 March 2016, her plan first issued on 20 January 2025
with its two outcomes, a review due a year after. A test names only what matters to it;
anything it leaves out is built for it, down the chain (an invitation's review, the review's
plan, the plan's child, the child's authority).
"""

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from factory.django import DjangoModelFactory

from agencies.models import Agency, Discipline, LocalAuthority, Membership, Role, User
from reviews.models import Child, FamilyMember, Invitation, Outcome, Plan, Review

PASSWORD = "a-long-test-password-1"  # noqa: S105
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
AMIRA_SECTIONS = {"A": "Amira loves drawing.", "B": "Speech delay."}
AMIRA_OUTCOMES = ("Amira will speak in sentences of 5 words.",
                  "Amira will join a playground game.")


class AuthorityFactory(DjangoModelFactory):
    """Testshire unless told otherwise: asked for again, the same authority comes back."""

    class Meta:
        model = LocalAuthority
        django_get_or_create = ("dfe_code",)

    name = "Testshire County Council"
    dfe_code = "998"


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    authority = factory.SubFactory(AuthorityFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.OTHER


class PersonFactory(DjangoModelFactory):
    """Someone signed up as the portal signs people up: the test password and a verified
    primary address. A family member or a young person: no agency, no second step."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@test.example")
    first_name = "Test"
    last_name = "Person"
    address = factory.RelatedFactory(
        "tests.factories.EmailAddressFactory", factory_related_name="user",
        email=factory.SelfAttribute("..email"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, password=PASSWORD, **kwargs)


class EmailAddressFactory(DjangoModelFactory):
    class Meta:
        model = EmailAddress

    verified = True
    primary = True


class ProfessionalFactory(PersonFactory):
    """A member of an agency (an LA SEN officer in a SEND team unless told otherwise), with
    two-step sign-in set up on TOTP_SECRET (`two_step=False`: not set up yet)."""

    class Params:
        agency = factory.SubFactory(AgencyFactory, kind=Agency.Kind.LA_SEND)
        role = Role.COORDINATOR
        discipline = Discipline.SEN_OFFICER

    membership = factory.RelatedFactory(
        "tests.factories.MembershipFactory", factory_related_name="user",
        agency=factory.SelfAttribute("..agency"), role=factory.SelfAttribute("..role"),
        discipline=factory.SelfAttribute("..discipline"))

    @factory.post_generation
    def two_step(user, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(user, TOTP_SECRET)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    authority = factory.SubFactory(AuthorityFactory)
    first_name = "Amira"
    last_name = "Example"
    # Not the cast's T-0001, T-0002...: a test that reads a reference names it.
    la_reference = factory.Sequence(lambda n: f"F-{n:05d}")
    date_of_birth = dt.date(2016, 3, 14)
    setting = None


class PlanFactory(DjangoModelFactory):
    """Amira's plan unless told otherwise; `outcomes=[...]` for other outcomes (or none)."""

    class Meta:
        model = Plan
        skip_postgeneration_save = True

    child = factory.SubFactory(ChildFactory)
    first_issued_on = dt.date(2025, 1, 20)
    sections = factory.LazyFunction(lambda: dict(AMIRA_SECTIONS))

    @factory.post_generation
    def outcomes(plan, create, extracted, **kwargs):
        texts = AMIRA_OUTCOMES if extracted is None else extracted
        for number, text in enumerate(texts, start=1):
            Outcome.objects.create(plan=plan, number=number, text=text)


def ten_am_in(days: int | None) -> dt.datetime | None:
    """10am, `days` from today (in the past if negative); None for no meeting yet."""
    if days is None:
        return None
    return timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) \
        + dt.timedelta(days=days)


class ReviewFactory(DjangoModelFactory):
    """Due a year after the plan was issued; a meeting `meeting_in_days` from today at 10am,
    or none."""

    class Meta:
        model = Review

    class Params:
        meeting_in_days = None

    plan = factory.SubFactory(PlanFactory)
    coordinator = factory.SubFactory(ProfessionalFactory)
    due_by = factory.LazyAttribute(lambda review: review.plan.first_issued_on
                                   + dt.timedelta(days=364))
    meeting_at = factory.LazyAttribute(lambda review: ten_am_in(review.meeting_in_days))


class InvitationFactory(DjangoModelFactory):
    """A person (`user`), or an agency's duty inbox (`agency` alone), invited as a
    professional unless told otherwise; named and addressed as they are."""

    class Meta:
        model = Invitation

    review = factory.SubFactory(ReviewFactory)
    role = Invitation.Role.PROFESSIONAL
    user = None
    agency = None
    name = factory.LazyAttribute(
        lambda invitation: str(invitation.user) if invitation.user else invitation.agency.name)
    email = factory.LazyAttribute(
        lambda invitation: invitation.user.email if invitation.user else invitation.agency.email)


class FamilyMemberFactory(DjangoModelFactory):
    """On the child's record: a person with an account (`user`), named and addressed as they
    are, or a name and an email alone."""

    class Meta:
        model = FamilyMember

    child = factory.SubFactory(ChildFactory)
    user = None
    name = factory.LazyAttribute(lambda member: str(member.user) if member.user else "Pat Parent")
    email = factory.LazyAttributeSequence(
        lambda member, n: member.user.email if member.user else f"family{n}@test.example")
