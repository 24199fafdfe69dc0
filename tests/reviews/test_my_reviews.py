""""My reviews": every review a professional is asked to help with, what is due first."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Discipline, Role
from reviews.advice import AdviceContent, do_save_advice
from reviews.models import Child, Invitation, Plan, Review
from tests.conftest import ON_TODAY, make_person, sign_in
from tests.factories import ReviewFactory
from tests.reviews.conftest import invite_person
from tests.reviews.test_advice_fixtures import invitation_of, media_fixture, submit  # noqa: F401

pytestmark = [pytest.mark.django_db, ON_TODAY]


def mine(client):
    response = client.get(reverse("reviews:mine"))
    assert response.status_code == 200
    return response.content.decode()


def caseload(authority, school, coordinator, therapist, nhs_trust, n):
    """`n` open reviews with the therapist invited to each, made in bulk."""
    children = Child.objects.bulk_create(
        Child(authority=authority, first_name="Kid", last_name=f"N{i}", la_reference=f"C-{i}",
              date_of_birth=dt.date(2015, 1, 1), setting=school) for i in range(n))
    plans = Plan.objects.bulk_create(
        Plan(child=child, first_issued_on=dt.date(2025, 1, 1)) for child in children)
    soon = timezone.now() + dt.timedelta(days=40)
    reviews = Review.objects.bulk_create(
        Review(plan=plan, coordinator=coordinator, due_by=dt.date(2026, 1, 1),
               meeting_at=soon + dt.timedelta(days=i)) for i, plan in enumerate(plans))
    Invitation.objects.bulk_create(
        Invitation(review=review, role=Invitation.Role.PROFESSIONAL, user=therapist,
                   agency=nhs_trust, name=str(therapist), email=therapist.email)
        for review in reviews)


def test_an_invited_therapist_sees_the_review_what_is_asked_and_a_button_to_the_advice_form(
        client, review, invited_therapist):
    sign_in(client, invited_therapist)
    page = mine(client)
    assert "Amira Example (T-0001)" in page
    assert "Testshire Primary" in page
    assert "Annual review" in page
    due = review.advice_due()
    assert f"Due by {due:%-d %B %Y}" in page
    assert "in 16 days" in page  # the meeting is in 30 days; advice is due 2 weeks before
    assert "Not answered yet" in page
    assert "Not started" in page
    assert reverse("reviews:advice", args=[review.pk]) in page
    assert "Amira" not in page.split("</title>")[0]  # the name is never in the title


def test_the_advice_status_follows_the_draft_and_the_submission(
        client, review, invited_therapist, media):
    sign_in(client, invited_therapist)
    do_save_advice(invitation_of(review, invited_therapist), invited_therapist,
                   AdviceContent(what_is_working="Pictures."))
    assert "Draft" in mine(client)
    assert "Continue" in mine(client)
    submit(review, invited_therapist)
    page = mine(client)
    assert "Submitted" in page
    assert f'href="{reverse("reviews:advice", args=[review.pk])}"' not in page
    assert reverse("reviews:advice_list", args=[review.pk]) in page


def test_advice_not_in_by_its_date_shows_as_late(client, review, invited_therapist):
    review.meeting_at = timezone.now() + dt.timedelta(days=10)  # advice was due 4 days ago
    review.save()
    # She was asked in good time, so the date she was given is the law's.
    Invitation.objects.filter(review=review).update(sent_at=timezone.now() - dt.timedelta(days=20))
    sign_in(client, invited_therapist)
    page = mine(client)
    assert "govuk-tag--red" in page
    assert "4 days late" in page


def test_what_is_due_first_is_at_the_top(client, authority, school, coordinator, review,
                                         invited_therapist, nhs_trust):
    sooner = ReviewFactory(plan__child__la_reference="T-0100", coordinator=coordinator,
                           meeting_in_days=20)
    no_meeting = ReviewFactory(plan__child__la_reference="T-0200", coordinator=coordinator)
    for other in (sooner, no_meeting):
        invite_person(other, invited_therapist, agency=nhs_trust)
    sign_in(client, invited_therapist)
    page = mine(client)
    assert page.index("T-0100") < page.index("T-0001") < page.index("T-0200")


def test_closed_reviews_and_removed_invitations_are_left_out(
        client, authority, school, coordinator, review, invited_therapist, nhs_trust):
    closed = ReviewFactory(plan__child__la_reference="T-0300", coordinator=coordinator,
                           status=Review.Status.CLOSED, closed_at=timezone.now())
    invite_person(closed, invited_therapist, agency=nhs_trust)
    removed = ReviewFactory(plan__child__la_reference="T-0400", coordinator=coordinator,
                            meeting_in_days=50)
    invite_person(removed, invited_therapist, agency=nhs_trust, removed_at=timezone.now())
    sign_in(client, invited_therapist)
    page = mine(client)
    assert "T-0001" in page
    assert "T-0300" not in page
    assert "T-0400" not in page


def test_an_agency_lead_sees_their_agencys_invitations_marked_as_such(
        client, review, nhs_trust):
    Invitation.objects.create(review=review, role=Invitation.Role.HEALTH, agency=nhs_trust,
                              name="Therapies duty inbox", email="duty@nhs.test.example")
    lead = make_person("lead@test.example", "Lena", "Lead", nhs_trust, Role.LEAD,
                       Discipline.DESIGNATED_CLINICAL_OFFICER)
    sign_in(client, lead)
    page = mine(client)
    assert "T-0001" in page
    assert "Your agency" in page
    assert "Therapies duty inbox" in page
    invitation = review.invitations.get()
    assert f"{reverse('reviews:answer', args=[review.pk])}?invitation={invitation.pk}" in page
    # Advice is the invitee's to give, not the lead's.
    assert f'href="{reverse("reviews:advice", args=[review.pk])}"' not in page


def test_someone_with_no_invitations_is_told_how_reviews_will_arrive(client, therapist):
    sign_in(client, therapist)
    assert "You have not been asked to help with any open reviews" in mine(client)


@pytest.mark.parametrize("n", [10, 200])
def test_the_page_runs_the_same_number_of_queries_for_10_or_200_invitations(
        client, authority, school, coordinator, therapist, nhs_trust, n,
        django_assert_max_num_queries):
    caseload(authority, school, coordinator, therapist, nhs_trust, n)
    sign_in(client, therapist)
    # One of them asks whether they lead an advocacy service with families waiting; one
    # reads the authority's name for the header, until it is cached.
    with django_assert_max_num_queries(11):
        page = mine(client)
    assert page.count('class="govuk-summary-card"') == n


def test_advice_submitted_after_its_date_shows_as_submitted_late(client, review,
                                                                 invited_therapist, media):
    due = review.advice_due()
    submit(review, invited_therapist,
           now=timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=2), dt.time(9))))
    sign_in(client, invited_therapist)
    page = mine(client)
    assert "Submitted late" in page
    assert "2 days late" in page
