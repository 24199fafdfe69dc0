"""The daily chasers, run through django-q2 (synchronously) against fixed dates.

The review's meeting is on Wednesday 7 April 2027, so its advice is due on Wednesday
24 March (two weeks before, from the clock). Good Friday (26 March) and Easter Monday
(29 March) fall in the five working days after that.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

from agencies.models import Discipline, Role
from outbox.models import Email
from reviews.chasers import warn_reviews_without_meeting
from reviews.models import Advice, Event, Invitation, Review
from tests.conftest import ON_TODAY, make_person
from tests.factories import PlanFactory, ReviewFactory
from tests.reviews.conftest import invite_person

pytestmark = [pytest.mark.django_db, ON_TODAY]

MEETING = dt.date(2027, 4, 7)
ADVICE_DUE = dt.date(2027, 3, 24)
INVITED = dt.date(2027, 2, 10)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def run_day(day: dt.date):
    """The daily job for `day`, through django-q2 as the schedule runs it."""
    async_task("reviews.tasks.daily_chasers_for", day)


def chases():
    """The chasers' emails (circulating the advice sends others of its own)."""
    return Email.objects.filter(key__startswith="chase:")


def run_days(first: dt.date, last: dt.date) -> dict[str, dt.date]:
    """Run every day from `first` to `last`; the day each chaser email was first queued."""
    queued_on = {}
    day = first
    while day <= last:
        run_day(day)
        for key in chases().exclude(key__in=queued_on).values_list("key", flat=True):
            queued_on[key] = day
        day += dt.timedelta(days=1)
    return queued_on


def sent_invitation(review, user, agency=None, role=Invitation.Role.PROFESSIONAL,
                    sent_on=INVITED, **fields):
    return invite_person(review, user, role=role, agency=agency, sent_at=at(sent_on), **fields)


@pytest.fixture
def agency_lead(nhs_trust):
    return make_person("lead@test.example", "Lena", "Lead", nhs_trust, Role.LEAD,
                       Discipline.DESIGNATED_CLINICAL_OFFICER)


@pytest.fixture
def invited_review(plan, coordinator):
    """A review whose invitations went out on 10 February for the 7 April meeting."""
    return ReviewFactory(plan=plan, coordinator=coordinator, due_by=dt.date(2027, 4, 30),
                         meeting_at=at(MEETING), status=Review.Status.INVITATIONS_SENT,
                         invitations_sent_at=at(INVITED))


@pytest.fixture
def awaited(invited_review, therapist, nhs_trust, agency_lead):
    return sent_invitation(invited_review, therapist, nhs_trust,
                           discipline=Discipline.SPEECH_AND_LANGUAGE)


def keys_for(invitation):
    return {
        "first": f"chase:advice-7:{invitation.pk}:{ADVICE_DUE}",
        "second": f"chase:advice-2:{invitation.pk}:{ADVICE_DUE}",
        "late": f"chase:advice-late:{invitation.pk}:{ADVICE_DUE}",
        "coordinator": f"chase:advice-late-coordinator:{invitation.review_id}:{ADVICE_DUE}",
    }


def test_an_invitee_is_reminded_7_and_2_days_before_and_told_the_day_after_it_is_late(
        q_sync, awaited, agency_lead):
    queued_on = run_days(dt.date(2027, 3, 1), MEETING)
    keys = keys_for(awaited)
    assert queued_on[keys["first"]] == dt.date(2027, 3, 17)
    assert queued_on[keys["second"]] == dt.date(2027, 3, 22)
    assert queued_on[keys["late"]] == dt.date(2027, 3, 25)
    assert queued_on[keys["coordinator"]] == dt.date(2027, 3, 25)
    assert Email.objects.get(key=keys["first"]).to == awaited.email
    assert Email.objects.get(key=keys["coordinator"]).to == awaited.review.coordinator.email


def test_escalation_to_the_agency_lead_waits_5_working_days_across_easter(
        q_sync, awaited, agency_lead):
    queued_on = run_days(dt.date(2027, 3, 20), MEETING)
    escalations = {key: day for key, day in queued_on.items() if ":advice-escalate:" in key}
    # Thursday 25 March is 1, Good Friday and Easter Monday do not count, Tuesday 30 March
    # is 2 ... Friday 2 April is the fifth working day.
    assert escalations == {
        f"chase:advice-escalate:{awaited.pk}:{agency_lead.pk}:{ADVICE_DUE}": dt.date(2027, 4, 2)
    }
    email = Email.objects.get(key__contains=":advice-escalate:")
    assert email.to == agency_lead.email
    assert "Testshire NHS Trust" in email.text and "5 working days late" in email.subject


