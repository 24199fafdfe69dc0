"""The meeting room page: who may open it, the snapshot it shows without JavaScript, the
controls each person gets, and what it hands to room.js."""

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone
from django.utils.html import escape

from agencies.models import Role
from meeting.models import AgendaItem, Comment, Meeting, MeetingAction, Recommendation
from meeting.room import LIMITS, ChangeRefused, apply_change, do_open_meeting
from reviews import advice, events, presenters
from reviews.models import Advice, Invitation, Review
from tests.conftest import make_person, sign_in
from tests.reviews.conftest import invite_person

pytestmark = pytest.mark.django_db


def url(review):
    return f"/reviews/{review.pk}/meeting/"


def page(client, user, review) -> str:
    sign_in(client, user)
    response = client.get(url(review))
    assert response.status_code == 200
    return response.content.decode()


def room_data(html) -> dict:
    """The data- attributes room.js reads from the #room element."""
    opening = re.search(r'<div class="room" id="room"([^>]*)>', html).group(1)
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', opening))


def change(review, user, name, /, **payload):
    from reviews.access import review_access

    access = review_access(user, review.pk, need="meeting")
    return apply_change(access, user, name, payload, key=str(uuid.uuid4()))


def test_anonymous_visitors_are_sent_to_sign_in(client, review):
    response = client.get(url(review))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_refused_cast_gets_a_404_and_no_room_is_opened(client, review, refused):
    for person in refused:
        client.logout()
        sign_in(client, person)
        assert client.get(url(review)).status_code == 404, person
    assert not Meeting.objects.exists()


def test_an_agency_lead_who_may_read_the_review_cannot_open_the_room(client, review,
                                                                    nhs_trust):
    lead = make_person("lead@test.example", "Lee", "Lead", nhs_trust, Role.LEAD)
    Invitation.objects.create(review=review, role=Invitation.Role.HEALTH, agency=nhs_trust,
                              name="Duty inbox", email="duty@nhs.test.example")
    sign_in(client, lead)
    assert client.get(f"/reviews/{review.pk}/").status_code == 200
    assert client.get(url(review)).status_code == 404


def test_opening_the_page_opens_the_room_once_with_the_default_agenda(client, review,
                                                                      coordinator):
    sign_in(client, coordinator)
    client.get(url(review))
    client.get(url(review))
    meeting = Meeting.objects.get(review=review)
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert titles[0] == "The child's and family's views"
    assert "Outcome 1: Amira will speak in sentences of 5 words." in titles
    assert titles[-1] == "Actions"
    assert meeting.current_item.title == titles[0]
    assert review.events.filter(kind="meeting.opened").count() == 1


def test_the_snapshot_shows_the_meeting_link_time_agenda_and_current_item(client, review,
                                                                          coordinator):
    review.meeting_link = "https://meet.jit.si/annual-review-ae"
    review.meeting_place = "Room 4, Testshire Primary"
    review.save()
    html = page(client, coordinator, review)
    title = html.split("<title>")[1].split("</title>")[0]
    assert "Amira" not in title and "AE (T-0001)" in title
    assert 'href="https://meet.jit.si/annual-review-ae"' in html
    assert "Room 4, Testshire Primary" in html
    local = timezone.localtime(review.meeting_at)
    assert f"{local.day} {local:%B %Y} at 10am" in html
    meeting = Meeting.objects.get(review=review)
    current = meeting.current_item
    assert re.search(rf'data-agenda-item="{current.pk}">\s*<a [^>]*aria-current="step"', html)
    assert html.count('aria-current="step"') == 1


