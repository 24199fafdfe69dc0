"""The schedule page: a GOV.UK date input, a time, a length, a place and/or a link."""

import datetime as dt

import pytest
from django.utils import timezone

from reviews.forms_coordinator import parse_time
from reviews.models import Review
from tests.conftest import ON_TODAY, sign_in

pytestmark = [pytest.mark.django_db, ON_TODAY]


def url(review):
    return f"/reviews/{review.pk}/schedule/"


def form(day: dt.date, **extra):
    data = {"meeting_date_0": day.day, "meeting_date_1": day.month, "meeting_date_2": day.year,
            "meeting_time": "10:30am", "meeting_minutes": "90",
            "meeting_place": "Room 4, Testshire Primary", "meeting_link": ""}
    return {**data, **extra}


@pytest.fixture
def due_review(review):
    Review.objects.filter(pk=review.pk).update(meeting_at=None)
    review.refresh_from_db()
    return review


def test_anonymous_visitors_are_sent_to_sign_in(client, review):
    response = client.get(url(review))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_refused_cast_and_invited_contributors_get_a_404(client, review, refused,
                                                             invited_therapist):
    for person in [*refused, invited_therapist]:
        client.logout()
        sign_in(client, person)
        assert client.get(url(review)).status_code == 404, person
        assert client.post(url(review), form(timezone.localdate())).status_code == 404


def test_the_form_is_a_gov_uk_date_input(client, due_review, coordinator):
    sign_in(client, coordinator)
    html = client.get(url(due_review)).content.decode()
    assert 'class="govuk-date-input"' in html
    for part in ("Day", "Month", "Year"):
        assert f">{part}</label>" in html
    assert "short_notice_reason" not in html, "the reason only appears with its error"


def test_scheduling_sets_the_meeting_and_confirms_it(client, due_review, coordinator):
    sign_in(client, coordinator)
    day = timezone.localdate() + dt.timedelta(days=50)
    response = client.post(url(due_review), form(day), follow=True)
    assert response.redirect_chain[-1][0] == f"/reviews/{due_review.pk}/"
    due_review.refresh_from_db()
    local = timezone.localtime(due_review.meeting_at)
    assert (local.date(), local.hour, local.minute) == (day, 10, 30)
    assert due_review.status == "scheduled"
    html = response.content.decode()
    assert "govuk-notification-banner--success" in html and "Meeting set for" in html


def test_a_short_notice_meeting_asks_for_a_reason_and_keeps_what_was_typed(client,
                                                                          due_review,
                                                                          coordinator):
    sign_in(client, coordinator)
    day = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(url(due_review), form(day))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "govuk-error-summary" in html
    assert "less than 2 weeks away" in html
    assert 'name="short_notice_reason"' in html
    assert 'value="Room 4, Testshire Primary"' in html and 'value="10:30am"' in html
    assert f'value="{day.day}"' in html
    due_review.refresh_from_db()
    assert due_review.meeting_at is None

    response = client.post(url(due_review), form(day, short_notice_reason="Parent's request"))
    assert response.status_code == 302
    due_review.refresh_from_db()
    assert due_review.short_notice_reason == "Parent's request"


def test_a_tight_deadline_is_warned_about_on_the_confirmation(client, due_review, coordinator):
    sign_in(client, coordinator)
    day = timezone.localdate() + dt.timedelta(days=20)
    html = client.post(url(due_review), form(day), follow=True).content.decode()
    assert "Send the invitations by" in html and "2 weeks&#x27; notice" in html


@pytest.mark.parametrize(("extra", "message"), [
    ({"meeting_date_1": "13"}, "Enter a real date"),
    ({"meeting_date_0": ""}, "Enter the day, month and year"),
    ({"meeting_time": "half ten"}, "Enter a time such as 10:30am or 14:00"),
    ({"meeting_link": "http://meet.example/abc"}, "starts with https://"),
    ({"meeting_link": "meet example abc"}, "Enter the video meeting link as it is in the "
                                           "invitation, starting https://"),
    ({"meeting_place": ""}, "Enter a place or a link to a video meeting"),
])
def test_mistakes_are_explained(client, due_review, coordinator, extra, message):
    sign_in(client, coordinator)
    day = timezone.localdate() + dt.timedelta(days=50)
    html = client.post(url(due_review), form(day, **extra)).content.decode()
    assert message in html and "govuk-error-summary" in html
    assert "Enter a valid URL" not in html, "Django's words, not GOV.UK's"


def test_a_past_date_is_refused(client, due_review, coordinator):
    sign_in(client, coordinator)
    html = client.post(url(due_review), form(timezone.localdate() - dt.timedelta(days=1),
                                             short_notice_reason="x")).content.decode()
    assert "must be today or in the future" in html


def test_a_video_link_alone_is_enough(client, due_review, coordinator):
    sign_in(client, coordinator)
    day = timezone.localdate() + dt.timedelta(days=50)
    client.post(url(due_review), form(day, meeting_place="",
                                      meeting_link="https://teams.microsoft.com/l/meetup/1"))
    due_review.refresh_from_db()
    assert due_review.meeting_link == "https://teams.microsoft.com/l/meetup/1"


def test_changing_the_meeting_shows_the_current_one(client, review, coordinator):
    sign_in(client, coordinator)
    html = client.get(url(review)).content.decode()
    local = timezone.localtime(review.meeting_at)
    assert "Change the meeting" in html and f'value="{local:%H:%M}"' in html


@pytest.mark.parametrize(("text", "time"), [("10:30", dt.time(10, 30)), ("14.00", dt.time(14)),
                                            ("2pm", dt.time(14)), ("12am", dt.time(0)),
                                            ("12:15pm", dt.time(12, 15)), (" 9 AM ", dt.time(9))])
def test_times_are_read_the_ways_people_write_them(text, time):
    assert parse_time(text) == time


@pytest.mark.parametrize("text", ["25:00", "13pm", "10:75", "noonish", ""])
def test_impossible_times_are_refused(text):
    with pytest.raises(ValueError):
        parse_time(text)


def test_the_page_runs_a_bounded_number_of_queries(client, review, coordinator,
                                                   django_assert_max_num_queries):
    sign_in(client, coordinator)
    with django_assert_max_num_queries(14):
        client.get(url(review))
