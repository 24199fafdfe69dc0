"""Invitations and downloads parsed back by icalendar and by a second, independent parser."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar

from reviews.calendar import invitation_calendar, meeting_uid
from reviews.models import Invitation

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def meeting(review):
    review.meeting_at = dt.datetime(2027, 3, 3, 10, 0, tzinfo=LONDON)
    review.meeting_minutes = 90
    review.meeting_place = "Testshire Primary, meeting room 2"
    review.meeting_link = "https://meet.jit.si/review-abc"
    review.save()
    return review


@pytest.fixture
def therapist_invitation(meeting, invited_therapist):
    return Invitation.objects.get(review=meeting, user=invited_therapist)


def the_event(ics: bytes):
    return next(c for c in Calendar.from_ical(ics).walk("VEVENT"))


def test_an_invitation_is_a_request_in_london_time_with_its_timezone(meeting,
                                                                     therapist_invitation):
    ics = invitation_calendar(meeting, therapist_invitation)
    cal = Calendar.from_ical(ics)
    assert cal["METHOD"] == "REQUEST"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    event = the_event(ics)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt == dt.datetime(2027, 3, 3, 10, 0, tzinfo=LONDON)
    assert event["DTEND"].dt - event["DTSTART"].dt == dt.timedelta(minutes=90)
    assert str(event["UID"]) == meeting_uid(meeting)
    assert event["SEQUENCE"] == 0


def test_the_invitation_names_the_organiser_and_its_one_attendee(meeting, therapist_invitation,
                                                                 coordinator):
    event = the_event(invitation_calendar(meeting, therapist_invitation))
    assert str(event["ORGANIZER"]) == f"mailto:{coordinator.email}"
    attendee = event["ATTENDEE"]
    assert str(attendee) == f"mailto:{therapist_invitation.email}"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["ROLE"] == "OPT-PARTICIPANT"


def test_an_answer_in_the_portal_shows_in_the_invitation(meeting, therapist_invitation):
    therapist_invitation.answer = Invitation.Answer.ATTENDING
    event = the_event(invitation_calendar(meeting, therapist_invitation))
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"


def test_it_carries_the_place_the_link_the_review_url_and_the_advice_deadline(
        meeting, therapist_invitation):
    event = the_event(invitation_calendar(meeting, therapist_invitation))
    assert "meeting room 2" in str(event["LOCATION"])
    assert "https://meet.jit.si/review-abc" in str(event["LOCATION"])
    assert str(event["URL"]).endswith(f"/reviews/{meeting.pk}/")
    assert "by 17 February 2027" in str(event["DESCRIPTION"])


def test_no_full_name_date_of_birth_or_need_reaches_the_calendar(meeting, therapist_invitation,
                                                                child):
    text = invitation_calendar(meeting, therapist_invitation).decode()
    unfolded = text.replace("\r\n ", "")
    assert "AE (T-0001)" in unfolded
    for secret in (child.first_name, child.last_name, "2016", "Speech delay"):
        assert secret not in unfolded, secret


def test_a_cancellation_keeps_the_uid_and_says_cancel(meeting, therapist_invitation):
    cancel = Calendar.from_ical(invitation_calendar(meeting, therapist_invitation, cancel=True))
    assert cancel["METHOD"] == "CANCEL"
    event = next(iter(cancel.walk("VEVENT")))
    assert str(event["UID"]) == meeting_uid(meeting)
    assert event["STATUS"] == "CANCELLED"


def test_a_second_parser_reads_the_same_invitation(meeting, therapist_invitation):
    parsed = vobject.readOne(invitation_calendar(meeting, therapist_invitation).decode())
    assert parsed.method.value == "REQUEST"
    event = parsed.vevent
    assert event.uid.value == meeting_uid(meeting)
    assert event.dtstart.value == dt.datetime(2027, 3, 3, 10, 0, tzinfo=LONDON)
    assert event.dtstart.value.utcoffset() == dt.timedelta(0)  # GMT in March
    assert event.attendee.value == f"mailto:{therapist_invitation.email}"
    assert event.attendee.params["PARTSTAT"] == ["NEEDS-ACTION"]
    assert event.sequence.value == "0"


def test_summer_meetings_are_in_british_summer_time(meeting, therapist_invitation):
    meeting.meeting_at = dt.datetime(2027, 6, 10, 14, 0, tzinfo=LONDON)
    parsed = vobject.readOne(invitation_calendar(meeting, therapist_invitation).decode())
    assert parsed.vevent.dtstart.value.utcoffset() == dt.timedelta(hours=1)