def test_the_snapshot_shows_notes_comments_actions_and_recommendations(
        client, review, coordinator, family_parent, invited_therapist):
    meeting = do_open_meeting(review, coordinator)
    item = meeting.items.order_by("position").first()
    change(review, coordinator, "notes.save", item=item.pk, text="Amira is happier.",
           base_version=0)
    change(review, family_parent, "comment.add", item=item.pk, kind="question",
           text="Can she have more speech therapy?")
    change(review, family_parent, "comment.add", item=item.pk, kind="disagree", text="")
    change(review, coordinator, "action.add", what="Refer to speech therapy", who="Theo Rapist",
           due_on="2027-03-03")
    change(review, coordinator, "recommendation.set", section="F",
           text="Add 2 speech therapy sessions a week", agreed_by="Everyone")
    change(review, coordinator, "recommendation.set", overall="amend", agreed_by="Everyone")
    html = page(client, invited_therapist, review)
    for text in ("Amira is happier.", "Can she have more speech therapy?", "Question",
                 "We disagree", "Pat Parent", "Refer to speech therapy", "3 March 2027",
                 "Section F: Special educational provision",
                 "Add 2 speech therapy sessions a week", "Amend the plan"):
        assert text in html, text


def test_without_javascript_the_invited_and_their_attendance_show(client, review, coordinator,
                                                                   invited_therapist,
                                                                   family_parent):
    invite_person(review, family_parent, role=Invitation.Role.FAMILY, attended=True)
    html = page(client, coordinator, review)
    assert "Pat Parent" in html and "Present" in html
    assert "Theo Rapist" in html and "Not recorded" in html
    assert "Reload the page to see what has changed." in html


def test_the_page_works_before_a_meeting_date_is_set(client, review, coordinator):
    Review.objects.filter(pk=review.pk).update(meeting_at=None)
    html = page(client, coordinator, review)
    assert "Not set yet" in html
    assert "Video call" not in html


def test_the_page_hands_room_js_the_review_the_last_event_and_the_permissions(
        client, review, coordinator, family_parent):
    events.record(review, "test", "Something happened")
    data = room_data(page(client, coordinator, review))
    review.refresh_from_db()
    assert data["review"] == str(review.pk) and data["user"] == str(coordinator.pk)
    assert data["seq"] == str(review.event_seq) and review.event_seq >= 2  # test + opened
    assert (data["can-manage"], data["can-write"], data["is-family"]) == ("true", "true", "false")
    assert data["closed"] == "false"
    assert data["current-item"] == str(Meeting.objects.get(review=review).current_item_id)
    client.logout()
    data = room_data(page(client, family_parent, review))
    assert (data["can-manage"], data["can-write"], data["is-family"]) == ("false", "false", "true")


def test_the_page_has_no_inline_script_or_style(client, review, coordinator):
    html = page(client, coordinator, review)
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html)
    assert " style=" not in html
    assert 'src="/static/portal/room.js"' in html and "/static/portal/room.css" in html


def controls(html) -> set[str]:
    markers = {"move": "data-move=", "mark": "data-mark=", "close": 'id="close-form"',
               "notes": 'data-change="notes.save"', "action": 'id="action-form"',
               "recommend": 'id="section-form"', "overall": 'id="overall-form"',
               "comment": 'data-change="comment.add"', "disagree": 'value="disagree"',
               "minutes": 'id="minute-taker-form"'}
    return {name for name, marker in markers.items() if marker in html}


def test_the_coordinator_has_every_control_but_we_disagree(client, review, coordinator,
                                                          invited_therapist):
    assert controls(page(client, coordinator, review)) == {
        "move", "mark", "close", "notes", "action", "recommend", "overall", "comment",
        "minutes"}


def test_every_box_for_free_text_shows_the_limit_the_room_keeps_to(client, review, coordinator):
    """GOV.UK's character count on each textarea, with the limit the change is checked
    against (meeting/room.py LIMITS)."""
    html = page(client, coordinator, review)
    item = Meeting.objects.get(review=review).items.order_by("position").first()
    boxes = {f"notes-{item.pk}": LIMITS.notes, f"comment-text-{item.pk}": LIMITS.comment,
             "action-what": LIMITS.action, "section-text": LIMITS.recommendation}
    for box, limit in boxes.items():
        group = re.search(r'<div class="govuk-form-group govuk-character-count" '
                          r'data-module="govuk-character-count" data-maxlength="(\d+)"[^>]*>'
                          rf'\s*<label[^>]* for="{box}"', html)
        assert group and int(group.group(1)) == limit, box
        assert re.search(rf'<textarea class="govuk-textarea govuk-js-character-count" '
                         rf'id="{box}"[^>]*aria-describedby="{box}-info', html), box
        assert f'id="{box}-info" class="govuk-hint govuk-character-count__message">You can ' \
               f"enter up to {limit:,} characters</div>" in html, box


