"""Reviews a school convenes for the council (SEND Regs 2014 reg 20(1)) (issue #16, item 8).

A SENCO's home is her school's children with reviews due, by urgency, each saying whose the
next step is. Where the school convenes, she does what a coordinator does: schedules,
invites, gives the school's own advice, circulates, holds the meeting and sends the report.
The council still decides, and hears what the decision needs.
"""

import datetime as dt

import pytest
from django.utils import timezone

from agencies.models import Agency
from decisions.closing import close_review
from decisions.reminders import remind_coordinators
from outbox.models import Email
from reviews import invitees, scheduling
from reviews.models import Advice, Invitation, Review
from reviews.wagtail_hooks import open_review_url
from tests.conftest import make_person, sign_in
from tests.reviews.conftest import invite_person, make_child, make_plan
from tests.reviews.test_coordinator_due import many_reviews
from tests.reviews.test_scheduling import five_roles_fixture, social_care_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

HOME = "/reviews/"


def review_of(child, coordinator, *, status=Review.Status.DUE, convenor=Review.Convenor.LA,
              due_in_days=30, meeting_days_ago=None):
    meeting_at = None
    if meeting_days_ago is not None:
        meeting_at = timezone.now() - dt.timedelta(days=meeting_days_ago)
    # A report sent has its date: the review's page asks the date, not the status.
    report_sent_on = (timezone.localdate() - dt.timedelta(days=1)
                      if status == Review.Status.REPORT_SENT else None)
    return Review.objects.create(
        plan=make_plan(child), coordinator=coordinator, status=status, convenor=convenor,
        due_by=timezone.localdate() + dt.timedelta(days=due_in_days), meeting_at=meeting_at,
        report_sent_on=report_sent_on)


@pytest.fixture
def school_reviews(authority, school, senco, coordinator):
    """At the SENCO's school: two the school convenes, two the council does (one of them
    waiting for the council's decision); and one at another school."""
    elsewhere = Agency.objects.create(authority=authority, name="Elsewhere Academy",
                                      kind=Agency.Kind.SCHOOL)
    return {
        "ours_late": review_of(make_child(authority, school, "Ruby", "Walker", "S-1"), senco,
                               convenor=Review.Convenor.SETTING, due_in_days=-5),
        "ours_held": review_of(make_child(authority, school, "Ava", "Robinson", "S-2"), senco,
                               convenor=Review.Convenor.SETTING,
                               status=Review.Status.MEETING_HELD, meeting_days_ago=3),
        "councils": review_of(make_child(authority, school, "Kofi", "Mensah", "S-3"),
                              coordinator, due_in_days=20),
        "ours_reported": review_of(make_child(authority, school, "Lily", "Chen", "S-4"), senco,
                                   convenor=Review.Convenor.SETTING,
                                   status=Review.Status.REPORT_SENT, meeting_days_ago=22),
        "elsewhere": review_of(make_child(authority, elsewhere, "Noah", "Other", "S-5"),
                               coordinator, due_in_days=2),
    }


def test_a_sencos_home_is_her_schools_children_by_urgency_saying_whose_each_step_is(
        client, senco, school_reviews):
    sign_in(client, senco)
    page = client.get(HOME, follow=True)
    assert page.redirect_chain[-1][0] == "/reviews/due/"
    html = page.content.decode()
    assert "<h1 class=\"govuk-heading-l\">Reviews at Testshire Primary</h1>" in html
    assert "Reviews needing action" not in html and html.count("<h1") == 1
    rows = {summary.review_id: theirs for summary, theirs in page.context["rows"]}
    r = school_reviews
    assert list(rows) == [r["ours_late"].pk, r["ours_reported"].pk, r["ours_held"].pk,
                          r["councils"].pk], "her school only, the late first"
    assert rows == {r["ours_late"].pk: True, r["ours_held"].pk: True,
                    r["councils"].pk: False, r["ours_reported"].pk: False}
    assert html.count("Arranged by Testshire Primary") == 3
    assert html.count("Arranged by the council") == 1
    assert html.count("For the council:") == 2, "the council's review, and the decision"
    counts = {step.key: n for step, n in page.context["counts"]}
    assert counts == {"schedule": 1, "invite": 0, "chase_advice": 0, "circulate": 0,
                      "hold_meeting": 0, "send_report": 1}, "her steps only; no decision"
    assert "/reviews/mine/" in html, "the reviews she is invited to, one click away"


