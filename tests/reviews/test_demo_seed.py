"""The living demo authority: 30 children with reviews at every stage, made through the
real actions, idempotent, and quiet (its emails are history)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from demo.children import CHILDREN
from demo.people import DOMAIN
from outbox.models import Email
from reviews import clock
from reviews.access import review_access
from reviews.models import (
    Advice,
    AdvocacyOffer,
    Child,
    Event,
    FamilyMember,
    FamilyViews,
    Invitation,
    NamedProfessional,
    Outcome,
    Plan,
    Review,
    Term,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module (it takes seconds), inside a transaction rolled back at
    its end; each test runs in a savepoint of it as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--quiet")
        yield
        transaction.set_rollback(True)


def counts():
    return [model.objects.count() for model in (
        Child, FamilyMember, NamedProfessional, Plan, Outcome, Review, Event, Invitation, Advice,
        FamilyViews, AdvocacyOffer, Term, Email)]


def current_reviews():
    return Review.objects.open().with_child()


def test_running_the_seed_twice_changes_nothing(seeded):
    before = counts()
    assert before[0] == len(CHILDREN) == 30
    call_command("seed_demo", "--quiet")
    assert counts() == before


def test_every_stage_of_a_review_is_there(seeded):
    today = timezone.localdate()
    statuses = set(current_reviews().values_list("status", flat=True))
    assert statuses == {"due", "scheduled", "invited", "circulated", "held", "reported",
                        "decided"}
    due = current_reviews().filter(status="due")
    assert due.filter(due_by__lt=today).exists(), "overdue, with no meeting"
    assert due.filter(due_by__gte=today, due_by__lte=today + dt.timedelta(weeks=10)).exists()
    today_meetings = [r for r in current_reviews().filter(meeting_at__isnull=False)
                      if r.meeting_date == today]
    assert len(today_meetings) == 2
    assert all(r.meeting_link.startswith("https://meet.jit.si/") for r in today_meetings)
    held = current_reviews().get(status="held", plan__child__la_reference="NB-1006")
    assert held.meeting_date < today and held.meeting.closed_at is not None


def test_meetings_other_than_todays_fall_on_working_days(seeded):
    today = timezone.localdate()
    for review in Review.objects.filter(meeting_at__isnull=False):
        assert review.meeting_date == today or clock.is_working_day(review.meeting_date), review


def test_advice_is_in_late_and_missing_where_the_stage_says(seeded):
    late_review = current_reviews().get(plan__child__la_reference="NB-1007")
    assert late_review.advice_due() < timezone.localdate()
    assert late_review.advice_circulated_at is not None
    advice = Advice.objects.filter(invitation__review=late_review, status="submitted")
    assert advice.filter(was_late=True).exists() and advice.filter(was_late=False).exists()
    awaited = (late_review.invitations.current().filter(advice_requested=True)
               .exclude(role="family").exclude(advice__status="submitted"))
    assert awaited.exists(), "someone's advice is still missing"
    invited = current_reviews().get(plan__child__la_reference="NB-1001")
    assert Advice.objects.filter(invitation__review=invited, status="draft").exists()


def test_reviews_were_moved_through_the_real_actions(seeded):
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"review_opened", "meeting_scheduled", "invitations_added", "invitations_sent",
            "advice_submitted", "advice_circulated", "meeting.closed", "family_views_sent",
            "advocacy_answered", "chase_sent"} <= kinds
    for review in current_reviews().exclude(status="due"):
        assert review.events.filter(kind="meeting_scheduled").exists(), review


def test_every_review_sent_out_invited_the_five_the_law_requires(seeded):
    for review in current_reviews().filter(invitations_sent_at__isnull=False):
        roles = set(review.invitations.current().values_list("role", flat=True))
        assert set(Invitation.REQUIRED_ROLES) <= roles, review


def test_the_emails_are_history_and_nothing_waits_to_be_sent(seeded):
    assert Email.objects.count() > 100
    assert not Email.objects.due().exists()


def test_the_three_demo_families_see_their_own_children(seeded):
    def children_of(name):
        user = User.objects.get(email=f"{name}@{DOMAIN}")
        return {m.child.first_name: m for m in FamilyMember.objects.filter(user=user)
                .select_related("child")}

    assert set(children_of("sarah.ahmed")) == {"Yusuf", "Layla"}
    assert set(children_of("joanne.taylor")) == {"Mia"}
    jordan = children_of("jordan.clarke")["Jordan"]
    assert jordan.relationship == FamilyMember.Relationship.YOUNG_PERSON
    assert clock.age_on(jordan.child.date_of_birth, timezone.localdate()) == 17
    assert Review.objects.open().filter(plan__child=jordan.child).exists()


def test_reviews_are_shared_by_the_two_coordinators_and_a_school_convenes_some(seeded):
    by_council = current_reviews().filter(convenor=Review.Convenor.LA)
    coordinators = set(by_council.values_list("coordinator__email", flat=True))
    assert coordinators == {f"priya.shah@{DOMAIN}", f"tom.hughes@{DOMAIN}"}
    by_school = current_reviews().filter(convenor=Review.Convenor.SETTING)
    assert {(r.coordinator.email, r.plan.child.setting.name, r.status) for r in by_school} == {
        (f"helen.price@{DOMAIN}", "Riverside Primary School", "due"),
        (f"helen.price@{DOMAIN}", "Riverside Primary School", "held"),
    }
    held = by_school.get(status="held")
    officer = held.invitations.get(role=Invitation.Role.LA_SEN)
    assert officer.email in coordinators, "the council's officer is invited"
    school_advice = held.invitations.get(user=held.coordinator).advice.get()
    assert school_advice.status == "submitted", "the school gave its own advice"


def test_plans_cover_adulthood_transfers_and_records_of_support(seeded):
    assert Outcome.objects.exclude(adulthood_area="").exists()
    for outcome in Outcome.objects.exclude(adulthood_area="").select_related("plan__child"):
        assert outcome.plan.child.year_group() >= 9
    assert Plan.objects.filter(kind=Plan.Kind.RECORD_OF_SUPPORT).count() == 2
    assert current_reviews().filter(kind=Review.Kind.PHASE_TRANSFER).exists()
    assert all(len(plan.sections) == 10 for plan in Plan.objects.all())
    assert NamedProfessional.objects.filter(agency__kind="nhs").exists()
    assert NamedProfessional.objects.filter(agency__kind="social_care").exists()


def test_this_school_years_terms_are_there_and_the_next_list_is_still_to_go(seeded):
    today = timezone.localdate()
    terms = list(Term.objects.order_by("starts_on"))
    assert len(terms) == 4
    assert terms[0].starts_on <= today or terms[0].starts_on.month == 9
    upcoming = [t for t in terms if t.starts_on > today]
    assert upcoming and all(t.list_sent_at is None for t in upcoming)
    assert all(t.list_sent_at is not None for t in terms if t.starts_on <= today)


def test_reports_and_decisions_go_through_their_own_actions(seeded):
    from reports.models import PublishedReport, Report

    held = current_reviews().get(plan__child__la_reference="NB-1006")
    assert Report.objects.get(review=held).content["overall"]["choice"] == "maintain", \
        "closing the meeting drafted the report"
    for review in current_reviews().filter(status__in=["reported", "decided"]):
        published = PublishedReport.objects.get(review=review, version=1)
        assert review.report_sent_on > review.meeting_date
        assert review.events.filter(kind="report.published").exists(), published
    decided = current_reviews().get(status="decided")
    assert decided.decision == Review.Decision.AMEND
    assert decided.decision_sent_on <= decided.deadlines().decision_due
    assert decided.amendment_notice_sent_on == decided.decision_sent_on
    assert decided.la_decision.amendment.proposed.get("F")


def test_last_year_s_reviews_carry_their_report_and_decision_dates(seeded):
    for review in Review.objects.filter(status="closed"):
        assert review.decision == Review.Decision.MAINTAIN
        assert review.meeting_date < review.report_sent_on < review.decision_sent_on


def test_the_demo_authoritys_sen2_return_is_made_with_every_item_it_holds(seeded):
    from accountability import sen2
    from agencies.models import LocalAuthority
    from tests.accountability.test_sen2 import xml_of

    census = sen2.latest_census_day(timezone.localdate())
    result = sen2.build_return(LocalAuthority.objects.get(dfe_code="999"), census)
    assert result.to_fix == [], "nothing in the demo cannot be true"
    summary = result.summary()
    assert summary["plans"] > 0 and summary["with_transfer"] == 1
    assert summary["with_need"] == summary["with_placement"] == summary["plans"]
    assert b"<TransferLA>888</TransferLA>" in xml_of(result)


def test_the_demo_advocate_sees_the_review_she_was_chosen_for(seeded):
    zoe = User.objects.get(email=f"zoe.turner@{DOMAIN}")
    mia = current_reviews().get(plan__child__la_reference="NB-1017")
    assert review_access(zoe, mia.pk).invitation.role == Invitation.Role.ADVOCATE
    harriet = User.objects.get(email=f"harriet.cole@{DOMAIN}")
    waiting = current_reviews().get(plan__child__la_reference="NB-1001")
    assert waiting.advocacy_referral.advocate is None
    assert review_access(harriet, waiting.pk).review == waiting


def test_young_people_past_school_age_have_decided_who_sees_their_review(seeded):
    from reviews.access import family_told
    from reviews.models import YoungPersonDecision

    jordan = Child.objects.get(first_name="Jordan", last_name="Clarke")
    assert jordan.decides_for_themselves()
    dad = FamilyMember.objects.get(child=jordan, name="Lee Clarke")
    assert dad not in family_told(jordan.pk), "Jordan has yet to decide about his dad"
    older = [child for child in Child.objects.exclude(pk=jordan.pk)
             if child.decides_for_themselves()]
    assert older, "the demo has other young people past compulsory school age"
    for child in older:
        parents = FamilyMember.objects.filter(child=child)
        assert set(family_told(child.pk)) == set(parents), child
        assert all(YoungPersonDecision.objects.filter(
            member=parent, basis=YoungPersonDecision.Basis.TOLD_COORDINATOR).exists()
            for parent in parents)
