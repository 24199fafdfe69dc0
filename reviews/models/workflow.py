"""A review of a plan as it goes: the review with its statutory facts, the rows of its event
log (reviews/events.py writes them), and the people invited to it."""

import datetime as dt
import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from agencies.models import Agency, Discipline
from common.append_only import AppendOnlyModel, AppendOnlyQuerySet
from reviews import clock
from reviews.models.limits import REASON_MAX_LENGTH
from reviews.models.records import Child, Plan


def hash_token(token: str) -> str:
    """What is kept of a secret link's token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


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