def test_each_agenda_item_has_its_own_comment_form_that_names_it(client, review, coordinator,
                                                                 family_parent):
    """A comment is written in its item's own form, which never moves: it names the item in
    its legend, its box and its button, and sends that item's id with the comment."""
    html = page(client, family_parent, review)
    items = list(Meeting.objects.get(review=review).items.order_by("position"))
    forms = re.findall(r'<form [^>]*data-change="comment.add"[^>]*>.*?</form>', html, re.S)
    assert len(forms) == len(items) > 2
    for item, form in zip(items, forms, strict=True):
        title = escape(item.title)
        assert f'id="comment-form-{item.pk}"' in form and f'data-item="{item.pk}"' in form
        assert f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Comment on ' \
               f"{title}</legend>" in form
        assert f'for="comment-text-{item.pk}">What you want to say or ask<span ' \
               f'class="govuk-visually-hidden"> about {title}</span>' in form
        assert f'Add<span class="govuk-visually-hidden"> your comment on {title}</span>' in form
        assert f'id="comment-{item.pk}-kind-disagree"' in form


def headings(html) -> list[tuple[int, str]]:
    """Each heading's level and its text as a screen reader reads it (hidden words too)."""
    return [(int(level), " ".join(re.sub(r"<[^>]+>", "", text).split()))
            for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html, re.S)]


def test_each_items_headings_name_it_and_the_room_has_few_landmarks(client, review,
                                                                     coordinator):
    html = page(client, coordinator, review)
    items = list(Meeting.objects.get(review=review).items.order_by("position"))
    found = headings(html)
    for item in items:
        title = " ".join(escape(item.title).split())
        assert (3, title) in found
        assert (4, f"Comments and questions on {title}") in found
    comments = [text for _, text in found if text.startswith("Comments and questions")]
    assert len(comments) == len(set(comments)) == len(items), "each names its own item"
    # Regions where they help: the agenda and the notes, which the contents list leads to;
    # the notification banner (a region only while it shows). One live region in the room
    # (the time-out warning's countdown speaks only inside its dialog, outside <main>).
    assert re.findall(r'<section [^>]*aria-labelledby="([^"]+)"', html) == [
        "agenda-title", "notes-title"]
    assert html.count('role="region"') == 1 and "data-closed-banner hidden" in html
    room = html.split('<main class="govuk-main-wrapper" id="main-content">')[1].split("</main>")[0]
    assert room.count("aria-live") == 1


def test_the_family_can_comment_and_disagree_but_not_run_the_meeting(client, review,
                                                                      family_parent):
    assert controls(page(client, family_parent, review)) == {"comment", "disagree"}


def test_an_invited_professional_can_only_comment(client, review, invited_therapist):
    assert controls(page(client, invited_therapist, review)) == {"comment"}


def test_the_minute_taker_writes_notes_actions_and_recommendations_only(client, review,
                                                                        coordinator, therapist):
    invite_person(review, therapist)
    meeting = do_open_meeting(review, coordinator)
    Meeting.objects.filter(pk=meeting.pk).update(minute_taker=therapist)
    assert controls(page(client, therapist, review)) == {
        "notes", "action", "recommend", "overall", "comment"}


