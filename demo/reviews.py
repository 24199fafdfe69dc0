"""The living demo authority: 30 children at Northbridge's four schools, with plans and
reviews at every stage, so that `make run` shows an authority at work.

`seed_reviews()` runs after `demo.people.seed_people()`. It is idempotent: children are
found by LA reference, and one that exists is left exactly as it is, so running the seed
again changes nothing. Dates are relative to the day it first runs.

Reviews move through the real action functions (opening, scheduling, inviting, advice,
family views, the advocacy offer, circulation, the meeting room, the day's chasers), so
their timelines and emails are what the portal itself writes. Those emails are history by
the time anyone looks, so they are marked sent as the seed finishes: `make run` does not
print them. The report is drafted from the closed meeting, signed off and published, and
the decision recorded, through the reports and decisions apps' own actions too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, User
from decisions.deciding import do_record_decision
from demo.children import (
    ADVICE_LATE,
    CHILDREN,
    COLLEGE,
    CONVENED_BY_SCHOOL,
    DECIDED,
    DUE,
    HARRIET,
    HELD,
    INVITED,
    JORDAN,
    MARCUS,
    PROFESSIONALS,
    REPORTED,
    SCHEDULED,
    SENCOS,
    SETTING_TYPES,
    STAGES,
    TODAY,
    DemoChild,
)
from demo.people import DOMAIN, PERSONAS, seed_authority
from outbox.models import Email
from reports.models import Report
from reports.publishing import do_publish_report
from reports.signoff import do_request_signoff
from reviews import clock, events
from reviews.access import review_access
from reviews.advice import (
    AdviceContent,
    do_answer_invitation,
    do_circulate_advice,
    do_save_advice,
    do_submit_advice,
)
from reviews.advocacy import do_assign_advocate
from reviews.chasers import run_daily_chasers
from reviews.family import do_answer_advocacy, do_save_family_views, do_send_family_views
from reviews.invitees import Invitee, proposed_invitees
from reviews.meeting import apply_change, do_open_meeting
from reviews.models import (
    Child,
    FamilyMember,
    Invitation,
    NamedProfessional,
    Outcome,
    Plan,
    Review,
    Term,
    YoungPersonDecision,
)
from reviews.scheduling import do_add_invitations, do_schedule_review, do_send_invitations
from reviews.termly import do_open_review
from reviews.young_person import do_decide, family_to_decide

# What the plans say, chosen by each child's reference number.
INTERESTS = ["drawing and painting", "football", "music and singing", "animals",
             "building things with Lego", "swimming", "cooking", "computers and games"]
NEEDS = [  # section B, and the primary type of need it names
    (Plan.Need.SLCN, "Speech, language and communication needs: finds it hard to follow long "
                     "instructions and to find the right words."),
    (Plan.Need.ASD, "Autism: needs a predictable day, warning of changes and a quiet place to "
                    "calm down."),
    (Plan.Need.SPLD, "Specific learning difficulty (dyslexia): reading and spelling are well "
                     "below age level."),
    (Plan.Need.SEMH, "Social, emotional and mental health needs: anxiety that stops learning "
                     "at busy times."),
    (Plan.Need.PD, "Physical disability (cerebral palsy): uses a walking frame and needs help "
                   "with writing and personal care."),
    (Plan.Need.MLD, "Moderate learning difficulties: learns best in small steps with lots of "
                    "practice."),
]
OUTCOMES = [
    "will ask an adult for help when stuck, without prompting, in most lessons.",
    "will read and understand a short text at their own level.",
    "will take part in a group activity for 15 minutes with a familiar adult nearby.",
    "will use a calm-down plan when worried, with a reminder.",
    "will write three sentences about a topic, using a word bank.",
    "will move safely around the school site with their walking aid.",
]
ADULTHOOD_OUTCOMES = [
    ("employment", "will try two work experience placements and say what they liked."),
    ("independent_living", "will plan and cook a simple meal with some help."),
    ("community", "will travel to college or a club by bus with a travel buddy."),
    ("health", "will book and go to their own doctor's appointment with support."),
]


@dataclass
class Seeding:
    """What every child's seeding needs, read once."""

    today: dt.date
    agencies: dict[str, Agency]
    people: dict[str, User]
    school_year: int = field(init=False)

    def __post_init__(self):
        self.school_year = clock.school_year_start(self.today).year

    def at(self, day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@transaction.atomic
def seed_reviews(today: dt.date | None = None) -> int:
    """Seed the children, their plans and reviews, and this school year's terms; return how
    many children were added (none when run again)."""
    today = today or timezone.localdate()
    authority = seed_authority()
    seeding = Seeding(today=today, agencies={a.name: a for a in authority.agencies.all()},
                      people={u.email: u for u in User.objects.filter(
                          email__in=[p.email for p in PERSONAS])})
    started = timezone.now()
    seed_terms(authority, today)
    existing = set(Child.objects.filter(authority=authority).values_list("la_reference",
                                                                          flat=True))
    added = [seed_child(spec, authority, seeding) for spec in CHILDREN
             if spec.ref not in existing]
    if added:
        # Today's reminders and warnings, as the daily job would send them this morning.
        run_daily_chasers(today)
    # History, not news: nothing the seed queued is sent when the workers start.
    Email.objects.filter(created_at__gte=started, sent_at__isnull=True).update(
        sent_at=timezone.now())
    return len(added)


# ---------------------------------------------------------------------------
# Terms
# ---------------------------------------------------------------------------


def seed_terms(authority, today: dt.date) -> None:
    """This school year's three terms and next year's autumn term. A term that has begun
    had its list sent on its day; the next goes from the daily job."""
    year = clock.school_year_start(today).year
    for name, starts, ends in [
        (f"Autumn term {year}", dt.date(year, 9, 3), dt.date(year, 12, 18)),
        (f"Spring term {year + 1}", dt.date(year + 1, 1, 5), dt.date(year + 1, 3, 26)),
        (f"Summer term {year + 1}", dt.date(year + 1, 4, 13), dt.date(year + 1, 7, 21)),
        (f"Autumn term {year + 1}", dt.date(year + 1, 9, 2), dt.date(year + 1, 12, 17)),
    ]:
        starts_on = _working_day_from(starts)
        sent = (timezone.make_aware(dt.datetime.combine(clock.termly_list_due(starts_on),
                                                        dt.time(6)))
                if starts_on <= today else None)
        term, created = Term.objects.get_or_create(
            authority=authority, starts_on=starts_on,
            defaults={"name": name, "ends_on": ends})
        if created and sent:
            Term.objects.filter(pk=term.pk).update(list_sent_at=sent)


# ---------------------------------------------------------------------------
# A child, their plan and their review
# ---------------------------------------------------------------------------


def seed_child(spec: DemoChild, authority, seeding: Seeding) -> Child:
    school = seeding.agencies[spec.school]
    child = Child.objects.create(
        authority=authority, first_name=spec.first, last_name=spec.last,
        date_of_birth=_born(spec, seeding), la_reference=spec.ref, setting=school,
        setting_type=SETTING_TYPES[spec.school])
    _seed_family(child, spec, seeding)
    for key in spec.professionals:
        user = seeding.people[PROFESSIONALS[key]]
        membership = user.memberships.select_related("agency").get()
        NamedProfessional.objects.create(child=child, user=user, agency=membership.agency,
                                         discipline=membership.discipline)
    case_officer = seeding.people[spec.coordinator]
    plan = _seed_plan(child, spec, seeding, case_officer)
    if spec.ref in CONVENED_BY_SCHOOL:
        coordinator, convenor = seeding.people[SENCOS[spec.school]], Review.Convenor.SETTING
    else:
        coordinator, convenor = case_officer, Review.Convenor.LA
    review = do_open_review(plan, coordinator, actor=case_officer, convenor=convenor)
    _young_person_agrees_to_the_parent(child, spec, seeding, case_officer)
    _advance(review, spec, seeding, coordinator)
    return child


def _young_person_agrees_to_the_parent(child: Child, spec: DemoChild, seeding: Seeding,
                                       case_officer) -> None:
    """The demo's young people past compulsory school age, other than Jordan, told their
    case officer that the parent on their record may see their review and take part."""
    if spec.parent == JORDAN or not child.decides_for_themselves(seeding.today):
        return
    for member in family_to_decide(child):
        do_decide(member, YoungPersonDecision.Choice.SEES,
                  YoungPersonDecision.Basis.TOLD_COORDINATOR, case_officer)


def _born(spec: DemoChild, seeding: Seeding) -> dt.date:
    """A birthday that puts the child in `spec.year` this school year (age on 31 August
    before it starts: Year 1 is 5), spread through the year by reference."""
    first_possible = dt.date(seeding.school_year - spec.year - 5, 9, 1)
    offset = spec.birthday if spec.birthday is not None else (int(spec.ref[-2:]) * 37) % 330
    return first_possible + dt.timedelta(days=offset)


def _seed_family(child: Child, spec: DemoChild, seeding: Seeding) -> None:
    user = seeding.people.get(spec.parent)
    if user is not None and spec.parent == JORDAN:
        FamilyMember.objects.create(child=child, user=user, name=str(user), email=user.email,
                                    relationship=FamilyMember.Relationship.YOUNG_PERSON)
        # Jordan, past compulsory school age, has yet to say whether his dad sees his
        # review: until he does, he does not ("Who can see your review").
        FamilyMember.objects.create(child=child, name=f"Lee {spec.last}",
                                    email=f"lee.{spec.last.lower()}@families.{DOMAIN}")
    elif user is not None:
        FamilyMember.objects.create(child=child, user=user, name=str(user), email=user.email)
    else:
        FamilyMember.objects.create(
            child=child, name=f"{spec.parent} {spec.last}",
            email=f"{spec.parent.lower()}.{spec.last.lower().replace(chr(39), '')}"
                  f"@families.{DOMAIN}")


def _seed_plan(child: Child, spec: DemoChild, seeding: Seeding, coordinator) -> Plan:
    """A plan issued so that the review falls due on the day the stage needs (the clock
    decides the day: 12 months from the plan, or from its last review)."""
    n = int(spec.ref[-2:])
    due = _review_due(spec, seeding)
    last_review = _working_day_from((due + dt.timedelta(days=1)) - relativedelta(years=1), -1)
    issued = last_review - relativedelta(years=2 if spec.reviewed_before else 0)
    plan = Plan.objects.create(
        child=child, first_issued_on=issued,
        kind=Plan.Kind.RECORD_OF_SUPPORT if spec.record_of_support else Plan.Kind.EHCP,
        primary_need=NEEDS[n % len(NEEDS)][0], sections=_sections(child, spec, n),
        **_transfer_in(spec, seeding, issued))
    numbers = iter(range(1, 10))
    for k in range(3):
        Outcome.objects.create(plan=plan, number=next(numbers),
                               text=f"{child.first_name} {OUTCOMES[(n + k) % len(OUTCOMES)]}")
    if clock.is_preparing_for_adulthood(spec.year):
        for area, text in ADULTHOOD_OUTCOMES[n % 2::2]:
            Outcome.objects.create(plan=plan, number=next(numbers), adulthood_area=area,
                                   text=f"{child.first_name} {text}")
    if spec.reviewed_before:
        _seed_last_review(plan, coordinator, seeding.at(last_review))
    return plan


def _transfer_in(spec: DemoChild, seeding: Seeding, issued: dt.date) -> dict:
    """A plan transferred in during the year the latest SEN2 return covers, so the return
    carries it (TransferLA)."""
    if not spec.transferred_from:
        return {}
    from accountability.sen2 import latest_census_day

    day = dt.date(latest_census_day(seeding.today).year - 1, 6, 2)
    return {"transferred_in_from": spec.transferred_from, "transferred_in_on": max(day, issued)}


def _sections(child: Child, spec: DemoChild, n: int) -> dict[str, str]:
    name = child.first_name
    return {
        "A": f"{name} enjoys {INTERESTS[n % len(INTERESTS)]}. {name} says: \"I like it when "
             f"people give me time to answer.\" {name}'s family want {name} to be happy and "
             "to have friends.",
        "B": NEEDS[n % len(NEEDS)][1],
        "C": "Seen by the community paediatrician once a year. No medication in school.",
        "D": "The family have a short break of four hours a week from the children with "
             "disabilities team." if "sw" in spec.professionals else "None at present.",
        "F": f"Small-group teaching for English and maths; a key adult at the start and end "
             f"of each day; visual timetable. Therapy advice built into {name}'s lessons.",
        "G": "Therapy programme set by the NHS therapists and delivered by school staff, "
             "reviewed each term.",
        "H": "Short breaks, as in section D." if "sw" in spec.professionals else "None.",
        "I": f"{spec.school}.",
        "J": "No personal budget has been asked for.",
        "K": "Advice from the school, the educational psychologist, the NHS and social care "
             "at the last review.",
    }


def _seed_last_review(plan: Plan, coordinator, meeting_at: dt.datetime) -> None:
    """Last year's review, as the previous system recorded it: its meeting starts the 12
    months of the one being seeded."""
    held = meeting_at.date()
    review = Review.objects.create(
        plan=plan, coordinator=coordinator, due_by=held, meeting_at=meeting_at,
        status=Review.Status.CLOSED, closed_at=meeting_at + dt.timedelta(weeks=4),
        report_sent_on=_working_day_from(held + dt.timedelta(days=10), -1),
        decision=Review.Decision.MAINTAIN,
        decision_sent_on=_working_day_from(held + dt.timedelta(days=24), -1))
    events.record(review, "review_imported",
                  "Imported from the previous system: meeting held, plan maintained",
                  actor=None, meeting=meeting_at.date().isoformat())


def _review_due(spec: DemoChild, seeding: Seeding) -> dt.date:
    if spec.stage == DUE:
        return seeding.today + dt.timedelta(days=spec.days)
    # A little after the meeting: held on time.
    return _meeting_day(spec, seeding) + dt.timedelta(days=12)


def _meeting_day(spec: DemoChild, seeding: Seeding) -> dt.date:
    day = seeding.today + dt.timedelta(days=spec.days)
    if spec.days == 0:
        return day  # "meeting today", whatever day today is
    return _working_day_from(day, 1 if spec.days > 0 else -1)


# ---------------------------------------------------------------------------
# Moving a review along
# ---------------------------------------------------------------------------


def _advance(review: Review, spec: DemoChild, seeding: Seeding, coordinator) -> None:
    stage = STAGES.index(spec.stage)
    if stage < STAGES.index(SCHEDULED):
        return
    meeting = _meeting_day(spec, seeding)
    hour = 14 + (int(spec.ref[-1]) % 3) if spec.stage == TODAY else 9 + int(spec.ref[-1]) % 6
    link = f"https://meet.jit.si/northbridge-review-{spec.ref.lower()}"
    do_schedule_review(
        review, coordinator, meeting_at=seeding.at(meeting, hour, 30 if hour % 2 else 0),
        minutes=90, place="" if spec.stage == TODAY else f"{spec.school}, meeting room",
        link=link if spec.stage == TODAY or int(spec.ref[-1]) % 2 else "",
        today=min(seeding.today, meeting - dt.timedelta(weeks=8)))
    review.refresh_from_db()
    if stage < STAGES.index(INVITED):
        return
    sent_on = min(seeding.today, meeting - dt.timedelta(weeks=6))
    _invite(review, spec, seeding, coordinator, sent_on)
    _family_answers(review, spec, seeding)
    due = review.advice_due()
    _advice(review, spec, seeding, sent_on, due)
    if stage >= STAGES.index(ADVICE_LATE):
        do_circulate_advice(review, actor=None, now=seeding.at(due, 6))
    if spec.stage == ADVICE_LATE:
        _late_advice(review, seeding, due)
    if stage >= STAGES.index(HELD):
        _hold_meeting(review, coordinator, amend=stage >= STAGES.index(DECIDED))
    if stage >= STAGES.index(REPORTED):
        _publish_report(review, coordinator, meeting)
    if stage >= STAGES.index(DECIDED):
        _decide_to_amend(review, coordinator, meeting)


def _invite(review, spec, seeding, coordinator, sent_on: dt.date) -> None:
    invitees = [i for i in proposed_invitees(review, seeding.today) if i.suggested]
    if spec.school == COLLEGE:
        # The college has no SENCO on the portal: its learning support manager stands in.
        marcus = seeding.people[MARCUS]
        invitees.append(Invitee(str(marcus), marcus.email, Invitation.Role.SETTING,
                                agency=seeding.agencies[COLLEGE], user=marcus))
    do_add_invitations(review, coordinator, invitees)
    do_send_invitations(review, coordinator, today=sent_on)
    # Sent weeks ago, as the stage needs, so the chasers see the dates a real review has.
    sent_at = seeding.at(sent_on, 9)
    Invitation.objects.filter(review=review).update(sent_at=sent_at)
    Review.objects.filter(pk=review.pk).update(invitations_sent_at=sent_at)
    review.refresh_from_db()


def _family_answers(review, spec, seeding) -> None:
    family = seeding.people.get(spec.parent)
    if family is None:
        return
    if spec.advocacy:
        do_answer_advocacy(review, family, spec.advocacy)
    if spec.advocate:
        do_assign_advocate(review, seeding.people[HARRIET], seeding.people[spec.advocate])
    if spec.views:
        do_save_family_views(review, family, {
            "what_is_important": "Being with friends, and adults who know them well.",
            "going_well": "Much happier going in to school this year.",
            "hard": "Lunchtimes are noisy and busy. Homework causes arguments at home.",
            "hopes": "To go to college and learn to cook and travel on their own.",
            "childs_own_words": "I like my teacher. I don't like the dinner hall.",
        })
        do_send_family_views(review, family)


def _contributors(review):
    """Invitations a person answers with advice: not the family, not the council's own
    coordinator (neither is asked), not an agency's duty inbox (nobody signs in as a
    shared inbox)."""
    return list(Invitation.objects.current().filter(review=review, advice_requested=True,
                                                    user__isnull=False)
                .exclude(role=Invitation.Role.FAMILY)
                .select_related("user").order_by("created_at"))


def _advice(review, spec, seeding, sent_on: dt.date, due: dt.date) -> None:
    """Before circulation some advice is in and some in draft; by the circulation day
    everyone's is in, except on a review whose advice is late."""
    contributors = _contributors(review)
    if spec.stage == INVITED:
        on_time, drafts = contributors[:1], contributors[1:2]
    elif spec.stage == ADVICE_LATE:
        on_time, drafts = contributors[:len(contributors) // 2], []
    else:
        on_time, drafts = contributors, []
    for n, invitation in enumerate(on_time):
        when = seeding.at(sent_on + dt.timedelta(days=7 + n), 11)
        do_answer_invitation(invitation, invitation.user, Invitation.Answer.ATTENDING, now=when)
        advice = do_save_advice(invitation, invitation.user, _advice_content(review, n))
        do_submit_advice(advice, invitation.user, now=when)
    for invitation in drafts:
        do_save_advice(invitation, invitation.user, _advice_content(review, 1, partial=True))


def _late_advice(review, seeding, due: dt.date) -> None:
    """One contributor sends theirs two days late, after circulation; the rest are still
    missing (and are being chased)."""
    late = [i for i in _contributors(review) if not i.advice.exists()][:1]
    for invitation in late:
        advice = do_save_advice(invitation, invitation.user, _advice_content(review, 2))
        do_submit_advice(advice, invitation.user,
                         now=seeding.at(min(due + dt.timedelta(days=2), seeding.today), 16))


def _advice_content(review: Review, n: int, partial: bool = False) -> AdviceContent:
    outcomes = list(review.plan.outcomes.order_by("number"))
    marks = ["on_track", "achieved", "not_on_track", "on_track"]
    progress = {
        outcome.pk: (marks[(n + k) % len(marks)],
                     "Seen in class and in therapy sessions this term.")
        for k, outcome in enumerate(outcomes[:1] if partial else outcomes)
    }
    return AdviceContent(
        progress=progress,
        what_is_working="Short, clear instructions with pictures. A calm start to the day.",
        what_is_not_working="" if partial else "Unstructured times: lunch and break.",
        recommended_changes={} if partial else {
            "F": "Add a daily check-in with the key adult after lunch."},
    )


def _hold_meeting(review: Review, coordinator, amend: bool) -> None:
    """The coordinator opens the meeting room, records the recommendations and closes it at
    the end of the meeting (which drafts the report)."""
    do_open_meeting(review, coordinator)
    access = review_access(coordinator, review.pk, need="manage", audit_read=False)
    changes = [("recommendation.set", {
        "overall": "amend" if amend else "maintain", "agreed_by": "Everyone at the meeting",
        "text": "Needs have changed since the plan was written." if amend
        else "The plan still meets the child's needs."})]
    if amend:
        changes.append(("recommendation.set", {
            "section": "F", "text": "Add weekly speech and language therapy in class."}))
    changes.append(("meeting.close", {}))
    for n, (change, payload) in enumerate(changes):
        apply_change(access, coordinator, change, payload, key=f"demo-{review.pk}-{n}")


def _publish_report(review: Review, coordinator, meeting: dt.date) -> None:
    """Sign-off asked for the day after the meeting; published when its window closed."""
    report = Report.objects.get(review=review)
    asked = _working_day_from(meeting + dt.timedelta(days=1))
    do_request_signoff(report, coordinator, today=asked)
    report.refresh_from_db()
    published_on = clock.add_working_days(report.signoff_closes_on, 1)
    do_publish_report(report, coordinator, version=1, today=published_on)


def _decide_to_amend(review: Review, officer, meeting: dt.date) -> None:
    """The LA proposes the amendments the meeting recommended, a few days before the
    decision is due: the family's 15 days to reply are running."""
    review.refresh_from_db()
    do_record_decision(
        review, officer, outcome=Review.Decision.AMEND,
        reasons="The review found that needs in communication have changed.",
        proposed={"F": "Weekly speech and language therapy, delivered in class."},
        today=_working_day_from(clock.decision_due(meeting) - dt.timedelta(days=10), -1))


# ---------------------------------------------------------------------------
# Working days
# ---------------------------------------------------------------------------


def _working_day_from(day: dt.date, step: int = 1) -> dt.date:
    """`day`, or the nearest working day after it (`step` 1) or before it (-1): no
    meetings or terms on weekends or bank holidays."""
    while not clock.is_working_day(day):
        day += dt.timedelta(days=step)
    return day
