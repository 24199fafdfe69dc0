"""Every invitation email carries the meeting for calendars; changes keep its UID."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from outbox.models import Email
from reviews.calendar import meeting_uid
from reviews.models import Invitation
from reviews.scheduling import (
    do_cancel_review,
    do_remove_invitation,
    do_schedule_review,
    do_send_invitations,
)
from tests.reviews.calendars import as_list, check_itip

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2027, 1, 4)


@pytest.fixture
def invited(review, coordinator):
    review.meeting_at = dt.datetime(2027, 3, 3, 10, tzinfo=LONDON)
    review.meeting_place = "Testshire Primary"
    review.save()
    for n, role in enumerate(Invitation.REQUIRED_ROLES):
        Invitation.objects.create(review=review, role=role, name=f"Person {n}",
                                  email=f"person{n}@test.example")
    do_send_invitations(review, coordinator, today=TODAY)
    review.refresh_from_db()
    return review


def calendar_of(email: Email):
    return Calendar.from_ical(email.calendar.encode())


def the_event(email: Email):
    return next(iter(calendar_of(email).walk("VEVENT")))


def test_each_invitation_email_carries_a_request_for_its_own_attendee(invited):
    emails = Email.objects.filter(key__startswith="review-invitation:")
    assert emails.count() == 5
    for email in emails:
        assert email.calendar_method == "REQUEST"
        event, = check_itip(email.calendar.encode(), "REQUEST")
        assert str(event["UID"]) == meeting_uid(invited)
        assert event["SEQUENCE"] == 0
        assert str(event["ATTENDEE"]) == f"mailto:{email.to}"


def test_moving_the_meeting_sends_the_same_uid_with_a_higher_sequence_to_everyone(
        invited, coordinator):
    do_schedule_review(invited, coordinator, meeting_at=dt.datetime(2027, 3, 10, 14,
                                                                     tzinfo=LONDON),
                       minutes=90, place="Testshire Primary", today=TODAY)
    moved = Email.objects.filter(key__startswith="review-meeting-moved:")
    assert moved.count() == 5
    for email in moved:
        event = the_event(email)
        assert str(event["UID"]) == meeting_uid(invited)
        assert event["SEQUENCE"] == 1
        assert event["DTSTART"].dt == dt.datetime(2027, 3, 10, 14, tzinfo=LONDON)


def test_removing_one_person_withdraws_them_alone_as_rfc_5546_says(invited, coordinator):
    leaving = invited.invitations.get(role="social_care")
    do_remove_invitation(leaving, coordinator)
    cancels = Email.objects.filter(calendar_method="CANCEL")
    assert [e.to for e in cancels] == [leaving.email]
    email = cancels.get()
    assert email.subject.startswith("Invitation withdrawn:")
    event, = check_itip(email.calendar.encode(), "CANCEL")
    assert str(event["UID"]) == meeting_uid(invited)
    assert [str(a) for a in as_list(event["ATTENDEE"])] == [f"mailto:{leaving.email}"]
    assert event["SEQUENCE"] == 1, "a new version of the meeting: higher than the invitation's 0"
    assert "STATUS" not in event, "STATUS:CANCELLED would cancel the meeting itself"
    invited.refresh_from_db()
    assert invited.calendar_sequence == 1 and invited.status != "cancelled"


def test_someone_invited_again_after_removal_gets_a_version_newer_than_the_withdrawal(
        invited, coordinator):
    from reviews.invitees import Invitee
    from reviews.scheduling import do_add_invitations

    leaving = invited.invitations.get(role="social_care")
    do_remove_invitation(leaving, coordinator)
    do_add_invitations(invited, coordinator, [Invitee(leaving.name, leaving.email,
                                                      "social_care")])
    do_send_invitations(invited, coordinator, today=TODAY)
    again = Email.objects.filter(to=leaving.email, calendar_method="REQUEST").latest("created_at")
    withdrawal = Email.objects.get(to=leaving.email, calendar_method="CANCEL")
    assert the_event(again)["SEQUENCE"] > the_event(withdrawal)["SEQUENCE"]


def test_each_invitation_remembers_the_version_it_was_last_sent(invited, coordinator):
    assert set(invited.invitations.values_list("calendar_sequence", flat=True)) == {0}
    do_schedule_review(invited, coordinator, meeting_at=dt.datetime(2027, 3, 10, 14,
                                                                     tzinfo=LONDON),
                       minutes=90, place="Testshire Primary", today=TODAY)
    assert set(invited.invitations.values_list("calendar_sequence", flat=True)) == {1}


def test_cancelling_the_review_cancels_for_everyone(invited, coordinator):
    do_cancel_review(invited, coordinator, "The family moved out of the area")
    cancels = Email.objects.filter(calendar_method="CANCEL")
    assert sorted(e.to for e in cancels) == sorted(i.email for i in invited.invitations.all())
    for email in cancels:
        event, = check_itip(email.calendar.encode(), "CANCEL")
        assert event["SEQUENCE"] == 1 and event["STATUS"] == "CANCELLED"
    invited.refresh_from_db()
    assert invited.status == "cancelled"
    assert invited.events.filter(kind="review_cancelled").exists()


def test_cancelling_twice_sends_one_cancellation_each(invited, coordinator):
    do_cancel_review(invited, coordinator, "Moved away")
    do_cancel_review(invited, coordinator, "Moved away")
    assert Email.objects.filter(calendar_method="CANCEL").count() == 5


def test_a_review_whose_meeting_was_held_cannot_be_cancelled(invited, coordinator):
    from django.core.exceptions import ValidationError

    invited.status = "held"
    invited.save()
    with pytest.raises(ValidationError):
        do_cancel_review(invited, coordinator, "Too late")


def test_the_coordinator_is_not_asked_for_advice_on_their_own_review(review, coordinator):
    from reviews.invitees import Invitee
    from reviews.scheduling import do_add_invitations

    do_add_invitations(review, coordinator, [Invitee(name="Cora", email=coordinator.email,
                                                     role="la_sen", user=coordinator)])
    assert review.invitations.get(user=coordinator).advice_requested is False


def test_the_coordinator_cancels_from_the_review(client, invited, coordinator):
    from django.urls import reverse

    from tests.conftest import sign_in

    sign_in(client, coordinator)
    url = reverse("reviews:cancel", args=[invited.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    assert "Enter why the review is cancelled" in empty.content.decode()
    assert client.post(url, {"reason": "Moved away"}).status_code == 302
    invited.refresh_from_db()
    assert invited.status == "cancelled"


def test_only_the_coordinator_side_can_cancel(client, invited, refused, family_parent):
    from django.urls import reverse

    from tests.conftest import sign_in

    url = reverse("reviews:cancel", args=[invited.pk])
    assert client.get(url).status_code == 302  # sign in first
    for person in [*refused, family_parent]:
        client.logout()
        sign_in(client, person)
        assert client.post(url, {"reason": "x"}).status_code == 404
    invited.refresh_from_db()
    assert invited.status != "cancelled"
