"""Presenters word what the clock decides: dates, "in 5 days", tags, what happens next."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from reviews import presenters
from reviews.models import Advice, Invitation, Review
from tests.factories import ReviewFactory
from tests.reviews.conftest import invite_person

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2027, 3, 1)


def test_a_date_is_written_without_a_leading_zero_or_a_day_name():
    assert presenters.date_text(dt.date(2027, 3, 3)) == "3 March 2027"


@pytest.mark.parametrize(("moment", "words"), [
    (dt.datetime(2027, 3, 2, 10, 0), "10am"),
    (dt.datetime(2027, 3, 2, 14, 30), "2:30pm"),
    (dt.datetime(2027, 3, 2, 12, 0), "midday"),
    (dt.datetime(2027, 3, 2, 0, 0), "midnight"),
    (dt.datetime(2027, 3, 2, 9, 5), "9:05am"),
])
def test_a_time_is_written_the_gov_uk_way(moment, words):
    assert presenters.time_text(moment.replace(tzinfo=LONDON)) == words


def test_a_meeting_time_is_shown_in_london_time_even_when_stored_in_utc():
    summer_utc = dt.datetime(2027, 7, 2, 9, 0, tzinfo=dt.UTC)
    assert presenters.meeting_text(summer_utc) == "Friday 2 July 2027 at 10am"
    assert presenters.meeting_text(None) == ""


@pytest.mark.parametrize(("due", "words"), [
    (dt.date(2027, 3, 1), "today"),
    (dt.date(2027, 3, 2), "tomorrow"),
    (dt.date(2027, 3, 6), "in 5 days"),
    (dt.date(2027, 2, 28), "1 day late"),
    (dt.date(2027, 2, 27), "2 days late"),
])
def test_a_deadline_says_how_far_away_it_is(due, words):
    assert presenters.relative_text(due, TODAY) == words


def test_a_late_deadline_is_a_red_late_tag():
    row = presenters.deadline_row("Send the decision", dt.date(2027, 2, 27), TODAY)
    assert (row.label, row.date_text, row.relative_text) == ("Send the decision",
                                                            "27 February 2027", "2 days late")
    assert (row.tag_colour, row.tag_label, row.is_late) == ("red", "Late", True)


def test_a_deadline_within_a_week_is_a_yellow_due_soon_tag():
    row = presenters.deadline_row("Circulate advice", dt.date(2027, 3, 6), TODAY)
    assert (row.tag_colour, row.tag_label, row.relative_text) == ("yellow", "Due soon",
                                                                  "in 5 days")


def test_a_distant_deadline_is_not_due_yet():
    row = presenters.deadline_row("Circulate advice", dt.date(2027, 4, 6), TODAY)
    assert (row.tag_colour, row.tag_label, row.is_late) == ("blue", "Not due yet", False)


def test_a_deadline_met_is_green_and_says_nothing_more():
    row = presenters.deadline_row("Send invitations", dt.date(2027, 2, 1), TODAY,
                                  done_on=dt.date(2027, 1, 30))
    assert (row.tag_colour, row.tag_label, row.relative_text) == ("green", "Done", "")


def test_a_deadline_met_late_still_says_how_late():
    row = presenters.deadline_row("Send the decision", dt.date(2027, 2, 1), TODAY,
                                  done_on=dt.date(2027, 2, 4))
    assert (row.tag_colour, row.tag_label, row.relative_text) == ("orange", "Done late",
                                                                  "3 days late")


@pytest.mark.parametrize(("year", "words"), [(-1, "Early years"), (0, "Reception"),
                                             (9, "Year 9"), (13, "Year 13"),
                                             (14, "Beyond Year 13")])
def test_year_groups_are_named(year, words):
    assert presenters.year_group_label(year) == words


@pytest.mark.parametrize(("status", "outstanding", "step"), [
    ("due", 0, "schedule"), ("scheduled", 0, "invite"), ("invited", 2, "chase_advice"),
    ("invited", 0, "circulate"), ("circulated", 0, "hold_meeting"), ("held", 0, "send_report"),
    ("reported", 0, "decide"), ("decided", 0, "close"), ("closed", 0, "none"),
    ("cancelled", 0, "none"),
])
def test_each_status_has_one_next_step(status, outstanding, step):
    assert presenters.next_step(status, outstanding).key == step


@pytest.mark.django_db
def test_a_review_summary_has_the_child_the_meeting_and_what_is_next(review):
    today = dt.date(2025, 11, 3)
    review.meeting_at = dt.datetime(2025, 12, 2, 10, 0, tzinfo=LONDON)
    review.status = Review.Status.SCHEDULED
    summary = presenters.review_summary(review, today)
    assert (summary.child_name, summary.reference_text) == ("Amira Example", "AE (T-0001)")
    assert summary.setting_name == "Testshire Primary"
    assert (summary.year_group, summary.year_group_label) == (5, "Year 5")
    assert not summary.preparing_for_adulthood
    assert summary.plan_kind == "Education, health and care plan"
    assert summary.kind_label == "Annual review"
    assert summary.meeting_text == "Tuesday 2 December 2025 at 10am"
    assert summary.next_step.label == "Send the invitations"
    deadline = summary.next_deadline
    assert (deadline.date_text, deadline.relative_text) == ("18 November 2025", "in 15 days")


@pytest.mark.django_db
def test_a_review_with_advice_awaited_needs_chasing_until_it_is_in(review, therapist,
                                                                    nhs_trust):
    review.status = Review.Status.INVITATIONS_SENT
    review.save()
    invitation = invite_person(review, therapist, agency=nhs_trust)
    today = review.meeting_date - dt.timedelta(days=20)
    assert presenters.review_summary(review, today).next_step.key == "chase_advice"
    Advice.objects.create(invitation=invitation, author=therapist,
                          status=Advice.Status.SUBMITTED)
    assert presenters.review_summary(review, today).next_step.key == "circulate"


@pytest.mark.django_db
def test_an_agency_that_declined_is_not_awaited(review, therapist, nhs_trust):
    review.status = Review.Status.INVITATIONS_SENT
    review.save()
    invite_person(review, therapist, agency=nhs_trust, answer=Invitation.Answer.DECLINED)
    assert presenters.review_summary(review, dt.date(2025, 1, 1)).next_step.key == "circulate"


@pytest.mark.django_db
def test_next_steps_are_counted_in_the_database(review, plan, coordinator, therapist,
                                                 nhs_trust, django_assert_max_num_queries):

    ReviewFactory(plan=plan, coordinator=coordinator, status=Review.Status.SCHEDULED)
    chasing = ReviewFactory(plan=plan, coordinator=coordinator, meeting_in_days=40,
                            status=Review.Status.INVITATIONS_SENT)
    invite_person(chasing, therapist, agency=nhs_trust)
    ReviewFactory(plan=plan, coordinator=coordinator, meeting_in_days=40,
                  status=Review.Status.INVITATIONS_SENT)
    with django_assert_max_num_queries(2):
        counts = presenters.count_next_steps(Review.objects.all())
    assert (counts["schedule"], counts["invite"], counts["chase_advice"],
            counts["circulate"]) == (1, 1, 1, 1)
