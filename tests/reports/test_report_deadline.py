"""The report's deadline from the clock: within 2 weeks of the meeting (SEND Regs 2014 regs
20(7), 21(7)). Until the first publication the review shows 'Report late' once it passes;
after, whether it went on time."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import presenters, signoff
from reports.models import Report
from reports.publishing import do_publish_report
from reviews import clock
from reviews.models import Review
from tests.conftest import ON_TODAY
from tests.reports.conftest import hold_meeting

pytestmark = [pytest.mark.django_db, ON_TODAY]


def review_page(client, review) -> str:
    return client.get(reverse("reviews:review", args=[review.pk])).content.decode()


def test_a_report_not_sent_within_two_weeks_of_the_meeting_is_late(met_review, coordinator,
                                                                   signed_in):
    review = hold_meeting(met_review, coordinator, days_ago=15)
    due = clock.report_due(review.meeting_date)
    assert due == review.meeting_date + dt.timedelta(weeks=2) < timezone.localdate()
    client = signed_in(coordinator)
    html = review_page(client, review)
    assert '<strong class="govuk-tag govuk-tag--red">Report late</strong>' in html
    assert "1 day late" in html
    outcome = client.get(reverse("reports:outcome", args=[review.pk])).content.decode()
    assert "Report late" in outcome


def test_a_report_still_within_its_two_weeks_is_not_late(held_review, coordinator, signed_in):
    html = review_page(signed_in(coordinator), held_review)
    assert "Report late" not in html
    assert "in 12 days" in html


def test_a_report_published_in_time_is_done_and_one_published_late_says_so(
        met_review, coordinator, family_parent, invited_therapist):
    review = hold_meeting(met_review, coordinator, days_ago=20)
    report = Report.objects.get(review=review)
    signoff.do_request_signoff(report, coordinator)
    signoff.do_confirm(Report.objects.get(pk=report.pk), family_parent)
    signoff.do_confirm(Report.objects.get(pk=report.pk), invited_therapist)
    do_publish_report(Report.objects.get(pk=report.pk), coordinator, version=1)
    review = Review.objects.get(pk=review.pk)
    panel = presenters.report_panel(review, presenters.report_with_counts(review),
                                    timezone.localdate())
    assert not panel.is_late and panel.was_late
    Review.objects.filter(pk=review.pk).update(report_sent_on=review.meeting_date)
    review.refresh_from_db()
    assert presenters.report_due_row(review, timezone.localdate()).status == \
        clock.DeadlineStatus.DONE
