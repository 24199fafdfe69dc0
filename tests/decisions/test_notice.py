"""The decision letter: plain English, the dates computed by the clock (mediation, the
appeal with its August and Christmas roll-over, the family's 15 days, the final plan), the
contacts that help, and who it speaks to."""

import datetime as dt

import pytest

from decisions.deciding import do_record_decision
from decisions.disagreeing import do_record_facts
from decisions.models import MediationService
from reviews.models import FamilyMember
from tests.conftest import sign_in
from tests.decisions.conftest import MEETING, held_review

pytestmark = pytest.mark.django_db


def letter(client, review) -> str:
    response = client.get(f"/reviews/{review.pk}/decision/")
    assert response.status_code == 200
    return response.content.decode()


def main(page: str) -> str:
    return page.split('id="main-content"')[1]


@pytest.fixture
def june_review(plan, coordinator):
    """Held on 26 May 2027: a letter on 21 June has its 2 months end on 21 August."""
    return held_review(plan, coordinator, dt.date(2027, 5, 26))


def test_a_maintain_letter_gives_the_appeal_deadline_moved_out_of_august(
        client, june_review, coordinator, family_parent, contacts):
    do_record_decision(june_review, coordinator, outcome="M", today=dt.date(2027, 6, 21),
                       reasons="Amira is making good progress.\nThe support is working.")
    sign_in(client, family_parent)
    page = main(letter(client, june_review))
    assert "Date of this letter</dt>" in page and "21 June 2027" in page
    assert "We will keep Amira&#x27;s education, health and care plan as it is." in page
    assert "Amira is making good progress.<br>The support is working." in page
    # 2 months end on 21 August; the Tribunal's rule moves August to the first working day
    # after 31 August (HESC Rules r.12(5)).
    assert "The last day to appeal is <strong>1 September 2027</strong>" in page
    # Mediation has no such roll-over: 2 months after the letter.
    assert "talk to a mediation adviser by <strong>21 August 2027</strong>" in page
    assert "The next review meeting must be by" in page and "25 May 2028" in page


def test_an_appeal_deadline_in_the_christmas_break_moves_to_the_new_year(
        client, plan, coordinator, family_parent):
    autumn = held_review(plan, coordinator, dt.date(2027, 10, 6))
    do_record_decision(autumn, coordinator, outcome="M", reasons="Fine.",
                       today=dt.date(2027, 10, 26))
    sign_in(client, family_parent)
    # 26 December: the first working day after 1 January 2028 (a Saturday; Monday 3 January
    # is the New Year bank holiday).
    assert "The last day to appeal is <strong>4 January 2028</strong>" in letter(client, autumn)


def test_a_mediation_certificate_gives_a_month_from_its_date_when_that_is_later(
        client, june_review, coordinator, family_parent):
    do_record_decision(june_review, coordinator, outcome="M", reasons="Fine.",
                       today=dt.date(2027, 6, 21))
    do_record_facts(june_review, coordinator, {"mediation_requested_on": dt.date(2027, 7, 1),
                                               "mediation_ended_on": dt.date(2027, 7, 28),
                                               "mediation_certificate_on": dt.date(2027, 8, 15)},
                    today=dt.date(2027, 8, 16))
    sign_in(client, family_parent)
    assert "The last day to appeal is <strong>15 September 2027</strong>" in letter(
        client, june_review)


def test_the_letter_carries_sendiass_advocacy_and_the_mediation_service(
        client, june_review, coordinator, family_parent, contacts):
    do_record_decision(june_review, coordinator, outcome="M", reasons="Fine.",
                       today=dt.date(2027, 6, 21))
    sign_in(client, family_parent)
    page = letter(client, june_review)
    for text in ("Testshire SENDIASS", "0113 496 0600", "Speak Up Testshire",
                 "Testshire Mediation", "mediation@test.example",
                 "https://www.gov.uk/send-tribunal"):
        assert text in page, text


def test_without_a_mediation_service_on_record_the_letter_says_who_to_ask(
        client, june_review, coordinator, family_parent):
    do_record_decision(june_review, coordinator, outcome="M", reasons="Fine.",
                       today=dt.date(2027, 6, 21))
    assert not MediationService.objects.exists()
    sign_in(client, family_parent)
    assert "Ask Cora Ordinator for the mediation service's details." in letter(
        client, june_review)


