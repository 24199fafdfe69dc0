"""The review page: the child, the meeting, the law's dates, the stages, who is invited and
what has happened."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from reviews import events, invitees, scheduling
from reviews.models import Advice, Child, Invitation, Plan, Review
from tests.conftest import sign_in
from tests.reviews.conftest import invite_person
from tests.reviews.test_scheduling import five_roles_fixture, invite_suggested, social_care_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def url(review):
    return f"/reviews/{review.pk}/"


def test_anonymous_visitors_are_sent_to_sign_in(client, review):
    response = client.get(url(review))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_refused_cast_gets_a_404(client, review, refused):
    for person in refused:
        client.logout()
        sign_in(client, person)
        assert client.get(url(review)).status_code == 404, person


def test_a_family_member_is_sent_to_the_family_page(client, review, family_parent):
    sign_in(client, family_parent)
    response = client.get(url(review))
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/{review.pk}/family/"


def test_the_coordinator_sees_the_child_the_meeting_and_the_law_s_dates(client, review,
                                                                       coordinator):
    review.meeting_place = "Room 4, Testshire Primary"
    review.meeting_link = "https://meet.jit.si/annual-review"
    review.save()
    sign_in(client, coordinator)
    html = client.get(url(review)).content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert "Amira" not in title and "AE (T-0001)" in title
    year = f"Year {review.plan.child.year_group()}"
    for text in ("Amira Example", "T-0001", "Testshire Primary", year,
                 "Education, health and care plan", "Annual review", "Room 4, Testshire Primary",
                 "https://meet.jit.si/annual-review", "Send meeting invitations",
                 "Circulate advice", "Send the decision"):
        assert text in html, text
    notice_by = review.deadlines().notice_by
    assert f"{notice_by.day} {notice_by:%B %Y}" in html


def test_the_stages_show_the_five_roles_ticked_as_they_are_invited(client, five_roles,
                                                                   coordinator, parent):
    scheduling.do_add_invitations(five_roles, coordinator, [invitees.Invitee(
        "Pat Parent", parent.email, Invitation.Role.FAMILY)])
    sign_in(client, coordinator)
    page = client.get(url(five_roles))
    invite_task = next(t for t in page.context["tasks"] if t["name"] == "Invite the people")
    assert dict(invite_task["roles"]) == {
        "Parent or young person": True,
        "Head or principal of the setting (usually through the SENCO)": False,
        "Local authority SEN officer": False,
        "Health professional identified by the health commissioner": False,
        "Local authority social care officer": False,
    }
    assert invite_task["state"] == "now" and invite_task["url"].endswith("/invite/")
    html = page.content.decode()
    assert "Parent or young person<span class=\"govuk-visually-hidden\">: invited" in html


def test_the_invitations_table_shows_answers_declines_and_advice_without_content(
        client, five_roles, coordinator, therapist, senco):
    invite_suggested(five_roles, coordinator)
    scheduling.do_send_invitations(five_roles, coordinator)
    sent = Invitation.objects.get(review=five_roles, email=therapist.email)
    Advice.objects.create(invitation=sent, author=therapist, status=Advice.Status.SUBMITTED,
                          submitted_at=timezone.now(), was_late=True,
                          what_is_working="A SECRET DETAIL")
    Invitation.objects.filter(review=five_roles, email=senco.email).update(
        answer=Invitation.Answer.DECLINED, declined_reason="No capacity this term")
    sign_in(client, coordinator)
    page = client.get(url(five_roles))
    html = page.content.decode()
    assert "Can't contribute: No capacity this term" in html
    assert "Sent late" in html and "A SECRET DETAIL" not in html
    advice_task = next(t for t in page.context["tasks"] if t["name"] == "Advice")
    # Asked of the setting, health and social care; the coordinator, invited as the LA SEN
    # officer, is not asked for advice on their own review.
    assert advice_task["hint"].startswith("1 of 2 received")


def test_late_advice_is_named_on_the_stage(client, five_roles, coordinator, therapist):
    invite_suggested(five_roles, coordinator)
    scheduling.do_send_invitations(five_roles, coordinator)
    # Asked in good time, 3 weeks ago, for a meeting now 3 days away: the date they were
    # given (the law's) has passed.
    Invitation.objects.filter(review=five_roles).update(
        sent_at=timezone.now() - dt.timedelta(days=21))
    Review.objects.filter(pk=five_roles.pk).update(
        meeting_at=timezone.now() + dt.timedelta(days=3))
    sign_in(client, coordinator)
    page = client.get(url(five_roles))
    advice_task = next(t for t in page.context["tasks"] if t["name"] == "Advice")
    assert "Late: " in advice_task["hint"] and "Theo Rapist" in advice_task["hint"]


def test_the_timeline_shows_every_event_newest_first(client, review, coordinator):
    events.record(review, "first_thing", "The first thing", actor=coordinator)
    events.record(review, "second_thing", "The second thing", actor=coordinator)
    sign_in(client, coordinator)
    html = client.get(url(review)).content.decode()
    assert "moj-timeline" in html
    assert html.index("The second thing") < html.index("The first thing")
    assert "by Cora Ordinator" in html


def test_an_invited_professional_sees_the_page_without_the_stages(client, review,
                                                                  invited_therapist):
    sign_in(client, invited_therapist)
    page = client.get(url(review))
    assert page.status_code == 200 and page.context["tasks"] == []
    assert "Stages of the review" not in page.content.decode()


@pytest.mark.parametrize("n", [3, 40])
def test_the_page_runs_a_bounded_number_of_queries(client, review, coordinator, nhs_trust,
                                                   n, django_assert_max_num_queries):
    from tests.conftest import make_person

    for i in range(n):
        person = make_person(f"p{i}@test.example", "P", str(i), mfa=False)
        invitation = invite_person(review, person, agency=nhs_trust)
        Advice.objects.create(invitation=invitation, author=person,
                              status=Advice.Status.SUBMITTED, submitted_at=timezone.now())
        events.record(review, "thing", f"Thing {i}", actor=person)
    sign_in(client, coordinator)
    # 18: with no family invitation, whether the family is invited by post is asked too.
    with django_assert_max_num_queries(18):
        assert client.get(url(review)).status_code == 200


def test_the_law_s_dates_are_done_on_the_day_they_were_met_and_leave_out_the_family_s(review):
    from reviews import clock
    from reviews.views.coordinator import _stage_dates

    meeting = dt.date(2026, 10, 5)
    report_due = clock.report_due(meeting)
    review.meeting_at = timezone.make_aware(dt.datetime(2026, 10, 5, 10))
    review.status = Review.Status.DECIDED
    review.report_sent_on = report_due + dt.timedelta(days=3)
    review.decision = Review.Decision.MAINTAIN
    review.decision_sent_on = meeting + dt.timedelta(days=20)
    review.save()
    rows = {row.label: row for row in _stage_dates(review, review.deadlines(),
                                                    review.deadlines_met_on(),
                                                    today=dt.date(2026, 11, 28))}
    assert rows["Send the meeting report"].status == clock.DeadlineStatus.DONE_LATE
    assert rows["Send the meeting report"].relative_text == "3 days late"
    assert rows["Send the decision"].status == clock.DeadlineStatus.DONE
    assert "Appeal to the Tribunal" not in rows, "the family's window, shown by the decision"


def test_the_las_lateness_is_its_own_fact_on_the_coordinators_page(client, review, coordinator,
                                                                   invited_therapist):
    # Meeting 1 December 2026; the proposed amendments went on 20 February 2027, 53 days
    # after the decision was due: the 12 weeks from the meeting ended on 23 February.
    review.meeting_at = timezone.make_aware(dt.datetime(2026, 12, 1, 10))
    review.invitations_sent_at = timezone.make_aware(dt.datetime(2026, 11, 2, 9))
    review.advice_circulated_at = timezone.make_aware(dt.datetime(2026, 11, 17, 9))
    review.status = Review.Status.DECIDED
    review.report_sent_on = dt.date(2026, 12, 10)
    review.decision = Review.Decision.AMEND
    review.decision_sent_on = review.amendment_notice_sent_on = dt.date(2027, 2, 20)
    review.save()
    with time_machine.travel(dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)):
        sign_in(client, coordinator)
        html = client.get(url(review)).content.decode()
    lateness = html.split('id="lateness"')[1].split("</ul>")[0]
    assert ("<strong>Send the proposed amendments</strong>: done 7 weeks and 4 days late. It "
            "was due by 29 December 2026 and was done on 20 February 2027.") in lateness
    assert ("<strong>Final amended plan, 12 weeks from the meeting</strong>: 6 days late. It "
            "was due by 23 February 2027 and is not done yet.") in lateness
    # The final plan's own date is the law's from the notice, not the missed 12 weeks.
    assert "17 April 2027" in html
    assert "Send the meeting report" not in lateness, "sent on time"


def test_lateness_is_the_coordinators_to_see_not_an_invited_professionals(
        client, review, invited_therapist):
    review.meeting_at = timezone.make_aware(dt.datetime(2026, 10, 1, 10))
    review.status = Review.Status.MEETING_HELD
    review.save()
    sign_in(client, invited_therapist)
    html = client.get(url(review)).content.decode()
    assert 'id="lateness"' not in html


def test_an_under_5_window_long_past_is_guidance_not_late(client, review, coordinator, child):
    # A Year 1 child whose plan began before they were 5: the window to consider an under-5
    # review closed long ago. The law only asks the council to consider it (CoP 9.178).
    Child.objects.filter(pk=child.pk).update(date_of_birth=dt.date(2020, 1, 10))
    Plan.objects.filter(pk=review.plan_id).update(first_issued_on=dt.date(2024, 6, 3))
    sign_in(client, coordinator)
    with time_machine.travel(dt.datetime(2026, 6, 1, 9), tick=False):
        page = client.get(url(review)).content.decode()
    row = page[page.index("Under-5 review to consider by"):]
    row = row[:row.index("</div>")]
    assert "late" not in row.lower() and "Guidance, not a legal deadline" in row
    assert "days ago" in row
    Review.objects.filter(pk=review.pk).update(kind=Review.Kind.UNDER_FIVE)
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 5), tick=False):
        page = client.get(url(review)).content.decode()
    assert "the council should consider one from 3 months to 6 months after the last" in page


@pytest.mark.parametrize("how", ["plan", "kind"])
def test_a_record_of_support_review_past_its_date_is_never_late(client, review, coordinator,
                                                                how):
    if how == "plan":
        Plan.objects.filter(pk=review.plan_id).update(kind=Plan.Kind.RECORD_OF_SUPPORT)
    else:
        Review.objects.filter(pk=review.pk).update(kind=Review.Kind.RECORD_OF_SUPPORT)
    Review.objects.filter(pk=review.pk).update(due_by=timezone.localdate() - dt.timedelta(
        days=40), meeting_at=None, status=Review.Status.DUE)
    sign_in(client, coordinator)
    page = client.get(url(review)).content.decode()
    assert ">Late<" not in page and "days late" not in page
    assert "Where we are late" not in page
    assert "Guidance, not a legal deadline" in page
    assert "The law does not set these dates" in page
    due = client.get("/reviews/due/?overdue=1").content.decode() + client.get(
        "/reviews/due/").content.decode()
    assert ">Late<" not in due and "days late" not in due
