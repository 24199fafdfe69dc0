"""Publishing: an immutable version, the review marked as sent (the first time only),
everyone invited and the family told once by email (a link, not the content); a correction
is a new version with its reason, and the earlier stays readable."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from outbox.mail import send_due_emails
from outbox.models import Email
from reports import signoff
from reports.drafting import do_save_draft
from reports.models import PublishedReport, Report
from reports.publishing import do_publish_report
from reviews.models import Review
from reviews.presenters import date_text
from tests.conftest import ON_TODAY

pytestmark = [pytest.mark.django_db, ON_TODAY]


@pytest.fixture
def report(held_review):
    return Report.objects.get(review=held_review)


@pytest.fixture
def ready(report, coordinator, family_parent, invited_therapist):
    """Sign-off asked for and everyone has confirmed."""
    signoff.do_request_signoff(report, coordinator)
    report.refresh_from_db()
    signoff.do_confirm(report, family_parent)
    signoff.do_confirm(report, invited_therapist)
    return report


def published_emails():
    return Email.objects.filter(key__startswith="report-published:")


def test_the_first_publication_waits_for_sign_off(report, coordinator, family_parent):
    with pytest.raises(ValidationError, match="Ask the people at the review"):
        do_publish_report(report, coordinator, version=1)
    signoff.do_request_signoff(report, coordinator)
    report.refresh_from_db()
    comment = signoff.do_comment(report, family_parent, "Biscuit is a cat.", "Pat Parent")
    with pytest.raises(ValidationError) as refused:
        do_publish_report(report, coordinator, version=1)
    assert refused.value.messages == [
        "Answer or include 1 comment on the draft.",
        f"1 person has until {date_text(report.signoff_closes_on)} to "
        "confirm or comment."]
    signoff.do_answer_comment(report, comment.pk, coordinator, "Fixed, thank you.")
    Report.objects.filter(pk=report.pk).update(
        signoff_closes_on=timezone.localdate() - dt.timedelta(days=1))
    assert do_publish_report(Report.objects.get(pk=report.pk), coordinator, version=1)
    assert not PublishedReport.objects.filter(version=2).exists()


def test_an_overall_recommendation_is_needed(ready, coordinator):
    do_save_draft(ready, coordinator, {**ready.content, "overall": {"choice": ""}},
                  base_revision=ready.latest_revision_id)
    with pytest.raises(ValidationError, match="Choose the overall recommendation"):
        do_publish_report(Report.objects.get(pk=ready.pk), coordinator, version=1)


def test_publishing_makes_an_immutable_version_and_marks_the_report_sent(
        ready, held_review, coordinator):
    published = do_publish_report(ready, coordinator, version=1)
    assert published.version == 1 and published.content == ready.content
    assert published.facts["child_name"] == "Amira Example"
    assert published.published_by == coordinator
    held_review.refresh_from_db()
    assert held_review.report_sent_on == timezone.localdate()
    assert held_review.status == Review.Status.REPORT_SENT
    assert held_review.events.filter(kind="report.published").count() == 1
    with pytest.raises(PermissionError):
        published.save()
    with pytest.raises(PermissionError):
        PublishedReport.objects.filter(pk=published.pk).update(content={})
    with pytest.raises(PermissionError):
        published.delete()
    # Later edits to the draft leave the published version as it was.
    do_save_draft(ready, coordinator, {**ready.content, "actions": []},
                  base_revision=ready.latest_revision_id)
    assert PublishedReport.objects.get(pk=published.pk).content["actions"]


def test_everyone_invited_and_the_family_are_told_once(
        ready, held_review, coordinator, family_parent, invited_therapist):
    do_publish_report(ready, coordinator, version=1)
    send_due_emails()
    again = do_publish_report(ready, coordinator, version=1)  # a double submit
    send_due_emails()
    assert again.version == 1 and PublishedReport.objects.count() == 1
    assert sorted(e.to for e in published_emails()) == sorted([family_parent.email,
                                                               invited_therapist.email])
    told = [m for m in mail.outbox if m.subject.startswith("The review report")]
    assert sorted(m.to[0] for m in told) == sorted([family_parent.email,
                                                    invited_therapist.email])
    message = told[0]
    assert message.subject == "The review report is ready to read: annual review for AE (T-0001)"
    assert reverse("reports:published", args=[held_review.pk]) in message.body
    assert "Amira" not in message.body + message.subject
    assert "Weekly speech" not in message.body  # a link, never the content


def test_a_correction_is_a_new_version_with_its_reason(ready, held_review, coordinator,
                                                       signed_in, family_parent, client):
    do_publish_report(ready, coordinator, version=1)
    sent_on = Review.objects.get(pk=held_review.pk).report_sent_on
    with pytest.raises(ValidationError, match="same as version 1"):
        do_publish_report(ready, coordinator, version=2, reason="Typo")
    do_save_draft(ready, coordinator, {**ready.content, "views": {
        **ready.content["views"], "child": "I like trains and cats."}},
                  base_revision=ready.latest_revision_id)
    coordinator_client = signed_in(coordinator)
    url = reverse("reports:publish", args=[held_review.pk])
    response = coordinator_client.post(url, {"version": 2, "reason": ""})
    assert "Enter why the report is being corrected" in response.content.decode()
    response = coordinator_client.post(url, {"version": 2,
                                             "reason": "Her own words were cut short."})
    assert response.status_code == 302
    corrected = PublishedReport.objects.get(review=held_review, version=2)
    assert corrected.correction_reason == "Her own words were cut short."
    assert Review.objects.get(pk=held_review.pk).report_sent_on == sent_on
    assert held_review.events.filter(kind="report.corrected").count() == 1
    assert published_emails().filter(key__contains=":v2:").count() == 2
    subjects = set(published_emails().filter(key__contains=":v2:")
                   .values_list("subject", flat=True))
    assert subjects == {"The review report has been corrected: annual review for AE (T-0001)"}
    # The family reads the latest, and the earlier version stays readable.
    client.force_login(family_parent)
    latest = client.get(reverse("reports:published", args=[held_review.pk])).content.decode()
    assert "I like trains and cats." in latest and "Her own words were cut short." in latest
    earlier = client.get(reverse("reports:published_version", args=[held_review.pk, 1]))
    assert "This is an earlier version" in earlier.content.decode()
    assert "I like trains and cats." not in earlier.content.decode()


def test_publishing_a_version_someone_else_just_published_is_refused(ready, coordinator,
                                                                    signed_in, held_review):
    client = signed_in(coordinator)
    url = reverse("reports:publish", args=[held_review.pk])
    assert client.post(url, {"version": 1}).status_code == 302
    do_save_draft(ready, coordinator, {**ready.content, "actions": []},
                  base_revision=Report.objects.get(pk=ready.pk).latest_revision_id)
    response = client.post(url, {"version": 3, "reason": "A correction"})
    assert "published by someone else" in response.content.decode()
    assert PublishedReport.objects.count() == 1


def test_the_published_report_opens_the_advice_it_cites_even_if_never_circulated(
        ready, held_review, coordinator, family_parent, signed_in):
    """The report sends everyone a summary of each piece of advice with a link to it in
    full: that link must open for the family though the coordinator never circulated."""
    Review.objects.filter(pk=held_review.pk).update(advice_circulated_at=None)
    advice = held_review.invitations.get(advice__isnull=False).advice.get()
    link = reverse("reviews:advice_version", args=[held_review.pk, advice.pk])
    family = signed_in(family_parent)
    assert family.get(link).status_code == 404  # not circulated, not published: not yet
    do_publish_report(Report.objects.get(pk=ready.pk), coordinator, version=1)
    page = family.get(reverse("reports:published", args=[held_review.pk]))
    assert link in page.content.decode()
    assert family.get(link).status_code == 200
