"""The council's letters to a family member who has no email, or another parent at another
address: a PDF for A4 post with their address, its date and their deadline, counted from
the day it was posted."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from decisions.amending import do_issue_final_plan
from decisions.deciding import do_record_decision
from outbox.models import Email
from reviews import post
from reviews.models import FamilyMember, Plan, PostalLetter
from tests.conftest import ON_TODAY

pytestmark = [pytest.mark.django_db, ON_TODAY]

PROPOSED_ON = dt.date(2027, 3, 24)  # emailed: the 15 days run to 7 April
POSTED_ON = dt.date(2027, 3, 26)  # posted 2 days later: they run to 9 April


def pdf_text(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


@pytest.fixture
def by_post(child, family_parent):
    """Two more people with parental responsibility: a mother without email at one address,
    a father who asked for post at another."""
    FamilyMember.objects.create(child=child, name="Rania Example", by_post=True,
                                address_line_1="12 Mill Lane", town="Testbridge",
                                postcode="TB1 2AB")
    FamilyMember.objects.create(child=child, name="Karim Example", email="karim@test.example",
                                by_post=True, address_line_1="4 Station Road",
                                address_line_2="Flat 2", town="Otherton", postcode="OT9 9ZZ")


@pytest.fixture
def proposed(review, coordinator, by_post):
    do_record_decision(review, coordinator, outcome="A", reasons="More help at lunch.",
                       proposed={"F": "Add a daily check-in after lunch."}, today=PROPOSED_ON)
    review.refresh_from_db()
    return review


def test_the_decision_goes_by_post_to_each_address_and_by_email_to_those_with_one(
        proposed, family_parent):
    letters = PostalLetter.objects.filter(kind="decision").order_by("pk")
    assert [(letter.addressed_to, letter.address_lines()) for letter in letters] == [
        ("Rania Example", ["12 Mill Lane", "Testbridge", "TB1 2AB"]),
        ("Karim Example", ["4 Station Road", "Flat 2", "Otherton", "OT9 9ZZ"])]
    emailed = set(Email.objects.filter(key__startswith=f"decision:{proposed.pk}:decision")
                  .values_list("to", flat=True))
    assert emailed == {family_parent.email, "karim@test.example"}


def test_the_letter_is_written_once_however_often_the_step_runs(proposed):
    from decisions.notify import tell_family

    tell_family(proposed, "decision")
    assert PostalLetter.objects.filter(kind="decision").count() == 2


def test_one_letter_to_two_people_at_one_address(child, review, coordinator):
    for name in ("Rania Example", "Sami Example"):
        FamilyMember.objects.create(child=child, name=name, by_post=True,
                                    address_line_1="12 Mill Lane", town="Testbridge",
                                    postcode="tb1 2ab" if name == "Sami Example" else "TB1 2AB")
    letters = post.queue_letters(review, "decision")
    assert [letter.addressed_to for letter in letters] == ["Rania Example and Sami Example"]


def test_the_pdf_holds_the_address_the_date_and_the_deadline_from_the_day_it_goes(proposed):
    letter = PostalLetter.objects.get(kind="decision", addressed_to="Rania Example")
    text = pdf_text(post.render_pdf(letter, today=POSTED_ON))
    assert "Rania Example 12 Mill Lane Testbridge TB1 2AB" in text
    assert "26 March 2027" in text
    assert "You have until 9 April 2027 to tell us what you think" in text
    # The same words as the page, and what the page links to comes with it.
    assert "We want to change Amira's education, health and care plan" in text
    enclosed = text.split("A copy of the plan as it was before these changes")[-1]
    assert "Section A: Views" in enclosed and "Amira loves drawing." in enclosed
    assert "Testshire County Council" in text


def test_recording_the_posting_moves_the_familys_deadline(proposed, coordinator):
    assert proposed.deadlines().representations_end == dt.date(2027, 4, 7)
    letters = PostalLetter.objects.filter(kind="decision").order_by("pk")
    post.do_record_posted(letters[0], POSTED_ON, coordinator, today=POSTED_ON)
    proposed.refresh_from_db()
    assert proposed.deadlines().representations_end == dt.date(2027, 4, 9)
    # The other address's letter went a day later: the family's time runs from the last.
    post.do_record_posted(letters[1], POSTED_ON + dt.timedelta(days=1), coordinator,
                          today=POSTED_ON + dt.timedelta(days=1))
    proposed.refresh_from_db()
    assert proposed.deadlines().representations_end == dt.date(2027, 4, 10)
    # The council's own deadline still counts from the day it sent the notice.
    assert proposed.deadlines().final_plan_due == PROPOSED_ON + dt.timedelta(weeks=8)


def test_the_final_plan_letter_sends_the_plan_and_its_appeal_date_counts_from_posting(
        proposed, coordinator):
    final_on = dt.date(2027, 4, 20)
    for letter in PostalLetter.objects.filter(kind="decision"):
        post.do_record_posted(letter, POSTED_ON, coordinator, today=POSTED_ON)
    do_issue_final_plan(proposed, coordinator,
                        {**proposed.plan.sections, "F": "A daily check-in after lunch."},
                        today=final_on)
    proposed.refresh_from_db()
    letter = PostalLetter.objects.filter(kind="final").first()
    posted = dt.date(2027, 4, 22)
    text = pdf_text(post.render_pdf(letter, today=posted))
    assert "The final plan" in text and "A daily check-in after lunch." in text
    # 2 months from the day it was posted, not from 20 April.
    assert "The last day to appeal is 22 June 2027" in text
    post.do_record_posted(letter, posted, coordinator, today=posted)
    proposed.refresh_from_db()
    assert proposed.deadlines().appeal_deadline == dt.date(2027, 6, 22)


def test_the_final_plan_waits_for_the_proposed_amendments_to_be_posted(proposed, coordinator):
    sections = {**proposed.plan.sections, "F": "A daily check-in after lunch."}
    with pytest.raises(ValidationError, match="still to be posted to the family"):
        do_issue_final_plan(proposed, coordinator, sections, today=dt.date(2027, 5, 1))
    for letter in PostalLetter.objects.filter(kind="decision"):
        post.do_record_posted(letter, POSTED_ON, coordinator, today=POSTED_ON)
    proposed.refresh_from_db()
    with pytest.raises(ValidationError, match="The family can reply until 9 April 2027"):
        do_issue_final_plan(proposed, coordinator, sections, today=dt.date(2027, 4, 9))
    assert do_issue_final_plan(proposed, coordinator, sections, today=dt.date(2027, 4, 10))


def test_a_plan_is_not_ceased_while_the_letter_to_cease_it_waits_to_be_posted(
        q_sync, plan, coordinator, by_post):
    from django_q.tasks import async_task

    from tests.decisions.conftest import held_review

    review = held_review(plan, coordinator, dt.date(2026, 12, 16))
    do_record_decision(review, coordinator, outcome="C", reasons="Needs met.",
                       cease_ground="not_necessary", family_consulted_on=dt.date(2027, 1, 4),
                       setting_consulted_on=dt.date(2027, 1, 5), today=dt.date(2027, 1, 11))
    async_task("decisions.tasks.daily_decisions_for", dt.date(2027, 3, 12))
    assert Plan.objects.get().status == Plan.Status.ACTIVE, "two months from the email only"
    letters = PostalLetter.objects.filter(kind="decision")
    for letter in letters:
        post.do_record_posted(letter, dt.date(2027, 1, 14), coordinator,
                              today=dt.date(2027, 1, 14))
    # 2 months from 14 January is Sunday 14 March: the family has until Monday.
    async_task("decisions.tasks.daily_decisions_for", dt.date(2027, 3, 15))
    assert Plan.objects.get().status == Plan.Status.ACTIVE, "the last day to appeal"
    async_task("decisions.tasks.daily_decisions_for", dt.date(2027, 3, 16))
    assert Plan.objects.get().status == Plan.Status.CEASED
