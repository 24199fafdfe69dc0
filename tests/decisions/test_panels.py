"""The decision panels on the review page and the family's page: the decision's due date
with days left or a late tag, from the clock; the dates that follow; the next steps; few
queries."""

import datetime as dt

import pytest
from django.utils import timezone

from decisions.amending import do_reply
from decisions.deciding import do_record_decision
from reviews.models import Review
from tests.conftest import make_person, sign_in
from tests.decisions.conftest import held_review
from tests.factories import FamilyMemberFactory
from tests.reviews.conftest import invite_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days_ago(n: int) -> dt.date:
    return TODAY() - dt.timedelta(days=n)


def panel(client, review) -> str:
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    return page.split('id="decision"')[1].split("Who is invited")[0]


def family_panel(client, review) -> str:
    page = client.get(f"/reviews/{review.pk}/family/").content.decode()
    return page.split('id="decision"')[1].split("The meeting</h2>")[0]


def test_the_decision_due_shows_the_days_left(client, recent_review, coordinator):
    sign_in(client, coordinator)
    shown = panel(client, recent_review)
    due = days_ago(10) + dt.timedelta(weeks=4)
    assert f"{due.day} {due:%B %Y}, in 18 days" in shown
    assert "Record the decision" in shown


def test_a_decision_not_sent_within_4_weeks_of_the_meeting_is_flagged_late(
        client, plan, coordinator):
    late = held_review(plan, coordinator, days_ago(30))
    sign_in(client, coordinator)
    shown = panel(client, late)
    assert "2 days late" in shown
    assert 'govuk-tag--red">Late<' in shown


def test_a_decision_sent_late_stays_marked_as_done_late(client, plan, coordinator):
    late = held_review(plan, coordinator, days_ago(40))
    do_record_decision(late, coordinator, outcome="M", reasons="Fine.", today=days_ago(5))
    sign_in(client, coordinator)
    shown = panel(client, late)
    assert 'govuk-tag--orange">Done late<' in shown
    assert "7 days late" in shown


def test_the_family_sees_when_the_decision_is_due_and_when_it_is_late(
        client, plan, coordinator, family_parent):
    late = held_review(plan, coordinator, days_ago(29))
    sign_in(client, family_parent)
    shown = family_panel(client, late)
    assert "The council must tell you its decision by" in shown
    assert "This is late" in shown and ">Late<" in shown


