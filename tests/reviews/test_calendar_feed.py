import datetime as dt
from urllib.parse import urlsplit

import pytest
import time_machine
import vobject
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from reviews.calendar import meeting_uid
from reviews.models import CalendarFeed, Invitation
from tests.conftest import ON_TODAY, sign_in
from tests.factories import ReviewFactory
from tests.reviews.calendars import as_list, check_itip
from tests.reviews.conftest import invite_person

pytestmark = [pytest.mark.django_db, ON_TODAY]


def feed_address(user) -> str:
    feed = CalendarFeed(user=user)
    token = feed.reset()
    feed.save()
    return reverse("calendar:feed", args=[token])


def uids(response) -> set[str]:
    return {str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_feed_holds_the_meeting_and_the_advice_deadline(client, review, invited_therapist):
    response = client.get(feed_address(invited_therapist))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert meeting_uid(review) in uids(response)
    parsed = vobject.readOne(response.content.decode())
    advice = [e for e in parsed.vevent_list if e.summary.value.startswith("Advice due")]
    assert len(advice) == 1
    assert advice[0].dtstart.value == review.advice_due()
    assert advice[0].valarm.trigger.value == -dt.timedelta(days=2)


def test_a_coordinators_feed_has_the_report_and_decision_deadlines(client, review, coordinator):
    response = client.get(feed_address(coordinator))
    summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert {"Report due: AE (T-0001)", "Decision due: AE (T-0001)"} <= summaries


def test_a_wrong_secret_is_not_found(client, review, invited_therapist):
    feed_address(invited_therapist)
    assert client.get(reverse("calendar:feed", args=["not-the-secret"])).status_code == 404


def test_a_reset_secret_stops_the_old_address_at_once(client, invited_therapist, settings):
    old = feed_address(invited_therapist)
    sign_in(client, invited_therapist)
    client.post(reverse("calendar:reset"))
    page = client.get(reverse("calendar:subscribe"))
    new = page.context["address"]
    client.logout()
    assert client.get(old).status_code == 404
    assert new.startswith(settings.BASE_URL), "built on BASE_URL, not the request's host"
    assert client.get(urlsplit(new).path).status_code == 200
    assert client.get(reverse("calendar:subscribe")).status_code == 302, "sign-in needed"


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8801", "https://reviews.example.gov.uk"])
def test_the_calendar_app_link_is_the_same_address_by_webcal(client, parent, settings,
                                                             base_url):
    """Over http the link once lost the host's first letter ("webcal://27.0.0.1:8801/...")."""
    settings.BASE_URL = base_url
    sign_in(client, parent)
    client.post(reverse("calendar:reset"))
    page = client.get(reverse("calendar:subscribe"))
    address = page.context["address"]
    webcal = "webcal://" + address.split("://", 1)[1]
    assert webcal.startswith("webcal://" + urlsplit(base_url).netloc + "/calendar/")
    assert f'href="{webcal}"' in page.content.decode()


def test_the_address_is_shown_only_once(client, parent):
    sign_in(client, parent)
    client.post(reverse("calendar:reset"))
    assert client.get(reverse("calendar:subscribe")).context["address"]
    assert client.get(reverse("calendar:subscribe")).context["address"] is None


def test_a_deactivated_account_has_no_feed(client, invited_therapist):
    address = feed_address(invited_therapist)
    invited_therapist.is_active = False
    invited_therapist.save()
    assert client.get(address).status_code == 404


def test_a_person_removed_from_a_review_sees_it_leave_the_feed(client, review, invited_therapist):
    address = feed_address(invited_therapist)
    assert meeting_uid(review) in uids(client.get(address))
    Invitation.objects.filter(user=invited_therapist).update(removed_at=timezone.now())
    assert meeting_uid(review) not in uids(client.get(address))


def test_a_repeat_request_gets_not_modified(client, review, invited_therapist):
    address = feed_address(invited_therapist)
    first = client.get(address)
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(address, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


@pytest.mark.parametrize("leaves", ["cancelled", "removed"])
def test_a_review_leaving_the_feed_changes_both_validators(client, review, invited_therapist,
                                                           coordinator, leaves):
    """A client that revalidates by date alone must not keep a cancelled meeting."""
    from reviews.scheduling import do_cancel_review

    address = feed_address(invited_therapist)
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC), tick=False):
        first = client.get(address)
    with time_machine.travel(dt.datetime(2027, 1, 5, 9, tzinfo=dt.UTC), tick=False):
        if leaves == "cancelled":
            do_cancel_review(review, coordinator, "The family moved away")
        else:
            Invitation.objects.filter(user=invited_therapist).update(removed_at=timezone.now())
        by_date = client.get(address, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        by_tag = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_date.status_code == 200 and by_tag.status_code == 200
    assert meeting_uid(review) not in uids(by_date)
    assert by_date["ETag"] != first["ETag"]
    assert by_date["Last-Modified"] != first["Last-Modified"]


def test_while_nothing_changes_the_feed_is_the_same_bytes_under_a_strong_etag(
        client, review, invited_therapist):
    import hashlib

    address = feed_address(invited_therapist)
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC), tick=False):
        first = client.get(address)
    with time_machine.travel(dt.datetime(2027, 1, 4, 17, tzinfo=dt.UTC), tick=False):
        later = client.get(address)
    assert later.content == first.content
    assert later["ETag"] == first["ETag"] == f'"{hashlib.sha256(first.content).hexdigest()}"'
    assert later["Last-Modified"] == first["Last-Modified"]
    review.refresh_from_db()
    stamps = {e["DTSTAMP"].dt for e in Calendar.from_ical(first.content).walk("VEVENT")}
    assert stamps == {review.changed_at.replace(microsecond=0)}, "stamped with the last change"