def test_the_council_sees_the_schools_steps_as_the_schools(client, coordinator,
                                                          school_reviews):
    sign_in(client, coordinator)
    page = client.get("/reviews/due/", {"convenor": "setting"})
    rows = {summary.review_id: theirs for summary, theirs in page.context["rows"]}
    r = school_reviews
    assert rows == {r["ours_late"].pk: False, r["ours_held"].pk: False,
                    r["ours_reported"].pk: True}
    html = page.content.decode()
    assert html.count("For Testshire Primary:") == 2
    counts = {step.key: n for step, n in page.context["counts"]}
    assert counts["decide"] == 1 and counts["schedule"] == 0 and counts["send_report"] == 0


def test_the_school_does_every_step_to_the_report_and_the_council_the_decision(
        client, senco, therapist, school_reviews):
    r = school_reviews
    advised = invite_person(r["ours_reported"], therapist, sent_at=timezone.now())
    Advice.objects.create(invitation=advised, author=therapist, status=Advice.Status.SUBMITTED,
                          submitted_at=timezone.now())
    sign_in(client, senco)
    for review in (r["ours_late"], r["ours_held"]):
        html = client.get(f"/reviews/{review.pk}/").content.decode()
        assert "Arranged by</dt><dd class=\"govuk-summary-list__value\">Testshire Primary" in html
    late = client.get(f"/reviews/{r['ours_late'].pk}/")
    assert late.context["tasks"][0]["url"] == f"/reviews/{r['ours_late'].pk}/schedule/"
    assert client.get(late.context["tasks"][0]["url"]).status_code == 200
    assert client.get(f"/reviews/{r['ours_held'].pk}/outcome/").status_code == 200
    reported = client.get(f"/reviews/{r['ours_reported'].pk}/")
    decision = reported.context["tasks"][-1]
    assert (decision["state"], decision["url"]) == ("council", None)
    assert "With the council" in reported.content.decode()
    assert client.get(f"/reviews/{r['ours_reported'].pk}/decision/").status_code == 404
    # The council's own review: she may read it, and is offered nothing she cannot do.
    councils = client.get(f"/reviews/{r['councils'].pk}/")
    assert councils.status_code == 200 and councils.context["tasks"] == []
    assert "/schedule/" not in councils.content.decode()


def test_a_school_convening_its_review_gives_the_schools_own_advice(five_roles, senco,
                                                                    coordinator):
    Review.objects.filter(pk=five_roles.pk).update(convenor=Review.Convenor.SETTING,
                                                   coordinator=senco)
    five_roles.refresh_from_db()
    proposals = [p for p in invitees.proposed_invitees(five_roles) if p.suggested]
    scheduling.do_add_invitations(five_roles, senco, proposals)
    asked = dict(five_roles.invitations.values_list("role", "advice_requested"))
    assert asked == {"family": False, "setting": True, "la_sen": False, "health": True,
                     "social_care": True}, "the council's officer attends; the council decides"
    assert five_roles.invitations.get(role="la_sen").user == coordinator


def test_the_councils_own_coordinator_is_still_not_asked_for_advice(five_roles, coordinator):
    proposals = [p for p in invitees.proposed_invitees(five_roles) if p.suggested]
    scheduling.do_add_invitations(five_roles, coordinator, proposals)
    assert five_roles.invitations.get(user=coordinator).advice_requested is False


def test_what_the_decision_needs_goes_to_the_councils_officer_not_the_school(
        school_reviews, senco, coordinator, la_team):
    review = school_reviews["ours_reported"]
    invite_person(review, coordinator, role=Invitation.Role.LA_SEN, agency=la_team)
    remind_coordinators(timezone.localdate())
    reminder = Email.objects.get(key__contains=":remind:")
    assert reminder.to == coordinator.email
    assert reminder.text.startswith(f"Hello {coordinator},")
    assert not Email.objects.filter(to=senco.email).exists()


def test_without_an_officer_invited_the_councils_send_team_hears(school_reviews, senco,
                                                                la_team):
    la_team.email = "send@test.example"
    la_team.save()
    remind_coordinators(timezone.localdate())
    assert Email.objects.get(key__contains=":remind:").to == "send@test.example"


def test_the_next_review_is_convened_by_whoever_convened_this_one(school_reviews, senco,
                                                                 coordinator):
    ours = school_reviews["ours_reported"]
    following = close_review(ours, coordinator, "The plan is maintained")
    assert (following.convenor, following.coordinator) == (Review.Convenor.SETTING, senco)


@pytest.fixture
def staff_client(client, staff):
    sign_in(client, staff)
    return client


