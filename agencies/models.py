"""Who takes part: local authorities, agencies, the people in them, and their invitations."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from common.append_only import AppendOnlyModel, AppendOnlyQuerySet


class PortalUserManager(UserManager):
    """Accounts are keyed by email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An account needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = PortalUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_agency_member(self) -> bool:
        """Professionals belong to an agency; families and young people do not."""
        return self.memberships.filter(is_active=True).exists()

    @property
    def must_use_mfa(self) -> bool:
        """Every professional: agency members, and anyone invited to a review in a
        professional role, since a review's link makes accounts for people whose agency
        is not on the portal. Only families and young people may sign in with a password
        alone."""
        if self.is_agency_member:
            return True
        # "family" is reviews.Invitation.Role.FAMILY; this app does not import reviews.
        return self.review_invitations.filter(removed_at__isnull=True).exclude(
            role="family").exists()


PORTAL_NAME_CACHE_KEY = "agencies:portal-authority-name"


class LocalAuthority(ClusterableModel):
    name = models.CharField(max_length=200, unique=True)
    dfe_code = models.CharField(
        "DfE local authority number", max_length=3, unique=True,
        help_text="The three-digit number the DfE uses for this authority, for example 919.",
    )
    health_commissioner = models.ForeignKey(
        "Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        limit_choices_to={"kind": "nhs"}, verbose_name="Responsible health commissioning body",
        help_text="The NHS body, usually the integrated care board, told when the authority "
                  "decides to stop maintaining a plan (SEND Regulations 2014, regulation "
                  "31(2)), at the email address on its agency record.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self):
        return self.name

    @staticmethod
    def portal_name(*, read_database: bool = True) -> str:
        """The council running the portal, as its header, footer and account emails name
        it: the authority's record (its letters name the same record), so the two never
        differ. AUTHORITY_NAME is for one portal serving several authorities. Kept in the
        cache until an authority changes (agencies/apps.py); the service's name until an
        authority is recorded, when there are several and no setting, or when the
        database may not be asked (an error page)."""
        if settings.AUTHORITY_NAME:
            return settings.AUTHORITY_NAME
        name = cache.get(PORTAL_NAME_CACHE_KEY)
        if name is None and read_database:
            names = list(LocalAuthority.objects.values_list("name", flat=True)[:2])
            # With several and no setting, none of them: not one authority's name to all.
            name = names[0] if len(names) == 1 else ""
            cache.set(PORTAL_NAME_CACHE_KEY, name, timeout=None)
        return name or settings.SITE_NAME


class AuthorityContact(models.Model):
    """A service the authority names in its letters to families, with a way to reach it:
    held on the authority, edited with it in the admin, never a person's own details."""

    class Service(models.TextChoices):
        # The order letters name them in.
        SEND_TEAM = "send_team", "SEND team (the coordinators' team)"
        SENDIASS = "sendiass", "SENDIASS (information, advice and support service)"
        ADVOCACY = "advocacy", "Independent advocacy service"
        DISAGREEMENT_RESOLUTION = "disagreement_resolution", "Disagreement resolution service"
        MEDIATION = "mediation", "Mediation service"

    authority = ParentalKey(LocalAuthority, on_delete=models.CASCADE, related_name="contacts")
    service = models.CharField(max_length=30, choices=Service.choices)
    name = models.CharField(max_length=200, help_text="As families should know it.")
    phone = models.CharField(max_length=40)
    email = models.EmailField()
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["authority", "service"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "service"],
                                    name="one_contact_per_service"),
        ]

    def __str__(self):
        return f"{self.get_service_display()}: {self.name}"


class Agency(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", "School or college"
        LA_SEND = "la_send", "Local authority SEND team"
        NHS = "nhs", "NHS organisation"
        SOCIAL_CARE = "social_care", "Social care team"
        ADVOCACY = "advocacy", "Independent advocacy provider"
        SENDIASS = "sendiass", "SENDIASS (information, advice and support)"
        OTHER = "other", "Other"

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    urn = models.CharField(
        "school URN", max_length=8, blank=True,
        help_text="Unique reference number from Get Information About Schools.",
    )
    ods_code = models.CharField(
        "NHS ODS code", max_length=10, blank=True,
        help_text="Organisation Data Service code, for example RX1.",
    )
    email = models.EmailField("duty inbox", blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="agency_name_unique_per_la"),
        ]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Review coordinator"
    PRACTITIONER = "practitioner", "Practitioner"
    LEAD = "lead", "Agency lead"