def test_running_a_day_twice_sends_each_reminder_once(q_sync, awaited, agency_lead):
    run_day(dt.date(2027, 3, 25))
    emails, events = Email.objects.count(), Event.objects.count()
    assert chases().count() == 2, "the invitee and the coordinator are told it is late"
    run_day(dt.date(2027, 3, 25))
    assert (Email.objects.count(), Event.objects.count()) == (emails, events)


def test_a_day_the_job_did_not_run_is_caught_up_the_next_day_once(q_sync, awaited):
    run_day(dt.date(2027, 3, 18))  # the run of 17 March was missed
    run_day(dt.date(2027, 3, 19))
    assert list(Email.objects.values_list("key", flat=True)) == [keys_for(awaited)["first"]]
    assert "due in 6 days" in Email.objects.get().subject


def test_each_reminder_is_recorded_on_the_review_in_the_same_transaction(q_sync, awaited):
    run_day(dt.date(2027, 3, 17))
    event = Event.objects.get(kind="chase_sent")
    assert event.review_id == awaited.review_id
    assert event.summary == "Reminder sent to Theo Rapist: advice due in 7 days"
    assert event.data == {"rule": "advice-7", "invitation": str(awaited.pk),
                          "due": "2027-03-24"}


def test_emails_name_the_review_by_initials_and_reference_with_a_link_never_by_name(
        q_sync, awaited, agency_lead):
    run_days(dt.date(2027, 3, 17), MEETING)
    review = awaited.review
    assert chases().count() == 5
    for email in chases():
        assert "AE (T-0001)" in email.subject + email.text
        assert "Amira" not in email.subject + email.text
        assert "Example" not in email.subject + email.text
        assert f"{settings.BASE_URL}/reviews/{review.pk}/" in email.text
    reminder = Email.objects.get(key=keys_for(awaited)["first"])
    assert "24 March 2027" in reminder.text
    assert f"/reviews/{review.pk}/advice/" in reminder.text, "straight to the advice form"


def test_submitted_advice_is_not_chased(q_sync, awaited, therapist):
    Advice.objects.create(invitation=awaited, author=therapist, status=Advice.Status.SUBMITTED,
                          submitted_at=at(dt.date(2027, 3, 10)))
    run_days(dt.date(2027, 3, 1), MEETING)
    assert not Email.objects.filter(key__startswith="chase:").exists()


def test_a_draft_is_still_chased(q_sync, awaited, therapist):
    Advice.objects.create(invitation=awaited, author=therapist)
    run_day(dt.date(2027, 3, 17))
    assert Email.objects.filter(key=keys_for(awaited)["first"]).exists()


def test_the_family_a_declined_agency_and_a_removed_invitation_are_not_chased(
        q_sync, invited_review, family_parent, therapist, uninvited_professional, senco):
    sent_invitation(invited_review, family_parent, role=Invitation.Role.FAMILY)
    sent_invitation(invited_review, therapist, answer=Invitation.Answer.DECLINED,
                    declined_reason="No therapist covers this school")
    sent_invitation(invited_review, uninvited_professional, removed_at=at(INVITED))
    sent_invitation(invited_review, senco, advice_requested=False)
    run_days(dt.date(2027, 3, 1), MEETING)
    assert not Email.objects.filter(key__startswith="chase:").exists()


def test_an_agency_duty_inbox_is_chased_but_the_coordinator_is_not_chased_for_their_own(
        q_sync, invited_review, coordinator, la_team, nhs_trust):
    own = sent_invitation(invited_review, coordinator, la_team, role=Invitation.Role.LA_SEN)
    inbox = Invitation.objects.create(
        review=invited_review, role=Invitation.Role.HEALTH, agency=nhs_trust,
        name="Testshire NHS Trust", email="referrals@nhs.test", sent_at=at(INVITED))
    run_day(dt.date(2027, 3, 17))
    assert set(chases().values_list("to", flat=True)) == {"referrals@nhs.test"}
    assert not chases().filter(key__contains=str(own.pk)).exists()
    assert chases().get().key == keys_for(inbox)["first"]


