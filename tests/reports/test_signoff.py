"""Sign-off: the coordinator asks; everyone invited and the family confirm or comment within
a window of working days from the clock; each comment is answered or included."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from outbox.models import Email
from reports import signoff
from reports.drafting import do_save_draft
from reports.models import Report, SignOff, SignOffComment
from reviews import clock
from tests.conftest import ON_TODAY
from tests.reviews.conftest import invite_person

pytestmark = [pytest.mark.django_db, ON_TODAY]


@pytest.fixture
def report(held_review):
    return Report.objects.get(review=held_review)


@pytest.fixture
def asked(report, coordinator):
    assert signoff.do_request_signoff(report, coordinator)
    report.refresh_from_db()
    return report


def draft_url(review):
    return reverse("reports:draft", args=[review.pk])


def test_asking_opens_a_window_of_working_days_and_emails_each_person_a_link_once(
        report, held_review, coordinator, family_parent, invited_therapist):
    today = dt.date(2027, 3, 25)  # the Thursday before Good Friday and Easter Monday
    assert signoff.do_request_signoff(report, coordinator, today=today)
    report.refresh_from_db()
    assert report.signoff_closes_on == clock.add_working_days(today, 5) == dt.date(2027, 4, 5)
    emails = Email.objects.filter(key__startswith=f"report-signoff:{report.pk}:")
    assert sorted(e.to for e in emails) == sorted([family_parent.email,
                                                   invited_therapist.email])
    email = emails.get(to=family_parent.email)
    assert email.subject == "Please check the draft report: annual review for AE (T-0001)"
    assert draft_url(held_review) in email.text and "5 April 2027" in email.text
    assert "Amira" not in email.text + email.subject and "Biscuit" not in email.text
    assert not signoff.do_request_signoff(report, coordinator)
    assert Email.objects.filter(key__startswith="report-signoff:").count() == 2
    assert held_review.events.filter(kind="report.signoff_requested").count() == 1


def test_the_window_length_is_a_setting(report, coordinator, settings):
    settings.REPORT_SIGNOFF_WORKING_DAYS = 3
    signoff.do_request_signoff(report, coordinator, today=dt.date(2027, 3, 5))  # a Friday
    report.refresh_from_db()
    assert report.signoff_closes_on == dt.date(2027, 3, 10)


def test_the_draft_is_not_shown_to_participants_before_they_are_asked(
        report, held_review, family_parent, client):
    client.force_login(family_parent)
    assert client.get(draft_url(held_review)).status_code == 404


def test_a_parent_reads_the_draft_and_confirms_it(asked, held_review, family_parent, client):
    client.force_login(family_parent)
    page = client.get(draft_url(held_review)).content.decode()
    assert "Check the draft report" in page and "Her dog, Biscuit." in page
    assert "Tell us by" in page
    response = client.post(draft_url(held_review), {"action": "confirm"})
    assert response.status_code == 302
    client.post(draft_url(held_review), {"action": "confirm"})  # a double click
    assert SignOff.objects.filter(report=asked, user=family_parent).count() == 1
    assert held_review.events.filter(kind="report.confirmed").count() == 1
    assert "You confirmed this draft on" in client.get(draft_url(held_review)).content.decode()


def test_a_change_after_confirming_asks_for_a_fresh_look(asked, held_review, family_parent,
                                                         coordinator, client):
    signoff.do_confirm(asked, family_parent)
    do_save_draft(asked, coordinator, {**asked.content, "actions": []},
                  base_revision=asked.latest_revision_id)
    client.force_login(family_parent)
    page = client.get(draft_url(held_review)).content.decode()
    assert "It has changed since then" in page
    assert signoff.do_confirm(Report.objects.get(pk=asked.pk), family_parent)


def test_a_comment_reaches_the_coordinator_once(asked, held_review, family_parent,
                                                coordinator, client):
    client.force_login(family_parent)
    for _ in range(2):
        response = client.post(draft_url(held_review), {"action": "comment",
                                                        "text": "Biscuit is a cat, not a dog."})
        assert response.status_code == 302
    comment = SignOffComment.objects.get(report=asked)
    assert comment.author_name == "Pat Parent"
    email = Email.objects.get(key=f"report-comment:{comment.pk}")
    assert email.to == coordinator.email
    assert "Biscuit" not in email.text and reverse("reports:outcome",
                                                   args=[held_review.pk]) in email.text
    assert held_review.events.filter(kind="report.commented").count() == 1


def test_an_empty_comment_shows_the_error_and_records_nothing(asked, held_review,
                                                              family_parent, client):
    client.force_login(family_parent)
    response = client.post(draft_url(held_review), {"action": "comment", "text": "  "})
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert 'href="#id_text">Enter what is wrong or missing' in html
    assert not SignOffComment.objects.exists()


def test_once_the_window_closes_nobody_can_confirm_or_comment(asked, held_review,
                                                              invited_therapist, signed_in):
    Report.objects.filter(pk=asked.pk).update(
        signoff_closes_on=timezone.localdate() - dt.timedelta(days=1))
    client = signed_in(invited_therapist)
    page = client.get(draft_url(held_review)).content.decode()
    assert "The time to check the draft report has ended" in page
    assert "Visual timetables help." not in page  # the draft is no longer shown
    response = client.post(draft_url(held_review), {"action": "confirm"}, follow=True)
    assert "The time to confirm or comment on the draft has passed" in response.content.decode()
    assert not SignOff.objects.exists()


def test_the_coordinator_answers_a_comment_and_its_author_is_told(
        asked, held_review, family_parent, coordinator, signed_in):
    comment = signoff.do_comment(asked, family_parent, "Biscuit is a cat.", "Pat Parent")
    client = signed_in(coordinator)
    url = reverse("reports:comment_action", args=[held_review.pk, comment.pk])
    response = client.post(url, {"action": "answer", f"c{comment.pk}-answer": ""})
    assert "Enter your answer" in response.content.decode()
    client.post(url, {"action": "answer", f"c{comment.pk}-answer": "Thank you, fixed."})
    comment.refresh_from_db()
    assert comment.answer == "Thank you, fixed." and comment.answered_by == coordinator
    email = Email.objects.get(key=f"report-comment-answered:{comment.pk}")
    assert email.to == family_parent.email and "fixed" not in email.text


def test_the_coordinator_includes_a_comment_as_a_new_draft(asked, held_review, family_parent,
                                                          coordinator, signed_in):
    comment = signoff.do_comment(asked, family_parent, "We want a review in 6 months.",
                                 "Pat Parent")
    client = signed_in(coordinator)
    client.post(reverse("reports:comment_action", args=[held_review.pk, comment.pk]),
                {"action": "include"})
    asked.refresh_from_db()
    assert asked.content["comments"][0]["who"] == "Pat Parent"
    assert asked.content["comments"][0]["text"] == "We want a review in 6 months."
    assert asked.revisions.count() == 2
    comment.refresh_from_db()
    assert comment.included_at is not None
    assert not signoff.do_answer_comment(asked, comment.pk, coordinator, "Too late")


def test_the_outcome_page_shows_who_has_answered(asked, held_review, family_parent,
                                                 invited_therapist, coordinator, signed_in):
    signoff.do_confirm(asked, family_parent)
    signoff.do_comment(asked, invited_therapist, "Add the OT referral.", "Theo Rapist")
    page = signed_in(coordinator).get(
        reverse("reports:outcome", args=[held_review.pk])).content.decode()
    assert "1 of 2 confirmed, 1 comment (1 to answer)" in page
    assert "Add the OT referral." in page
    assert "Answer or include 1 comment on the draft." in page


def test_the_coordinator_invited_as_sen_officer_is_not_asked_to_confirm_their_own_draft(
        report, held_review, coordinator, signed_in):
    invite_person(held_review, coordinator, role="la_sen")
    signoff.do_request_signoff(report, coordinator)
    assert not Email.objects.filter(key__startswith="report-signoff:", to=coordinator.email)
    client = signed_in(coordinator)
    page = client.get(draft_url(held_review)).content.decode()
    assert "Yes, the report is right" not in page and "Visual timetables help." in page
    review_page = client.get(reverse("reviews:review", args=[held_review.pk])).content.decode()
    assert "Check the draft report and tell us if it is right" not in review_page
