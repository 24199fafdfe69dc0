"""The law's durations as pages, letters and emails say them: from the clock's durations in
force, so a change in the regulations (STATUTORY_DURATIONS) changes every sentence."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone

from reviews import clock
from tests.conftest import sign_in


def test_each_duration_in_words_with_its_unit():
    words = clock.in_words()
    assert (words["notice"], words["representations"], words["review_interval"]) == (
        "2 weeks", "15 days", "12 months")
    assert words["mediation_certificate"] == "3 working days"
    assert words["appeal_after_certificate"] == "1 month"
    assert words["amendments_overall"] == "12 weeks", "the decision's 4 and the plan's 8"


def test_a_changed_duration_changes_its_words(settings):
    settings.STATUTORY_DURATIONS = {"notice_weeks": 3, "representations_days": 1}
    words = clock.words_in_force()
    assert (words["notice"], words["representations"]) == ("3 weeks", "1 day")
    rendered = Template('{% load law %}at least {% law "notice" %} before').render(Context())
    assert rendered == "at least 3 weeks before"


@pytest.mark.django_db
def test_the_scheduling_page_says_the_notice_the_settings_give(
        client, settings, review, coordinator):
    settings.STATUTORY_DURATIONS = {"notice_weeks": 3}
    review.meeting_at = None
    review.due_by = timezone.localdate() + dt.timedelta(days=90)
    review.save()
    sign_in(client, coordinator)
    page = client.get(f"/reviews/{review.pk}/schedule/").content.decode()
    assert "invited at least 3 weeks before the meeting" in page
    assert "at least 2 weeks before the meeting" not in page
