"""The page where a young person decides who in their family sees their review, and where a
coordinator records what they said or a Mental Capacity Act decision; and the young person
listed as themselves, never as "Family", wherever the invited are listed."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from reviews.access import visible_reviews
from reviews.models import Event, FamilyMember, Invitation, YoungPersonDecision
from tests.conftest import ON_TODAY, TODAY, make_person, sign_in
from tests.factories import ChildFactory, FamilyMemberFactory, ReviewFactory
from tests.reviews.conftest import invite_person

pytestmark = [pytest.mark.django_db, ON_TODAY]

Choice = YoungPersonDecision.Choice


def born(years_ago: int) -> dt.date:
    return TODAY.replace(year=TODAY.year - years_ago) - dt.timedelta(days=30)


@pytest.fixture
def young_person(authority, school, coordinator):
    child = ChildFactory(setting=school, first_name="Jordan", last_name="Clarke",
                         la_reference="T-0017", date_of_birth=born(17))
    person = make_person("jordan@test.example", "Jordan", "Clarke")
    FamilyMemberFactory(child=child, user=person, name="Jordan Clarke",
                        relationship=FamilyMember.Relationship.YOUNG_PERSON)
    review = ReviewFactory(plan__child=child, coordinator=coordinator, meeting_in_days=30)
    invite_person(review, person, role=Invitation.Role.FAMILY)
    return person


@pytest.fixture
def review(young_person):
    return FamilyMember.objects.get(user=young_person).child.plans.get().reviews.get()


@pytest.fixture
def mum(review):
    person = make_person("mum@test.example", "Sam", "Clarke")
    FamilyMemberFactory(child=review.plan.child, user=person, name="Sam Clarke")
    invite_person(review, person, role=Invitation.Role.FAMILY)
    return person


def url(review) -> str:
    return reverse("reviews:who_can_see", args=[review.pk])


def key(person) -> str:
    return f"member_{FamilyMember.objects.get(user=person).pk}"


def sees(person, review) -> bool:
    return visible_reviews(person).filter(pk=review.pk).exists()


def test_the_young_person_hides_their_review_from_a_parent_and_shows_it_again(
        client, review, young_person, mum):
    sign_in(client, young_person)
    page = client.get(url(review)).content.decode()
    assert "Can Sam Clarke see your review?" in page
    assert "Jordan Clarke" not in page.split("<title>")[1].split("</title>")[0]

    response = client.post(url(review), {key(mum): Choice.DOES_NOT_SEE})
    assert response.status_code == 302
    decision = YoungPersonDecision.objects.get()
    assert (decision.choice, decision.basis, decision.recorded_by) == (
        "does_not_see", "own_account", young_person)
    assert not sees(mum, review)
    client.post(url(review), {key(mum): Choice.DOES_NOT_SEE})  # a double submit
    assert Event.objects.filter(kind="young_person_decided").count() == 1

    client.post(url(review), {key(mum): Choice.SEES})
    assert sees(mum, review)
    family_page = client.get(reverse("reviews:family_review", args=[review.pk])).content.decode()
    assert "Who can see your review" in family_page and "Can see your review" in family_page


def test_a_young_person_cannot_let_someone_act_for_them(client, review, young_person, mum):
    sign_in(client, young_person)
    response = client.post(url(review), {key(mum): Choice.ACTS_FOR})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not YoungPersonDecision.objects.exists()


def test_no_answer_is_a_clear_error_that_saves_nothing(client, review, young_person, mum):
    sign_in(client, young_person)
    response = client.post(url(review), {})
    assert response.status_code == 200
    assert "Select yes or no for Sam Clarke" in response.content.decode()
    assert not YoungPersonDecision.objects.exists()


def test_a_coordinator_records_a_mental_capacity_act_decision_with_its_reasons(
        client, review, coordinator, mum):
    sign_in(client, coordinator)
    acting = {key(mum): Choice.ACTS_FOR, "basis": "told_coordinator", "capacity_note": ""}
    response = client.post(url(review), acting)
    assert "Only a Mental Capacity Act decision lets someone act" in response.content.decode()
    response = client.post(url(review), {**acting, "basis": "mental_capacity"})
    assert "Say who assessed capacity" in response.content.decode()
    assert not YoungPersonDecision.objects.exists()

    note = "Capacity assessed by Dr Ade on 2 June. Best-interests decision by the SEN team."
    response = client.post(url(review), {**acting, "basis": "mental_capacity",
                                         "capacity_note": note})
    assert response.status_code == 302
    decision = YoungPersonDecision.objects.get()
    assert (decision.choice, decision.basis, decision.capacity_note, decision.recorded_by) == (
        "acts_for", "mental_capacity", note, coordinator)
    assert sees(mum, review)
    page = client.get(reverse("reviews:review", args=[review.pk])).content.decode()
    assert "Who can see the review" in page and "Acts for the young person" in page


def test_the_young_person_cannot_undo_a_mental_capacity_act_decision(
        client, review, coordinator, young_person, mum):
    sign_in(client, coordinator)
    client.post(url(review), {key(mum): Choice.ACTS_FOR, "basis": "mental_capacity",
                              "capacity_note": "Court of Protection deputy order."})
    client.logout()
    sign_in(client, young_person)
    page = client.get(url(review)).content.decode()
    assert "decided under the Mental Capacity Act" in page
    client.post(url(review), {key(mum): Choice.DOES_NOT_SEE})
    assert YoungPersonDecision.objects.get().choice == Choice.ACTS_FOR


def test_before_the_end_of_compulsory_school_age_there_is_nothing_to_decide(
        client, review, young_person, mum):
    child = review.plan.child
    child.date_of_birth = born(14)
    child.save()
    sign_in(client, young_person)
    page = client.get(url(review)).content.decode()
    assert "Until then, the family sees it as now." in page
    assert key(mum) not in page
    client.post(url(review), {key(mum): Choice.DOES_NOT_SEE})
    assert not YoungPersonDecision.objects.exists()
    assert sees(mum, review)


def test_strangers_another_childs_parent_an_uninvited_professional_and_a_parent_get_404(
        client, review, refused, mum, invited_therapist_of):
    for person in [*refused, mum, invited_therapist_of(review)]:
        client.logout()
        sign_in(client, person)
        assert client.get(url(review)).status_code == 404, person
        assert client.post(url(review), {key(mum): Choice.DOES_NOT_SEE}).status_code == 404
    assert not YoungPersonDecision.objects.exists()


@pytest.fixture
def invited_therapist_of(therapist, nhs_trust):
    def invite(review):
        invite_person(review, therapist, agency=nhs_trust)
        return therapist
    return invite


def test_the_page_runs_a_bounded_number_of_queries(client, review, young_person,
                                                   django_assert_max_num_queries):
    for n in range(6):
        FamilyMember.objects.create(child=review.plan.child, name=f"Relative {n}",
                                    email=f"relative{n}@test.example")
    sign_in(client, young_person)
    with django_assert_max_num_queries(12):
        assert client.get(url(review)).status_code == 200


def test_the_young_person_is_listed_as_the_young_person_not_family(
        client, review, young_person, mum, coordinator):
    review.invitations_sent_at = review.meeting_at
    review.save()
    sign_in(client, young_person)
    page = client.get(reverse("reviews:family_review", args=[review.pk])).content.decode()
    assert ('<dt class="govuk-summary-list__key">Jordan Clarke</dt>\n    '
            '<dd class="govuk-summary-list__value">Young person</dd>') in page
    assert ('<dt class="govuk-summary-list__key">Sam Clarke</dt>\n    '
            '<dd class="govuk-summary-list__value">Family</dd>') in page
    client.logout()
    sign_in(client, coordinator)
    for name in ("reviews:review", "reviews:invite"):
        page = client.get(reverse(name, args=[review.pk])).content.decode()
        jordan = page.split("Jordan Clarke<div")[1][:200]
        assert "Young person" in jordan and "Parent or young person" not in jordan, name


def test_a_parent_the_young_person_hides_from_has_no_row_on_my_reviews(
        client, review, young_person, mum):
    sign_in(client, mum)
    mine = client.get(reverse("reviews:mine")).content.decode()
    assert "T-0017" not in mine and str(review.pk) not in mine, "not agreed to: no row"


def test_the_report_lists_the_young_person_as_the_young_person(review, young_person, mum):
    from reports.drafting import draft_content

    roles = {row["name"]: row["role"] for row in draft_content(review)["attendance"]}
    assert roles == {"Jordan Clarke": "Young person", "Sam Clarke": "Family"}


def test_the_meeting_room_lists_the_young_person_as_the_young_person(
        client, review, young_person, mum, coordinator):
    from meeting.room import do_open_meeting

    do_open_meeting(review, coordinator)
    sign_in(client, coordinator)
    page = client.get(reverse("meeting:room", args=[review.pk])).content.decode()
    roles = dict(re.findall(r'<li class="room-person"[^>]*>\s*(.+?)\s*<span[^>]*>(.+?)</span>',
                            page))
    assert roles["Jordan Clarke"] == "Young person"
    assert roles["Sam Clarke"] == "Family"
