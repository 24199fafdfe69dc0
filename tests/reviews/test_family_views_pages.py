"""Family views, one question a page: Continue, Save and come back later, check your
answers, send, and a confirmation that says what happens next."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.family import do_save_family_views, do_send_family_views
from reviews.models import Event, FamilyMember, FamilyViews
from tests.conftest import ON_TODAY, sign_in
from tests.factories import FamilyMemberFactory

pytestmark = [pytest.mark.django_db, ON_TODAY]


@pytest.fixture
def signed_in(client, family_parent):
    sign_in(client, family_parent)
    return client


def step(review, slug):
    return reverse("reviews:family_views_step", args=[review.pk, slug])


def test_the_start_page_lists_the_questions_with_the_childs_name(signed_in, review):
    page = signed_in.get(reverse("reviews:family_views", args=[review.pk])).content.decode()
    assert "Tell us what you think" in page
    assert "What is important to Amira?" in page
    assert "Start now" in page


def test_each_question_has_its_own_page_and_continue_goes_to_the_next(signed_in, review):
    page = signed_in.get(step(review, "important")).content.decode()
    assert "What is important to Amira?" in page
    assert "Save and come back later" in page
    assert "Question 1 of 5" in page
    response = signed_in.post(step(review, "important"),
                              {"answer": "Her dog, Biscuit.", "action": "continue"})
    assert response["Location"] == step(review, "going-well")
    assert FamilyViews.objects.get().what_is_important == "Her dog, Biscuit."


def test_the_childs_name_is_never_in_the_page_title(signed_in, review):
    for slug in ("important", "hopes", "own-views"):
        page = signed_in.get(step(review, slug)).content.decode()
        title = page.split("<title>")[1].split("</title>")[0]
        assert "Amira" not in title and "your child" in title.lower(), title


def test_save_and_come_back_later_keeps_the_answer_and_goes_back_to_the_review(signed_in,
                                                                            review):
    response = signed_in.post(step(review, "hard"), {"answer": "Loud rooms.", "action": "later"},
                              follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews:family_review", args=[review.pk])
    assert "Your answers are saved" in response.content.decode()
    assert "Loud rooms." in signed_in.get(step(review, "hard")).content.decode()
    assert FamilyViews.objects.get().submitted_at is None


def test_the_last_question_leads_to_check_your_answers(signed_in, review):
    response = signed_in.post(step(review, "own-views"),
                              {"answer": "I like trains.", "action": "continue"})
    assert response["Location"] == reverse("reviews:family_views_check", args=[review.pk])


def test_a_change_from_check_your_answers_returns_there(signed_in, review, family_parent):
    do_save_family_views(review, family_parent, {"hard": "Loud rooms."})
    page = signed_in.get(reverse("reviews:family_views_check", args=[review.pk])).content.decode()
    assert step(review, "hard") + "?change=1" in page
    response = signed_in.post(step(review, "hard") + "?change=1",
                              {"answer": "Queues.", "action": "continue", "change": "1"})
    assert response["Location"] == reverse("reviews:family_views_check", args=[review.pk])


def test_a_too_long_answer_shows_an_error_and_keeps_what_was_typed(signed_in, review):
    typed = "word " * 1200
    response = signed_in.post(step(review, "hopes"), {"answer": typed, "action": "continue"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "5,000 characters or fewer" in page
    assert typed.strip() in page
    assert not FamilyViews.objects.exists()


def test_check_your_answers_then_send_then_a_confirmation_with_what_happens_next(
        signed_in, review, family_parent, coordinator):
    do_save_family_views(review, family_parent, {"going_well": "Reading.", "hard": "Maths."})
    check = reverse("reviews:family_views_check", args=[review.pk])
    page = signed_in.get(check).content.decode()
    assert "Reading." in page and "Maths." in page and "Not answered" in page
    assert "Send your views" in page
    response = signed_in.post(check, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews:family_views_sent",
                                                     args=[review.pk])
    page = response.content.decode()
    assert "Your views have been sent" in page
    assert "What happens next" in page
    assert str(coordinator) in page
    circulation = review.advice_due()
    assert circulation.strftime("%-d %B %Y") in page
    assert Event.objects.filter(review=review, kind="family_views_sent").count() == 1


def test_sending_nothing_shows_an_error(signed_in, review):
    response = signed_in.post(reverse("reviews:family_views_check", args=[review.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page and "Answer at least one question" in page


def test_a_double_submit_of_send_records_once(signed_in, review, family_parent):
    do_save_family_views(review, family_parent, {"hard": "Maths."})
    check = reverse("reviews:family_views_check", args=[review.pk])
    signed_in.post(check)
    signed_in.post(check)
    assert Event.objects.filter(review=review, kind__startswith="family_views").count() == 1


def test_after_sending_a_change_asks_to_send_the_changes(signed_in, review, family_parent):
    do_save_family_views(review, family_parent, {"hard": "Maths."})
    do_send_family_views(review, family_parent)
    check = reverse("reviews:family_views_check", args=[review.pk])
    assert "You sent your views on" in signed_in.get(check).content.decode()
    signed_in.post(step(review, "hard"), {"answer": "Maths and spelling.", "action": "continue"})
    assert "Send your changes" in signed_in.get(check).content.decode()
    signed_in.post(check)
    assert Event.objects.filter(review=review, kind="family_views_updated").count() == 1


def test_once_the_meeting_has_started_the_views_can_be_read_but_not_changed(
        signed_in, review, family_parent):
    do_save_family_views(review, family_parent, {"hard": "Maths."})
    do_send_family_views(review, family_parent)
    review.meeting_at = timezone.now() - dt.timedelta(hours=1)
    review.save()
    assert signed_in.get(step(review, "hard"))["Location"] == reverse(
        "reviews:family_views", args=[review.pk])
    start = signed_in.get(reverse("reviews:family_views", args=[review.pk])).content.decode()
    assert "The meeting has started" in start
    check = signed_in.get(reverse("reviews:family_views_check", args=[review.pk]))
    assert "Maths." in check.content.decode()
    assert "?change=1" not in check.content.decode()


def test_a_young_person_is_asked_about_themselves(client, review, child, outsider):
    young = outsider
    FamilyMemberFactory(child=child, user=young,
                        relationship=FamilyMember.Relationship.YOUNG_PERSON)
    sign_in(client, young)
    page = client.get(step(review, "important")).content.decode()
    assert "What is important to you?" in page
    assert "Amira" not in page
