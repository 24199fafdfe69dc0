"""The child's record: the child, their family and the professionals named for them, a
young person's decisions about who sees their review, and their plan with its outcomes."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from agencies.models import Agency, Discipline, LocalAuthority
from common.validators import validate_phone, validate_uln, validate_upn
from reviews import clock
from reviews.models.limits import REASON_MAX_LENGTH


class Child(ClusterableModel):
    """A child or young person (0 to 25) with special educational needs.

    Clusterable so staff edit the family and named professionals on the child's own admin
    page. Add those through FamilyMember.objects / NamedProfessional.objects: the related
    managers' create() and add() wait for the child to be saved again."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="children")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(db_index=True)  # "Reviews due" filters by year group
    la_reference = models.CharField("LA reference", max_length=30)
    setting = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="pupils",
        limit_choices_to={"kind": Agency.Kind.SCHOOL},
        help_text="The school, college or early years setting the child attends.",
    )
    setting_type = models.CharField(
        max_length=20, choices=[(k.value, k.name.replace("_", " ").title())
                                for k in clock.SettingType],
        blank=True, help_text="Used to work out phase transfers (an infant school, say).",
    )
    year_group_offset = models.SmallIntegerField(
        default=0,
        help_text="Out of year group: -1 if taught a year below their age, +1 if a year above.",
    )
    # Held for the SEN2 return; a council's import also finds, by them, a child another
    # authority already holds.
    upn = models.CharField(
        "unique pupil number (UPN)", max_length=13, blank=True, db_index=True,
        validators=[validate_upn], help_text="The 13 characters the DfE gives a pupil.")
    uln = models.CharField(
        "unique learner number (ULN)", max_length=10, blank=True, db_index=True,
        validators=[validate_uln], help_text="The 10 digits of a learner from 14.")

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(fields=["authority", "la_reference"],
                                    name="la_reference_unique_per_authority"),
        ]

    def __str__(self):
        # str() ends up in admin history labels and logs: initials and reference only.
        # Pages that should show the name ask for `full_name`.
        return f"{self.initials} ({self.la_reference})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def initials(self) -> str:
        """What calendars and email subjects carry instead of a name."""
        return f"{self.first_name[:1]}{self.last_name[:1]}".upper()

    @property
    def compulsory_school_age_ends(self) -> dt.date:
        return clock.compulsory_school_age_ends(self.date_of_birth)

    def decides_for_themselves(self, on_date=None) -> bool:
        """Whether the rights and decisions are now the young person's own."""
        return (on_date or timezone.localdate()) >= self.compulsory_school_age_ends

    def year_group(self, on_date=None) -> int:
        on_date = on_date or timezone.localdate()
        return clock.year_group(self.date_of_birth, on_date, offset=self.year_group_offset)


