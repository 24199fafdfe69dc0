"""Accept and decline replies from people's calendars, read from the portal's calendar
mailbox and recorded as the invitation's answer. The replies are real iTIP REPLY objects
made by icalendar from the portal's own invitations, in the email shapes Outlook and
Google send them, read over IMAP by the portal's real client."""

import datetime as dt
import io
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from outbox.models import Email
from reviews import tasks
from reviews.calendar import CANCEL, invitation_message, organizer_email
from reviews.calendar_replies import (
    FORWARDED,
    NOT_FOR_A_REVIEW,
    OUT_OF_DATE,
    RECORDED,
    UNCHANGED,
    handle_message,
)
from reviews.models import Invitation
from tests.conftest import ON_TODAY
from tests.reviews.imap_server import Mailbox, serve

pytestmark = [pytest.mark.django_db, ON_TODAY]
LONDON = ZoneInfo("Europe/London")
MAILBOX = "calendar@portal.test.example"


@pytest.fixture(autouse=True)
def portal_mailbox(settings):
    settings.CALENDAR_REPLY_ADDRESS = MAILBOX


@pytest.fixture
def invitation(review, invited_therapist):
    review.meeting_at = dt.datetime(2027, 3, 3, 10, tzinfo=LONDON)
    review.save()
    invitation = Invitation.objects.get(review=review, user=invited_therapist)
    invitation.sent_at = timezone.now()
    invitation.save()
    return invitation


def request_for(invitation) -> bytes:
    invitation.refresh_from_db()
    return invitation_message(invitation.review, invitation)[0]


def reply_to(request_ics: bytes, partstat: str, *, stamp=None, comment="") -> bytes:
    """The REPLY a calendar makes when its user answers `request_ics` (RFC 5546 3.2.3):
    the meeting's UID, SEQUENCE and ORGANIZER, the user as the one ATTENDEE, their answer."""
    request = Calendar.from_ical(request_ics)
    asked = next(iter(request.walk("VEVENT")))
    reply = Calendar()
    reply.add("prodid", "-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN")
    reply.add("version", "2.0")
    reply.add("method", "REPLY")
    for zone in request.walk("VTIMEZONE"):
        reply.add_component(zone)
    answer = Event()
    for name in ("UID", "DTSTART", "DTEND", "SUMMARY", "ORGANIZER"):
        answer[name] = asked[name]
    answer.add("sequence", asked["SEQUENCE"])
    answer.add("dtstamp", stamp or timezone.now())
    who = vCalAddress(str(asked["ATTENDEE"]).upper())  # as Outlook writes it
    who.params["CN"] = "Theo Rapist"
    who.params["PARTSTAT"] = partstat
    answer.add("attendee", who)
    if comment:
        answer.add("comment", comment)
    reply.add_component(answer)
    return reply.to_ical()