def test_whoever_convenes_coordinates(staff_client, plan, coordinator, senco, school):
    head = make_person("head@test.example", "Hedda", "Teacher", school, "practitioner",
                       "head")
    url = open_review_url(plan)
    refused = staff_client.post(url, {"coordinator": senco.pk, "kind": "annual",
                                      "convenor": "la"})
    assert refused.status_code == 200 and not Review.objects.exists()
    assert "Choose one of the council&#x27;s SEND officers" in refused.content.decode()
    refused = staff_client.post(url, {"coordinator": coordinator.pk, "kind": "annual",
                                      "convenor": "setting"})
    assert "Choose the SENCO or coordinator of Testshire Primary" in refused.content.decode()
    assert not Review.objects.exists()
    staff_client.post(url, {"coordinator": head.pk, "kind": "annual", "convenor": "setting"})
    assert not Review.objects.exists(), "a head who is not the SENCO does not coordinate"
    staff_client.post(url, {"coordinator": senco.pk, "kind": "annual", "convenor": "setting"})
    review = Review.objects.get()
    assert (review.coordinator, review.convenor) == (senco, Review.Convenor.SETTING)


# ---------------------------------------------------------------------------
# The council asks the school to convene a review already open
# ---------------------------------------------------------------------------


def hand_over_url(review):
    return f"/reviews/{review.pk}/coordinator/"


def test_only_the_councils_officers_may_change_who_coordinates(client, review, refused, senco,
                                                               invited_therapist):
    for person in [*refused, senco, invited_therapist]:
        client.logout()
        sign_in(client, person)
        assert client.get(hand_over_url(review)).status_code == 404, person
        assert client.post(hand_over_url(review),
                           {"coordinator": f"setting:{senco.pk}"}).status_code == 404, person
    review.refresh_from_db()
    assert review.convenor == Review.Convenor.LA


def test_the_council_asks_the_school_to_convene_and_the_senco_is_told(client, review,
                                                                      coordinator, senco):
    sign_in(client, coordinator)
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert hand_over_url(review) in page
    form = client.get(hand_over_url(review)).content.decode()
    assert "Sue Senco, for Testshire Primary" in form and "Cora Ordinator, for the council" in form
    assert 'value="la:' in form and "checked" in form.split("Cora Ordinator")[0].rsplit(
        "<input", 1)[1], "the coordinator now is chosen"
    response = client.post(hand_over_url(review), {"coordinator": f"setting:{senco.pk}"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.convenor, review.coordinator) == (Review.Convenor.SETTING, senco)
    event = review.events.get(kind="coordinator_changed")
    assert event.summary == "Testshire Primary arranges the review; Sue Senco coordinates it"
    assert event.actor == coordinator
    told = Email.objects.get(to=senco.email)
    assert told.subject == "You now coordinate the review for AE (T-0001)"
    assert "Amira" not in told.text and f"/reviews/{review.pk}/" in told.text
    client.logout()
    sign_in(client, senco)
    home = client.get("/reviews/due/")
    assert [theirs for _, theirs in home.context["rows"]] == [True]


def test_a_forged_choice_changes_nothing(client, review, coordinator, therapist):
    sign_in(client, coordinator)
    response = client.post(hand_over_url(review), {"coordinator": f"setting:{therapist.pk}"})
    assert response.status_code == 200 and "<title>Error: " in response.content.decode()
    review.refresh_from_db()
    assert (review.convenor, review.coordinator) == (Review.Convenor.LA, coordinator)


def test_once_the_meeting_is_held_whoever_arranged_it_keeps_it(client, review, coordinator,
                                                              senco):
    Review.objects.filter(pk=review.pk).update(status=Review.Status.MEETING_HELD)
    sign_in(client, coordinator)
    assert hand_over_url(review) not in client.get(f"/reviews/{review.pk}/").content.decode()
    response = client.post(hand_over_url(review), {"coordinator": f"setting:{senco.pk}"})
    assert "The meeting has been held" in response.content.decode()
    review.refresh_from_db()
    assert review.convenor == Review.Convenor.LA


@pytest.mark.parametrize("n", [5, 60])
def test_the_sencos_home_runs_the_same_bounded_number_of_queries_at_any_size(
        client, senco, coordinator, authority, school, n, django_assert_max_num_queries):
    many_reviews(authority, school, coordinator, n)
    Review.objects.filter(pk__in=Review.objects.all()[:n // 2]).update(
        convenor=Review.Convenor.SETTING, coordinator=senco)
    sign_in(client, senco)
    # The coordinator's page's 15, and the names of her schools for the heading.
    with django_assert_max_num_queries(16):
        assert client.get("/reviews/due/").status_code == 200
