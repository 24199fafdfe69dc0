"""What is reviewed: children, their plans, reviews of those plans, and who takes part.

Data rules live here; date rules live in the clock (reviews/clock.py); who may see and do
what lives in reviews/access.py.
"""

import datetime as dt
import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from agencies.models import Agency, Discipline, LocalAuthority
from common.append_only import AppendOnlyModel, AppendOnlyQuerySet
from common.validators import validate_phone, validate_uln, validate_upn
from reviews import clock

# The longest free text a person may type into each kind of answer (forms show each limit
# with GOV.UK's character count). Generous, so that nobody writing in full meets them; they
# stop one person storing megabytes that every page, email and drafted report then carries.
REASON_MAX_LENGTH = 2_000  # a reason, in a few sentences: about 300 words
ANSWER_MAX_LENGTH = 5_000  # one answer: to a family's question, on one outcome (a page and a half)
SECTION_MAX_LENGTH = 10_000  # a section of advice, a decision's reasons: about three pages


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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


class ReviewQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=[Review.Status.CLOSED, Review.Status.CANCELLED])

    def with_child(self):
        return self.select_related("plan__child__setting", "coordinator")


class Review(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", "Annual review"
        PHASE_TRANSFER = "transfer", "Phase transfer review"
        INTERIM = "interim", "Early or interim review"
        UNDER_FIVE = "under5", "Under-5 review"
        RECORD_OF_SUPPORT = "ros", "Record of support review"

    class Status(models.TextChoices):
        # Declared in order: a review only ever moves forward through these.
        DUE = "due", "Due"
        SCHEDULED = "scheduled", "Meeting set"
        INVITATIONS_SENT = "invited", "Invitations sent"
        ADVICE_CIRCULATED = "circulated", "Advice circulated"
        MEETING_HELD = "held", "Meeting held"
        REPORT_SENT = "reported", "Report sent"
        DECIDED = "decided", "Decided"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    ORDER = ["due", "scheduled", "invited", "circulated", "held", "reported", "decided",
             "closed"]
    # From the report on, what is left is the council's: its decision and what follows
    # (SEND Regs 2014 regs 20-22), even where a school arranged the meeting.
    COUNCIL_STAGES = ("reported", "decided")

    class Decision(models.TextChoices):
        # The SEN2 codes (item 5.5, ReviewOutcome), so the return needs no mapping.
        AMEND = "A", "Amend the plan"
        CEASE = "C", "Cease the plan"
        MAINTAIN = "M", "Maintain the plan unchanged"

    class Convenor(models.TextChoices):
        SETTING = "setting", "The school or college (SENCO or head)"
        LA = "la", "The local authority"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ANNUAL,
                            db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DUE,
                              db_index=True)
    convenor = models.CharField(max_length=10, choices=Convenor.choices, default=Convenor.LA)
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="coordinated_reviews")
    due_by = models.DateField(
        db_index=True,
        help_text="The last day the review meeting may be held (from the clock).",
    )
    meeting_at = models.DateTimeField(null=True, blank=True, db_index=True)
    meeting_minutes = models.PositiveSmallIntegerField(default=90)
    meeting_place = models.CharField(max_length=300, blank=True)
    meeting_link = models.URLField(max_length=500, blank=True)
    short_notice_reason = models.TextField(blank=True, max_length=REASON_MAX_LENGTH)
    meeting_set_on = models.DateField(
        null=True, blank=True, editable=False,
        help_text="The day the meeting's time was last set or moved: everyone invited is "
                  "asked again from it, so the dates they are given count from it.")
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    advice_circulated_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True, max_length=REASON_MAX_LENGTH)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The statutory facts after the meeting (docs/statutory-clock.md): what the clock counts
    # from, what the SEN2 return and the dashboards read. The reports and decisions apps set
    # them in the same transaction as the record they summarise.
    report_sent_on = models.DateField(
        null=True, blank=True, db_index=True,
        help_text="The day the joint outcome (the meeting report) was first published.")
    decision = models.CharField(max_length=1, choices=Decision.choices, blank=True,
                                default="", db_index=True)
    decision_sent_on = models.DateField(
        null=True, blank=True, db_index=True,
        help_text="The date of the decision letter (SEN2 item 5.6, LastReview).")
    amendment_notice_sent_on = models.DateField(
        null=True, blank=True,
        help_text="The day the proposed amendments went to the family.")
    final_plan_sent_on = models.DateField(
        null=True, blank=True,
        help_text="The day the final amended plan, or the notice not to amend, was issued.")
    # For a family member who gets letters by post, the last day the coordinator posted
    # the decision letter (with any proposed amendments) or the final plan: the family's
    # own time counts from it when it is later than the day the letter was sent (the clock's
    # `served_on`). Set with the PostalLetter's `posted_on`, in the same transaction.
    decision_posted_on = models.DateField(null=True, blank=True, editable=False)
    final_plan_posted_on = models.DateField(null=True, blank=True, editable=False)
    calendar_sequence = models.PositiveIntegerField(default=0)
    event_seq = models.PositiveIntegerField(default=0, editable=False)
    changed_at = models.DateTimeField(default=timezone.now, editable=False,
                                      help_text="When the last event was recorded.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["due_by"]
        indexes = [
            models.Index(fields=["status", "due_by"]),
            models.Index(fields=["coordinator", "status", "due_by"]),
        ]

    def __str__(self):
        child = self.plan.child
        return f"{self.get_kind_display()}, {child.initials} ({child.la_reference})"

    @property
    def child(self) -> Child:
        return self.plan.child

    @property
    def is_statutory(self) -> bool:
        """Whether this review's dates are the law's (clock.review_is_statutory)."""
        return clock.review_is_statutory(
            record_of_support=(self.kind == self.Kind.RECORD_OF_SUPPORT
                               or self.plan.kind == Plan.Kind.RECORD_OF_SUPPORT),
            under_five_review=self.kind == self.Kind.UNDER_FIVE)

    @property
    def meeting_date(self):
        return timezone.localtime(self.meeting_at).date() if self.meeting_at else None

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.CANCELLED)

    def has_reached(self, status: str) -> bool:
        if self.status == self.Status.CANCELLED:
            return False
        return self.ORDER.index(self.status) >= self.ORDER.index(status)

    def can_move_to(self, status: str) -> bool:
        """Forward only; cancelling is possible until the meeting is held."""
        if status == self.Status.CANCELLED:
            return not self.has_reached(self.Status.MEETING_HELD) and self.is_open
        if not self.is_open:
            return False
        return self.ORDER.index(status) > self.ORDER.index(self.status)

    def previous_meeting_date(self):
        """The last review meeting held for this plan before this review: the 12 months
        run from it (CFA 2014 s44(1))."""
        held = [self.Status.MEETING_HELD, self.Status.REPORT_SENT, self.Status.DECIDED,
                self.Status.CLOSED]
        earlier = (self.plan.reviews.exclude(pk=self.pk)
                   .filter(status__in=held, meeting_at__isnull=False,
                           created_at__lt=self.created_at)
                   .order_by("-meeting_at").values_list("meeting_at", flat=True).first())
        return timezone.localtime(earlier).date() if earlier else None

    @property
    def can_be_cancelled(self) -> bool:
        return self.can_move_to(self.Status.CANCELLED)

    def deadlines(self, **disagreement) -> clock.ReviewDeadlines:
        """Every date the clock gives this review. ``disagreement`` passes the mediation,
        appeal and Tribunal order facts (``mediation_requested`` and the like) where a
        caller holds them. Facts in an impossible order raise clock.FactsOutOfOrder naming
        this review, the record to correct."""
        try:
            return self._deadlines(**disagreement)
        except clock.FactsOutOfOrder as error:
            raise clock.FactsOutOfOrder(f"{self}: {error}") from error

    def _deadlines(self, **disagreement) -> clock.ReviewDeadlines:
        child = self.child
        return clock.review_deadlines(
            plan_first_issued=self.plan.first_issued_on,
            previous_review_meeting=self.previous_meeting_date(),
            meeting=self.meeting_date,
            outcome=clock.Outcome(self.decision) if self.decision else None,
            decision_sent=self.decision_sent_on,
            amendment_notice_sent=self.amendment_notice_sent_on,
            final_plan_sent=self.final_plan_sent_on,
            decision_posted=self.decision_posted_on,
            final_plan_posted=self.final_plan_posted_on,
            **disagreement,
            date_of_birth=child.date_of_birth,
            setting=clock.SettingType(child.setting_type) if child.setting_type else None,
            year_offset=child.year_group_offset,
            durations=clock.durations_from_settings(),
        )

    def council_officer(self) -> tuple[str, str]:
        """Who at the council hears of what the council must do after the meeting (the
        decision, the family's reply, a disagreement), as (name, email): the coordinator
        where the council arranges the review; where a school does, the council's SEN
        officer invited to it, or else the council's SEND team inbox."""
        if self.convenor != self.Convenor.SETTING:
            return str(self.coordinator), self.coordinator.email
        officer = (self.invitations.current().filter(role=Invitation.Role.LA_SEN)
                   .order_by("created_at").first())
        if officer is not None:
            return officer.name, officer.email
        team = (Agency.objects.filter(authority_id=self.plan.child.authority_id,
                                      kind=Agency.Kind.LA_SEND).exclude(email="")
                .order_by("name").first())
        if team is not None:
            return team.name, team.email
        return str(self.coordinator), self.coordinator.email

    def deadlines_met_on(self) -> dict[str, dt.date | None]:
        """The day each of the LA's own deadlines for this review was met, by the clock's
        key (None: not yet): what ``clock.lateness`` and the pages' tags compare with."""
        def local_day(moment):
            return timezone.localdate(moment) if moment else None

        return {
            "review_due": self.meeting_date if self.has_reached(self.Status.MEETING_HELD)
            else None,
            "notice_by": local_day(self.invitations_sent_at),
            "advice_circulated_by": local_day(self.advice_circulated_at),
            "report_due": self.report_sent_on,
            "decision_due": self.decision_sent_on,
            "amendment_notice_due": self.amendment_notice_sent_on,
            "final_plan_due": self.final_plan_sent_on,
            "amendments_overall_by": self.final_plan_sent_on,
            # Reg 18: the plan amended to name the next setting.
            "phase_transfer_due": self.final_plan_sent_on,
        }

    def advice_due(self):
        """The law's date for the advice: in before it is circulated, two weeks before the
        meeting. The LA's deadline; a person asked late is given their own
        (``advice_due_given``), and missing this is the LA's lateness, never theirs."""
        if not self.meeting_date:
            return None
        return clock.advice_circulation_by(self.meeting_date,
                                           durations=clock.durations_from_settings())

    def advice_due_given(self, asked_on: dt.date) -> dt.date | None:
        """The date a person asked on ``asked_on`` is given for their advice or views: the
        law's, or when it has passed or is too close, a reasonable one of their own, never
        before the day they were asked (clock.reply_due; issue #16). Moving the meeting
        asks everyone again, so they count from the move if it came later."""
        law_date = self.advice_due()
        if law_date is None:
            return None
        asked_on = max(asked_on, self.meeting_set_on or asked_on)
        return clock.reply_due(law_date, asked_on, meeting=self.meeting_date,
                               durations=clock.durations_from_settings())

    @staticmethod
    def family_asked_at(reviews, user) -> dict:
        """When each of ``reviews`` first sent ``user`` their family invitation, by review
        id (one query): the day their dates count from."""
        return dict(Invitation.objects.current()
                    .filter(review__in=reviews, role=Invitation.Role.FAMILY,
                            sent_at__isnull=False)
                    .filter(models.Q(user=user) | models.Q(email__iexact=user.email))
                    .order_by().values("review_id").annotate(first=models.Min("sent_at"))
                    .values_list("review_id", "first"))

    def views_due_for(self, asked_at, today: dt.date) -> dt.date | None:
        """The date a family member is given for their views (read with the advice): from
        the day their invitation was sent (``family_asked_at``), or today if it has not
        been."""
        return self.advice_due_given(timezone.localdate(asked_at) if asked_at else today)