class FamilyMember(models.Model):
    """A parent or carer of the child, or the young person themselves (who holds the rights
    from 16)."""

    class Relationship(models.TextChoices):
        PARENT = "parent", "Parent"
        CARER = "carer", "Carer"
        YOUNG_PERSON = "young_person", "The young person"

    child = ParentalKey(Child, on_delete=models.CASCADE, related_name="family")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="family_links")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, help_text="Leave empty for someone who has no email: "
                                                    "their letters go by post.")
    relationship = models.CharField(max_length=20, choices=Relationship.choices,
                                    default=Relationship.PARENT)
    phone = models.CharField(max_length=40, blank=True, validators=[validate_phone])
    parental_responsibility = models.BooleanField(default=True)
    by_post = models.BooleanField(
        "send their letters by post", default=False,
        help_text="For someone who has no email, or asks for letters on paper: the "
                  "coordinator prints and posts each letter to the address below.")
    # Where letters by post go.
    address_line_1 = models.CharField("address line 1", max_length=100, blank=True)
    address_line_2 = models.CharField("address line 2", max_length=100, blank=True)
    town = models.CharField("town or city", max_length=60, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["relationship", "name"]
        constraints = [
            # Someone with no email can only be written to, so their letters go by post.
            models.CheckConstraint(condition=~Q(email="") | Q(by_post=True),
                                   name="family_without_email_gets_post"),
            models.CheckConstraint(
                condition=Q(by_post=False)
                | (~Q(address_line_1="") & ~Q(town="") & ~Q(postcode="")),
                name="family_post_has_an_address"),
            models.UniqueConstraint(fields=["child", "email"], condition=~Q(email=""),
                                    name="one_family_link_per_email"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_relationship_display()})"

    def clean(self):
        """Say what is missing in words a form can show, before the constraints refuse it."""
        super().clean()
        if not self.email and not self.by_post:
            raise ValidationError({"by_post": "Someone with no email gets their letters by "
                                              "post: tick this, and give their address"})
        if self.by_post:
            missing = {name: f"Enter the {self._meta.get_field(name).verbose_name} for "
                             "letters by post"
                       for name in ("address_line_1", "town", "postcode")
                       if not getattr(self, name).strip()}
            if missing:
                raise ValidationError(missing)
        self.postcode = self.postcode.strip().upper()

    @property
    def household(self) -> str:
        """Who lives at the same address share one letter: the address, compared without
        case, spaces or punctuation."""
        return "".join(ch for ch in f"{self.address_line_1}{self.postcode}".lower()
                       if ch.isalnum())

    def address_lines(self) -> list[str]:
        return [line for line in (self.address_line_1, self.address_line_2, self.town,
                                  self.postcode) if line.strip()]


class NamedProfessional(models.Model):
    """The professional who knows the child in one discipline: proposed for every review."""

    child = ParentalKey(Child, on_delete=models.CASCADE, related_name="professionals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="named_for")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    discipline = models.CharField(max_length=20, choices=Discipline.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "discipline"],
                                    name="one_named_per_discipline"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_discipline_display()})"


class YoungPersonDecision(models.Model):
    """Whether one parent or carer on a young person's record sees their review and takes
    part. From the end of compulsory school age (clock.compulsory_school_age_ends) the
    rights and decisions are the young person's own (CFA 2014 s19; SEND Code of Practice
    8.13-8.17): the young person decides, from their own account or by telling a
    coordinator, and may change their mind. Where they lack capacity to decide, a
    coordinator records a Mental Capacity Act 2005 decision, which may let a named parent or
    deputy act for them (CFA 2014 s80). The one current decision per person is kept here;
    each change is an event on the young person's reviews (reviews/young_person.py).
    reviews/access.py reads it."""

    class Choice(models.TextChoices):
        SEES = "sees", "Can see the review and take part"
        DOES_NOT_SEE = "does_not_see", "Cannot see the review"
        ACTS_FOR = "acts_for", "Acts for the young person"

    class Basis(models.TextChoices):
        OWN_ACCOUNT = "own_account", "The young person decided, from their own account"
        TOLD_COORDINATOR = "told_coordinator", "The young person told a coordinator"
        MENTAL_CAPACITY = "mental_capacity", "Decided under the Mental Capacity Act 2005"

    SHARING = (Choice.SEES, Choice.ACTS_FOR)

    member = models.OneToOneField(FamilyMember, on_delete=models.CASCADE,
                                  related_name="young_person_decision")
    choice = models.CharField(max_length=20, choices=Choice.choices)
    basis = models.CharField(max_length=20, choices=Basis.choices)
    capacity_note = models.TextField(
        blank=True, max_length=REASON_MAX_LENGTH,
        help_text="For a Mental Capacity Act decision: the assessment of capacity, who made "
                  "the decision, and the deputy's or attorney's authority if they have one.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Only a decision under the Act lets anyone act for a young person.
            models.CheckConstraint(
                condition=~Q(choice="acts_for") | Q(basis="mental_capacity"),
                name="acting_for_needs_a_capacity_decision",
                violation_error_message="Only a Mental Capacity Act decision lets someone "
                                        "act for the young person."),
            models.CheckConstraint(
                condition=~Q(basis="mental_capacity") | ~Q(capacity_note=""),
                name="capacity_decision_says_why",
                violation_error_message="A Mental Capacity Act decision needs who assessed "
                                        "capacity, when, and who decided."),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_choice_display()}"

    @property
    def shares(self) -> bool:
        return self.choice in self.SHARING


class PlanQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """The plans the authority maintained on `day`: first issued (or, for a plan
        transferred in, taken over) on or before it, and not ceased by then. A plan ceases
        on its `ceased_on` day, so it is in force until the day before."""
        return (self.filter(first_issued_on__lte=day).exclude(transferred_in_on__gt=day)
                .filter(Q(ceased_on__isnull=True, status=Plan.Status.ACTIVE)
                        | Q(ceased_on__gt=day)))

    def ceased_undated(self):
        """Plans recorded as ceased with no date: nobody can tell when they were in force."""
        return self.filter(status=Plan.Status.CEASED, ceased_on__isnull=True)


class Plan(ClusterableModel):
    """An EHC plan, or a record of support for a child without one. Clusterable so staff
    edit its outcomes on the plan's admin page (add them through Outcome.objects)."""

    class Kind(models.TextChoices):
        EHCP = "ehcp", "Education, health and care plan"
        RECORD_OF_SUPPORT = "ros", "Record of support"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CEASED = "ceased", "Ceased"

    class Need(models.TextChoices):
        """Types of special educational need, stored as the DfE's SEN2 codes (SENtype)."""

        SPLD = "SPLD", "Specific learning difficulty"
        MLD = "MLD", "Moderate learning difficulty"
        SLD = "SLD", "Severe learning difficulty"
        PMLD = "PMLD", "Profound and multiple learning difficulty"
        SEMH = "SEMH", "Social, emotional and mental health"
        SLCN = "SLCN", "Speech, language and communication needs"
        HI = "HI", "Hearing impairment"
        VI = "VI", "Vision impairment"
        MSI = "MSI", "Multi-sensory impairment"
        PD = "PD", "Physical disability"
        ASD = "ASD", "Autistic spectrum disorder"
        DS = "DS", "Down syndrome"
        OTH = "OTH", "Other difficulty"

    SECTIONS = [
        ("A", "Views, interests and aspirations"),
        ("B", "Special educational needs"),
        ("C", "Health needs related to SEN"),
        ("D", "Social care needs related to SEN"),
        ("E", "Outcomes"),
        ("F", "Special educational provision"),
        ("G", "Health provision"),
        ("H", "Social care provision"),
        ("I", "Placement"),
        ("J", "Personal budget"),
        ("K", "Advice and information"),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(max_length=4, choices=Kind.choices, default=Kind.EHCP,
                            db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    first_issued_on = models.DateField(help_text="The date the plan was first issued.")
    ceased_on = models.DateField(
        null=True, blank=True,
        help_text="The day the plan ceased. It was in force until the day before, so the "
                  "SEN2 return counts it for any census date before that day.")
    transferred_in_from = models.CharField(
        "transferred in from", max_length=3, blank=True,
        validators=[RegexValidator(r"^\d{3}\Z", "Enter the other local authority's "
                                                 "three-digit DfE number, for example 919")],
        help_text="For a plan another local authority issued and this one took over: that "
                  "authority's three-digit DfE number (the SEN2 return's TransferLA).")
    transferred_in_on = models.DateField(
        "transferred in on", null=True, blank=True,
        help_text="The day this authority took the plan over. The plan is in force here "
                  "from that day.")
    primary_need = models.CharField(
        "primary type of need", max_length=4, choices=Need.choices, blank=True,
        help_text="The main type of special educational need set out in section B (the "
                  "SEN2 return's type of need, rank 1).")
    sections = models.JSONField(default=dict, blank=True,
                                help_text="Text of sections A to K, keyed by letter.")
    # One section's text, here, in the admin and in an amended plan: a long section F
    # (provision) runs to a dozen pages.
    SECTION_TEXT_MAX_LENGTH = 50_000

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-first_issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ceased_on__isnull=True) | Q(status="ceased"),
                name="plan_ceased_on_only_when_ceased",
                violation_error_message="A plan with the date it ceased must be marked as "
                                        "ceased."),
            models.CheckConstraint(
                condition=Q(ceased_on__isnull=True) | Q(ceased_on__gte=F("first_issued_on")),
                name="plan_ceases_after_its_issue",
                violation_error_message="A plan cannot cease before it was first issued."),
            models.CheckConstraint(
                condition=(Q(transferred_in_from="", transferred_in_on__isnull=True)
                           | (~Q(transferred_in_from="") & Q(transferred_in_on__isnull=False))),
                name="plan_transfer_in_has_authority_and_day",
                violation_error_message="A plan transferred in needs both the authority it "
                                        "came from and the day it was taken over."),
            models.CheckConstraint(
                condition=(Q(transferred_in_on__isnull=True)
                           | Q(transferred_in_on__gte=F("first_issued_on"))),
                name="plan_transferred_in_after_its_issue",
                violation_error_message="A plan cannot be taken over before it was first "
                                        "issued."),
            models.CheckConstraint(
                condition=(Q(ceased_on__isnull=True) | Q(transferred_in_on__isnull=True)
                           | Q(ceased_on__gte=F("transferred_in_on"))),
                name="plan_ceases_after_its_transfer_in",
                violation_error_message="A plan cannot cease here before this authority "
                                        "took it over."),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.child}"

    def section_text(self, letter: str) -> str:
        if letter == "E":  # the only section that may need the outcomes
            return self.text_of_sections().get(letter, "")
        return self.sections.get(letter, "")

    def text_of_sections(self) -> dict[str, str]:
        """The plan as it reads, by letter. Section E is kept as the outcomes (what advice
        reports progress against) until a final amended plan gives it words of its own."""
        sections = dict(self.sections)
        if not sections.get("E"):
            outcomes = "\n".join(f"{o.number}. {o.text}" for o in self.outcomes.all())
            if outcomes:
                sections["E"] = outcomes
        return sections

    def clean(self):
        """What the constraints cannot say: the rules that need the day or the child."""
        super().clean()
        errors = {}
        if self.status == self.Status.CEASED and self.ceased_on is None:
            errors["ceased_on"] = "Enter the date the plan ceased"
        if self.ceased_on and self.ceased_on > timezone.localdate():
            errors["ceased_on"] = "The date the plan ceased must be today or in the past"
        if self.transferred_in_on and self.transferred_in_on > timezone.localdate():
            errors["transferred_in_on"] = ("The day the plan was taken over must be today or "
                                           "in the past")
        if (self.transferred_in_from and self.child_id
                and self.transferred_in_from == self.child.authority.dfe_code):
            errors["transferred_in_from"] = ("Enter the local authority the plan came from, "
                                             "not this one")
        if errors:
            raise ValidationError(errors)


class Outcome(models.Model):
    """One outcome in section E: what reviews report progress against."""

    class Area(models.TextChoices):
        NONE = "", "Not a preparing for adulthood outcome"
        EMPLOYMENT = "employment", "Employment"
        INDEPENDENT_LIVING = "independent_living", "Independent living"
        COMMUNITY = "community", "Friends, relationships and community"
        HEALTH = "health", "Good health"

    plan = ParentalKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    adulthood_area = models.CharField("preparing for adulthood area", max_length=20,
                                      choices=Area.choices, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="outcome_number_unique"),
        ]

    def __str__(self):
        return f"Outcome {self.number}: {self.text[:60]}"
