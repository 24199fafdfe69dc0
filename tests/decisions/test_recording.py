"""Recording the LA's decision: maintain, amend or cease, with reasons; the review's
statutory facts; the letter emailed as a link; once, however often it is sent."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from decisions.deciding import do_record_decision
from decisions.models import Amendment, Decision, PlanVersion
from outbox.models import Email
from reviews.models import Event, Plan, Review
from tests.conftest import sign_in
from tests.decisions.conftest import MEETING, held_review

pytestmark = pytest.mark.django_db

LETTER = dt.date(2027, 3, 24)


def kinds(review):
    return list(Event.objects.filter(review=review).order_by("seq")
                .values_list("kind", flat=True))


def test_a_maintain_decision_sets_the_sen2_facts_closes_the_review_and_opens_the_next(
        review, coordinator, family_parent):
    do_record_decision(review, coordinator, outcome="M", reasons="Good progress.", today=LETTER)
    review.refresh_from_db()
    assert (review.decision, review.decision_sent_on) == ("M", LETTER)
    assert review.status == Review.Status.CLOSED and review.closed_at is not None
    following = review.plan.reviews.open().get()
    # 12 months starting with the meeting (CFA 2014 s44(1)), from the clock.
    assert following.due_by == dt.date(2028, 3, 2)
    assert following.coordinator == coordinator
    assert kinds(review) == ["decision.recorded", "review.closed"]


def test_the_family_is_emailed_a_link_to_the_letter_not_its_content(
        review, coordinator, family_parent):
    do_record_decision(review, coordinator, outcome="M", reasons="Secret reasons here.",
                       today=LETTER)
    email = Email.objects.get(to=family_parent.email)
    assert f"/reviews/{review.pk}/decision/" in email.text
    assert "Secret reasons" not in email.text
    assert "Amira" not in email.subject + email.text
    assert "AE (T-0001)" in email.subject


def test_sending_the_same_decision_twice_records_it_once(review, coordinator, family_parent):
    first = do_record_decision(review, coordinator, outcome="M", reasons="Fine.", today=LETTER)
    second = do_record_decision(review, coordinator, outcome="M", reasons="Fine.", today=LETTER)
    assert first.pk == second.pk
    assert Decision.objects.count() == 1
    assert kinds(review).count("decision.recorded") == 1
    assert Email.objects.filter(to=family_parent.email).count() == 1
    assert review.plan.reviews.count() == 2, "one next review, not two"


def test_a_different_decision_after_one_was_sent_is_refused(review, coordinator):
    do_record_decision(review, coordinator, outcome="M", reasons="Fine.", today=LETTER)
    with pytest.raises(ValidationError, match="already been sent"):
        do_record_decision(review, coordinator, outcome="A", reasons="Change.",
                           proposed={"F": "More help."}, today=LETTER)


def test_the_decision_need_not_wait_for_a_late_report_if_it_says_why(plan, coordinator):
    report_late = held_review(plan, coordinator, MEETING, status=Review.Status.MEETING_HELD)
    with pytest.raises(ValidationError, match="not published yet"):
        do_record_decision(report_late, coordinator, outcome="M", reasons="Fine.",
                           today=LETTER)
    decision = do_record_decision(report_late, coordinator, outcome="M", reasons="Fine.",
                                  before_report_reason="The report is late; the decision "
                                                       "is due tomorrow.", today=LETTER)
    assert Review.objects.get(pk=report_late.pk).decision == "M"
    assert decision.before_report_reason == "The report is late; the decision is due tomorrow."
    event = report_late.events.get(kind="decision.recorded")
    assert "before the report was published" in event.summary
    assert event.data["before_report"] == "The report is late; the decision is due tomorrow."


def test_no_decision_before_the_meeting_is_held(plan, coordinator):
    scheduled = held_review(plan, coordinator, MEETING, status=Review.Status.INVITATIONS_SENT)
    with pytest.raises(ValidationError, match="once the meeting has been held"):
        do_record_decision(scheduled, coordinator, outcome="M", reasons="Fine.", today=LETTER)
    assert not Decision.objects.exists()


def test_no_letter_is_dated_before_its_meeting(plan, coordinator):
    held = held_review(plan, coordinator, MEETING)
    with pytest.raises(ValidationError, match="once the meeting has been held"):
        do_record_decision(held, coordinator, outcome="M", reasons="Fine.",
                           today=MEETING - dt.timedelta(days=1))
    assert not Decision.objects.exists()


def test_an_amend_decision_goes_with_its_amendments_and_a_copy_of_the_plan(
        review, coordinator, family_parent):
    do_record_decision(review, coordinator, outcome="A", reasons="Needs more support.",
                       proposed={"F": "  Daily check-in.  ", "G": ""}, today=LETTER)
    review.refresh_from_db()
    assert (review.decision, review.amendment_notice_sent_on) == ("A", LETTER)
    assert review.status == Review.Status.DECIDED, "open until the final plan"
    amendment = Amendment.objects.get()
    assert amendment.proposed == {"F": "Daily check-in."}
    copy = amendment.plan_before
    assert (copy.number, copy.kind, copy.made_on) == (1, PlanVersion.Kind.COPY, LETTER)
    assert copy.sections == review.plan.text_of_sections()


def test_an_amend_decision_needs_an_amendment(review, coordinator):
    with pytest.raises(ValidationError, match="at least one amendment"):
        do_record_decision(review, coordinator, outcome="A", reasons="Change.",
                           proposed={"F": "  "}, today=LETTER)


def test_cease_needs_a_lawful_ground_and_the_family_and_setting_consulted_first(
        review, coordinator):
    base = {"outcome": "C", "reasons": "Left the area.", "today": LETTER}
    with pytest.raises(ValidationError, match="no longer responsible"):
        do_record_decision(review, coordinator, cease_ground="cheaper", **base,
                           family_consulted_on=LETTER, setting_consulted_on=LETTER)
    with pytest.raises(ValidationError, match="Consult the family and the setting"):
        do_record_decision(review, coordinator, cease_ground="not_responsible", **base,
                           family_consulted_on=LETTER)
    with pytest.raises(ValidationError, match="happened already"):
        do_record_decision(review, coordinator, cease_ground="not_responsible", **base,
                           family_consulted_on=LETTER, setting_consulted_on=LETTER
                           + dt.timedelta(days=1))
    decision = do_record_decision(review, coordinator, cease_ground="not_responsible", **base,
                                  family_consulted_on=dt.date(2027, 3, 10),
                                  setting_consulted_on=dt.date(2027, 3, 11))
    assert decision.cease_ground == "not_responsible"
    assert Plan.objects.get().status == Plan.Status.ACTIVE, "in force until the appeal window"
    assert Review.objects.get(pk=review.pk).status == Review.Status.DECIDED


def test_a_late_decision_is_recorded_as_late_on_the_timeline(review, coordinator):
    do_record_decision(review, coordinator, outcome="M", reasons="Fine.",
                       today=dt.date(2027, 4, 2))
    event = Event.objects.get(kind="decision.recorded")
    assert event.data["late"] is True
    assert "2 days late" in event.summary


# ---------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------


def test_the_first_page_offers_the_meetings_recommendation(client, review, coordinator,
                                                            recommendations):
    sign_in(client, coordinator)
    page = client.get(f"/reviews/{review.pk}/decision/record/").content.decode()
    assert 'value="amend" checked' in page
    assert "The decision must be sent by 31 March 2027" in page
    response = client.post(f"/reviews/{review.pk}/decision/record/", {"outcome": "cease"})
    assert response["Location"] == f"/reviews/{review.pk}/decision/record/cease/"


def test_the_amend_form_starts_from_the_recommendations_per_section(
        client, review, coordinator, recommendations):
    sign_in(client, coordinator)
    page = client.get(f"/reviews/{review.pk}/decision/record/amend/").content.decode()
    assert "Add a daily check-in with the key adult after lunch." in page
    assert "Name Testshire Secondary from September." in page
    assert "Speech delay." in page, "what section B says now"


def test_a_form_with_errors_keeps_what_was_typed_and_says_what_is_wrong(
        client, review, coordinator):
    sign_in(client, coordinator)
    response = client.post(f"/reviews/{review.pk}/decision/record/amend/",
                           {"reasons": "", "section_F": "Typed text kept."})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "govuk-error-summary" in page and 'href="#id_reasons"' in page
    assert "Give the reasons for the decision" in page
    assert "Typed text kept." in page
    assert not Decision.objects.exists()


def test_sending_from_the_page_records_the_decision_and_says_so(client, recent_review,
                                                                 coordinator, family_parent):
    review = recent_review
    sign_in(client, coordinator)
    response = client.post(f"/reviews/{review.pk}/decision/record/maintain/",
                           {"reasons": "Good progress on every outcome."}, follow=True)
    assert response.redirect_chain[-1][0] == f"/reviews/{review.pk}/"
    assert "Decision sent: the plan is maintained" in response.content.decode()
    assert Decision.objects.get().decided_by == coordinator


def test_the_cease_form_asks_for_the_consultation_dates(client, review, coordinator):
    sign_in(client, coordinator)
    response = client.post(f"/reviews/{review.pk}/decision/record/cease/",
                           {"cease_ground": "not_necessary", "reasons": "Needs met.",
                            "family_consulted_on_0": "10", "family_consulted_on_1": "3",
                            "family_consulted_on_2": "2027"})
    page = response.content.decode()
    assert "Enter the date you consulted the school or college" in page
    assert 'value="10"' in page, "the typed day is kept"
    assert not Decision.objects.exists()


def test_once_decided_the_record_page_leads_to_the_letter(client, review, coordinator):
    do_record_decision(review, coordinator, outcome="M", reasons="Fine.", today=LETTER)
    sign_in(client, coordinator)
    response = client.get(f"/reviews/{review.pk}/decision/record/")
    assert response["Location"] == f"/reviews/{review.pk}/decision/"


def test_an_unknown_decision_in_the_address_is_a_404(client, review, coordinator):
    sign_in(client, coordinator)
    assert client.get(f"/reviews/{review.pk}/decision/record/postpone/").status_code == 404
