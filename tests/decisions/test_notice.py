"""The decision letter: plain English, the dates computed by the clock (mediation, the
appeal with its August and Christmas roll-over, the family's 15 days, the final plan), the
contacts that help, and who it speaks to."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from agencies.models import AuthorityContact
from decisions.amending import do_issue_final_plan
from decisions.deciding import do_record_decision
from decisions.disagreeing import do_record_facts
from decisions.models import Decision
from outbox.models import Email
from reviews.models import FamilyMember, Review
from tests.conftest import sign_in
from tests.decisions.conftest import MEETING, held_review
from tests.factories import FamilyMemberFactory

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


@pytest.fixture
def proposed_review(review, coordinator):
    """Amendments proposed on 24 March 2027, three weeks after the meeting."""
    do_record_decision(review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Check-in."}, today=dt.date(2027, 3, 24))
    return review


def test_a_late_amendment_letter_gives_no_date_before_itself(client, plan, coordinator,
                                                            family_parent):
    # The issue's letter: a meeting on 1 December 2026, the proposed amendments on
    # 25 February 2027. The family comment until 11 March; the final plan is due 8 weeks
    # from the letter, 22 April (reg 22(3)), not the 12 weeks from the meeting that had
    # already passed (23 February).
    late = held_review(plan, coordinator, dt.date(2026, 12, 1))
    do_record_decision(late, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Check-in."}, today=dt.date(2027, 2, 25))
    sign_in(client, family_parent)
    page = main(letter(client, late))
    assert "25 February 2027" in page
    assert "You have until <strong>11 March 2027</strong>" in page
    assert "final plan by <strong>22 April 2027</strong>" in page
    assert "23 February 2027" not in page and "19 February 2027" not in page


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
    # after 31 August (HESC Rules r.12(3)(a)).
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


def test_the_letter_carries_every_contact_with_its_phone_and_email(
        client, june_review, coordinator, family_parent, contacts):
    do_record_decision(june_review, coordinator, outcome="M", reasons="Fine.",
                       today=dt.date(2027, 6, 21))
    sign_in(client, family_parent)
    page = main(letter(client, june_review))
    rights = page.split('id="rights"')[1]
    for contact in contacts.values():
        assert contact.name in rights and contact.phone in rights, contact
        assert f'href="mailto:{contact.email}"' in rights, contact
    # The coordinator by name, with their own email and the SEND team's phone.
    assert "Cora Ordinator runs Amira&#x27;s review" in rights
    assert f'href="mailto:{coordinator.email}"' in rights
    assert "Help to sort out a disagreement" in rights
    assert "https://www.gov.uk/send-tribunal" in rights
    assert "Ask Cora" not in rights, "the authority holds every contact: nobody is sent to ask"


@pytest.mark.parametrize("service", ["disagreement_resolution", "mediation", "sendiass",
                                     "send_team"])
def test_no_appealable_letter_goes_while_a_contact_it_names_is_missing(
        client, june_review, coordinator, family_parent, contacts, service):
    contacts[service].delete()
    sign_in(client, coordinator)
    response = client.post(f"/reviews/{june_review.pk}/decision/record/maintain/",
                           {"reasons": "Good progress."})
    page = response.content.decode()
    assert response.status_code == 200, "the form again, with what was typed"
    assert "Testshire County Council&#x27;s record does not hold its" in page
    assert "Agencies and people, Local authorities, Testshire County Council" in page
    assert "Good progress." in page
    assert not Decision.objects.exists() and not Email.objects.exists()


def test_a_contact_without_a_phone_stops_the_final_plan_too(
        proposed_review, coordinator, contacts):
    AuthorityContact.objects.filter(pk=contacts["mediation"].pk).update(phone="")
    with pytest.raises(ValidationError, match="the phone number of Testshire Mediation"):
        do_issue_final_plan(proposed_review, coordinator, {"F": "Daily check-in."},
                            today=dt.date(2027, 4, 14))
    assert proposed_review.plan.versions.count() == 1, "only the copy sent with the proposal"


def test_the_proposed_amendments_need_no_mediation_service_yet(review, coordinator, contacts):
    contacts["mediation"].delete()
    do_record_decision(review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Check-in."}, today=dt.date(2027, 3, 24))
    assert Decision.objects.get().outcome == "A"


@pytest.mark.parametrize("outcome", ["M", "A", "final", "C"])
def test_every_letter_names_the_disagreement_resolution_service(
        client, review, coordinator, family_parent, outcome):
    """CFA 2014 s57; SEND Regs 2014 reg 54; Code of Practice 11.39-11.48: the maintain,
    amend, final-plan and cease letters all name it, beside SENDIASS and advocacy."""
    facts = {"C": {"cease_ground": "not_necessary", "family_consulted_on": MEETING,
                   "setting_consulted_on": MEETING}}.get(outcome, {})
    do_record_decision(review, coordinator, outcome="A" if outcome == "final" else outcome,
                       reasons="Reasons.", proposed={"F": "Check-in."}, **facts,
                       today=dt.date(2027, 3, 24))
    if outcome == "final":
        do_issue_final_plan(review, coordinator, {"F": "Daily check-in."},
                            today=dt.date(2027, 4, 14))
    sign_in(client, family_parent)
    rights = main(letter(client, review)).split('id="rights"')[1]
    for text in ("Testshire Resolve", "0113 496 0800", "resolve@test.example",
                 "Testshire SENDIASS", "Speak Up Testshire"):
        assert text in rights, text


def test_the_appeal_paragraph_moves_the_month_after_a_certificate_too(
        client, june_review, coordinator, family_parent):
    do_record_decision(june_review, coordinator, outcome="M", reasons="Fine.",
                       today=dt.date(2027, 6, 21))
    sign_in(client, family_parent)
    page = main(letter(client, june_review))
    assert "If you get a mediation certificate, you can appeal until 1 month after" in page
    assert "The same rules move the date 1 month after a mediation certificate too" in page
    assert "a last day in August moves to the first working day in September" in page
    assert "a last day from 25 December to 1 January moves to the first working day after " \
           "1 January" in page


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
    # 8 weeks from the proposed amendments (reg 22(3)).
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
    FamilyMemberFactory(child=child, user=parent, name="Amira",
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


def test_a_review_whose_dates_cannot_be_true_shows_no_letter_and_says_what_to_fix(
        client, proposed_review, coordinator, family_parent):
    # Imported or corrected by hand: a final plan dated before its proposed amendments.
    Review.objects.filter(pk=proposed_review.pk).update(final_plan_sent_on=dt.date(2027, 3, 20))
    sign_in(client, coordinator)
    for page in (f"/reviews/{proposed_review.pk}/decision/", f"/reviews/{proposed_review.pk}/"):
        response = client.get(page)
        html = response.content.decode()
        assert response.status_code == 409, page
        assert ("Annual review, AE (T-0001): The final amended plan is dated 20 March 2027, "
                "before the proposed amendments on 24 March 2027") in html
        assert "final plan by" not in html
    client.logout()
    sign_in(client, family_parent)
    for page in (f"/reviews/{proposed_review.pk}/decision/",
                 f"/reviews/{proposed_review.pk}/family/"):
        response = client.get(page)
        html = response.content.decode()
        assert response.status_code == 409, page
        assert "Some dates on the council's record of this review are wrong" in html
        assert f'href="mailto:{coordinator.email}"' in html and "0113 496 0100" in html
        assert "before the proposed amendments" not in html
