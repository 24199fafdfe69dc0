"""Drafting the joint outcome from what the review holds, when the meeting closes or from
the outcome page."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reports.drafting import do_draft_report, draft_content
from reports.models import Report
from reviews.advice import do_correct_advice
from reviews.events import held_broadcasts
from reviews.models import Event, Review
from tests.conftest import ON_TODAY
from tests.reports.conftest import change

pytestmark = [pytest.mark.django_db, ON_TODAY]


def test_closing_the_meeting_drafts_the_report_in_the_same_transaction(held_review,
                                                                       coordinator):
    report = Report.objects.get(review=held_review)
    assert report.revisions.count() == 1
    assert report.latest_revision.user == coordinator
    kinds = list(held_review.events.order_by("seq").values_list("kind", flat=True))
    assert kinds[-2:] == ["meeting.closed", "report.drafted"]
    assert held_review.status == Review.Status.MEETING_HELD


def test_the_room_hears_the_meeting_close_before_the_draft_it_made(
        met_review, coordinator, django_capture_on_commit_callbacks):
    """Broadcast in seq order: a page that hears a later seq first waits for the one
    before it (static/js/room.js)."""
    with held_broadcasts() as deliveries, django_capture_on_commit_callbacks(execute=True):
        change(met_review, coordinator, "meeting.close", before_start=True)
    events = [json.loads(m["frame"])["event"] for _, m in deliveries
              if m["type"] == "review.event"]
    heard = [(event["seq"], event["kind"]) for event in events]
    assert [kind for _, kind in heard] == ["meeting.closed", "report.drafted"]
    assert heard == sorted(heard)


def test_the_draft_holds_everything_the_meeting_record_holds(held_review, invited_therapist):
    content = Report.objects.get(review=held_review).content
    attendance = {row["name"]: row["status"] for row in content["attendance"]}
    assert attendance == {"Theo Rapist": "attended", "Pat Parent": "unknown"}
    assert "What is important to Amira: Her dog, Biscuit." in content["views"]["family"]
    assert "What is hard: Loud rooms at lunchtime." in content["views"]["family"]
    assert content["views"]["child"] == "I like trains."
    assert [p["number"] for p in content["progress"]] == [1, 2]
    assert content["progress"][0]["text"].startswith(
        "Theo Rapist, Speech and language therapist at Testshire NHS Trust: On track.")
    [advice] = content["advice"]
    assert advice["summary"] == ("What is working: Visual timetables help.\n\n"
                                 "What is not working: The lunch hall is too loud.")
    assert advice["advice_id"] == held_review.invitations.get(
        user=invited_therapist).advice.get().pk
    notes = {n["title"]: n["text"] for n in content["notes"]}
    assert notes["The child's and family's views"] == "Amira wants a quiet space."
    [action] = content["actions"]
    assert action["what"] == "Find a quiet lunch space" and action["who"] == "Sue Senco"
    assert action["due_on"]
    assert content["changes"] == {"F": "Weekly speech and language therapy.\n\n"
                                       "Agreed by: Everyone"}
    assert content["overall"] == {"choice": "amend",
                                  "text": "Provision in section F must change.",
                                  "agreed_by": "Everyone present"}
    [disagreement] = content["disagreements"]
    assert disagreement == {"who": "Pat Parent",
                            "about": "Outcome 1: Amira will speak in sentences of 5 words.",
                            "text": "Speech is not on track at home."}
    assert content["meeting_on"] == held_review.meeting_date.isoformat()


def test_only_submitted_advice_counts(met_review, invited_therapist, coordinator):
    do_correct_advice(met_review.invitations.get(user=invited_therapist), invited_therapist)
    content = draft_content(met_review)
    [advice] = content["advice"]
    assert advice["version"] == 1  # the correction in progress is a draft: not in the report


def test_closing_twice_or_asking_again_makes_no_second_draft(held_review, coordinator):
    report = Report.objects.get(review=held_review)
    assert do_draft_report(held_review, actor=coordinator) == report
    assert Report.objects.filter(review=held_review).count() == 1
    assert held_review.events.filter(kind="report.drafted").count() == 1


def test_a_draft_cannot_be_made_before_the_meeting(review, coordinator):
    with pytest.raises(ValidationError):
        do_draft_report(review, actor=coordinator)
    assert not Report.objects.exists()


def test_the_coordinator_makes_the_draft_of_a_meeting_held_without_the_room(
        review, coordinator, signed_in, django_capture_on_commit_callbacks):
    Review.objects.filter(pk=review.pk).update(meeting_at=timezone.now() - dt.timedelta(days=1))
    client = signed_in(coordinator)
    page = client.get(reverse("reports:outcome", args=[review.pk]))
    assert "Make the draft report" in page.content.decode()
    response = client.post(reverse("reports:create_draft", args=[review.pk]))
    assert response.status_code == 302
    report = Report.objects.get(review=review)
    assert report.content["notes"] == [] and report.content["attendance"] == []
    assert Event.objects.filter(review=review, kind="report.drafted").count() == 1
    client.post(reverse("reports:create_draft", args=[review.pk]))
    assert Report.objects.filter(review=review).count() == 1

