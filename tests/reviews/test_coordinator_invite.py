"""The invite page: tick who the portal suggests, add anyone by email, remove, send."""

import pytest

from agencies.models import Agency
from outbox.models import Email
from reviews.models import Invitation, Review
from tests.conftest import sign_in
from tests.factories import AgencyFactory, ReviewFactory
from tests.reviews.test_scheduling import five_roles_fixture, social_care_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def url(review):
    return f"/reviews/{review.pk}/invite/"


def suggested_keys(page):
    return [item["proposal"].key for item in page.context["proposals"] if item["checked"]]


def test_anonymous_visitors_are_sent_to_sign_in(client, review):
    for response in (client.get(url(review)), client.post(url(review), {"action": "send"})):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_refused_cast_and_invited_contributors_get_a_404(client, review, refused,
                                                             invited_therapist):
    for person in [*refused, invited_therapist]:
        client.logout()
        sign_in(client, person)
        assert client.get(url(review)).status_code == 404, person
        assert client.post(url(review), {"action": "send"}).status_code == 404, person
    assert not Email.objects.exists()


def test_the_page_suggests_the_five_and_ticks_them(client, five_roles, coordinator, senco,
                                                  parent, therapist):
    sign_in(client, coordinator)
    page = client.get(url(five_roles))
    assert sorted(suggested_keys(page)) == sorted([
        f"family:{parent.email}", f"setting:{senco.email}", f"la_sen:{coordinator.email}",
        f"health:{therapist.email}", "social_care:duty@care.test.example"])
    html = page.content.decode()
    assert html.count("govuk-tag--red\">Missing") == 5


def test_ticking_people_adds_them_without_sending_anything(client, five_roles, coordinator):
    sign_in(client, coordinator)
    keys = suggested_keys(client.get(url(five_roles)))
    response = client.post(url(five_roles), {"action": "suggested", "people": keys}, follow=True)
    assert five_roles.invitations.current().count() == 5
    assert not Email.objects.exists()
    html = response.content.decode()
    assert "Added 5 people" in html and html.count("govuk-tag--green\">Invited") == 5
    client.post(url(five_roles), {"action": "suggested", "people": keys})
    assert five_roles.invitations.count() == 5, "a double submit adds nobody twice"


def test_ticking_nobody_is_explained(client, five_roles, coordinator):
    sign_in(client, coordinator)
    html = client.post(url(five_roles), {"action": "suggested"}).content.decode()
    assert "Tick at least one person" in html and "<title>Error: " in html


def test_anyone_can_be_added_by_email_and_mistakes_keep_what_was_typed(client, review,
                                                                      coordinator):
    sign_in(client, coordinator)
    typed = {"action": "add", "add-name": "Eve Psych", "add-email": "not-an-email",
             "add-role": "professional"}
    html = client.post(url(review), typed).content.decode()
    assert "Enter a valid email address" in html and 'value="Eve Psych"' in html
    client.post(url(review), {**typed, "add-email": "eve@test.example"})
    invitation = review.invitations.get()
    assert (invitation.name, invitation.role) == ("Eve Psych", "professional")


def test_sending_is_refused_with_the_missing_roles_named(client, five_roles, coordinator,
                                                        parent):
    sign_in(client, coordinator)
    client.post(url(five_roles), {"action": "suggested", "people": [f"family:{parent.email}"]})
    response = client.post(url(five_roles), {"action": "send"})
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert "Still missing" in html and "local authority social care officer" in html
    assert not Email.objects.exists()


def test_sending_emails_everyone_and_returns_to_the_review(client, five_roles, coordinator):
    sign_in(client, coordinator)
    keys = suggested_keys(client.get(url(five_roles)))
    client.post(url(five_roles), {"action": "suggested", "people": keys})
    response = client.post(url(five_roles), {"action": "send"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/reviews/{five_roles.pk}/"
    assert "Invitations sent to 5 people" in response.content.decode()
    assert Email.objects.count() == 5
    assert Review.objects.get(pk=five_roles.pk).status == "invited"
    client.post(url(five_roles), {"action": "send"})
    assert Email.objects.count() == 5, "a double click sends one email per person"


def test_removing_an_invitation(client, five_roles, coordinator, therapist):
    sign_in(client, coordinator)
    keys = suggested_keys(client.get(url(five_roles)))
    client.post(url(five_roles), {"action": "suggested", "people": keys})
    invitation = five_roles.invitations.get(email=therapist.email)
    remove = f"/reviews/{five_roles.pk}/invite/{invitation.pk}/remove/"
    response = client.post(remove, follow=True)
    assert "Theo Rapist is no longer invited" in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).removed_at is not None
    assert client.post(remove).status_code == 404, "already removed"
    assert client.get(remove).status_code == 405


def test_removing_is_refused_to_the_refused_cast(client, review, refused, invited_therapist,
                                                 coordinator):
    invitation = review.invitations.get()
    remove = f"/reviews/{review.pk}/invite/{invitation.pk}/remove/"
    response = client.post(remove)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for person in [*refused, invited_therapist]:
        client.logout()
        sign_in(client, person)
        assert client.post(remove).status_code == 404, person
    assert Invitation.objects.get(pk=invitation.pk).removed_at is None


def test_an_invitation_of_another_review_cannot_be_removed_through_this_one(
        client, review, plan, coordinator, invited_therapist):

    other = ReviewFactory(plan=plan, coordinator=coordinator)
    invitation = review.invitations.get()
    sign_in(client, coordinator)
    assert client.post(f"/reviews/{other.pk}/invite/{invitation.pk}/remove/").status_code == 404


@pytest.mark.parametrize("extra_people", [0, 30])
def test_the_page_runs_a_bounded_number_of_queries(client, five_roles, coordinator,
                                                   authority, extra_people,
                                                   django_assert_max_num_queries):
    from agencies.models import Agency, Discipline, Role
    from tests.conftest import make_person

    nhs = Agency.objects.create(authority=authority, name="Another trust", kind=Agency.Kind.NHS)
    for i in range(extra_people):
        make_person(f"lead{i}@test.example", "Lead", str(i), nhs, Role.LEAD,
                    Discipline.PAEDIATRICIAN, mfa=False)
        Invitation.objects.create(review=five_roles, name=f"Guest {i}",
                                  email=f"guest{i}@test.example", role="other")
    sign_in(client, coordinator)
    # 7 for the session, user, MFA, access and audit; 7 or 8 to find the people to suggest
    # (one per source); the invitations, the organisations list and the session save.
    with django_assert_max_num_queries(21):
        assert client.get(url(five_roles)).status_code == 200


def test_nobody_is_invited_as_an_agency_of_another_authority(client, review, coordinator):
    their_team = AgencyFactory(authority__name="Otherham Borough Council",
                               authority__dfe_code="997", name="Otherham SEND team",
                               kind=Agency.Kind.LA_SEND)
    sign_in(client, coordinator)
    page = client.get(url(review)).content.decode()
    assert "Otherham SEND team" not in page
    html = client.post(url(review), {
        "action": "add", "add-name": "Eve Psych", "add-email": "eve@test.example",
        "add-role": "professional", "add-agency": their_team.pk}).content.decode()
    assert "Select a valid choice" in html and 'value="Eve Psych"' in html
    assert not review.invitations.exists()
