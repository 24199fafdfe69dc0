"""A small hand-made authority whose figures are known, for every dashboard test.

Testshire, 2025, judged on 1 December 2025 (TODAY). Two coordinators (Cora, the shared
`coordinator`, and Bob), two schools, ten reviews (R1-R10) and the invitations, advice and
advocacy offers around them. The right answers are worked out in test_measures.py next to
each assertion, from the facts set here.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from agencies.models import Agency, Discipline, Role
from reviews.models import Advice, AdvocacyOffer, Invitation, Review
from tests.conftest import make_person
from tests.factories import ChildFactory, ReviewFactory
from tests.reviews.conftest import (  # noqa: F401  (fixtures used by the tests here)
    child,
    family_parent,
    invite_person,
    invited_therapist,
    other_parent,
    plan,
    refused,
    review,
    school,
    senco,
    uninvited_professional,
)

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2025, 12, 1)
BORN = dt.date(2016, 3, 14)
A = Review.Kind.ANNUAL
T = Review.Kind.PHASE_TRANSFER
S = Review.Status


def at(day: dt.date | None, hour: int = 10):
    """A moment on ``day`` in Europe/London (10am unless said)."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON) if day else None


def add_review(kid, coordinator, *, due, kind=A, status=S.DUE, meeting=None, invited=None,
               circulated=None, **facts):
    return ReviewFactory(
        plan__child=kid, coordinator=coordinator, kind=kind, status=status, due_by=due,
        meeting_at=at(meeting), invitations_sent_at=at(invited, 9),
        advice_circulated_at=at(circulated, 9), **facts)


def invite(to, agency, *, sent, user=None, discipline="", email=None, **fields):
    return Invitation.objects.create(
        review=to, agency=agency, user=user, role=Invitation.Role.PROFESSIONAL,
        name=str(user) if user else agency.name, discipline=discipline,
        email=email or (user.email if user else agency.email), sent_at=at(sent, 9), **fields)


def submit(invitation, on: dt.date, *, late: bool, version: int = 1, author=None):
    advice = Advice.objects.create(invitation=invitation, version=version,
                                   author=author or invitation.user)
    advice.record_submission(at(on, 15), late=late)
    return advice


def offer(to, on: dt.date, answer=""):
    return AdvocacyOffer.objects.create(review=to, offered_at=at(on), answer=answer)


@pytest.fixture
def secondary(authority):
    return Agency.objects.create(authority=authority, name="Testshire Academy",
                                 kind=Agency.Kind.SCHOOL, urn="999002")


@pytest.fixture
def ep_service(authority):
    return Agency.objects.create(authority=authority, name="Testshire Psychology Service",
                                 kind=Agency.Kind.OTHER, email="ep.duty@test.example")


@pytest.fixture
def bob(la_team):
    return make_person("bob@test.example", "Bob", "Builder", la_team, Role.COORDINATOR,
                       Discipline.SEN_OFFICER)


@pytest.fixture
def psychologist(ep_service):
    return make_person("eve@test.example", "Eve", "Psych", ep_service, Role.PRACTITIONER,
                       Discipline.EDUCATIONAL_PSYCHOLOGIST)


@pytest.fixture
def nhs_lead(nhs_trust):
    return make_person("nhs.lead@test.example", "Nia", "Lead", nhs_trust, Role.LEAD,
                       Discipline.SPEECH_AND_LANGUAGE)


@pytest.fixture
def ep_lead(ep_service):
    return make_person("ep.lead@test.example", "Ed", "Lead", ep_service, Role.LEAD,
                       Discipline.EDUCATIONAL_PSYCHOLOGIST)


@pytest.fixture
def la_manager(la_team):
    return make_person("manager@test.example", "Mo", "Manager", la_team, Role.LEAD,
                       Discipline.SEN_OFFICER)