def outlook_mail(ics: bytes, sender: str, to: str, subject="Accepted: Annual review") -> bytes:
    """Outlook: text and the calendar as alternatives, the calendar part saying REPLY."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = f"Theo Rapist <{sender}>", to, subject
    message["Message-ID"] = f"<{hash(ics)}@outlook.test.example>"
    message.set_content("")
    message.add_alternative(ics, maintype="text", subtype="calendar",
                            params={"method": "REPLY"})
    return message.as_bytes()


def google_mail(ics: bytes, sender: str, to: str) -> bytes:
    """Google: the calendar as an alternative and again as an attached invite.ics."""
    message = EmailMessage()
    message["From"], message["To"] = sender, to
    message["Subject"] = "Declined: Annual review"
    message["Message-ID"] = f"<{hash(ics)}@google.test.example>"
    message.set_content("Theo Rapist has declined this invitation.")
    message.add_alternative(ics, maintype="text", subtype="calendar",
                            params={"method": "REPLY"})
    message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return message.as_bytes()


def plain_mail(sender: str, to: str, text: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, "Parking at the school?"
    message["Message-ID"] = "<question-1@mail.test.example>"
    message.set_content(text)
    return message.as_bytes()


def test_an_acceptance_from_outlook_is_recorded_as_attending(invitation, therapist):
    mail = outlook_mail(reply_to(request_for(invitation), "ACCEPTED"), therapist.email,
                        organizer_email(invitation.review))
    assert handle_message(mail) == RECORDED
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.ATTENDING
    assert invitation.answered_at is not None
    event = invitation.review.events.get(kind="invitation_answered")
    assert event.data["via"] == "calendar" and event.actor == therapist
    assert "from their calendar" in event.summary


def test_a_decline_from_google_is_recorded_once(invitation, therapist):
    mail = google_mail(reply_to(request_for(invitation), "DECLINED"), therapist.email,
                       organizer_email(invitation.review))
    assert handle_message(mail) == RECORDED
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NOT_ATTENDING
    assert invitation.review.events.filter(kind="invitation_answered").count() == 1
    assert handle_message(mail) == OUT_OF_DATE, "the same reply again changes nothing"


def test_a_reply_to_a_version_since_changed_is_out_of_date(invitation, therapist, coordinator):
    from reviews.scheduling import do_schedule_review

    old_request = request_for(invitation)
    do_schedule_review(invitation.review, coordinator,
                       meeting_at=dt.datetime(2027, 3, 10, 14, tzinfo=LONDON), minutes=90,
                       place="Testshire Primary", today=dt.date(2027, 1, 4))
    mail = outlook_mail(reply_to(old_request, "ACCEPTED"), therapist.email,
                        organizer_email(invitation.review))
    assert handle_message(mail) == OUT_OF_DATE
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NONE


def test_an_answer_given_in_the_portal_after_the_reply_was_made_stands(invitation, therapist):
    made = timezone.now() - dt.timedelta(hours=1)
    Invitation.objects.filter(pk=invitation.pk).update(
        answer=Invitation.Answer.ATTENDING, answered_at=timezone.now())
    mail = outlook_mail(reply_to(request_for(invitation), "DECLINED", stamp=made),
                        therapist.email, organizer_email(invitation.review))
    assert handle_message(mail) == OUT_OF_DATE
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.ATTENDING


def test_a_decline_when_only_sending_advice_changes_nothing(invitation, therapist):
    Invitation.objects.filter(pk=invitation.pk).update(answer=Invitation.Answer.ADVICE_ONLY)
    mail = outlook_mail(reply_to(request_for(invitation), "DECLINED"), therapist.email,
                        organizer_email(invitation.review))
    assert handle_message(mail) == UNCHANGED
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.ADVICE_ONLY


def test_a_reply_that_does_not_come_from_the_person_invited_goes_to_the_coordinator(
        invitation, coordinator):
    mail = outlook_mail(reply_to(request_for(invitation), "DECLINED"), "someone@else.example",
                        organizer_email(invitation.review))
    assert handle_message(mail) == FORWARDED
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NONE
    forwarded = Email.objects.get(to=coordinator.email)
    assert "did not come from anyone invited" in forwarded.text
    assert "someone@else.example" in forwarded.text


def test_a_message_written_to_the_address_goes_to_the_coordinator_once(invitation,
                                                                      coordinator):
    mail = plain_mail("theo@nhs.test.example", organizer_email(invitation.review),
                      "Is there parking at the school?")
    assert handle_message(mail) == FORWARDED
    assert handle_message(mail) == FORWARDED
    forwarded = Email.objects.get(to=coordinator.email)
    assert "Is there parking at the school?" in forwarded.text
    assert forwarded.subject == "A message about the review meeting for AE (T-0001)"


def test_maybe_is_shown_on_the_timeline_and_a_comment_goes_to_the_coordinator(
        invitation, therapist, coordinator):
    mail = outlook_mail(reply_to(request_for(invitation), "TENTATIVE",
                                 comment="I may be in clinic that morning."),
                        therapist.email, organizer_email(invitation.review))
    assert handle_message(mail) == RECORDED
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NONE
    assert invitation.review.events.filter(kind="invitation_tentative").exists()
    assert "I may be in clinic that morning." in Email.objects.get(to=coordinator.email).text


def test_a_removed_persons_reply_is_not_recorded(invitation, therapist, coordinator):
    from reviews.scheduling import do_remove_invitation

    request = request_for(invitation)
    do_remove_invitation(invitation, coordinator)
    mail = outlook_mail(reply_to(request, "ACCEPTED"), therapist.email,
                        organizer_email(invitation.review))
    assert handle_message(mail) == FORWARDED
    assert not invitation.review.events.filter(kind="invitation_answered").exists()


def test_a_message_for_no_review_is_left_alone(invitation, therapist):
    assert handle_message(plain_mail(therapist.email, MAILBOX, "Hello")) == NOT_FOR_A_REVIEW
    assert not Email.objects.exists()


def test_a_cancellation_is_not_a_reply(invitation, therapist, coordinator):
    cancel, _ = invitation_message(invitation.review, invitation, CANCEL)
    mail = outlook_mail(cancel, therapist.email, organizer_email(invitation.review))
    assert handle_message(mail) == FORWARDED


def test_the_mailbox_is_read_over_imap_once_per_message(settings, invitation, therapist,
                                                       coordinator):
    box = Mailbox("portal", "mailbox-secret")
    to = organizer_email(invitation.review)
    accepted = box.deliver(outlook_mail(reply_to(request_for(invitation), "ACCEPTED"),
                                        therapist.email, to))
    question = box.deliver(plain_mail("theo@nhs.test.example", to, "Parking?"))
    broken = box.deliver(outlook_mail(
        reply_to(request_for(invitation), "ACCEPTED").replace(b"SEQUENCE:0", b"SEQUENCE:x"),
        therapist.email, to))
    server, port = serve(box)
    settings.CALENDAR_IMAP_HOST, settings.CALENDAR_IMAP_PORT = "127.0.0.1", port
    settings.CALENDAR_IMAP_SSL = False
    settings.CALENDAR_IMAP_USER, settings.CALENDAR_IMAP_PASSWORD = "portal", "mailbox-secret"
    try:
        out = io.StringIO()
        call_command("read_calendar_replies", stdout=out)
        assert out.getvalue().strip() == "failed: 1; forwarded: 1; recorded: 1"
        invitation.refresh_from_db()
        assert invitation.answer == Invitation.Answer.ATTENDING
        assert Email.objects.filter(to=coordinator.email).count() == 1
        assert box.flags == {accepted: {"\\Seen"}, question: {"\\Seen"},
                             broken: {"\\Seen", "\\Flagged"}}
        assert tasks.read_calendar_replies() == {}, "nothing unread is left"
    finally:
        server.shutdown()
        server.server_close()


def test_without_a_mailbox_the_schedule_does_nothing_and_the_command_says_why(settings):
    from django_q.models import Schedule

    settings.CALENDAR_IMAP_HOST = ""
    schedule = Schedule.objects.get(name="reviews: calendar replies")
    assert schedule.func == "reviews.tasks.read_calendar_replies" and schedule.minutes == 5
    assert tasks.read_calendar_replies() == {}
    with pytest.raises(CommandError, match="CALENDAR_IMAP_HOST"):
        call_command("read_calendar_replies")
