"""The fictional demo authority: agencies and the people in them.

Running it twice changes nothing.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from agencies.models import (
    Agency,
    AuthorityContact,
    Discipline,
    LocalAuthority,
    Membership,
    Role,
    User,
)

DEMO_PASSWORD = "review-demo-2026"  # noqa: S105  (printed for the demo; never a real account)
DEMO_TOTP_SECRET = "DEMOREVIEWPORTALDEMOREVIEWPORTAL"  # base32, shared by every demo professional
DOMAIN = "northbridge.example"

Kind = Agency.Kind


@dataclass(frozen=True)
class Persona:
    email: str
    first_name: str
    last_name: str
    agency: str | None = None
    role: str | None = None
    discipline: str = ""
    job_title: str = ""
    staff: bool = False

    @property
    def who(self) -> str:
        return self.job_title or "Parent or carer"


AGENCIES = [
    # name, kind, urn, ods_code, email, phone
    ("Northbridge SEND team", Kind.LA_SEND, "", "", f"send@{DOMAIN}", "0113 496 0100"),
    ("Riverside Primary School", Kind.SCHOOL, "990101", "", f"office@riverside.{DOMAIN}",
     "0113 496 0201"),
    ("Northbridge Academy", Kind.SCHOOL, "990102", "", f"office@academy.{DOMAIN}", "0113 496 0202"),
    ("Oakfield Special School", Kind.SCHOOL, "990103", "", f"office@oakfield.{DOMAIN}",
     "0113 496 0203"),
    ("Northbridge College", Kind.SCHOOL, "990104", "", f"info@college.{DOMAIN}", "0113 496 0204"),
    ("Northbridge Community Health NHS Trust", Kind.NHS, "", "ZZ1", f"referrals@nhs.{DOMAIN}",
     "0113 496 0300"),
    ("Northbridge Children's Social Care", Kind.SOCIAL_CARE, "", "", f"duty@care.{DOMAIN}",
     "0113 496 0400"),
    ("Speak Up Northbridge (advocacy)", Kind.ADVOCACY, "", "", f"hello@speakup.{DOMAIN}",
     "0113 496 0500"),
    ("Northbridge SENDIASS", Kind.SENDIASS, "", "", f"help@sendiass.{DOMAIN}", "0113 496 0600"),
    ("Northbridge Integrated Care Board", Kind.NHS, "", "ZZ2", f"send@icb.{DOMAIN}",
     "0113 496 0700"),
]

# The services every letter to a family names (agencies/contacts.py): service, name, email,
# phone.
CONTACTS = [
    ("send_team", "Northbridge SEND team", f"send@{DOMAIN}", "0113 496 0100"),
    ("sendiass", "Northbridge SENDIASS", f"help@sendiass.{DOMAIN}", "0113 496 0600"),
    ("advocacy", "Speak Up Northbridge", f"hello@speakup.{DOMAIN}", "0113 496 0500"),
    ("disagreement_resolution", "Northbridge Resolve (disagreement resolution)",
     f"resolve@{DOMAIN}", "0113 496 0800"),
    ("mediation", "Northbridge Family Mediation", f"mediation@{DOMAIN}", "0113 496 0900"),
]

LA, PRIMARY, SECONDARY, SPECIAL, COLLEGE, NHS, CARE, ADVOCACY, SENDIASS, ICB = (
    a[0] for a in AGENCIES)
C, P, L = Role.COORDINATOR, Role.PRACTITIONER, Role.LEAD
D = Discipline

PERSONAS = [
    Persona(f"angela.brooks@{DOMAIN}", "Angela", "Brooks", LA, L, D.SEN_OFFICER,
            "SEND service manager", staff=True),
    Persona(f"priya.shah@{DOMAIN}", "Priya", "Shah", LA, C, D.SEN_OFFICER, "SEN case officer"),
    Persona(f"tom.hughes@{DOMAIN}", "Tom", "Hughes", LA, C, D.SEN_OFFICER, "SEN case officer"),
    Persona(f"grace.okafor@{DOMAIN}", "Grace", "Okafor", LA, P, D.EDUCATIONAL_PSYCHOLOGIST,
            "Educational psychologist"),
    Persona(f"helen.price@{DOMAIN}", "Helen", "Price", PRIMARY, C, D.SENCO, "SENCO"),
    Persona(f"david.lee@{DOMAIN}", "David", "Lee", PRIMARY, P, D.HEADTEACHER, "Headteacher"),
    Persona(f"sam.patel@{DOMAIN}", "Sam", "Patel", SECONDARY, C, D.SENCO, "SENCO"),
    Persona(f"ruth.evans@{DOMAIN}", "Ruth", "Evans", SPECIAL, C, D.SENCO, "Deputy head and SENCO"),
    Persona(f"marcus.bell@{DOMAIN}", "Marcus", "Bell", COLLEGE, P, D.CAREERS_ADVISER,
            "Learning support manager"),
    Persona(f"nadia.khan@{DOMAIN}", "Nadia", "Khan", NHS, P, D.SPEECH_AND_LANGUAGE,
            "Speech and language therapist"),
    Persona(f"owen.jones@{DOMAIN}", "Owen", "Jones", NHS, P, D.OCCUPATIONAL_THERAPIST,
            "Occupational therapist"),
    Persona(f"lucy.ward@{DOMAIN}", "Lucy", "Ward", NHS, P, D.PHYSIOTHERAPIST, "Physiotherapist"),
    Persona(f"james.morgan@{DOMAIN}", "James", "Morgan", NHS, P, D.PAEDIATRICIAN,
            "Community paediatrician"),
    Persona(f"ella.fraser@{DOMAIN}", "Ella", "Fraser", NHS, P, D.CAMHS, "CAMHS clinician"),
    Persona(f"kate.wilson@{DOMAIN}", "Kate", "Wilson", NHS, L, D.DESIGNATED_CLINICAL_OFFICER,
            "Designated clinical officer"),
    Persona(f"ben.carter@{DOMAIN}", "Ben", "Carter", CARE, P, D.SOCIAL_WORKER, "Social worker"),
    Persona(f"mary.adams@{DOMAIN}", "Mary", "Adams", CARE, L, D.SOCIAL_WORKER,
            "Team manager, children with disabilities"),
    Persona(f"zoe.turner@{DOMAIN}", "Zoe", "Turner", ADVOCACY, P, D.ADVOCATE,
            "Independent advocate"),
    Persona(f"harriet.cole@{DOMAIN}", "Harriet", "Cole", ADVOCACY, L, D.ADVOCATE,
            "Advocacy service manager"),
    Persona(f"liam.walsh@{DOMAIN}", "Liam", "Walsh", SENDIASS, P, D.SENDIASS_ADVISER,
            "SENDIASS adviser"),
    # Families: no agency.
    Persona(f"sarah.ahmed@{DOMAIN}", "Sarah", "Ahmed"),
    Persona(f"joanne.taylor@{DOMAIN}", "Joanne", "Taylor"),
    Persona(f"jordan.clarke@{DOMAIN}", "Jordan", "Clarke", job_title="Young person (17)"),
]


def seed_authority() -> LocalAuthority:
    authority, _ = LocalAuthority.objects.get_or_create(
        dfe_code="999", defaults={"name": "Northbridge Borough Council"}
    )
    for name, kind, urn, ods, email, phone in AGENCIES:
        agency, _ = Agency.objects.get_or_create(
            authority=authority, name=name,
            defaults={"kind": kind, "urn": urn, "ods_code": ods, "email": email, "phone": phone},
        )
        if name == ICB and authority.health_commissioner_id is None:
            authority.health_commissioner = agency
            authority.save(update_fields=["health_commissioner"])
    for service, name, email, phone in CONTACTS:
        AuthorityContact.objects.get_or_create(
            authority=authority, service=service,
            defaults={"name": name, "email": email, "phone": phone})
    return authority


def seed_person(persona: Persona, agencies: dict[str, Agency]) -> User:
    user, created = User.objects.get_or_create(
        email=persona.email,
        defaults={"first_name": persona.first_name, "last_name": persona.last_name,
                  "is_staff": persona.staff, "is_superuser": persona.staff},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=persona.email, defaults={"verified": True, "primary": True}
    )
    if persona.agency:
        Membership.objects.get_or_create(
            user=user, agency=agencies[persona.agency], role=persona.role,
            defaults={"discipline": persona.discipline, "job_title": persona.job_title},
        )
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


@transaction.atomic
def seed_people() -> list[Persona]:
    authority = seed_authority()
    agencies = {agency.name: agency for agency in authority.agencies.all()}
    for persona in PERSONAS:
        seed_person(persona, agencies)
    return PERSONAS
