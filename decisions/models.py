"""The LA's decision after a review, and what follows it: the proposed amendments and the
family's reply, the final plan (kept in versions), ceasing a plan, and the family's
disagreement, mediation and appeal.

The statutory facts the clock counts from and the DfE collects (the decision, the letter's
date, the amendment notice's and the final plan's dates) are on the Review itself; these
records hold what they summarise, written in the same transaction. Dates come from
reviews/clock.py, never from here.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from common.append_only import AppendOnlyModel, AppendOnlyQuerySet
from reviews import clock
from reviews.models import REASON_MAX_LENGTH, SECTION_MAX_LENGTH, Plan, Review


class Decision(models.Model):
    """The LA's decision after one review: maintain, amend or cease, with its reasons."""

    class Ground(models.TextChoices):
        # The only two grounds on which a plan may cease: CFA 2014 s45(1).
        NOT_RESPONSIBLE = "not_responsible", (
            "The local authority is no longer responsible for the child or young person")
        NOT_NECESSARY = "not_necessary", (
            "It is no longer necessary for the plan to be maintained")

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="la_decision")
    outcome = models.CharField(max_length=1, choices=Review.Decision.choices)
    reasons = models.TextField(max_length=SECTION_MAX_LENGTH)
    cease_ground = models.CharField(max_length=20, choices=Ground.choices, blank=True)
    # Ceasing needs the family and the setting consulted first (SEND Regs 2014 reg 31(1)).
    family_consulted_on = models.DateField(null=True, blank=True)
    setting_consulted_on = models.DateField(null=True, blank=True)
    # The authority decides in the light of the report of the meeting (SEND Regs 2014
    # regs 20-21), so the decision waits for it to be published; sent before it, the
    # officer says why, for the record.
    before_report_reason = models.TextField(
        "why the decision went before the report was published", blank=True,
        max_length=REASON_MAX_LENGTH)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    plan_ceased_on = models.DateField(
        null=True, blank=True,
        help_text="When a decision to cease took effect: after the appeal window, or an "
                  "appeal decided for the local authority.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome=Review.Decision.CEASE)
                | (~models.Q(cease_ground="") & models.Q(family_consulted_on__isnull=False,
                                                         setting_consulted_on__isnull=False)),
                name="cease_has_a_ground_and_consultation"),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.review})"

    @property
    def disagreement_or_none(self) -> "Disagreement | None":
        """Fetch decisions with select_related("disagreement") so this runs no query."""
        try:
            return self.disagreement
        except Disagreement.DoesNotExist:
            return None

    @property
    def tribunal_order_or_none(self) -> "TribunalOrder | None":
        """Fetch decisions with select_related("tribunal_order") so this runs no query."""
        try:
            return self.tribunal_order
        except TribunalOrder.DoesNotExist:
            return None

    def clock_facts(self) -> dict:
        """The mediation, appeal and Tribunal order facts ``Review.deadlines`` takes (none
        before any disagreement)."""
        disagreement, order = self.disagreement_or_none, self.tribunal_order_or_none
        return {**(disagreement.clock_facts() if disagreement else {}),
                **(order.clock_facts() if order else {})}


class PlanVersion(AppendOnlyModel):
    """One version of a plan's sections, never changed: the copy sent with the proposed
    amendments, then the final amended plan. The plan's own ``sections`` are the current
    version; earlier ones stay readable here."""

    class Kind(models.TextChoices):
        COPY = "copy", "The plan as it stood when changes were proposed"
        AMENDED = "amended", "The final amended plan"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    sections = models.JSONField(default=dict)
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    made_on = models.DateField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique"),
        ]

    def __str__(self):
        return f"Version {self.number} of {self.plan}"

    def section_rows(self) -> list[tuple[str, str, str]]:
        """(letter, title, text) for every section, A to K."""
        return [(letter, title, self.sections.get(letter, "")) for letter, title in Plan.SECTIONS]


class Amendment(models.Model):
    """An amend decision's proposed amendments and how they ended: the final amended plan,
    or a notice not to amend (SEND Regs 2014 reg 22)."""

    class Result(models.TextChoices):
        AMENDED = "amended", "Final amended plan issued"
        NOT_AMENDED = "not_amended", "Decided not to amend the plan"

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE,
                                    related_name="amendment")
    proposed = models.JSONField(default=dict, help_text="Proposed amendments by plan section.")
    plan_before = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+",
                                    help_text="The copy of the plan sent with the proposal.")
    result = models.CharField(max_length=12, choices=Result.choices, blank=True)
    result_reasons = models.TextField(blank=True, max_length=SECTION_MAX_LENGTH)
    final_version = models.ForeignKey(PlanVersion, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    finished_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Amendments after {self.decision.review}"

    @property
    def is_finished(self) -> bool:
        return bool(self.result)

    def proposed_rows(self) -> list[tuple[str, str, str]]:
        """(letter, title, proposed change) for the sections that change, A to K."""
        return [(letter, title, self.proposed[letter]) for letter, title in Plan.SECTIONS
                if self.proposed.get(letter)]


class FamilyResponse(models.Model):
    """What one family member says about the proposed amendments: comments, a school or
    college they want named, whether they want to meet an officer (reg 22(2))."""

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE,
                                  related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    comments = models.TextField(blank=True, max_length=SECTION_MAX_LENGTH)
    named_setting = models.CharField(max_length=300, blank=True)
    wants_meeting = models.BooleanField(default=False)
    sent_at = models.DateTimeField(default=timezone.now)
    was_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["amendment", "sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["amendment", "author"],
                                    name="one_response_per_family_member"),
        ]

    def __str__(self):
        return f"Reply from {self.author} to {self.amendment}"