def minute_taker_choices(html) -> list[tuple[str, str]]:
    select = re.search(r'<select[^>]*id="minute-taker".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_the_coordinator_can_name_anyone_invited_with_an_account_as_minute_taker(
        client, review, coordinator, family_parent, invited_therapist):
    invite_person(review, family_parent, role=Invitation.Role.FAMILY)
    Invitation.objects.create(review=review, role=Invitation.Role.HEALTH, name="Duty inbox",
                              email="duty@nhs.test.example")
    html = page(client, coordinator, review)
    assert minute_taker_choices(html) == [
        ("", "Nobody else: I will take them"), (str(invited_therapist.pk), "Theo Rapist"),
        (str(family_parent.pk), "Pat Parent")]
    assert "The coordinator is taking the minutes." in html
    assert '<label class="govuk-label" for="minute-taker">Who takes the minutes</label>' in html


def test_everyone_sees_who_is_taking_the_minutes(client, review, coordinator, family_parent,
                                                 invited_therapist):
    meeting = do_open_meeting(review, coordinator)
    change(review, coordinator, "minute_taker.name", user=invited_therapist.pk)
    meeting.refresh_from_db()
    assert meeting.minute_taker == invited_therapist
    for person in (family_parent, coordinator):
        client.logout()
        html = page(client, person, review)
        assert "Theo Rapist is taking the minutes." in html, person
    selected = re.search(r'<option value="(\d+)" selected>', html).group(1)
    assert selected == str(invited_therapist.pk)


def test_a_closed_meeting_is_a_read_only_record(client, review, coordinator, family_parent):
    meeting = do_open_meeting(review, coordinator)
    item = meeting.items.order_by("position").first()
    change(review, coordinator, "notes.save", item=item.pk, text="Agreed to amend.",
           base_version=0)
    change(review, coordinator, "meeting.close", before_start=True)
    for person in (coordinator, family_parent):
        client.logout()
        html = page(client, person, review)
        assert controls(html) == set(), person
        assert room_data(html)["closed"] == "true"
        assert "This meeting has closed." in html and "Agreed to amend." in html
        assert "data-closed-banner hidden" not in html


def starts_in(review, delta: dt.timedelta) -> None:
    Review.objects.filter(pk=review.pk).update(meeting_at=timezone.now() + delta)


def test_a_meeting_closed_before_its_start_time_must_be_meant(review, coordinator):
    """Closed hours early by mistake, the meeting's record would be empty and read-only:
    the room refuses unless the coordinator has seen the warning and confirmed."""
    starts_in(review, dt.timedelta(hours=3))
    meeting = do_open_meeting(review, coordinator)
    with pytest.raises(ChangeRefused, match="has not started yet"):
        change(review, coordinator, "meeting.close")
    meeting.refresh_from_db()
    assert meeting.is_open
    change(review, coordinator, "meeting.close", before_start=True)
    meeting.refresh_from_db()
    assert not meeting.is_open


def test_a_meeting_that_has_started_closes_without_the_extra_step(review, coordinator):
    starts_in(review, -dt.timedelta(minutes=50))
    meeting = do_open_meeting(review, coordinator)
    change(review, coordinator, "meeting.close")
    meeting.refresh_from_db()
    assert not meeting.is_open


def close_control(html) -> str:
    return re.search(r'id="close-title".*?</form>', html, re.S).group(0)


def test_before_the_start_the_close_control_warns_and_names_the_start_time(
        client, review, coordinator):
    starts_in(review, dt.timedelta(hours=3))
    review.refresh_from_db()
    control = close_control(page(client, coordinator, review))
    assert "govuk-warning-text" in control
    assert "This meeting has not started yet" in control
    assert presenters.moment_text(review.meeting_at) in control
    assert 'name="before_start" value="true"' in control
    assert "Yes, close the meeting before it starts" in control

    starts_in(review, -dt.timedelta(minutes=50))
    control = close_control(page(client, coordinator, review))
    assert "not started" not in control and "before_start" not in control
    assert "Yes, close the meeting" in control


