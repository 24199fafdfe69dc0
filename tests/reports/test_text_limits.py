"""Limits on what people type into the report's forms: the draft editor, comments at sign-off
and their answers, and the reason for a correction. Each is shown on the page before it is
reached, and text over it is refused with the limit, keeping what was typed."""

import pytest
from django.urls import reverse

from reports import signoff
from reports.models import PublishedReport, Report, SignOffComment
from reports.publishing import do_publish_report
from tests.reports.forms import editor_data
from tests.text_limits import assert_counted, assert_refused, too_long

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(held_review):
    return Report.objects.get(review=held_review)


@pytest.fixture
def asked(report, coordinator):
    signoff.do_request_signoff(report, coordinator)
    report.refresh_from_db()
    return report


def test_the_editor_shows_each_limit_and_refuses_text_over_it(report, held_review,
                                                              coordinator, signed_in):
    client = signed_in(coordinator)
    url = reverse("reports:edit", args=[held_review.pk])
    page = client.get(url).content.decode()
    for field in ("views_family", "views_child", "progress_0", "advice_0", "notes_0",
                  "action_0_what", "change_F", "overall_text", "disagree_0_text"):
        assert_counted(page, f"id_{field}", 25_000)
    assert 'name="attendance_0_note" maxlength="2000"' in page
    typed = too_long(25_000)
    response = client.post(url, editor_data(report, views_child=typed))
    assert_refused(response, typed, "The child's own words must be 25,000 characters or fewer")
    note = too_long(2_000)
    response = client.post(url, editor_data(report, attendance_0_note=note))
    assert_refused(response, note, "The note about Theo Rapist must be 2,000 characters or fewer")
    assert report.revisions.count() == 1


def test_a_comment_over_its_limit_is_refused_and_kept(asked, held_review, family_parent,
                                                      client):
    client.force_login(family_parent)
    url = reverse("reports:draft", args=[held_review.pk])
    assert_counted(client.get(url).content.decode(), "id_text", 10_000)
    typed = too_long(10_000)
    response = client.post(url, {"action": "comment", "text": typed})
    assert_refused(response, typed, "Your comment must be 10,000 characters or fewer")
    assert not SignOffComment.objects.exists()


def test_an_answer_to_a_comment_over_its_limit_is_refused_and_kept(
        asked, held_review, family_parent, coordinator, signed_in):
    comment = signoff.do_comment(asked, family_parent, "Biscuit is a cat.", "Pat Parent")
    client = signed_in(coordinator)
    page = client.get(reverse("reports:outcome", args=[held_review.pk])).content.decode()
    assert_counted(page, f"id_c{comment.pk}-answer", 10_000)
    typed = too_long(10_000)
    response = client.post(reverse("reports:comment_action", args=[held_review.pk, comment.pk]),
                           {"action": "answer", f"c{comment.pk}-answer": typed})
    assert_refused(response, typed, "Your answer must be 10,000 characters or fewer")
    comment.refresh_from_db()
    assert comment.answered_at is None


def test_the_reason_for_a_correction_over_its_limit_is_refused_and_kept(
        asked, held_review, family_parent, invited_therapist, coordinator, signed_in):
    for person in (family_parent, invited_therapist):
        signoff.do_confirm(asked, person)
    do_publish_report(asked, coordinator, version=1)
    client = signed_in(coordinator)
    client.post(reverse("reports:edit", args=[held_review.pk]),
                editor_data(asked, views_child="I like trains and cats."))
    url = reverse("reports:publish", args=[held_review.pk])
    assert_counted(client.get(url).content.decode(), "id_reason", 2_000)
    typed = too_long(2_000)
    response = client.post(url, {"version": 2, "reason": typed})
    assert_refused(response, typed, "The reason must be 2,000 characters or fewer")
    assert not PublishedReport.objects.filter(version=2).exists()
