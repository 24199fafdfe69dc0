"""Amending the plan after the review: the family's reply within at least 15 days, then the
final amended plan (a new version that becomes current, the old one still readable) or a
notice not to amend; the review closes and the next one is due 12 months after the
meeting, not after the final plan."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from decisions.amending import do_decide_not_to_amend, do_issue_final_plan, do_reply
from decisions.deciding import do_record_decision
from decisions.forms import FinalPlanForm
from decisions.models import Amendment, FamilyResponse, PlanVersion
from outbox.models import Email
from reviews.models import Event, Plan, Review
from tests.conftest import ON_TODAY, sign_in
from tests.decisions.conftest import held_review

pytestmark = [pytest.mark.django_db, ON_TODAY]

PROPOSED_ON = dt.date(2027, 3, 24)  # meeting 3 March; the 15 days run to 7 April
REPLIED_ON = dt.date(2027, 3, 30)
FINAL_ON = dt.date(2027, 4, 20)


@pytest.fixture
def proposed(review, coordinator, family_parent):
    do_record_decision(review, coordinator, outcome="A", reasons="More help at lunch.",
                       proposed={"F": "Add a daily check-in after lunch."}, today=PROPOSED_ON)
    review.refresh_from_db()
    return review


def final_sections(plan):
    return {**plan.sections, "F": "A daily check-in with the key adult after lunch."}


def test_the_familys_reply_is_recorded_and_the_coordinator_told(
        proposed, family_parent, coordinator):
    do_reply(proposed, family_parent, comments="We agree.", named_setting="Testshire High",
             wants_meeting=True, today=REPLIED_ON)
    reply = FamilyResponse.objects.get()
    assert (reply.comments, reply.named_setting, reply.wants_meeting, reply.was_late) == (
        "We agree.", "Testshire High", True, False)
    event = Event.objects.get(kind="amendments.replied")
    assert "they ask for a school or college named and to meet an officer" in event.summary
    told = Email.objects.get(to=coordinator.email)
    assert "asked to meet" in told.subject and "Amira" not in told.subject + told.text


def test_the_same_reply_twice_is_recorded_once_and_a_change_replaces_it(
        proposed, family_parent):
    for _ in range(2):
        do_reply(proposed, family_parent, comments="We agree.", today=REPLIED_ON)
    do_reply(proposed, family_parent, comments="We agree, with one change.", today=REPLIED_ON)
    assert FamilyResponse.objects.get().comments == "We agree, with one change."
    assert Event.objects.filter(kind="amendments.replied").count() == 2


def test_a_reply_after_the_15_days_still_reaches_the_officer_marked_late(
        proposed, family_parent):
    do_reply(proposed, family_parent, comments="Sorry, late.", today=dt.date(2027, 4, 8))
    assert FamilyResponse.objects.get().was_late


def test_the_final_plan_waits_for_the_end_of_the_15_days(proposed, coordinator):
    with pytest.raises(ValidationError, match="can reply until 7 April 2027. You can send the "
                                              "final plan from 8 April 2027"):
        do_issue_final_plan(proposed, coordinator, final_sections(proposed.plan),
                            today=dt.date(2027, 4, 7))


def test_the_final_plan_becomes_current_the_old_stays_readable_and_the_next_review_opens(
        proposed, coordinator, family_parent):
    before = proposed.plan.text_of_sections()
    do_reply(proposed, family_parent, comments="We agree.", today=REPLIED_ON)
    version = do_issue_final_plan(proposed, coordinator, final_sections(proposed.plan),
                                  today=FINAL_ON)
    plan = Plan.objects.get()
    assert plan.sections["F"] == "A daily check-in with the key adult after lunch."
    assert (version.number, version.kind) == (2, PlanVersion.Kind.AMENDED)
    assert PlanVersion.objects.get(number=1).sections == before
    review = Review.objects.get(pk=proposed.pk)
    assert (review.final_plan_sent_on, review.status) == (FINAL_ON, Review.Status.CLOSED)
    assert Amendment.objects.get().result == Amendment.Result.AMENDED
    # 12 months from the meeting on 3 March 2027, not from the final plan (CFA 2014 s44(1)).
    assert plan.reviews.open().get().due_by == dt.date(2028, 3, 2)
    # The appealable decision is the final plan: 2 months to 20 June 2027, a Sunday, so
    # the next working day.
    assert review.deadlines().appeal_deadline == dt.date(2027, 6, 21)
    assert Email.objects.filter(key__startswith=f"decision:{review.pk}:final:").exists()
    with pytest.raises(PermissionError):
        PlanVersion.objects.filter(number=1).update(sections={})


def test_a_final_plan_that_changes_nothing_is_refused(proposed, coordinator):
    with pytest.raises(ValidationError, match="The plan is the same as before"):
        do_issue_final_plan(proposed, coordinator, dict(proposed.plan.sections), today=FINAL_ON)


def test_a_notice_not_to_amend_keeps_the_plan_and_closes_the_review(
        proposed, coordinator, family_parent):
    before = dict(proposed.plan.sections)
    do_decide_not_to_amend(proposed, coordinator, "The family showed us it works now.",
                           today=FINAL_ON)
    review = Review.objects.get(pk=proposed.pk)
    assert Plan.objects.get().sections == before
    assert (review.final_plan_sent_on, review.status) == (FINAL_ON, Review.Status.CLOSED)
    assert Amendment.objects.get().result_reasons == "The family showed us it works now."
    assert Email.objects.filter(key__startswith=f"decision:{review.pk}:not_amending:").exists()


def test_once_the_final_plan_is_sent_the_family_can_no_longer_reply(
        proposed, coordinator, family_parent):
    do_issue_final_plan(proposed, coordinator, final_sections(proposed.plan), today=FINAL_ON)
    with pytest.raises(ValidationError, match="final plan has been sent"):
        do_reply(proposed, family_parent, comments="Too late.", today=FINAL_ON)


def test_a_second_amendment_next_year_starts_from_the_current_version(
        proposed, coordinator):
    do_issue_final_plan(proposed, coordinator, final_sections(proposed.plan), today=FINAL_ON)
    following = Review.objects.get(plan=proposed.plan, status=Review.Status.DUE)
    Review.objects.filter(pk=following.pk).update(
        status=Review.Status.REPORT_SENT, meeting_at=proposed.meeting_at.replace(year=2028),
        report_sent_on=dt.date(2028, 3, 10))
    following.refresh_from_db()
    do_record_decision(following, coordinator, outcome="A", reasons="Again.",
                       proposed={"I": "Name Testshire High."}, today=dt.date(2028, 3, 20))
    assert Amendment.objects.get(decision__review=following).plan_before.number == 2
    assert PlanVersion.objects.count() == 2, "no copy of an unchanged plan"


# ---------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------


def test_the_family_replies_on_a_page_that_keeps_what_they_typed(
        client, recent_review, coordinator, family_parent):
    review = recent_review
    do_record_decision(review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Check-in."})
    sign_in(client, family_parent)
    url = f"/reviews/{review.pk}/decision/reply/"
    empty = client.post(url, {"comments": "", "named_setting": "", "wants_meeting": "no"})
    assert "Tell us what you think, name a school or college, or ask to meet us" in \
        empty.content.decode()
    response = client.post(url, {"comments": "We agree.", "named_setting": "",
                                 "wants_meeting": "yes"}, follow=True)
    assert "Thank you. We have your reply." in response.content.decode()
    assert FamilyResponse.objects.get().wants_meeting
    assert "We agree." in client.get(url).content.decode(), "their reply, ready to change"


def test_the_officer_sends_the_final_plan_from_a_page_showing_the_replies(
        client, plan, coordinator, family_parent):
    today = timezone.localdate()
    review = held_review(plan, coordinator, today - dt.timedelta(days=30))
    do_record_decision(review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Check-in."}, today=today - dt.timedelta(days=16))
    do_reply(review, family_parent, comments="We agree.", named_setting="Testshire High",
             today=today - dt.timedelta(days=10))
    sign_in(client, coordinator)
    url = f"/reviews/{review.pk}/decision/final-plan/"
    page = client.get(url).content.decode()
    assert "We agree." in page and "Testshire High" in page
    assert "Proposed for section F:" in page and "Amira loves drawing." in page
    data = {f"section_{letter}": plan.sections.get(letter, "") for letter in "ABCDEFGHIJK"}
    response = client.post(url, {**data, "section_F": "Daily check-in."}, follow=True)
    assert "Final amended plan sent (version 2)" in response.content.decode()
    assert Plan.objects.get().sections["F"] == "Daily check-in."
    old = client.get(f"/reviews/{review.pk}/plan/1/").content.decode()
    assert "Not the current plan" in old and "Speech delay." in old
    assert "Current plan" in client.get(f"/reviews/{review.pk}/plan/2/").content.decode()
    assert client.get(f"/reviews/{review.pk}/plan/3/").status_code == 404


def test_sending_the_final_plan_twice_makes_one_version(client, proposed, coordinator):
    do_issue_final_plan(proposed, coordinator, final_sections(proposed.plan), today=FINAL_ON)
    with pytest.raises(ValidationError, match="already been sent"):
        do_issue_final_plan(proposed, coordinator, final_sections(proposed.plan), today=FINAL_ON)
    assert PlanVersion.objects.count() == 2
    assert Event.objects.filter(kind="amendments.final_plan").count() == 1
    sign_in(client, coordinator)
    again = client.post(f"/reviews/{proposed.pk}/decision/final-plan/", {"section_F": "x"})
    assert again["Location"] == f"/reviews/{proposed.pk}/"
    assert PlanVersion.objects.count() == 2


def test_the_copy_sent_with_the_proposal_lists_the_plans_outcomes_in_section_e(
        client, proposed, family_parent):
    # Section E is kept as the plan's outcomes (what advice reports progress against), not as
    # text: the copy the family is sent must still show them.
    copy = Amendment.objects.get().plan_before
    assert "Amira will speak in sentences of 5 words." in copy.sections["E"]
    sign_in(client, family_parent)
    page = client.get(f"/reviews/{proposed.pk}/plan/{copy.number}/").content.decode()
    section_e = page[page.index("Section E: Outcomes"):page.index("Section F:")]
    assert "Nothing in this section" not in section_e
    assert "Amira will speak in sentences of 5 words." in section_e
    assert "Amira will join a playground game." in section_e
    assert "Current plan" in page, "the copy of an unchanged plan is the current plan"


def test_the_final_plan_starts_from_the_outcomes_and_unchanged_outcomes_change_nothing(
        proposed, coordinator):
    form = FinalPlanForm(plan=proposed.plan, proposed={})
    assert "Amira will join a playground game." in form.initial["section_E"]
    unchanged = {letter: form.initial[f"section_{letter}"] for letter in "ABCDEFGHIJK"}
    with pytest.raises(ValidationError, match="The plan is the same as before"):
        do_issue_final_plan(proposed, coordinator, unchanged, today=FINAL_ON)


def test_the_familys_reply_date_is_in_what_they_can_do_now_and_the_decision_comes_first(
        client, recent_review, coordinator, family_parent):
    today = timezone.localdate()
    do_record_decision(recent_review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Check-in."}, today=today)
    recent_review.refresh_from_db()
    reply_by = recent_review.deadlines().representations_end
    sign_in(client, family_parent)
    card = client.get("/reviews/family/").content.decode()
    page = client.get(f"/reviews/{recent_review.pk}/family/").content.decode()
    for shown in (card, page):
        now = shown.split("What you can do now")[1].split("</dl>")[0]
        assert "Reply about the proposed changes by" in now
        assert f"{reply_by:%-d %B %Y}" in now
    # On a phone the page is one column: the decision must come before the rest.
    main = page.split('id="main-content"')[1]
    assert main.index('id="decision"') < main.index("Now and next")