def test_someone_asked_after_the_advice_date_is_chased_only_about_their_own_date(
        q_sync, invited_review, therapist, nhs_trust, agency_lead):
    # Asked on Good Friday, 26 March, two days after the law's date: given 5 working days
    # (past Easter Monday), Monday 5 April, before the meeting on the 7th (issue #16).
    invitation = sent_invitation(invited_review, therapist, nhs_trust,
                                 sent_on=dt.date(2027, 3, 26))
    assert invitation.advice_due() == dt.date(2027, 4, 5)
    queued_on = run_days(dt.date(2027, 3, 26), MEETING)
    mine = {key: day for key, day in queued_on.items() if str(invitation.pk) in key}
    assert mine == {f"chase:advice-7:{invitation.pk}:2027-04-05": dt.date(2027, 3, 29),
                    f"chase:advice-2:{invitation.pk}:2027-04-05": dt.date(2027, 4, 3),
                    f"chase:advice-late:{invitation.pk}:2027-04-05": dt.date(2027, 4, 6)}


def test_someone_asked_4_days_before_the_advice_date_is_given_5_working_days(
        q_sync, invited_review, therapist, nhs_trust):
    # Asked on Saturday 20 March: the law's date, Wednesday 24th, leaves 3 working days, so
    # they are given 5 (Good Friday not among them), Tuesday 30 March (issue #16), and
    # reminded of that date.
    invitation = sent_invitation(invited_review, therapist, nhs_trust,
                                 sent_on=dt.date(2027, 3, 20))
    assert invitation.advice_due() == dt.date(2027, 3, 30)
    queued_on = run_days(dt.date(2027, 3, 20), dt.date(2027, 3, 30))
    assert queued_on == {f"chase:advice-7:{invitation.pk}:2027-03-30": dt.date(2027, 3, 23),
                         f"chase:advice-2:{invitation.pk}:2027-03-30": dt.date(2027, 3, 28)}


def test_moving_the_meeting_starts_the_reminders_again_for_the_new_date(q_sync, awaited):
    run_day(dt.date(2027, 3, 17))
    Review.objects.filter(pk=awaited.review_id).update(meeting_at=at(dt.date(2027, 4, 21)))
    run_day(dt.date(2027, 3, 31))  # 7 days before the new advice date, 7 April
    assert set(Email.objects.values_list("key", flat=True)) == {
        keys_for(awaited)["first"], f"chase:advice-7:{awaited.pk}:2027-04-07"}


def test_nothing_is_chased_once_the_meeting_is_held(q_sync, awaited):
    Review.objects.filter(pk=awaited.review_id).update(status=Review.Status.MEETING_HELD)
    run_days(dt.date(2027, 3, 1), MEETING)
    assert not Email.objects.filter(key__startswith="chase:").exists()


def test_the_advice_is_circulated_on_its_day_and_not_before(q_sync, awaited):
    run_day(dt.date(2027, 3, 23))
    assert Review.objects.get(pk=awaited.review_id).advice_circulated_at is None
    run_day(ADVICE_DUE)
    review = Review.objects.get(pk=awaited.review_id)
    assert review.status == Review.Status.ADVICE_CIRCULATED
    assert review.events.filter(kind="advice_circulated", actor__isnull=True).count() == 1
    run_day(dt.date(2027, 3, 25))
    assert review.events.filter(kind="advice_circulated").count() == 1


def test_a_missed_circulation_day_is_caught_up_before_the_meeting(q_sync, awaited):
    run_day(dt.date(2027, 3, 30))
    assert Review.objects.get(pk=awaited.review_id).status == Review.Status.ADVICE_CIRCULATED


def test_a_review_with_invitations_not_yet_sent_is_not_circulated(q_sync, plan, coordinator):
    review = ReviewFactory(plan=plan, coordinator=coordinator, due_by=MEETING,
                           meeting_at=at(MEETING), status=Review.Status.SCHEDULED)
    run_day(ADVICE_DUE)
    review.refresh_from_db()
    assert review.status == Review.Status.SCHEDULED and review.advice_circulated_at is None


# ---------------------------------------------------------------------------
# Reviews with no meeting set
# ---------------------------------------------------------------------------


def due_review(plan, coordinator, due_by):
    return ReviewFactory(plan=plan, coordinator=coordinator, due_by=due_by)


def test_a_coordinator_is_warned_once_when_a_review_is_due_within_10_weeks_with_no_meeting(
        q_sync, plan, coordinator):
    review = due_review(plan, coordinator, dt.date(2027, 5, 31))
    queued_on = run_days(dt.date(2027, 3, 20), dt.date(2027, 3, 25))
    assert list(queued_on.values()) == [dt.date(2027, 3, 22)], "10 weeks before 31 May"
    email = Email.objects.get()
    assert email.to == coordinator.email
    assert "AE (T-0001)" in email.text and "31 May 2027" in email.text
    assert f"/reviews/{review.pk}/" in email.text
    assert review.events.get(kind="chase_sent").data == {"rule": "no-meeting",
                                                         "due_by": "2027-05-31"}


