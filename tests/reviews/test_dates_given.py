"""Issue #16, item 1: nobody is told they are late on the day they are asked. A meeting set
at short notice (with its reason) gives the family and each professional a date of their
own; the law's date is the council's, and missing it is shown to the coordinator as the
council's lateness, never as theirs.

On Monday 7 December 2026 the coordinator sets the meeting for Wednesday 16 December: the
law's date for the advice (2 weeks before) was 2 December. Everyone asked that day is given
5 working days, Monday 14 December, still before the meeting.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from outbox.models import Email
from reviews import advice, chasers, scheduling
from reviews.models import Invitation
from tests.conftest import sign_in
from tests.reviews.test_scheduling import (  # noqa: F401  (fixtures, by name)
    five_roles_fixture,
    invite_suggested,
    social_care_fixture,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
ASKED = dt.date(2026, 12, 7)
MEETING = dt.date(2026, 12, 16)
GIVEN = dt.date(2026, 12, 14)


def on(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON),
                               tick=False)


def set_at_short_notice(review, coordinator, meeting: dt.date, today: dt.date):
    """The meeting set on ``today`` for ``meeting``, with its reason, and everyone
    invited."""
    scheduling.do_schedule_review(
        review, coordinator, minutes=90, place="Room 4",
        meeting_at=timezone.make_aware(dt.datetime.combine(meeting, dt.time(10))),
        short_notice_reason="The family asked for it before the move", today=today)
    invite_suggested(review, coordinator)
    scheduling.do_send_invitations(review, coordinator, today=today)
    review.refresh_from_db()
    return review


@pytest.fixture
def short_notice(five_roles, coordinator):
    """The meeting set and everyone invited on 7 December, for 16 December."""
    with on(ASKED):
        return set_at_short_notice(five_roles, coordinator, MEETING, ASKED)


def test_everyone_asked_late_is_given_a_date_of_their_own(short_notice):
    assert short_notice.advice_due() == dt.date(2026, 12, 2), "the law's: the council's"
    for invitation in short_notice.invitations.current():
        assert invitation.advice_due() == GIVEN, invitation


def test_the_family_are_not_late_on_the_day_they_are_asked(client, short_notice,
                                                           family_parent):
    with on(ASKED):
        sign_in(client, family_parent)
        page = client.get(f"/reviews/{short_notice.pk}/family/").content.decode()
        home = client.get("/reviews/family/").content.decode()
    assert "14 December 2026 (in 7 days)" in page
    assert "Send your views by 14 December 2026" in home, "the card's next step"
    for html in (page, home):
        assert " 2 December 2026" not in html and "days late" not in html
    email = Email.objects.get(to=family_parent.email, subject__contains="you are invited")
    assert "Tell us your views by 14 December 2026" in email.text


def test_a_therapist_is_not_late_before_she_opens_it(client, short_notice, therapist,
                                                     coordinator):
    invitation = short_notice.invitations.get(user=therapist)
    with on(ASKED):
        sign_in(client, therapist)
        page = client.get(f"/reviews/{short_notice.pk}/advice/").content.decode()
        shared = client.get(f"/reviews/{short_notice.pk}/advice/all/").content.decode()
    assert "14 December 2026" in page and "Late" not in page
    # The council's own date has passed: she is not promised a day already gone.
    assert "will be shared with all those invited before the meeting" in shared
    assert "2 December 2026" not in shared
    email = Email.objects.get(to=therapist.email, subject__contains="you are invited")
    assert "Send your advice by 14 December 2026" in email.text
    # Sent on the day she was given: on time, whatever the law's date.
    draft = advice.do_save_advice(invitation, therapist, advice.AdviceContent(
        progress={o.pk: ("on_track", "Seen in class.") for o in short_notice.plan.outcomes.all()},
        what_is_working="Visual timetable.", what_is_not_working="Lunch.",
        recommended_changes={}))
    submitted = advice.do_submit_advice(
        draft, therapist, now=dt.datetime.combine(GIVEN, dt.time(16), tzinfo=LONDON))
    assert submitted.was_late is False


def test_the_lateness_is_the_councils_on_the_coordinators_page(client, short_notice, therapist,
                                                               coordinator):
    with on(ASKED):
        sign_in(client, coordinator)
        page = client.get(f"/reviews/{short_notice.pk}/").content.decode()
    lateness = page.split('id="lateness"')[1].split("</ul>")[0]
    assert "<strong>Send meeting invitations</strong>: done 5 days late" in lateness
    assert "<strong>Circulate advice</strong>: 5 days late" in lateness
    row = page.split(str(therapist))[1].split("</tr>")[0]
    assert "Due 14 December 2026" in row and "Late" not in row


def test_reminders_and_lateness_count_from_the_date_they_were_given(short_notice, therapist):
    Email.objects.all().delete()
    for day in (ASKED, dt.date(2026, 12, 8)):
        chasers.chase_advice(day)
    assert not Email.objects.filter(to=therapist.email).exists(), "not reminded, not late"
    chasers.chase_advice(dt.date(2026, 12, 12))  # 2 days before her date
    assert Email.objects.filter(to=therapist.email,
                                subject__startswith="Reminder: your advice").count() == 1
    chasers.chase_advice(dt.date(2026, 12, 15))
    late = Email.objects.get(to=therapist.email, subject__contains="is late")
    assert "14 December 2026" in late.text
    to_coordinator = Email.objects.get(subject__startswith="Advice is late")
    assert f"{therapist}, health professional" in to_coordinator.text
    assert "due by 14 December 2026" in to_coordinator.text


def test_moving_the_meeting_earlier_asks_everyone_again(five_roles, coordinator, therapist):
    review = five_roles
    first = dt.date(2027, 1, 20)
    with on(dt.date(2026, 12, 1)):
        scheduling.do_schedule_review(
            review, coordinator, minutes=90, place="Room 4",
            meeting_at=timezone.make_aware(dt.datetime.combine(first, dt.time(10))),
            today=dt.date(2026, 12, 1))
        invite_suggested(review, coordinator)
        scheduling.do_send_invitations(review, coordinator, today=dt.date(2026, 12, 1))
    invitation = Invitation.objects.get(review=review, user=therapist)
    assert invitation.advice_due() == dt.date(2027, 1, 6)  # the law's
    with on(ASKED):
        scheduling.do_schedule_review(
            review, coordinator, minutes=90, place="Room 4",
            meeting_at=timezone.make_aware(dt.datetime.combine(MEETING, dt.time(10))),
            short_notice_reason="A transfer deadline", today=ASKED)
    invitation.refresh_from_db()
    # Asked again on 7 December: never a date 5 working days after 1 December, already past.
    assert invitation.advice_due() == GIVEN
    moved = Email.objects.get(to=therapist.email, subject__contains="has changed")
    assert "Please send your advice by 14 December 2026" in moved.text