class Event(AppendOnlyModel):
    """One thing that happened to a review. Append-only: the audit trail, the timeline and
    the stream the live room replays are all this table."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["review", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["review", "seq"], name="event_seq_unique_per_review"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.kind}"



class InvitationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)


class Invitation(models.Model):
    """One person, or an agency's duty inbox, asked to a review."""

    class Role(models.TextChoices):
        # The five the law requires (SEND Regs 2014 regs 20(3), 21(3)):
        FAMILY = "family", "Parent or young person"
        SETTING = "setting", "Head or principal of the setting (usually through the SENCO)"
        LA_SEN = "la_sen", "Local authority SEN officer"
        HEALTH = "health", "Health professional identified by the health commissioner"
        SOCIAL_CARE = "social_care", "Local authority social care officer"
        # Others invited where relevant:
        PROFESSIONAL = "professional", "Named professional"
        ADVOCATE = "advocate", "Independent advocate"
        ADULTHOOD = "adulthood", "Post-16 or adult services contact"
        OTHER = "other", "Other"

    REQUIRED_ROLES = [Role.FAMILY, Role.SETTING, Role.LA_SEN, Role.HEALTH, Role.SOCIAL_CARE]

    class Answer(models.TextChoices):
        NONE = "", "Not answered"
        ATTENDING = "attending", "Attending"
        NOT_ATTENDING = "not_attending", "Not attending"
        ADVICE_ONLY = "advice_only", "Sending advice only"
        DECLINED = "declined", "Can't contribute"  # the person, or the agency, with a reason

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=Role.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="review_invitations")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="review_invitations")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    discipline = models.CharField(max_length=20, choices=Discipline.choices, blank=True)
    advice_requested = models.BooleanField(default=True)
    # NULL rather than "": invitations without a token must not clash on the unique index.
    token_hash = models.CharField(max_length=64, unique=True, null=True,  # noqa: DJ001
                                  editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=20, choices=Answer.choices, blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)
    declined_reason = models.TextField(blank=True, max_length=REASON_MAX_LENGTH)
    attended = models.BooleanField(null=True, blank=True)
    # The SEQUENCE of the last calendar message this person was sent: a calendar's reply to
    # an earlier one answers a version of the meeting they have since been told has changed.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    removed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The first version of the advice, as submitted (Advice.record_submission keeps these):
    # whether the agency's advice came and in time is a fact about the invitation, and the
    # dashboards count a year's invitations without reading every version of their advice.
    first_advice_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_advice_late = models.BooleanField(null=True, blank=True, editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["review", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["review", "email"],
                                    condition=models.Q(removed_at__isnull=True),
                                    name="one_current_invitation_per_email"),
        ]
        indexes = [
            models.Index(fields=["user", "removed_at"]),
            models.Index(fields=["agency", "removed_at"]),
            models.Index(fields=["email"]),
            # The accountability dashboards count current invitations sent in a period,
            # per agency for its lead, and each educational psychologist's outstanding
            # advice.
            models.Index(fields=["agency", "sent_at"], name="invitation_agency_sent",
                         condition=models.Q(removed_at__isnull=True)),
            models.Index(fields=["sent_at"], name="invitation_sent",
                         condition=models.Q(removed_at__isnull=True)),
            models.Index(fields=["discipline", "user"], name="invitation_discipline_user",
                         condition=models.Q(removed_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    def issue_token(self) -> str:
        """A fresh secret for the emailed link; only its hash is kept."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        return token

    def advice_due(self) -> dt.date | None:
        """The date this person is given for their advice (or, for the family, their
        views): counted from the day the invitation was sent (before it is, from the day
        they were added, for the coordinator's page)."""
        return self.review.advice_due_given(timezone.localdate(self.sent_at or self.created_at))


class PostalLetterQuerySet(models.QuerySet):
    def waiting(self):
        """Letters not yet posted: the family they are for has not been sent them."""
        return self.filter(posted_on__isnull=True)


class PostalLetter(models.Model):
    """A letter to one address of a family that gets its letters by post: written when the
    others' emails are, printed from its PDF and posted by the coordinator, who records the
    day. One per letter and address, however often the step that writes it runs (`key`)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation to the review meeting"
        REPORT = "report", "Report of the review meeting"
        DECISION = "decision", "The council's decision after the review"
        FINAL = "final", "The final plan after the review"
        NOT_AMENDING = "not_amending", "The council has decided not to change the plan"
        CEASED = "ceased", "The plan has ended"
        ORDER = "order", "The Tribunal's order: what the council must do"

    # The letters the family's own time counts from, and the review's date each moves.
    POSTED_ON_FIELD = {Kind.DECISION: "decision_posted_on", Kind.FINAL: "final_plan_posted_on",
                       Kind.NOT_AMENDING: "final_plan_posted_on"}

    key = models.CharField(max_length=200, unique=True)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="postal_letters")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    edition = models.PositiveSmallIntegerField(
        default=1, help_text="Which version of the report, for a corrected report.")
    addressed_to = models.CharField(max_length=500)
    address = models.TextField(help_text="One line of the address a line.")
    to_young_person = models.BooleanField(
        default=False, help_text="Written to the young person: 'your plan'.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    posted_on = models.DateField(null=True, blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    objects = PostalLetterQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["posted_on", "created_at"])]

    def __str__(self):
        # Never the address or a name: this ends up in logs and admin history.
        return f"{self.get_kind_display()} ({self.review})"

    def address_lines(self) -> list[str]:
        return self.address.splitlines()

    def count_from(self, review: Review, day: dt.date) -> str | None:
        """Move the day the family's time counts from on ``review`` (not saved) to ``day``,
        when this is a letter it counts from and ``day`` is later; the field moved, or None."""
        field = self.POSTED_ON_FIELD.get(self.kind)
        if field is None or (getattr(review, field) or day) > day:
            return None
        setattr(review, field, day)
        return field


class Advice(models.Model):
    """One version of a contributor's advice. A correction after submitting is a new
    version; the earlier stays."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="advice")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    what_is_working = models.TextField(blank=True, max_length=SECTION_MAX_LENGTH)
    what_is_not_working = models.TextField(blank=True, max_length=SECTION_MAX_LENGTH)
    recommended_changes = models.JSONField(default=dict, blank=True,
                                           help_text="Recommended changes keyed by plan section.")
    CHANGE_MAX_LENGTH = SECTION_MAX_LENGTH  # each of the recommended changes
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    was_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["invitation", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "version"], name="advice_version_unique"),
        ]

    def __str__(self):
        return f"Advice v{self.version} from {self.invitation.name}"

    @property
    def may_be_corrected(self) -> bool:
        """Each correction keeps a whole new version, so one invitation's advice stops at
        ADVICE_MAX_VERSIONS: one person cannot pile up versions everyone else carries."""
        return self.version < settings.ADVICE_MAX_VERSIONS

    def record_submission(self, moment, *, late: bool) -> None:
        """Submitted at ``moment``, after the advice date if ``late``. The first version's
        submission is also its invitation's first advice."""
        self.status, self.submitted_at, self.was_late = self.Status.SUBMITTED, moment, late
        self.save(update_fields=["status", "submitted_at", "was_late", "updated_at"])
        if self.version == 1:
            Invitation.objects.filter(pk=self.invitation_id).update(
                first_advice_at=moment, first_advice_late=late)


class OutcomeProgress(models.Model):
    class Progress(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        ON_TRACK = "on_track", "On track"
        NOT_ON_TRACK = "not_on_track", "Not on track"
        NOT_ASSESSED = "not_assessed", "Not assessed"

    advice = models.ForeignKey(Advice, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="+")
    progress = models.CharField(max_length=20, choices=Progress.choices)
    evidence = models.TextField(blank=True, max_length=ANSWER_MAX_LENGTH)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["advice", "outcome"], name="one_progress_per_outcome"),
        ]

    def __str__(self):
        return f"Progress on outcome {self.outcome_id}: {self.get_progress_display()}"


def attachment_path(instance, filename):
    # Random names: no child's name or original file name in the storage path.
    return f"advice/{uuid.uuid4().hex}"


class Attachment(models.Model):
    advice = models.ForeignKey(Advice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self):
        return self.name


class FamilyViews(models.Model):
    """What the family and the child want the review to hear."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="family_views")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    what_is_important = models.TextField(blank=True, max_length=ANSWER_MAX_LENGTH)
    hopes = models.TextField("hopes and aspirations", blank=True, max_length=ANSWER_MAX_LENGTH)
    going_well = models.TextField(blank=True, max_length=ANSWER_MAX_LENGTH)
    hard = models.TextField("what is hard", blank=True, max_length=ANSWER_MAX_LENGTH)
    childs_own_words = models.TextField(blank=True, max_length=ANSWER_MAX_LENGTH)
    childs_own_file = models.FileField(upload_to=attachment_path, blank=True)
    childs_own_file_type = models.CharField(max_length=100, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "author"], name="one_views_per_author"),
        ]

    def __str__(self):
        return f"Family views for review {self.review_id}"


class AdvocacyOffer(models.Model):
    """Independent advocacy as an active offer: made to every family, answer recorded."""

    class Answer(models.TextChoices):
        NOT_YET = "", "Not answered yet"
        YES = "yes", "Yes"
        NO = "no", "No"

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="advocacy")
    offered_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(max_length=3, choices=Answer.choices, blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        # The advocacy dashboard counts offers made in a period.
        indexes = [models.Index(fields=["offered_at"], name="advocacy_offered")]

    def __str__(self):
        return f"Advocacy offer for review {self.review_id}"


class AdvocacyReferral(models.Model):
    """The family's yes to an independent advocate, sent to the authority's advocacy
    provider. The provider's lead (or the review's coordinator) assigns a named advocate,
    who is then invited to the review in the advocate's role; the family is told who it is.
    One per review: a yes after a no opens it again."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE,
                                  related_name="advocacy_referral")
    provider = models.ForeignKey(Agency, on_delete=models.PROTECT,
                                 related_name="advocacy_referrals",
                                 limit_choices_to={"kind": Agency.Kind.ADVOCACY})
    referred_at = models.DateTimeField(default=timezone.now)
    advocate = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    # The family said no after all: the provider need do nothing more.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # A provider's lead lists their referrals, waiting ones first.
        indexes = [models.Index(fields=["provider", "withdrawn_at", "assigned_at"],
                                name="referral_provider_state")]

    def __str__(self):
        return f"Advocacy referral for review {self.review_id}"

    @property
    def is_waiting(self) -> bool:
        return self.withdrawn_at is None and self.advocate_id is None