def test_an_amend_letter_has_the_changes_the_15_days_and_the_final_plan_date(
        client, review, coordinator, family_parent):
    do_record_decision(review, coordinator, outcome="A", reasons="More help at lunch.",
                       proposed={"F": "Add a daily check-in.", "I": "Name Testshire High."},
                       today=dt.date(2027, 3, 24))
    sign_in(client, family_parent)
    page = main(letter(client, review))
    assert "We want to change Amira&#x27;s education, health and care plan." in page
    assert "Section F: Special educational provision" in page
    assert "Add a daily check-in." in page and "Name Testshire High." in page
    assert "Section G" not in page, "only the sections that change"
    # At least 15 days, counting the day the notice went: 24 March to 7 April (reg 22(2)(c)).
    assert "You have until <strong>7 April 2027</strong>" in page
    # 8 weeks from the proposal (19 May) binds before 12 weeks from the meeting (26 May).
    assert "final plan by <strong>19 May 2027</strong>" in page
    assert f"/reviews/{review.pk}/plan/1/" in page, "a copy of the current plan"
    assert f"/reviews/{review.pk}/advice/all/" in page, "the evidence"
    assert f"/reviews/{review.pk}/decision/reply/" in page
    assert "The last day to appeal" not in page, "the appealable decision is the final plan"
    assert "starts when we send you the final plan" in page


def test_a_cease_letter_gives_the_ground_the_consultation_and_that_the_plan_stays(
        client, review, coordinator, family_parent):
    do_record_decision(review, coordinator, outcome="C", reasons="Needs met.",
                       cease_ground="not_necessary", family_consulted_on=dt.date(2027, 3, 10),
                       setting_consulted_on=dt.date(2027, 3, 11), today=dt.date(2027, 3, 24))
    sign_in(client, family_parent)
    page = main(letter(client, review))
    assert "We have decided to stop Amira&#x27;s education, health and care plan." in page
    assert "the plan is no longer needed: Amira can get the right help without one" in page
    assert "10 March 2027" in page and "11 March 2027" in page
    assert "The plan stays in place until at least <strong>24 May 2027</strong>" in page
    assert "the plan stays in place until the Tribunal decides" in page


def test_a_young_person_is_written_to_as_you(client, review, coordinator, parent, child):
    FamilyMember.objects.create(child=child, user=parent, name="Amira", email=parent.email,
                                relationship=FamilyMember.Relationship.YOUNG_PERSON)
    do_record_decision(review, coordinator, outcome="M", reasons="Fine.",
                       today=dt.date(2027, 3, 24))
    sign_in(client, parent)
    page = letter(client, review)
    assert "Our decision after your review" in page
    assert "keep your education, health and care plan" in page


def test_the_page_title_carries_no_name(client, review, coordinator, family_parent):
    do_record_decision(review, coordinator, outcome="M", reasons="Fine.",
                       today=dt.date(2027, 3, 24))
    sign_in(client, family_parent)
    title = letter(client, review).split("<title>")[1].split("</title>")[0]
    assert title.startswith("Decision after the review")
    assert "Amira" not in title and "Example" not in title


def test_the_letter_prints_without_the_services_header_and_buttons(
        client, review, coordinator, family_parent):
    do_record_decision(review, coordinator, outcome="M", reasons="Fine.",
                       today=dt.date(2027, 3, 24))
    sign_in(client, family_parent)
    page = letter(client, review)
    assert 'href="/static/decisions/print.css" media="print"' in page
    assert "style=" not in main(page) and "<script>" not in main(page)


def test_there_is_no_letter_before_the_decision(client, review, family_parent):
    sign_in(client, family_parent)
    assert client.get(f"/reviews/{review.pk}/decision/").status_code == 404


@pytest.mark.parametrize("n", [1, 6])
def test_the_letter_runs_a_bounded_number_of_queries(
        client, review, coordinator, family_parent, contacts, n, django_assert_max_num_queries):
    for i in range(n):
        FamilyMember.objects.create(child=review.plan.child, name=f"Carer {i}",
                                    email=f"carer{i}@test.example")
    do_record_decision(review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Check-in."}, today=MEETING + dt.timedelta(days=7))
    sign_in(client, family_parent)
    with django_assert_max_num_queries(18):
        letter(client, review)
