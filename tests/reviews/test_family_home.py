"""The family's home: one card per child, with the next date, what they can do now, and the
meeting link on the day. A young person's card is written to them."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reviews.family import do_answer_advocacy, do_save_family_views, do_send_family_views
from reviews.models import AdvocacyOffer, FamilyMember, Plan, Review
from tests.conftest import ON_TODAY, sign_in
from tests.factories import ChildFactory, FamilyMemberFactory, ReviewFactory

pytestmark = [pytest.mark.django_db, ON_TODAY]

HOME = "/reviews/family/"


def home(client) -> str:
    return client.get(HOME).content.decode()


def add_child(user, authority, school, coordinator, n, **review_fields):
    child = ChildFactory(authority=authority, setting=school, first_name=f"Child{n}",
                         la_reference=f"T-1{n:03}")
    FamilyMemberFactory(child=child, user=user)
    return ReviewFactory(plan__child=child, coordinator=coordinator, **review_fields)


def test_the_family_lands_here_from_the_reviews_home(client, family_parent):
    sign_in(client, family_parent)
    assert client.get(reverse("reviews:home"))["Location"] == HOME


def test_a_parent_with_two_children_sees_two_cards(client, review, family_parent, authority,
                                                   school, coordinator):
    add_child(family_parent, authority, school, coordinator, 2)
    sign_in(client, family_parent)
    page = home(client)
    assert page.count('class="govuk-summary-card"') == 2
    assert "Amira Example" in page and "Child2 Example" in page
    assert reverse("reviews:family_review", args=[review.pk]) in page


def test_the_card_shows_the_meeting_and_what_to_do_now(client, review, family_parent):
    sign_in(client, family_parent)
    page = home(client)
    assert timezone.localtime(review.meeting_at).strftime("%-d %B %Y") in page
    assert "Give your views" in page and "Not started" in page
    assert "Answer the offer of an independent advocate" in page
    assert review.advice_due().strftime("%-d %B %Y") in page


def test_a_review_with_no_meeting_yet_says_we_will_tell_you_the_date(client, plan, coordinator,
                                                                     family_parent):
    ReviewFactory(plan=plan, coordinator=coordinator)
    sign_in(client, family_parent)
    assert "We will tell you the date" in home(client)


def test_the_views_status_moves_from_saved_to_sent(client, review, family_parent):
    sign_in(client, family_parent)
    do_save_family_views(review, family_parent, {"hard": "Maths."})
    assert "Saved, not sent" in home(client)
    do_send_family_views(review, family_parent)
    assert "Sent" in home(client) and "Saved, not sent" not in home(client)


def test_an_answered_offer_is_no_longer_a_thing_to_do_but_not_yet_still_is(
        client, review, family_parent):
    sign_in(client, family_parent)
    do_answer_advocacy(review, family_parent, AdvocacyOffer.Answer.NOT_YET)
    assert "Not decided yet" in home(client)
    do_answer_advocacy(review, family_parent, AdvocacyOffer.Answer.NO)
    assert "Answer the offer of an independent advocate" not in home(client)


def test_the_meeting_link_shows_on_the_day_of_the_meeting_only(client, plan, coordinator,
                                                               family_parent):
    review = ReviewFactory(plan=plan, coordinator=coordinator, meeting_in_days=3,
                           meeting_link="https://meet.test.example/amira")
    sign_in(client, family_parent)
    assert "Join the meeting online" not in home(client)
    review.meeting_at = timezone.now() + dt.timedelta(minutes=5)  # 10:05 on ON_TODAY's day
    review.save()
    assert "Join the meeting online" in home(client)


def test_a_closed_review_is_not_on_the_card(client, review, family_parent):
    review.status = Review.Status.CLOSED
    review.save()
    sign_in(client, family_parent)
    page = home(client)
    assert "There is no review open for Amira" in page
    assert reverse("reviews:family_review", args=[review.pk]) not in page


def test_a_young_persons_card_is_written_to_them(client, review, child, outsider):
    FamilyMemberFactory(child=child, user=outsider,
                        relationship=FamilyMember.Relationship.YOUNG_PERSON)
    sign_in(client, outsider)
    page = home(client)
    assert "Your review" in page and "See your review" in page
    assert "Amira Example" not in page


def test_someone_with_no_children_is_told_what_will_happen(client, outsider):
    sign_in(client, outsider)
    assert "When a review starts" in home(client)


def test_the_home_runs_the_same_number_of_queries_for_one_child_or_ten(
        client, review, family_parent, authority, school, coordinator,
        django_assert_max_num_queries):
    do_save_family_views(review, family_parent, {"hard": "Maths."})
    sign_in(client, family_parent)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one_child:
        home(client)
    for n in range(2, 11):
        other = add_child(family_parent, authority, school, coordinator, n, meeting_in_days=n)
        do_save_family_views(other, family_parent, {"hard": "Maths."})
        do_answer_advocacy(other, family_parent, AdvocacyOffer.Answer.NOT_YET)
    with django_assert_max_num_queries(len(one_child)):
        page = home(client)
    assert page.count('class="govuk-summary-card"') == 10


def what_you_can_do_now(page: str, n: int = 1) -> str:
    return page.split("What you can do now")[n].split("</ul>")[0]


def test_a_year_6_parent_is_told_the_day_the_plan_must_name_the_new_school(
        client, review, child, family_parent):
    # Year 6 in 2026/27: the move is in September 2027; the plan must name the secondary
    # school before 15 February 2027 (SEND Regs 2014 reg 18).
    child.date_of_birth = dt.date(2015, 10, 14)
    child.save()
    Review.objects.filter(pk=review.pk).update(kind=Review.Kind.PHASE_TRANSFER,
                                               due_by=dt.date(2027, 1, 20), meeting_at=None)
    sign_in(client, family_parent)
    with time_machine.travel(dt.datetime(2026, 11, 2, 9), tick=False):
        card = what_you_can_do_now(home(client))
        page = what_you_can_do_now(client.get(
            reverse("reviews:family_review", args=[review.pk])).content.decode())
    for shown in (card, page):
        assert "The plan must name the new school or college by" in shown
        assert "14 February 2027" in shown
        assert "move to a new school or college is in September 2027" in shown


def test_the_card_gives_the_date_for_their_views_and_the_meeting(client, review,
                                                                 family_parent):
    sign_in(client, family_parent)
    card = what_you_can_do_now(home(client))
    assert "Send your views by" in card and review.advice_due().strftime("%-d %B %Y") in card
    assert "The review meeting" in card
    assert timezone.localtime(review.meeting_at).strftime("%-d %B %Y") in card


def test_a_record_of_support_is_explained_where_the_family_meets_it(client, review, plan,
                                                                    family_parent):
    Plan.objects.filter(pk=plan.pk).update(kind=Plan.Kind.RECORD_OF_SUPPORT)
    Review.objects.filter(pk=review.pk).update(kind=Review.Kind.RECORD_OF_SUPPORT)
    sign_in(client, family_parent)
    for page in (home(client), client.get(
            reverse("reviews:family_review", args=[review.pk])).content.decode()):
        assert "What is a record of support?" in page
        assert "does not have an education, health and care (EHC) plan" in page
        assert ">Late<" not in page


def test_two_childrens_tabs_are_told_apart_without_naming_them(
        client, review, family_parent, authority, school, coordinator):
    other = add_child(family_parent, authority, school, coordinator, 2, meeting_in_days=20)
    sign_in(client, family_parent)
    titles = []
    for each in (review, other):
        page = client.get(reverse("reviews:family_review", args=[each.pk])).content.decode()
        titles.append(page.split("<title>")[1].split("</title>")[0])
    assert titles[0].startswith("Your child's review (1 of 2)")
    assert titles[1].startswith("Your child's review (2 of 2)")
    views = client.get(reverse("reviews:family_views", args=[other.pk])).content.decode()
    titles.append(views.split("<title>")[1].split("</title>")[0])
    assert titles[2].startswith("Tell us what you think (2 of 2)")
    for title in titles:
        assert "Amira" not in title and "Child2" not in title and "T-" not in title