class Disagreement(models.Model):
    """The family's disagreement with the decision and where mediation and any appeal
    stand. The dates are what the clock needs for mediation (SEND Regs 2014 regs 33-39)
    and the appeal (HESC Rules r.20)."""

    class AppealResult(models.TextChoices):
        FOR_FAMILY = "family", "Decided for the family"
        FOR_LA = "la", "Decided for the local authority"
        WITHDRAWN = "withdrawn", "Withdrawn"

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE,
                                    related_name="disagreement")
    disagreed_on = models.DateField(null=True, blank=True)
    disagreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    what_they_disagree_with = models.TextField(blank=True, max_length=SECTION_MAX_LENGTH)
    mediation_requested_on = models.DateField(
        null=True, blank=True, help_text="The day the local authority was told the family "
                                         "wants mediation.")
    mediation_declined_on = models.DateField(
        null=True, blank=True, help_text="The day the family told the mediation adviser they "
                                         "do not want mediation.")
    mediation_ended_on = models.DateField(null=True, blank=True)
    mediation_certificate_on = models.DateField(null=True, blank=True)
    appeal_made_on = models.DateField(null=True, blank=True)
    not_opposing_on = models.DateField(
        null=True, blank=True, help_text="The day the local authority told the Tribunal it "
                                         "will not oppose the appeal.")
    appeal_decided_on = models.DateField(null=True, blank=True)
    appeal_result = models.CharField(max_length=10, choices=AppealResult.choices, blank=True)

    def __str__(self):
        return f"Disagreement with {self.decision}"

    def clock_facts(self) -> dict:
        """The facts ``Review.deadlines`` takes for mediation and the appeal."""
        return {
            "mediation_declined": self.mediation_declined_on,
            "mediation_requested": self.mediation_requested_on,
            "mediation_ended": self.mediation_ended_on,
            "mediation_certificate_issued": self.mediation_certificate_on,
            "la_told_tribunal_not_opposing": self.not_opposing_on,
        }

    @property
    def mediation_pending(self) -> bool:
        """Mediation asked for or declined, and no certificate yet: the family's month to
        appeal from the certificate has not started."""
        return bool((self.mediation_requested_on or self.mediation_declined_on)
                    and not self.mediation_certificate_on)

    @property
    def appeal_pending(self) -> bool:
        return bool(self.appeal_made_on and not self.appeal_result)


class TribunalOrder(models.Model):
    """What the First-tier Tribunal ordered when it decided the family's appeal for them,
    and when the LA complied (SEND Regs 2014 reg 44). The dates the LA must meet are the
    clock's (``clock.tribunal_order_due``), from the order's date."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE,
                                    related_name="tribunal_order")
    made_on = models.DateField("Date of the order")
    continue_to_maintain = models.BooleanField(
        "Continue to maintain the plan", default=False,
        help_text="With immediate effect (reg 44(2)(g), (h)).")
    amend_provision = models.BooleanField(
        "Amend the needs or provision in the plan", default=False,
        help_text="The amended plan within 5 weeks of the order (reg 44(2)(e), (h)).")
    amend_placement = models.BooleanField(
        "Name a different school or college (or type) in the plan", default=False,
        help_text="The amended plan within 2 weeks of the order (reg 44(2)(f)).")
    provision_amended_on = models.DateField(
        "Plan with the needs or provision amended issued on", null=True, blank=True)
    placement_amended_on = models.DateField(
        "Plan naming the school or college issued on", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(continue_to_maintain=True) | models.Q(amend_provision=True)
                | models.Q(amend_placement=True),
                name="an_order_requires_something"),
            models.CheckConstraint(
                condition=models.Q(provision_amended_on__isnull=True)
                | models.Q(amend_provision=True),
                name="provision_amended_only_if_ordered"),
            models.CheckConstraint(
                condition=models.Q(placement_amended_on__isnull=True)
                | models.Q(amend_placement=True),
                name="placement_amended_only_if_ordered"),
        ]

    def __str__(self):
        return f"Tribunal order of {self.made_on} ({self.decision.review})"

    def requires(self) -> frozenset[clock.OrderRequirement]:
        Requirement = clock.OrderRequirement
        return frozenset(requirement for requirement, ordered in (
            (Requirement.CONTINUE, self.continue_to_maintain),
            (Requirement.AMEND_PROVISION, self.amend_provision),
            (Requirement.AMEND_PLACEMENT, self.amend_placement)) if ordered)

    def clock_facts(self) -> dict:
        """The facts ``Review.deadlines`` takes for the LA's compliance."""
        return {"tribunal_order_made": self.made_on, "order_requires": self.requires()}

    def met_on(self) -> dict:
        """When each of the clock's order dates was met, by key."""
        return {"order_provision_due": self.provision_amended_on,
                "order_placement_due": self.placement_amended_on}

    @property
    def outstanding(self) -> bool:
        """An amended plan the order requires has not been issued yet."""
        return (self.amend_provision and not self.provision_amended_on) or (
            self.amend_placement and not self.placement_amended_on)