class Discipline(models.TextChoices):
    SENCO = "senco", "SENCO (special educational needs co-ordinator)"
    HEADTEACHER = "head", "Headteacher or principal"
    TEACHER = "teacher", "Teacher"
    EDUCATIONAL_PSYCHOLOGIST = "ep", "Educational psychologist"
    SPEECH_AND_LANGUAGE = "salt", "Speech and language therapist"
    OCCUPATIONAL_THERAPIST = "ot", "Occupational therapist"
    PHYSIOTHERAPIST = "physio", "Physiotherapist"
    PAEDIATRICIAN = "paed", "Paediatrician"
    CAMHS = "camhs", "CAMHS clinician"
    DESIGNATED_CLINICAL_OFFICER = "dco", "Designated clinical or medical officer"
    SOCIAL_WORKER = "sw", "Social worker"
    SEN_OFFICER = "sen_officer", "SEN case officer"
    ADVOCATE = "advocate", "Independent advocate"
    SENDIASS_ADVISER = "sendiass", "SENDIASS adviser"
    CAREERS_ADVISER = "careers", "Careers or post-16 adviser"
    OTHER = "other", "Other"


class Membership(models.Model):
    """A person's place in an agency. One person may hold several (a SENCO who also teaches)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    discipline = models.CharField(max_length=20, choices=Discipline.choices, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="one_role_per_agency"),
        ]
        indexes = [models.Index(fields=["agency", "role", "is_active"])]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.agency}"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AgencyInvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True,
                           expires_at__gt=timezone.now())

    def for_token(self, token: str):
        """The open invitation a link's token belongs to, or None."""
        return self.open().filter(token_hash=_hash_token(token)).select_related("agency").first()


class AgencyInvitation(models.Model):
    """The only way in for a professional: staff invite an email address into an agency.

    The link's token is shown once (in the email) and only its hash is stored.
    """

    VALID_FOR = timedelta(days=14)

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    discipline = models.CharField(max_length=20, choices=Discipline.choices, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AgencyInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self):
        return f"Invitation for {self.email} to {self.agency}"

    def issue_token(self) -> str:
        """Give the invitation a fresh secret and return it; call before saving."""
        token = secrets.token_urlsafe(32)
        self.token_hash = _hash_token(token)
        self.expires_at = timezone.now() + self.VALID_FOR
        return token

    def accept(self, user: User) -> Membership:
        membership, _ = Membership.objects.update_or_create(
            user=user, agency=self.agency, role=self.role,
            defaults={"discipline": self.discipline, "is_active": True},
        )
        self.accepted_at = timezone.now()
        self.save(update_fields=["accepted_at"])
        return membership


class AuditEntry(AppendOnlyModel):
    """Append-only record of what an auditor after a complaint asks about: sign-ins and
    their failures, two-step changes, memberships, refusals by the access rule, and every
    read, export and download of a child's data."""

    class Action(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Refused: too many attempts"
        SIGNED_OUT = "signed_out", "Signed out"
        REAUTHENTICATED = "reauthenticated", "Confirmed who they are again"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET = "password_reset", "Password reset from an emailed link"
        MFA_ADDED = "mfa_added", "Two-factor method added"
        MFA_REMOVED = "mfa_removed", "Two-factor method removed"
        MFA_CODES_RESET = "mfa_codes_reset", "Recovery codes renewed"
        MFA_RESET_BY_STAFF = "mfa_reset_by_staff", "Two-step sign-in reset by staff"
        INVITATION_SENT = "invitation_sent", "Agency invitation sent"
        INVITATION_ACCEPTED = "invitation_accepted", "Agency invitation accepted"
        MEMBERSHIP_CHANGED = "membership_changed", "Membership changed"
        RECORD_VIEWED = "record_viewed", "Child's record viewed"
        ACCESS_REFUSED = "access_refused", "Refused by the access rule"
        EXPORTED = "exported", "Children's data exported"
        IMPORTED = "imported", "Children's records imported"
        FILE_DOWNLOADED = "file_downloaded", "Child's file downloaded"

    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    action = models.CharField(max_length=30, choices=Action.choices, db_index=True, editable=False)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", editable=False)
    email = models.CharField("email given", max_length=254, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    # The URL pattern or socket route that was asked (`reviews/<uuid:review_id>/advice/`),
    # never the path itself: paths carry feed and invitation tokens.
    route = models.CharField(max_length=200, blank=True, editable=False)
    review_id = models.UUIDField("review", null=True, blank=True, editable=False)
    detail = models.CharField(max_length=200, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["user", "-at"]),
                   models.Index(fields=["review_id", "-at"])]

    def __str__(self):
        return f"{self.get_action_display()} – {self.email or self.user_id}"
