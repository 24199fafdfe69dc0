"""A large authority for the accountability benchmark: 25,000 children with plans, two years
of reviews (about 50,000), 300,000 invitations, their advice, advocacy offers and events.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m bench.seed_large [--database bench_large] [--children 25000]

It creates (once) and migrates its own PostgreSQL database, `bench_large` unless --database
says otherwise, and fills it with bulk inserts in batches, one transaction per batch of
children: a few minutes. Deterministic: the same --seed and --today give the same
authority. Seeding again finds the authority complete and changes nothing.

The statutory facts are filled the way an authority's records look: most meetings before
the review was due and some after, reports and decision letters mostly in time and some
late, a few decisions never recorded, amendments with their notices and final plans (some
still awaited), plans ceased on their day, a few plans with no primary need recorded (so
the SEN2 validation report has something to find; nothing that cannot be true, which would
stop the return the benchmark times). Events are written directly with their
sequence numbers (Review.event_seq set to match), as reviews/events.py would have numbered
them.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta

from bench.servers import LOCAL_HOSTS, create_database, server_environment, set_up_django

AUTHORITY_NAME, AUTHORITY_CODE = "Largeshire County Council", "899"
DOMAIN = "largeshire.example"
LEAD_EMAIL = f"bench.lead@{DOMAIN}"
CHUNK = 2500  # children per transaction
BATCH = 5000  # rows per INSERT

FIRST = ["Amira", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hari", "Isla", "Jack",
         "Kofi", "Lily", "Milo", "Nia", "Oscar", "Priya", "Quinn", "Ruby", "Sam", "Tia"]
LAST = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal",
        "Jones", "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Reid", "Shah",
        "Taylor", "Walker"]


def require_postgres() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("The accountability benchmark measures PostgreSQL, as production runs it. "
                 "Set DATABASE_URL, for example:\n  DATABASE_URL=postgres://postgres@"
                 "127.0.0.1:5432/postgres make bench")
    if urlsplit(url).hostname not in LOCAL_HOSTS:
        sys.exit("DATABASE_URL must name a database on this machine (127.0.0.1).")


def prepare(database: str) -> None:
    """This process on the benchmark's database, production-like (DEBUG off), migrated."""
    create_database(database)
    server_environment(database)
    # Django's test client calls itself "testserver".
    os.environ["ALLOWED_HOSTS"] += ",testserver"
    set_up_django()


# ---------------------------------------------------------------------------------------
# Who works in the authority
# ---------------------------------------------------------------------------------------


@dataclass
class Cast:
    authority: object
    la_team: object
    lead: object
    coordinators: list
    schools: list  # (agency, setting type, SENCO)
    trusts: list  # (agency, practitioners)
    social_care: list  # (agency, social workers)
    ep_service: object
    psychologists: list
    advocacy: object