def test_a_coordinator_gets_one_email_for_all_the_reviews_found_that_day(
        q_sync, authority, school, coordinator):
    for n in range(3):
        due_review(PlanFactory(child__setting=school), coordinator,
                   dt.date(2027, 5, 1) + dt.timedelta(days=n))
    run_day(dt.date(2027, 3, 22))
    email = Email.objects.get()
    assert email.subject == "3 reviews due within 10 weeks with no meeting set"
    assert Event.objects.filter(kind="chase_sent").count() == 3


def test_a_review_found_later_the_same_day_still_gets_its_warning(
        q_sync, authority, school, plan, coordinator):
    due_review(plan, coordinator, dt.date(2027, 5, 1))
    run_day(dt.date(2027, 3, 22))
    other = PlanFactory(child__setting=school, child__first_name="Bo",
                        child__la_reference="T-0009")
    due_review(other, coordinator, dt.date(2027, 5, 2))
    run_day(dt.date(2027, 3, 22))
    run_day(dt.date(2027, 3, 22))
    assert Email.objects.count() == 2
    assert "BE (T-0009)" in Email.objects.order_by("created_at").last().text


def test_no_warning_once_a_meeting_is_set(q_sync, plan, coordinator):
    review = due_review(plan, coordinator, dt.date(2027, 5, 31))
    review.meeting_at = at(dt.date(2027, 5, 20))
    review.status = Review.Status.SCHEDULED
    review.save()
    run_day(dt.date(2027, 3, 22))
    assert not Email.objects.exists()


# ---------------------------------------------------------------------------
# The schedule's entry point and the work it does at scale
# ---------------------------------------------------------------------------


def test_the_daily_job_is_scheduled_once_at_6am_and_migrating_again_keeps_it():
    from zoneinfo import ZoneInfo

    from django.core.management import call_command

    schedule = Schedule.objects.get(func="reviews.tasks.daily_chasers")
    assert (schedule.schedule_type, schedule.repeats) == (Schedule.DAILY, -1)
    assert schedule.next_run.astimezone(ZoneInfo("Europe/London")).time() == dt.time(6)
    call_command("migrate", verbosity=0)
    assert Schedule.objects.filter(func="reviews.tasks.daily_chasers").count() == 1
    assert Schedule.objects.get(func="reviews.tasks.daily_chasers").next_run == schedule.next_run


def test_the_scheduled_task_chases_for_today_in_london(q_sync, plan, coordinator):
    today = timezone.localdate()
    due_review(plan, coordinator, today + dt.timedelta(weeks=4))
    async_task("reviews.tasks.daily_chasers")
    assert Email.objects.get().key.startswith(f"chase:no-meeting:{coordinator.pk}:{today}:")


def many_awaited_reviews(authority, school, coordinator, therapist, nhs_trust, count):
    for _ in range(count):
        review = ReviewFactory(plan__child__authority=authority, plan__child__setting=school,
                               coordinator=coordinator, due_by=dt.date(2027, 4, 30),
                               meeting_at=at(MEETING), status=Review.Status.INVITATIONS_SENT)
        sent_invitation(review, therapist, nhs_trust)


@pytest.mark.parametrize("count", [5, 40])
def test_a_day_with_nothing_new_to_send_reads_in_a_fixed_number_of_queries(
        count, authority, school, coordinator, therapist, nhs_trust, agency_lead,
        django_assert_max_num_queries):
    from reviews.tasks import daily_chasers_for

    many_awaited_reviews(authority, school, coordinator, therapist, nhs_trust, count)
    daily_chasers_for(dt.date(2027, 3, 26))
    assert chases().count() == 2 * count
    with django_assert_max_num_queries(8):
        daily_chasers_for(dt.date(2027, 3, 26))


def test_warning_about_meetings_reads_in_a_fixed_number_of_queries(
        authority, school, coordinator, django_assert_max_num_queries):
    for _ in range(30):
        due_review(PlanFactory(child__setting=school), coordinator, dt.date(2027, 5, 1))
    warn_reviews_without_meeting(dt.date(2027, 3, 22))
    with django_assert_max_num_queries(3):
        assert warn_reviews_without_meeting(dt.date(2027, 3, 22)) == 0