def test_after_an_amend_decision_the_coordinator_sees_each_date_and_next_step(
        client, recent_review, coordinator, family_parent):
    sent = days_ago(3)
    do_record_decision(recent_review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Daily check-in."}, today=sent)
    do_reply(recent_review, family_parent, wants_meeting=True, today=TODAY())
    sign_in(client, coordinator)
    shown = panel(client, recent_review)
    for label in ("Send the decision", "Send the proposed amendments",
                  "Family&#x27;s comments close", "Issue the final amended plan"):
        assert label in shown, label
    assert "SEND Regs 2014 reg 22(2)(c)" in shown, "each date carries its rule"
    assert "Asks to meet an officer" in shown
    ends = sent + dt.timedelta(days=14)
    assert f"You can send the final plan from {(ends + dt.timedelta(days=1)).day}" in shown
    assert "Send the final amended plan" not in shown, "not before the 15 days are over"
    assert "Read the decision letter" in shown


def test_a_professional_who_may_not_decide_sees_the_dates_but_no_steps(
        client, recent_review, coordinator, therapist, nhs_trust):
    invite_person(recent_review, therapist, agency=nhs_trust)
    do_record_decision(recent_review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Daily check-in."}, today=TODAY())
    sign_in(client, therapist)
    shown = panel(client, recent_review)
    assert "Issue the final amended plan" in shown
    assert "Record mediation or an appeal" not in shown
    assert "Read the decision letter" in shown


def test_the_family_panel_shows_the_decision_the_dates_and_what_they_can_do(
        client, recent_review, coordinator, family_parent):
    do_record_decision(recent_review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Daily check-in."}, today=TODAY())
    sign_in(client, family_parent)
    shown = family_panel(client, recent_review)
    ends = TODAY() + dt.timedelta(days=14)
    assert f"The council wants to change Amira&#x27;s plan. Tell us what you think by " \
           f"{ends.day} {ends:%B %Y}." in shown
    assert "Read the letter, with your rights" in shown
    assert "Reply about the proposed changes" in shown
    assert "Tell us you disagree" in shown
    assert "Ask for mediation" not in shown, "mediation runs from the final plan"


def test_after_a_maintain_decision_the_next_reviews_family_page_keeps_the_rights(
        client, recent_review, coordinator, family_parent):
    do_record_decision(recent_review, coordinator, outcome="M", reasons="Fine.",
                       today=TODAY())
    following = recent_review.plan.reviews.open().get()
    sign_in(client, family_parent)
    shown = family_panel(client, following)
    assert "The council's decision after the last review" in shown
    assert "The council will keep Amira&#x27;s plan as it is." in shown
    assert "Appeal to the Tribunal by" in shown
    assert f"/reviews/{recent_review.pk}/decision/mediation/" in shown


@pytest.mark.parametrize("n", [1, 12])
def test_the_review_page_panel_runs_a_bounded_number_of_queries(
        client, recent_review, coordinator, family_parent, n, django_assert_max_num_queries):
    do_record_decision(recent_review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Daily check-in."}, today=days_ago(1))
    for i in range(n):
        person = make_person(f"f{i}@test.example", "F", str(i), mfa=False)
        FamilyMemberFactory(child=recent_review.plan.child, user=person)
        do_reply(recent_review, person, comments=f"Reply {i}", today=TODAY())
    sign_in(client, coordinator)
    with django_assert_max_num_queries(24):
        assert client.get(f"/reviews/{recent_review.pk}/").status_code == 200


@pytest.mark.parametrize("replies", [0, 1])
def test_the_family_page_runs_a_bounded_number_of_queries(
        client, recent_review, coordinator, family_parent, replies,
        django_assert_max_num_queries):
    do_record_decision(recent_review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Daily check-in."}, today=TODAY())
    if replies:
        do_reply(recent_review, family_parent, comments="Yes.", today=TODAY())
    sign_in(client, family_parent)
    # The page also gives where the review stands, the advice, who to contact, and which of
    # the person's children it is (for the tab's title).
    with django_assert_max_num_queries(27):
        assert client.get(f"/reviews/{recent_review.pk}/family/").status_code == 200


def test_a_school_convened_review_shows_the_school_the_date_but_only_the_la_decides(
        client, recent_review, senco):
    Review.objects.filter(pk=recent_review.pk).update(convenor=Review.Convenor.SETTING)
    sign_in(client, senco)
    shown = panel(client, recent_review)
    assert "Send the decision" in shown
    assert "Record the decision" not in shown


def test_a_review_closed_without_a_decision_shows_no_decision_and_no_lateness(
        client, plan, coordinator, family_parent):
    imported = held_review(plan, coordinator, days_ago(400), status=Review.Status.CLOSED)
    sign_in(client, coordinator)
    page = client.get(f"/reviews/{imported.pk}/").content.decode()
    assert 'id="decision"' not in page
    client.logout()
    sign_in(client, family_parent)
    assert 'id="decision"' not in client.get(f"/reviews/{imported.pk}/family/").content.decode()


def test_before_the_meeting_the_record_page_says_why_it_cannot_be_used_yet(
        client, plan, coordinator):
    upcoming = held_review(plan, coordinator, TODAY() + dt.timedelta(days=7),
                           status=Review.Status.INVITATIONS_SENT)
    sign_in(client, coordinator)
    page = client.get(f"/reviews/{upcoming.pk}/decision/record/").content.decode()
    assert "The decision can be recorded once the meeting has been held." in page
    assert 'id="decision"' not in client.get(f"/reviews/{upcoming.pk}/").content.decode()