def _users(prefix: str, count: int) -> list:
    from agencies.models import User

    made = [User(email=f"{prefix}.{n:04d}@{DOMAIN}", first_name=FIRST[n % len(FIRST)],
                 last_name=LAST[(n // len(FIRST)) % len(LAST)], password="!unusable")
            for n in range(count)]
    return User.objects.bulk_create(made)


def _members(agency, users, role, discipline) -> None:
    from agencies.models import Membership

    Membership.objects.bulk_create(Membership(user=u, agency=agency, role=role,
                                              discipline=discipline) for u in users)


def cast(rng: random.Random) -> Cast:
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    from agencies.models import Agency, Discipline, LocalAuthority, Role, User

    authority = LocalAuthority.objects.create(name=AUTHORITY_NAME, dfe_code=AUTHORITY_CODE)

    def agency(name, kind, **extra):
        return Agency.objects.create(authority=authority, name=name, kind=kind, **extra)

    la_team = agency("Largeshire SEND team", Agency.Kind.LA_SEND)
    lead = User.objects.create_user(email=LEAD_EMAIL, password=None, first_name="Bench",
                                    last_name="Lead")
    EmailAddress.objects.create(user=lead, email=LEAD_EMAIL, verified=True, primary=True)
    TOTP.activate(lead, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    _members(la_team, [lead], Role.LEAD, Discipline.SEN_OFFICER)
    coordinators = _users("coordinator", 40)
    _members(la_team, coordinators, Role.COORDINATOR, Discipline.SEN_OFFICER)

    schools = []
    sencos = _users("senco", 250)
    for n, senco in enumerate(sencos):
        setting_type = rng.choices(["primary", "secondary", "", "post_16"], [60, 28, 7, 5])[0]
        school = agency(f"Largeshire School {n:03d}", Agency.Kind.SCHOOL, urn=f"{800000 + n}")
        _members(school, [senco], Role.COORDINATOR, Discipline.SENCO)
        schools.append((school, setting_type, senco))

    trusts = []
    for n in range(4):
        trust = agency(f"Largeshire NHS Trust {n + 1}", Agency.Kind.NHS, ods_code=f"LG{n}")
        staff = _users(f"trust{n}", 60)
        for k, discipline in enumerate([Discipline.SPEECH_AND_LANGUAGE,
                                        Discipline.OCCUPATIONAL_THERAPIST,
                                        Discipline.PHYSIOTHERAPIST, Discipline.PAEDIATRICIAN,
                                        Discipline.CAMHS]):
            _members(trust, staff[k * 12:(k + 1) * 12], Role.PRACTITIONER, discipline)
        _members(trust, _users(f"trust{n}.lead", 1), Role.LEAD,
                 Discipline.DESIGNATED_CLINICAL_OFFICER)
        trusts.append((trust, staff))

    social_care = []
    for n in range(2):
        team = agency(f"Largeshire Children's Services {n + 1}", Agency.Kind.SOCIAL_CARE,
                      email=f"duty{n}@{DOMAIN}")
        workers = _users(f"social{n}", 40)
        _members(team, workers, Role.PRACTITIONER, Discipline.SOCIAL_WORKER)
        _members(team, _users(f"social{n}.lead", 1), Role.LEAD, Discipline.SOCIAL_WORKER)
        social_care.append((team, workers))

    ep_service = agency("Largeshire Educational Psychology", Agency.Kind.OTHER,
                        email=f"ep@{DOMAIN}")
    psychologists = _users("ep", 30)
    _members(ep_service, psychologists, Role.PRACTITIONER, Discipline.EDUCATIONAL_PSYCHOLOGIST)
    advocacy = agency("Largeshire Advocacy", Agency.Kind.ADVOCACY)
    return Cast(authority, la_team, lead, coordinators, schools, trusts, social_care,
                ep_service, psychologists, advocacy)


# ---------------------------------------------------------------------------------------
# One child's plan and its reviews
# ---------------------------------------------------------------------------------------


@dataclass
class Rows:
    """What one chunk of children inserts, in dependency order."""

    children: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    invitations: list = field(default_factory=list)
    advice: list = field(default_factory=list)
    offers: list = field(default_factory=list)
    events: list = field(default_factory=list)

    def save(self) -> None:
        from django.db import transaction

        from reviews.models import (
            Advice,
            AdvocacyOffer,
            Child,
            Event,
            Invitation,
            Plan,
            Review,
        )

        with transaction.atomic():
            for model, rows in ((Child, self.children), (Plan, self.plans),
                                (Review, self.reviews), (Invitation, self.invitations),
                                (Advice, self.advice), (AdvocacyOffer, self.offers),
                                (Event, self.events)):
                model.objects.bulk_create(rows, batch_size=BATCH)


def at(day: dt.date, hour=10):
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class Authority:
    """Writes children, plans and two years of reviews around `today`."""

    def __init__(self, cast: Cast, rng: random.Random, today: dt.date):
        self.cast, self.rng, self.today = cast, rng, today
        # Two years of reviews, and the ones just before them that are still being closed.
        self.window_start = today - relativedelta(months=27)

    def child(self, n: int, rows: Rows) -> None:
        from reviews.models import Child, Plan

        rng, c = self.rng, self.cast
        school, setting_type, senco = rng.choice(c.schools)
        born = self.today - dt.timedelta(days=rng.randint(3 * 365, 24 * 365))
        child = Child(id=uuid.UUID(int=rng.getrandbits(128)), authority=c.authority,
                      first_name=rng.choice(FIRST), last_name=rng.choice(LAST),
                      date_of_birth=born, la_reference=f"LG-{n:06d}", setting=school,
                      setting_type=setting_type)
        issued = self.today - dt.timedelta(days=rng.randint(60, 8 * 365))
        plan = Plan(id=uuid.UUID(int=rng.getrandbits(128)), child=child, first_issued_on=issued,
                    sections={"A": "Views, interests and aspirations."},
                    primary_need="" if rng.random() < 0.02 else rng.choice(Plan.Need.values))
        rows.children.append(child)
        rows.plans.append(plan)
        ceases = rng.random() < 0.04
        due = issued + relativedelta(years=1) - dt.timedelta(days=1)
        reviews = []
        while due <= self.today + dt.timedelta(days=75):
            if due >= self.window_start:
                reviews.append(self.review(plan, due, school, senco, rows))
                if reviews[-1].status == "due":
                    break  # a plan has one open review at a time
            due = due + relativedelta(years=1)
        if ceases and reviews and reviews[-1].decision_sent_on:
            reviews[-1].decision = "C"
            plan.status = Plan.Status.CEASED  # once the two months to appeal have passed
            plan.ceased_on = min(self.today,
                                 reviews[-1].decision_sent_on + dt.timedelta(days=62))

    def review(self, plan, due, school, senco, rows: Rows):
        from reviews.models import Review

        rng, today = self.rng, self.today
        review = Review(id=uuid.UUID(int=rng.getrandbits(128)), plan=plan, due_by=due,
                        coordinator=rng.choice(self.cast.coordinators),
                        created_at=at(due - dt.timedelta(days=90)))
        events = [("review_opened", review.created_at)]
        if due < today - dt.timedelta(days=30) and rng.random() < 0.04:
            review.status = Review.Status.DUE  # overdue: never scheduled
        elif due > today + dt.timedelta(days=45):
            review.status = Review.Status.DUE
        else:
            late = rng.random() < 0.12
            meeting = due + dt.timedelta(days=rng.randint(1, 60)) if late else \
                due - dt.timedelta(days=rng.randint(0, 45))
            self.meeting(review, meeting, events)
        rows.reviews.append(review)
        self.invitations(review, school, senco, rows)
        for seq, (kind, moment) in enumerate(events, 1):
            rows.events.append(self.event(review, seq, kind, moment))
        review.event_seq = len(events)
        review.changed_at = events[-1][1]
        return review

    def meeting(self, review, meeting: dt.date, events: list) -> None:
        """The meeting and the facts after it, as far as `today` has got."""
        rng, today = self.rng, self.today
        review.meeting_at = at(meeting)
        review.status = "scheduled"
        events.append(("meeting_scheduled", at(meeting - dt.timedelta(days=40))))
        if meeting - dt.timedelta(days=30) <= today:
            review.status = "invited"
            review.invitations_sent_at = at(meeting - dt.timedelta(days=rng.randint(16, 35)))
            events.append(("invitations_sent", review.invitations_sent_at))
        if meeting - dt.timedelta(days=14) <= today:
            review.status = "circulated"
            review.advice_circulated_at = at(meeting - dt.timedelta(days=rng.randint(3, 15)))
            events.append(("advice_circulated", review.advice_circulated_at))
        if meeting > today:
            return
        review.status = "held"
        events.append(("meeting.opened", review.meeting_at))
        report = meeting + dt.timedelta(days=rng.randint(3, 24))
        if report <= today:
            review.status, review.report_sent_on = "reported", report
            events.append(("report.published", at(report, 15)))
        letter = meeting + dt.timedelta(days=rng.randint(10, 48))
        if letter > today or rng.random() < 0.05:
            return  # not decided yet, or the decision was never recorded
        review.status = "decided"
        review.decision = rng.choices("MAC", [62, 35, 3])[0]
        review.decision_sent_on = letter
        events.append(("decision.recorded", at(letter, 16)))
        if review.decision == "A":
            review.amendment_notice_sent_on = letter
            final = letter + dt.timedelta(days=rng.randint(20, 80))
            if final <= today and rng.random() < 0.9:
                review.final_plan_sent_on = final
                events.append(("amendments.final_plan", at(final, 16)))
        if letter + dt.timedelta(days=60) <= today and (review.decision != "A"
                                                        or review.final_plan_sent_on):
            review.status = "closed"
            review.closed_at = at(letter + dt.timedelta(days=60))
            events.append(("review.closed", review.closed_at))

    def invitations(self, review, school, senco, rows: Rows) -> None:
        """The five the law requires and a named professional: six a review."""
        from agencies.models import Discipline
        from reviews.models import AdvocacyOffer, Invitation

        rng, c = self.rng, self.cast
        trust, therapists = rng.choice(c.trusts)
        team, workers = rng.choice(c.social_care)
        therapist, worker = rng.choice(therapists), rng.choice(workers)
        if rng.random() < 0.5:
            extra = (Invitation.Role.PROFESSIONAL, c.ep_service, rng.choice(c.psychologists),
                     Discipline.EDUCATIONAL_PSYCHOLOGIST)
        else:
            extra = (Invitation.Role.PROFESSIONAL, trust, rng.choice(therapists),
                     Discipline.OCCUPATIONAL_THERAPIST)
        people = [
            (Invitation.Role.FAMILY, None, None, ""),
            (Invitation.Role.SETTING, school, senco, Discipline.SENCO),
            (Invitation.Role.LA_SEN, c.la_team, review.coordinator, Discipline.SEN_OFFICER),
            (Invitation.Role.HEALTH, trust, therapist, Discipline.SPEECH_AND_LANGUAGE),
            (Invitation.Role.SOCIAL_CARE, team, worker, Discipline.SOCIAL_WORKER),
            extra,
        ]
        for n, (role, agency, user, discipline) in enumerate(people):
            invitation = Invitation(
                id=uuid.UUID(int=rng.getrandbits(128)), review=review, role=role,
                agency=agency, user=user, discipline=discipline,
                name=str(user) if user else "Parent", advice_requested=role != "family",
                email=user.email if user else f"family.{review.id.hex[:12]}@{DOMAIN}",
                created_at=review.created_at)
            if n == 5 and user.email in {p[2].email for p in people[:5] if p[2]}:
                invitation.email = f"second.{review.id.hex[:12]}@{DOMAIN}"
            self.answer(review, invitation, rows)
            rows.invitations.append(invitation)
        if review.invitations_sent_at:
            answer = self.rng.choices(["yes", "no", ""], [20, 60, 20])[0]
            rows.offers.append(AdvocacyOffer(
                review=review, offered_at=review.invitations_sent_at, answer=answer,
                answered_at=review.invitations_sent_at + dt.timedelta(days=3) if answer
                else None))

    def answer(self, review, invitation, rows: Rows) -> None:
        """Sent, answered, attended, and the advice given, as far as the review has got."""
        from reviews.models import Advice

        rng = self.rng
        if not review.invitations_sent_at:
            return
        invitation.sent_at = review.invitations_sent_at
        invitation.answer = rng.choices(
            ["attending", "advice_only", "not_attending", "declined", ""], [55, 20, 8, 2, 15])[0]
        if invitation.answer:
            invitation.answered_at = invitation.sent_at + dt.timedelta(days=rng.randint(0, 10))
        if review.status in ("held", "reported", "decided", "closed"):
            absent = 0.35 if invitation.role == "health" else 0.12
            invitation.attended = rng.random() >= absent
        if not invitation.advice_requested or invitation.answer == "declined":
            return
        due = review.meeting_at - dt.timedelta(days=14)
        submitted = due + dt.timedelta(days=rng.randint(-12, 9))
        if rng.random() < 0.12 or submitted > at(self.today):
            return  # never sent, or not yet
        rows.advice.append(Advice(
            invitation=invitation, author=invitation.user or review.coordinator,
            status=Advice.Status.SUBMITTED, submitted_at=submitted, was_late=submitted > due,
            what_is_working="Good progress with the speech targets."))
        # As Advice.record_submission keeps them, in the same bulk insert as the invitation.
        invitation.first_advice_at, invitation.first_advice_late = submitted, submitted > due

    def event(self, review, seq: int, kind: str, moment):
        from reviews.models import Event

        return Event(review=review, seq=seq, at=moment, actor=review.coordinator, kind=kind,
                     summary=kind.replace("_", " ").replace(".", " ").capitalize())


# ---------------------------------------------------------------------------------------


def seed(children: int = 25_000, seed_value: int = 2026, today: dt.date | None = None):
    """The benchmark authority, made once: returns its LA lead."""
    from django.db import connection

    from agencies.models import LocalAuthority, User
    from reviews.models import Child

    existing = LocalAuthority.objects.filter(dfe_code=AUTHORITY_CODE).first()
    if existing is not None:
        if Child.objects.filter(authority=existing).count() >= children:
            return User.objects.get(email=LEAD_EMAIL)
        sys.exit(f"The database holds a partly seeded {AUTHORITY_NAME}: drop the database and "
                 "run again.")
    rng = random.Random(seed_value)
    today = today or dt.date.today()
    started = time.perf_counter()
    authority = Authority(cast(rng), rng, today)
    for start in range(0, children, CHUNK):
        rows = Rows()
        for n in range(start, min(start + CHUNK, children)):
            authority.child(n, rows)
        rows.save()
        print(f"  {min(start + CHUNK, children):,} children ({time.perf_counter() - started:.0f}"
              " s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, or the planner guesses from empty tables
    return authority.cast.lead


def counts() -> dict[str, int]:
    from reviews.models import Advice, AdvocacyOffer, Child, Event, Invitation, Plan, Review

    return {model._meta.verbose_name_plural: model.objects.count()
            for model in (Child, Plan, Review, Invitation, Advice, AdvocacyOffer, Event)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bench_large")
    parser.add_argument("--children", type=int, default=25_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                        help="the day the records run up to (default: today)")
    args = parser.parse_args()
    require_postgres()
    prepare(args.database)
    started = time.perf_counter()
    seed(args.children, args.seed, args.today)
    print(f"Seeded in {time.perf_counter() - started:.0f} s:",
          ", ".join(f"{count:,} {name}" for name, count in counts().items()))


if __name__ == "__main__":
    main()