@pytest.fixture
def testshire(authority, school, secondary, coordinator, bob, nhs_trust,  # noqa: F811
              therapist, ep_service, psychologist):
    """The ten reviews of 2025 (see the module docstring); returns them by name."""
    d = dt.date
    primary, sec = "primary", "secondary"

    def kid(n, setting, setting_type="", born=BORN):
        return ChildFactory(setting=setting, setting_type=setting_type, first_name=f"Kid{n}",
                            last_name="Testshire", la_reference=f"K-{n:04d}", date_of_birth=born)

    r = {}
    r["R1"] = add_review(kid(1, school, primary), coordinator, due=d(2025, 3, 31),
                         status=S.CLOSED, meeting=d(2025, 3, 10), invited=d(2025, 2, 24),
                         circulated=d(2025, 2, 25), report_sent_on=d(2025, 3, 24),
                         decision="M", decision_sent_on=d(2025, 4, 7))
    r["R2"] = add_review(kid(2, school, primary), coordinator, due=d(2025, 3, 15),
                         status=S.DECIDED, meeting=d(2025, 3, 20), invited=d(2025, 3, 1),
                         circulated=d(2025, 3, 6), report_sent_on=d(2025, 4, 4),
                         decision="A", decision_sent_on=d(2025, 4, 18),
                         amendment_notice_sent_on=d(2025, 4, 18),
                         final_plan_sent_on=d(2025, 6, 13))
    r["R3"] = add_review(kid(3, secondary, sec), bob, due=d(2025, 5, 31), status=S.SCHEDULED,
                         meeting=d(2026, 1, 10))
    r["R4"] = add_review(kid(4, secondary, sec), bob, due=d(2025, 12, 20))
    r["R5"] = add_review(kid(5, None, born=d(2022, 1, 1)), bob, due=d(2025, 6, 30),
                         kind=Review.Kind.UNDER_FIVE, status=S.REPORT_SENT,
                         meeting=d(2025, 6, 10), report_sent_on=d(2025, 6, 20))
    r["R6"] = add_review(kid(6, school, primary), coordinator, due=d(2025, 4, 30),
                         status=S.CANCELLED)
    r["R7"] = add_review(kid(7, school, primary, born=d(2014, 1, 1)), coordinator, kind=T,
                         due=d(2025, 1, 31), status=S.CLOSED, meeting=d(2024, 11, 5),
                         invited=d(2024, 10, 1), circulated=d(2024, 10, 20),
                         report_sent_on=d(2024, 11, 12), decision="A",
                         decision_sent_on=d(2024, 11, 20),
                         amendment_notice_sent_on=d(2024, 11, 20),
                         final_plan_sent_on=d(2025, 1, 10))
    r["R8"] = add_review(kid(8, secondary, sec, born=d(2009, 1, 10)), coordinator, kind=T,
                         due=d(2025, 2, 28), status=S.CLOSED, meeting=d(2024, 12, 1),
                         decision="A", decision_sent_on=d(2024, 12, 20),
                         amendment_notice_sent_on=d(2024, 12, 20),
                         final_plan_sent_on=d(2025, 3, 30))
    # No setting type: the clock's two-tier rule (Year 11 in 2024/25) makes it post-16.
    r["R9"] = add_review(kid(9, secondary, "", born=d(2009, 2, 2)), bob, kind=T,
                         due=d(2025, 3, 31), status=S.CLOSED, meeting=d(2025, 1, 15),
                         invited=d(2024, 12, 20), circulated=d(2024, 12, 31),
                         report_sent_on=d(2025, 1, 29), decision="A",
                         decision_sent_on=d(2025, 2, 12),
                         amendment_notice_sent_on=d(2025, 2, 12),
                         final_plan_sent_on=d(2025, 3, 31))
    r["R10"] = add_review(kid(10, school, primary, born=d(2014, 2, 2)), coordinator, kind=T,
                          due=d(2025, 2, 28), status=S.MEETING_HELD, meeting=d(2025, 1, 20),
                          invited=d(2025, 1, 10))

    salt, ot, ep = (Discipline.SPEECH_AND_LANGUAGE, Discipline.OCCUPATIONAL_THERAPIST,
                    Discipline.EDUCATIONAL_PSYCHOLOGIST)
    i1 = invite(r["R1"], nhs_trust, user=therapist, discipline=salt, sent=d(2025, 2, 24),
                attended=True)
    submit(i1, d(2025, 2, 24), late=False)
    i2 = invite(r["R2"], nhs_trust, user=therapist, discipline=salt, sent=d(2025, 3, 1),
                attended=False)
    submit(i2, d(2025, 3, 8), late=True)
    submit(i2, d(2025, 3, 10), late=True, version=2)  # a correction: still one return
    invite(r["R9"], nhs_trust, user=therapist, discipline=salt, sent=d(2024, 12, 20))
    invite(r["R10"], nhs_trust, user=therapist, discipline=salt, sent=d(2025, 1, 10))
    invite(r["R3"], nhs_trust, user=therapist, discipline=salt, sent=d(2025, 11, 20))
    invite(r["R4"], nhs_trust, discipline=ot, sent=d(2025, 11, 25), advice_requested=False,
           email="ot.duty@test.example")

    e1 = invite(r["R2"], ep_service, user=psychologist, discipline=ep, sent=d(2025, 3, 1),
                attended=True)
    submit(e1, d(2025, 3, 5), late=False)
    invite(r["R3"], ep_service, user=psychologist, discipline=ep, sent=d(2025, 11, 20))
    invite(r["R4"], ep_service, user=psychologist, discipline=ep, sent=d(2025, 11, 25))
    invite(r["R10"], ep_service, user=psychologist, discipline=ep, sent=d(2025, 1, 10))
    invite(r["R5"], ep_service, user=psychologist, discipline=ep, sent=d(2025, 6, 1),
           answer=Invitation.Answer.DECLINED)
    invite(r["R3"], ep_service, discipline=ep, sent=d(2025, 11, 20))  # the duty inbox

    # Never counted: a family, a cancelled review, a removed invitation.
    Invitation.objects.create(review=r["R1"], role=Invitation.Role.FAMILY, name="A parent",
                              email="family@test.example", sent_at=at(d(2025, 2, 24)))
    invite(r["R6"], nhs_trust, user=therapist, discipline=salt, sent=d(2025, 3, 1))
    invite(r["R1"], ep_service, user=psychologist, discipline=ep, sent=d(2025, 2, 24),
           removed_at=at(d(2025, 2, 25)))

    offer(r["R1"], d(2025, 2, 24), "yes")
    offer(r["R2"], d(2025, 3, 1), "no")
    offer(r["R9"], d(2024, 12, 20), "yes")
    offer(r["R10"], d(2025, 1, 10))
    offer(r["R3"], d(2025, 11, 20), "yes")
    offer(r["R6"], d(2025, 4, 1), "no")
    return r
