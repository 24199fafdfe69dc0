"""The termly list (SEND Code of Practice 9.172): two weeks before each term, every school
hears of its children's reviews due that term, and health and social care of them all."""

import datetime as dt

import pytest
from django_q.tasks import async_task

from agencies.models import Agency, Discipline, Role
from outbox.models import Email
from reviews.models import Review, Term
from reviews.termly import send_termly_lists
from tests.conftest import make_person
from tests.factories import AuthorityFactory, ChildFactory, ReviewFactory

pytestmark = pytest.mark.django_db

LIST_DUE = dt.date(2026, 12, 21)  # two weeks before the spring term starts


@pytest.fixture
def spring(authority):
    return Term.objects.create(authority=authority, name="Spring term 2027",
                               starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 3, 26))


@pytest.fixture
def academy(authority):
    return Agency.objects.create(authority=authority, name="Testshire Academy",
                                 kind=Agency.Kind.SCHOOL, email="office@academy.test")


@pytest.fixture
def social_care(authority):
    return Agency.objects.create(authority=authority, name="Testshire Social Care",
                                 kind=Agency.Kind.SOCIAL_CARE, email="duty@care.test")


@pytest.fixture
def health_lead(nhs_trust):
    return make_person("dco@test.example", "Dee", "Co", nhs_trust, Role.LEAD,
                       Discipline.DESIGNATED_CLINICAL_OFFICER)


def review_due(child, coordinator, due_by, **fields):
    return ReviewFactory(plan__child=child, coordinator=coordinator, due_by=due_by, **fields)


@pytest.fixture
def listed(authority, school, academy, child, coordinator, senco):
    """Three reviews due in the spring term: a Year 6 (phase transfer) at the primary,
    a Year 10 (preparing for adulthood) and a Year 8 at the academy."""
    return {
        "year6": review_due(child, coordinator, dt.date(2027, 2, 10)),
        "year10": review_due(ChildFactory(setting=academy, first_name="Kai", last_name="Older",
                                          la_reference="T-0010",
                                          date_of_birth=dt.date(2012, 5, 1)),
                             coordinator, dt.date(2027, 3, 1)),
        "year8": review_due(ChildFactory(setting=academy, first_name="Lou", last_name="Middle",
                                         la_reference="T-0008",
                                         date_of_birth=dt.date(2014, 1, 9)),
                            coordinator, dt.date(2027, 1, 20)),
    }


def emails_to(address):
    return list(Email.objects.filter(to=address))


def test_the_list_goes_two_weeks_before_the_term_starts_and_not_before(
        q_sync, spring, listed, senco):
    async_task("reviews.tasks.daily_chasers_for", LIST_DUE - dt.timedelta(days=1))
    assert not Email.objects.filter(key__startswith="termly:").exists()
    async_task("reviews.tasks.daily_chasers_for", LIST_DUE)
    assert emails_to(senco.email)
    spring.refresh_from_db()
    assert spring.list_sent_at is not None


def test_the_list_goes_once_per_term_however_often_the_job_runs(spring, listed, social_care):
    send_termly_lists(LIST_DUE)
    count = Email.objects.count()
    assert count > 0
    send_termly_lists(LIST_DUE)
    send_termly_lists(LIST_DUE + dt.timedelta(days=3))
    assert Email.objects.count() == count


def test_a_list_missed_on_its_day_goes_before_the_term_starts_but_not_after(
        authority, listed, social_care):
    missed = Term.objects.create(authority=authority, name="Spring term 2027",
                                 starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 3, 26))
    send_termly_lists(dt.date(2027, 1, 4))
    assert not Email.objects.exists(), "the term has started: too late to be useful"
    send_termly_lists(dt.date(2027, 1, 3))
    assert emails_to("duty@care.test")
    missed.refresh_from_db()
    assert missed.list_sent_at is not None


