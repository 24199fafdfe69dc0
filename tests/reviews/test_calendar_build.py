"""Invitations and downloads parsed back by icalendar and by a second, independent parser,
and held to the iTIP rules (RFC 5546)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar

from reviews.calendar import (
    CANCEL,
    WITHDRAW,
    Holder,
    calendar,
    invitation_message,
    meeting_event,
    meeting_uid,
    organizer_email,
    review_id_in_address,
)
from reviews.models import FamilyMember, Invitation
from tests.conftest import ON_TODAY
from tests.reviews.calendars import as_list, check_itip, unfolded, words_in

pytestmark = [pytest.mark.django_db, ON_TODAY]
LONDON = ZoneInfo("Europe/London")
PORTAL_MAILBOX = "calendar@portal.test.example"


@pytest.fixture
def mailbox(settings):
    settings.CALENDAR_REPLY_ADDRESS = PORTAL_MAILBOX


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


def request_for(review, invitation) -> bytes:
    ics, method = invitation_message(review, invitation)
    assert method == "REQUEST"
    return ics


def the_event(ics: bytes):
    return next(c for c in Calendar.from_ical(ics).walk("VEVENT"))


def test_an_invitation_is_a_request_in_london_time_with_its_timezone(meeting,
                                                                     therapist_invitation):
    ics = request_for(meeting, therapist_invitation)
    event, = check_itip(ics, "REQUEST")
    cal = Calendar.from_ical(ics)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt == dt.datetime(2027, 3, 3, 10, 0, tzinfo=LONDON)
    assert event["DTEND"].dt - event["DTSTART"].dt == dt.timedelta(minutes=90)
    assert str(event["UID"]) == meeting_uid(meeting)
    assert event["SEQUENCE"] == 0


def test_the_organiser_is_the_portals_address_for_the_review(mailbox, meeting,
                                                             therapist_invitation, coordinator):
    event = the_event(request_for(meeting, therapist_invitation))
    organizer = event["ORGANIZER"]
    assert str(organizer) == f"mailto:calendar+{meeting.pk.hex}@portal.test.example"
    assert organizer.params["CN"] == "Cora Ordinator", "shown as the coordinator"
    assert review_id_in_address(organizer_email(meeting)) == meeting.pk
    assert review_id_in_address("calendar@portal.test.example") is None
    assert review_id_in_address(f"other+{meeting.pk.hex}@portal.test.example") is None
    attendee = event["ATTENDEE"]
    assert str(attendee) == f"mailto:{therapist_invitation.email}"
    assert attendee.params["CN"] == "Theo Rapist", "professionals keep their names"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["ROLE"] == "OPT-PARTICIPANT"


def test_the_coordinators_own_invitation_does_not_list_the_organiser_as_attendee(
        mailbox, meeting, coordinator):
    own = Invitation.objects.create(review=meeting, user=coordinator, role="la_sen",
                                    name=str(coordinator), email=coordinator.email)
    event, = check_itip(request_for(meeting, own), "REQUEST")
    assert str(event["ORGANIZER"]) != f"mailto:{coordinator.email}"
    assert [str(a) for a in as_list(event["ATTENDEE"])] == [f"mailto:{coordinator.email}"]


def test_without_a_portal_mailbox_the_coordinator_organises_and_keeps_a_copy(meeting,
                                                                             coordinator):
    own = Invitation.objects.create(review=meeting, user=coordinator, role="la_sen",
                                    name=str(coordinator), email=coordinator.email)
    ics, method = invitation_message(meeting, own)
    assert method == "PUBLISH", "not an invitation to answer their own meeting"
    event, = check_itip(ics, "PUBLISH")
    assert str(event["ORGANIZER"]) == f"mailto:{coordinator.email}"
    assert "ATTENDEE" not in event
    assert invitation_message(meeting, own, WITHDRAW) is None


def test_an_answer_in_the_portal_shows_in_the_invitation(meeting, therapist_invitation):
    therapist_invitation.answer = Invitation.Answer.ATTENDING
    event = the_event(request_for(meeting, therapist_invitation))
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"


def test_it_carries_the_place_the_link_the_review_url_and_the_advice_deadline(
        meeting, therapist_invitation):
    event = the_event(request_for(meeting, therapist_invitation))
    assert "meeting room 2" in str(event["LOCATION"])
    assert "https://meet.jit.si/review-abc" in str(event["LOCATION"])
    assert str(event["URL"]).endswith(f"/reviews/{meeting.pk}/")
    assert "by 17 February 2027" in str(event["DESCRIPTION"])


def test_every_meeting_reminds_the_day_before_and_an_hour_before(meeting,
                                                                 therapist_invitation):
    event = the_event(request_for(meeting, therapist_invitation))
    alarms = list(event.walk("VALARM"))
    assert sorted(a["TRIGGER"].dt for a in alarms) == [-dt.timedelta(days=1),
                                                        -dt.timedelta(hours=1)]
    assert all(str(a["ACTION"]) == "DISPLAY" and str(a["DESCRIPTION"]) for a in alarms)
    parsed = vobject.readOne(request_for(meeting, therapist_invitation).decode())
    assert len(parsed.vevent.valarm_list) == 2


def test_no_full_name_date_of_birth_or_need_reaches_the_calendar(meeting, therapist_invitation,
                                                                child):
    text = unfolded(request_for(meeting, therapist_invitation))
    assert "AE (T-0001)" in text
    for secret in (child.first_name, child.last_name, "2016", "Speech delay"):
        assert secret not in text, secret


@pytest.mark.parametrize("relationship, word", [
    (FamilyMember.Relationship.PARENT, "Parent"),
    (FamilyMember.Relationship.YOUNG_PERSON, "Young person"),
])
def test_a_family_attendee_is_named_by_their_role_never_by_name(mailbox, meeting, child,
                                                                relationship, word):
    FamilyMember.objects.create(child=child, name="Jordan Clarke", relationship=relationship,
                                email="jc@family.test.example")
    invitation = Invitation.objects.create(review=meeting, role="family", name="Jordan Clarke",
                                           email="jc@family.test.example",
                                           advice_requested=False)
    ics = request_for(meeting, invitation)
    event, = check_itip(ics, "REQUEST")
    assert event["ATTENDEE"].params["CN"] == word
    assert not words_in(unfolded(ics), ["Jordan", "Clarke", "Amira"])
    description = str(event["DESCRIPTION"])
    assert "advice through the portal" not in description
    assert str(event["URL"]).endswith(f"/reviews/{meeting.pk}/family/")
    whose = "what you think" if word == "Young person" else "what you and your child think"
    assert whose in description


def test_a_cancellation_keeps_the_uid_says_cancelled_and_has_no_reminder(meeting,
                                                                        therapist_invitation):
    ics, method = invitation_message(meeting, therapist_invitation, CANCEL)
    assert method == "CANCEL"
    event, = check_itip(ics, "CANCEL")
    assert str(event["UID"]) == meeting_uid(meeting)
    assert event["STATUS"] == "CANCELLED"
    assert str(event["ATTENDEE"]) == f"mailto:{therapist_invitation.email}"


def test_a_withdrawal_names_the_person_and_does_not_cancel_the_meeting(meeting,
                                                                      therapist_invitation):
    ics, method = invitation_message(meeting, therapist_invitation, WITHDRAW)
    assert method == "CANCEL"
    event, = check_itip(ics, "CANCEL")
    assert "STATUS" not in event, "STATUS:CANCELLED would cancel it for everyone"
    assert str(event["ATTENDEE"]) == f"mailto:{therapist_invitation.email}"


def test_a_second_parser_reads_the_same_invitation(meeting, therapist_invitation):
    parsed = vobject.readOne(request_for(meeting, therapist_invitation).decode())
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
    parsed = vobject.readOne(request_for(meeting, therapist_invitation).decode())
    assert parsed.vevent.dtstart.value.utcoffset() == dt.timedelta(hours=1)


def test_the_same_meeting_stamped_the_same_is_the_same_bytes(meeting, therapist_invitation):
    stamp = dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC)
    holder = Holder(therapist_invitation)
    assert (calendar([meeting_event(meeting, holder, stamp=stamp)])
            == calendar([meeting_event(meeting, holder, stamp=stamp)]))