def test_the_closed_room_links_on_to_the_report(client, review, coordinator, family_parent,
                                                invited_therapist):
    invite_person(review, family_parent, role=Invitation.Role.FAMILY)
    starts_in(review, -dt.timedelta(hours=1))
    do_open_meeting(review, coordinator)
    change(review, coordinator, "meeting.close")
    links = {coordinator: f"/reviews/{review.pk}/outcome/",
             family_parent: f"/reviews/{review.pk}/family/#joint-outcome",
             invited_therapist: f"/reviews/{review.pk}/#joint-outcome"}
    for person, link in links.items():
        client.logout()
        html = page(client, person, review)
        banner = re.search(r'data-closed-banner.*?</div>\s*</div>', html, re.S).group(0)
        assert f'href="{link}"' in banner, person
        path = link.split("#")[0]
        assert client.get(path).status_code == 200, (person, path)


def test_someone_without_a_job_title_is_named_without_empty_commas(client, review,
                                                                    coordinator):
    """Someone added by email, with no organisation and no job: their name, and what they
    are at the review in plain words."""
    Invitation.objects.create(review=review, role=Invitation.Role.OTHER, name="Nadia Khan",
                              email="nadia@test.example")
    html = page(client, coordinator, review)
    invited = re.search(r'id="invited-title".*?</ul>', html, re.S).group(0)
    person = re.search(r'<li class="room-person"[^>]*>\s*Nadia Khan(.*?)</li>', invited,
                       re.S).group(1)
    words = re.sub(r"<[^>]+>", " ", person)
    assert "Also invited" in words
    assert not re.search(r"(^|[,—–])\s*[,—–]|[,—–]\s*$", words.split("Not recorded")[0].strip())


def test_circulated_advice_is_linked_for_everyone_and_not_before(client, review, coordinator,
                                                                 family_parent,
                                                                 invited_therapist):
    invitation = Invitation.objects.get(user=invited_therapist)
    submitted = Advice.objects.create(invitation=invitation, author=invited_therapist,
                                      status=Advice.Status.SUBMITTED,
                                      submitted_at=timezone.now())
    version_url = f"/reviews/{review.pk}/advice/versions/{submitted.pk}/"
    assert version_url in page(client, coordinator, review)
    client.logout()
    html = page(client, family_parent, review)
    assert version_url not in html and "No advice has been shared yet." in html
    Review.objects.filter(pk=review.pk).update(status=Review.Status.INVITATIONS_SENT)
    assert advice.do_circulate_advice(review, actor=coordinator)
    client.logout()
    html = page(client, family_parent, review)
    assert version_url in html
    assert f'href="/reviews/{review.pk}/advice/all/"' in html


def test_the_review_page_links_to_the_meeting_room(client, review, coordinator):
    sign_in(client, coordinator)
    html = client.get(f"/reviews/{review.pk}/").content.decode()
    assert f'href="{url(review)}"' in html and "Open the meeting room" in html


def build_room(review, coordinator, family_parent, items: int):
    """A room with `items` agenda items, each with notes and two comments, and actions and
    recommendations to match."""
    meeting = do_open_meeting(review, coordinator)
    meeting.items.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n, kind=AgendaItem.Kind.OTHER, title=f"Item {n}",
                   notes=f"Notes {n}", notes_version=1) for n in range(items))
    created = list(meeting.items.all())
    Comment.objects.bulk_create(
        Comment(item=item, author=person, text=f"Comment on {item.title}")
        for item in created for person in (coordinator, family_parent))
    MeetingAction.objects.bulk_create(
        MeetingAction(meeting=meeting, what=f"Action {n}", who="School", created_by=coordinator)
        for n in range(items))
    for letter in "ABF":
        Recommendation.objects.create(meeting=meeting, section=letter, text="Change")
    Meeting.objects.filter(pk=meeting.pk).update(current_item=created[0])


@pytest.mark.parametrize("items", [3, 30])
def test_the_page_runs_the_same_queries_for_3_or_30_agenda_items(
        items, client, review, coordinator, family_parent, invited_therapist,
        django_assert_max_num_queries):
    build_room(review, coordinator, family_parent, items)
    sign_in(client, coordinator)
    with django_assert_max_num_queries(22):
        response = client.get(url(review))
    html = response.content.decode()
    assert html.count('class="room-comment"') == 2 * items + 1  # and room.js's template
    assert f"Item {items - 1}" in html and f"Action {items - 1}" in html