def test_each_school_hears_only_of_its_own_children_with_transfer_and_adulthood_marked(
        spring, listed, school, academy, senco):
    academy_senco = make_person("senco@academy.test", "Ade", "Senco", academy,
                                Role.PRACTITIONER, Discipline.SENCO)
    make_person("teacher@academy.test", "Tia", "Teacher", academy, Role.PRACTITIONER,
                Discipline.TEACHER)
    send_termly_lists(LIST_DUE)

    [primary] = emails_to(senco.email)
    assert ("AE (T-0001), Year 6: review due by 10 February 2027. PHASE TRANSFER: the plan "
            "must name the next school or college by 14 February 2027") in primary.text
    assert "T-0010" not in primary.text and "T-0008" not in primary.text
    assert primary.subject == "Reviews due in the Spring term 2027 at Testshire Primary: 1"

    for address in ("office@academy.test", academy_senco.email):
        [email] = emails_to(address)
        assert "KO (T-0010), Year 10: review due by 1 March 2027. PREPARING FOR ADULTHOOD" \
            in email.text
        assert "LM (T-0008), Year 8: review due by 20 January 2027\n" in email.text
        assert "T-0001" not in email.text
    assert not emails_to("teacher@academy.test")


def test_health_and_social_care_get_the_whole_list(spring, listed, nhs_trust, health_lead,
                                                   social_care, therapist):
    send_termly_lists(LIST_DUE)
    for address in (health_lead.email, "duty@care.test"):
        [email] = emails_to(address)
        for reference in ("T-0001", "T-0010", "T-0008"):
            assert reference in email.text
        assert "Testshire Academy" in email.text and "Testshire Primary" in email.text
        assert email.subject == "Reviews due in the Spring term 2027: 3"
    assert not emails_to(therapist.email), "practitioners hear through their lead"


def test_only_open_reviews_of_this_authority_due_in_the_term_are_listed(
        spring, listed, authority, school, coordinator, social_care):
    summer = review_due(ChildFactory(setting=school), coordinator, dt.date(2027, 4, 20))
    closed = review_due(ChildFactory(setting=school), coordinator, dt.date(2027, 2, 1),
                        status=Review.Status.CLOSED)
    elsewhere = AuthorityFactory(name="Elsewhere Council", dfe_code="997")
    away = review_due(ChildFactory(authority=elsewhere), coordinator, dt.date(2027, 2, 1))
    send_termly_lists(LIST_DUE)
    [email] = emails_to("duty@care.test")
    for review in (summer, closed, away):
        assert review.plan.child.la_reference not in email.text


def test_the_list_never_carries_a_childs_name(spring, listed, social_care):
    send_termly_lists(LIST_DUE)
    for email in Email.objects.all():
        for name in ("Amira", "Example", "Kai", "Older", "Lou", "Middle"):
            assert name not in email.text + email.subject


def test_a_term_with_no_reviews_due_is_marked_sent_without_emails(spring, social_care):
    send_termly_lists(LIST_DUE)
    spring.refresh_from_db()
    assert spring.list_sent_at is not None and not Email.objects.exists()


@pytest.mark.parametrize("count", [4, 40])
def test_sending_reads_in_a_fixed_number_of_queries(
        count, spring, authority, school, academy, coordinator, social_care, health_lead,
        django_assert_max_num_queries):
    for n in range(count):
        review_due(ChildFactory(setting=academy if n % 2 else school), coordinator,
                   dt.date(2027, 2, 1))
    # The academy's inbox, health's lead and social care's inbox: one email each, each
    # queued in a fixed number of queries (the primary has no inbox and no SENCO here).
    with django_assert_max_num_queries(8 + 3 * 4):
        send_termly_lists(LIST_DUE)
    assert Email.objects.count() == 3


def test_a_school_is_told_which_reviews_it_arranges(spring, listed, senco, social_care):
    Review.objects.filter(pk=listed["year6"].pk).update(convenor=Review.Convenor.SETTING,
                                                        coordinator=senco)
    send_termly_lists(LIST_DUE)
    [primary] = emails_to(senco.email)
    assert "by 14 February 2027. YOUR SETTING ARRANGES THIS REVIEW" in primary.text
    [everyone] = emails_to("duty@care.test")
    assert everyone.text.count("ARRANGED BY THE SCHOOL OR COLLEGE") == 1
