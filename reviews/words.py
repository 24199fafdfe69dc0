"""The words a family reads for the people at a review: plain role words, and each acronym
explained the first time a page or a report uses it.

The law's own names for the roles (Invitation.Role's labels, "Health professional
identified by the health commissioner") stay on the coordinator's pages, where they check
the law is kept; a family, and the report everyone reads, get these.
"""

from __future__ import annotations

import re

from agencies.models import Discipline
from reviews.models import Invitation

# Each acronym a family may meet in these words: "words (ACRONYM)" the first time, then the
# acronym alone. The CMS's glossary page explains each of them too.
ACRONYMS = ("SENCO", "CAMHS", "SENDIASS")

ROLE_WORDS = {
    Invitation.Role.FAMILY: "Family",
    Invitation.Role.SETTING: "From the school or college",
    Invitation.Role.LA_SEN: "From the council's special educational needs team",
    Invitation.Role.HEALTH: "From health services (NHS)",
    Invitation.Role.SOCIAL_CARE: "From social care",
    Invitation.Role.PROFESSIONAL: "Works with the child",
    Invitation.Role.ADVOCATE: "Independent advocate",
    Invitation.Role.ADULTHOOD: "Helps with moving on to college, work or adult services",
    Invitation.Role.OTHER: "Also invited",
}

DISCIPLINE_WORDS = {
    Discipline.SENCO: "Special educational needs co-ordinator (SENCO)",
    Discipline.HEADTEACHER: "Head teacher or principal",
    Discipline.TEACHER: "Teacher",
    Discipline.EDUCATIONAL_PSYCHOLOGIST: "Educational psychologist",
    Discipline.SPEECH_AND_LANGUAGE: "Speech and language therapist",
    Discipline.OCCUPATIONAL_THERAPIST: "Occupational therapist",
    Discipline.PHYSIOTHERAPIST: "Physiotherapist",
    Discipline.PAEDIATRICIAN: "Children's doctor (paediatrician)",
    Discipline.CAMHS: "Mental health worker for children and young people (CAMHS)",
    Discipline.DESIGNATED_CLINICAL_OFFICER: "Health officer for special educational needs",
    Discipline.SOCIAL_WORKER: "Social worker",
    Discipline.SEN_OFFICER: "Special educational needs case officer",
    Discipline.ADVOCATE: "Independent advocate",
    Discipline.SENDIASS_ADVISER: "Adviser from SENDIASS (free advice about special "
                                 "educational needs)",
    Discipline.CAREERS_ADVISER: "Careers adviser",
}


# What each section of an EHC plan is for, beside the name the law gives it (SEND Code of
# Practice 9.62).
PLAN_SECTION_WORDS = {
    "A": "What matters to the child and family",
    "B": "What the child finds hard with learning",
    "C": "Health needs",
    "D": "Social care needs",
    "E": "The goals the child is working towards",
    "F": "The help with learning",
    "G": "The help from health services",
    "H": "The help from social care",
    "I": "The school or college",
    "J": "Money the family can use for the help",
    "K": "The advice used to write the plan",
}


YOUNG_PERSON_WORDS = "Young person"


def role_words(invitation: Invitation, *, with_agency: bool = True,
               young_person: bool = False) -> str:
    """What the person does, in plain words: their discipline if known, else their role;
    with their organisation when it is not their own name. `young_person`: the invitation
    is the young person's own (young_person.marking_the_young_person), who is not
    "family" at their own review."""
    if young_person and invitation.role == Invitation.Role.FAMILY:
        return YOUNG_PERSON_WORDS
    if invitation.discipline and invitation.role != Invitation.Role.FAMILY:
        words = DISCIPLINE_WORDS.get(invitation.discipline) or ROLE_WORDS[invitation.role]
    else:
        words = ROLE_WORDS.get(invitation.role, "")
    if with_agency and invitation.agency_id and invitation.agency.name != invitation.name:
        return f"{words}, {invitation.agency.name}"
    return words


def explain_once(texts: list[str]) -> list[str]:
    """``texts`` as one page reads them: an acronym's explanation in brackets stays the
    first time it comes, and goes after ("Special educational needs co-ordinator (SENCO)",
    then "SENCO")."""
    seen: set[str] = set()
    out = []
    for text in texts:
        for acronym in ACRONYMS:
            long = _long_form(text, acronym)
            if long is None:
                continue
            if acronym in seen:
                text = text.replace(long, acronym)
            seen.add(acronym)
        out.append(text)
    return out


def _long_form(text: str, acronym: str) -> str | None:
    """The words and bracketed acronym as ``text`` has them, or None."""
    match = re.search(rf"[A-Z][^,;:()]*? \({acronym}\)", text)
    if match:
        return match.group(0)
    match = re.search(rf"{acronym} \([^)]*\)", text)
    return match.group(0) if match else None