class Term(models.Model):
    """School term dates, which the LA edits; the termly list goes out 2 weeks before each."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=60, help_text="For example: Spring term 2027")
    starts_on = models.DateField()
    ends_on = models.DateField()
    list_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "starts_on"], name="one_term_per_start"),
        ]

    def __str__(self):
        return self.name


class CalendarFeed(models.Model):
    """A person's private calendar address. Only a hash of its secret is kept: the address
    is shown once, when it is made or reset."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # What the feed last served and since when: its ETag and Last-Modified. Kept so that
    # both change whenever its content does, whatever the change (a meeting moved, or a
    # review gone from it: cancelled, the person removed, access ended).
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    content_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self):
        return f"Calendar feed of {self.user}"

    def reset(self) -> str:
        """A new secret: the old address stops working once this is saved."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.created_at = timezone.now()
        return token

    def serving(self, body: bytes) -> tuple[str, datetime]:
        """The feed's validators for `body`: its hash, and when the content last changed
        (now, if `body` is not what the feed last served). Whole seconds, each change at
        least a second after the one before: HTTP dates have no fractions, and a client
        holding the earlier date must see a later one."""
        digest = hashlib.sha256(body).hexdigest()
        if digest == self.content_hash and self.content_changed_at:
            return digest, self.content_changed_at
        changed = timezone.now().replace(microsecond=0)
        if self.content_changed_at and changed <= self.content_changed_at:
            changed = self.content_changed_at + timedelta(seconds=1)
        updated = CalendarFeed.objects.filter(
            pk=self.pk, content_hash=self.content_hash,
            content_changed_at=self.content_changed_at).update(
                content_hash=digest, content_changed_at=changed)
        if not updated:  # another request for the same feed saved first: use what it saved
            self.refresh_from_db(fields=["content_hash", "content_changed_at"])
            if digest == self.content_hash:
                return digest, self.content_changed_at
        self.content_hash, self.content_changed_at = digest, changed
        return digest, changed


class Meeting(models.Model):
    """The live review meeting: one room per review, open until the coordinator closes it."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="meeting")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    current_item = models.ForeignKey("AgendaItem", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    minute_taker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return f"Meeting of review {self.review_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        VIEWS = "views", "The child's and family's views"
        OUTCOME = "outcome", "Progress on an outcome"
        ADVICE = "advice", "Advice from an agency"
        ADULTHOOD = "adulthood", "Preparing for adulthood"
        CHANGES = "changes", "Changes to recommend"
        ACTIONS = "actions", "Actions"
        OTHER = "other", "Other"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    outcome = models.ForeignKey(Outcome, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    notes = models.TextField(blank=True)
    notes_version = models.PositiveIntegerField(default=0)
    notes_updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["meeting", "position"]

    def __str__(self):
        return self.title


class Comment(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        QUESTION = "question", "Question"
        DISAGREE = "disagree", "We disagree"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "at"]

    def __str__(self):
        return f"{self.get_kind_display()} on agenda item {self.item_id}"


class MeetingAction(models.Model):
    """An action agreed in the meeting: what, who, by when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField()
    who = models.CharField(max_length=200, help_text="A person or an agency.")
    who_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    who_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    due_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "at"]

    def __str__(self):
        return f"Action by {self.who}"


class Recommendation(models.Model):
    """What should change in one plan section, or (section "") the overall recommendation."""

    class Overall(models.TextChoices):
        NONE = "", "Not for the overall recommendation"
        MAINTAIN = "maintain", "Maintain the plan as it is"
        AMEND = "amend", "Amend the plan"
        CEASE = "cease", "Cease the plan"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE,
                                related_name="recommendations")
    section = models.CharField(max_length=1, blank=True,
                               choices=[("", "Overall")] + Plan.SECTIONS)
    text = models.TextField(blank=True)
    overall = models.CharField(max_length=10, choices=Overall.choices, blank=True)
    agreed_by = models.TextField(blank=True, help_text="Who agreed, as recorded in the meeting.")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "section"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "section"],
                                    name="one_recommendation_per_section"),
        ]

    def __str__(self):
        if self.section:
            return f"Recommendation for section {self.section}"
        return "Overall recommendation"


class Presence(models.Model):
    """Who has the room open, one row per open connection. Rows are removed on disconnect;
    a heartbeat keeps `last_seen` fresh so a crashed server's rows age out."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200, unique=True)
    joined_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["review", "last_seen"])]

    def __str__(self):
        return f"Presence in review {self.review_id}"


class AppliedChange(models.Model):
    """A client's idempotency key, kept so that a change resent after a dropped connection is
    applied once."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    seq = models.PositiveIntegerField(null=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "key"], name="change_applied_once"),
        ]

    def __str__(self):
        return f"Change {self.key} in review {self.review_id}"


ACCESS_AFTER_CLOSE = timedelta(days=90)