def test_a_change_to_the_review_changes_the_etag(client, review, invited_therapist):
    from reviews.events import record

    address = feed_address(invited_therapist)
    first = client.get(address)
    review.meeting_at += dt.timedelta(hours=2)
    review.save(update_fields=["meeting_at"])
    record(review, "rescheduled", "Meeting moved")
    moved = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert moved.status_code == 200 and moved["ETag"] != first["ETag"]


def test_a_parents_feed_speaks_to_the_family_and_links_to_the_familys_page(
        client, review, family_parent):
    response = client.get(feed_address(family_parent))
    event, = check_itip(response.content, None)
    description = str(event["DESCRIPTION"])
    assert "send your advice" not in description.lower()
    assert "what you and your child think" in description
    assert str(event["URL"]).endswith(f"/reviews/{review.pk}/family/")
    assert not as_list(event.get("ATTENDEE")), "no family attendee in a feed, not even by role"
    assert len(list(event.walk("VALARM"))) == 2


def test_each_feed_passes_both_parsers(client, review, invited_therapist, coordinator):
    for person in (invited_therapist, coordinator):
        check_itip(client.get(feed_address(person)).content, None)


def make_reviews(count, authority, school, coordinator, therapist):
    for n in range(count):
        review = ReviewFactory(plan__child__authority=authority, plan__child__setting=school,
                               coordinator=coordinator, meeting_in_days=20 + n % 40)
        invite_person(review, therapist)


@pytest.mark.parametrize("count", [10, 500])
def test_the_feed_runs_the_same_queries_for_10_or_500_reviews(
        client, count, authority, school, coordinator, therapist, django_assert_max_num_queries):
    make_reviews(count, authority, school, coordinator, therapist)
    address = feed_address(therapist)
    with django_assert_max_num_queries(6):
        response = client.get(address)
    assert len(uids(response)) == 2 * count


def test_the_family_can_download_the_meeting_for_their_calendar(client, review, family_parent):
    sign_in(client, family_parent)
    response = client.get(reverse("reviews:meeting_ics", args=[review.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="review-meeting.ics"'
    cal = Calendar.from_ical(response.content)
    assert cal["METHOD"] == "PUBLISH"
    event, = check_itip(response.content, "PUBLISH")
    assert str(event["UID"]) == meeting_uid(review)
    assert str(event["URL"]).endswith(f"/reviews/{review.pk}/family/"), "the family's page"
    assert "send your advice" not in str(event["DESCRIPTION"]).lower()


def test_the_meeting_download_is_refused_to_others(client, review, refused):
    for person in refused:
        client.logout()
        sign_in(client, person)
        assert client.get(reverse("reviews:meeting_ics", args=[review.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("reviews:meeting_ics", args=[review.pk])).status_code == 302
