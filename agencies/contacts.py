"""The services an authority names in its letters and pages to families: its SEND team (the
coordinators' team), SENDIASS, independent advocacy, the disagreement resolution service
(CFA 2014 s57; SEND Regs 2014 reg 54) and the mediation service (CFA 2014 s53). Each is an
AuthorityContact held on the authority, edited with it in the admin, with a phone and an
email.

Every letter and page that names them reads them here, in one query; a letter that would
name one the authority does not hold refuses to go (``require``), naming the record to
fix, so nothing is sent out half-right and no letter says "ask for the details".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from agencies.models import AuthorityContact, LocalAuthority

Service = AuthorityContact.Service

# What every letter to a family names: who runs the review, and who can help.
EVERY_LETTER = (Service.SEND_TEAM, Service.SENDIASS, Service.ADVOCACY,
                Service.DISAGREEMENT_RESOLUTION)
# A letter the family may appeal names mediation too: they must contact an adviser first.
APPEALABLE_LETTER = (*EVERY_LETTER, Service.MEDIATION)

# Each service as a sentence names it.
WORDS = {Service.SEND_TEAM: "SEND team", Service.SENDIASS: "SENDIASS",
         Service.ADVOCACY: "independent advocacy service",
         Service.DISAGREEMENT_RESOLUTION: "disagreement resolution service",
         Service.MEDIATION: "mediation service"}

# Where staff fix a missing contact, in the admin's own words.
WHERE_TO_FIX = "in the admin: Agencies and people, Local authorities, {authority}"


@dataclass(frozen=True)
class AuthorityContacts:
    """One authority's contacts by service; None where it holds none."""

    authority: LocalAuthority
    by_service: dict[str, AuthorityContact]

    @property
    def send_team(self) -> AuthorityContact | None:
        return self.by_service.get(Service.SEND_TEAM)

    @property
    def sendiass(self) -> AuthorityContact | None:
        return self.by_service.get(Service.SENDIASS)

    @property
    def advocacy(self) -> AuthorityContact | None:
        return self.by_service.get(Service.ADVOCACY)

    @property
    def disagreement_resolution(self) -> AuthorityContact | None:
        return self.by_service.get(Service.DISAGREEMENT_RESOLUTION)

    @property
    def mediation(self) -> AuthorityContact | None:
        return self.by_service.get(Service.MEDIATION)

    def missing(self, services: Iterable[str] = APPEALABLE_LETTER) -> list[str]:
        """Each of ``services`` the authority does not hold with a phone and an email, in
        words ("its mediation service", "the phone number of Testshire SENDIASS")."""
        found = []
        for service in services:
            contact = self.by_service.get(service)
            if contact is None:
                found.append(f"its {WORDS[service]}")
                continue
            lacks = [what for what, value in (("phone number", contact.phone),
                                              ("email address", contact.email)) if not value]
            if lacks:
                found.append(f"the {' and '.join(lacks)} of {contact.name}")
        return found


def authority_contacts(authority: LocalAuthority) -> AuthorityContacts:
    """The authority's contacts: one query."""
    return AuthorityContacts(authority, {contact.service: contact
                                         for contact in authority.contacts.all()})


def missing_message(contacts: AuthorityContacts, services: Iterable[str]) -> str:
    """What the authority's record lacks for ``services``, and where to add it; "" if
    nothing."""
    missing = contacts.missing(services)
    if not missing:
        return ""
    name = contacts.authority.name
    return (f"{name}'s record does not hold {_words(missing)}, which the letter must name. "
            f"Staff add them {WHERE_TO_FIX.format(authority=name)}.")


def require(authority: LocalAuthority, services: Iterable[str]) -> AuthorityContacts:
    """The authority's contacts, or ValidationError (code "contacts") naming what is
    missing and where to add it: a letter that names them is not sent without them."""
    contacts = authority_contacts(authority)
    message = missing_message(contacts, services)
    if message:
        raise ValidationError(message, code="contacts")
    return contacts


def _words(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} or {parts[-1]}"
