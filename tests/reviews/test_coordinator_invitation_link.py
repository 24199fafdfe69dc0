"""The link in every invitation email: straight to the task, to sign-in, or to an account
bound to the invited address."""

import re

import pytest

from agencies.models import User
from outbox.models import Email
from reviews import invitees, scheduling
from reviews.models import FamilyMember, Invitation
from tests.conftest import make_person, sign_in
from tests.reviews.conftest import make_plan, make_review
from tests.reviews.test_scheduling import five_roles_fixture, invite_suggested, social_care_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def link_for(email_address: str) -> str:
    text = Email.objects.get(to=email_address).text
    return re.search(r"http://localhost:8000(/reviews/i/[^/\s]+/)", text).group(1)


@pytest.fixture
def sent(five_roles, coordinator):
    invite_suggested(five_roles, coordinator)
    scheduling.do_add_invitations(five_roles, coordinator, [invitees.Invitee(
        "Nina Newcomer", "nina@test.example", Invitation.Role.PROFESSIONAL)])
    scheduling.do_send_invitations(five_roles, coordinator)
    return five_roles


def signup(client, email, password="a-strong-new-password-9", next_url=""):
    return client.post("/accounts/signup/" + (f"?next={next_url}" if next_url else ""),
                       {"email": email, "password1": password, "password2": password})


def test_a_signed_in_contributor_goes_straight_to_their_advice(client, sent, therapist):
    sign_in(client, therapist)
    response = client.get(link_for(therapist.email))
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/{sent.pk}/advice/"


def test_a_signed_in_parent_goes_straight_to_their_family_page(client, sent, parent):
    sign_in(client, parent)
    response = client.get(link_for(parent.email))
    assert response["Location"] == f"/reviews/{sent.pk}/family/"


def test_someone_with_an_account_is_asked_to_sign_in_and_comes_back(client, sent, therapist):
    link = link_for(therapist.email)
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={link.replace('/', '%2F')}"


def test_someone_without_an_account_makes_one_bound_to_the_invited_address(client, sent):
    link = link_for("nina@test.example")
    response = client.get(link)
    assert response["Location"].startswith("/accounts/signup/?next=")
    page = client.get("/accounts/signup/")
    assert "account/signup_closed.html" not in [t.name for t in page.templates]

    refused = signup(client, "someone.else@test.example")
    assert "Use the email address your invitation was sent to" in refused.content.decode()

    done = signup(client, "nina@test.example", next_url=link)
    nina = User.objects.get(email="nina@test.example")
    assert (nina.first_name, nina.last_name) == ("Nina", "Newcomer")
    assert nina.emailaddress_set.get().verified, "the link proved the address"
    assert Invitation.objects.get(review=sent, email="nina@test.example").user == nina
    assert sent.events.filter(kind="invitation_accepted").exists()
    assert done.status_code == 302 and done["Location"] == link
    # A professional: the portal opens only once they have enrolled in MFA.
    assert client.get(link)["Location"] == "/accounts/2fa/totp/activate/"


def test_a_new_family_member_is_bound_to_the_child_when_they_sign_up(client, five_roles,
                                                                     coordinator, child):
    FamilyMember.objects.create(child=child, name="Carla Carer", email="carla@test.example",
                                relationship=FamilyMember.Relationship.CARER)
    invite_suggested(five_roles, coordinator)
    scheduling.do_send_invitations(five_roles, coordinator)
    client.get(link_for("carla@test.example"))
    signup(client, "carla@test.example")
    carla = User.objects.get(email="carla@test.example")
    assert FamilyMember.objects.get(email="carla@test.example").user == carla
    assert client.get(f"/reviews/{five_roles.pk}/")["Location"] == \
        f"/reviews/{five_roles.pk}/family/"


def test_an_unknown_link_is_a_friendly_404(client):
    response = client.get("/reviews/i/not-a-real-token/")
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


def test_a_withdrawn_invitation_s_link_is_a_friendly_404(client, sent, coordinator, therapist):
    link = link_for(therapist.email)
    scheduling.do_remove_invitation(sent.invitations.get(email=therapist.email), coordinator)
    sign_in(client, therapist)
    response = client.get(link)
    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()


def test_the_refused_cast_get_a_404_from_someone_else_s_link(client, sent, refused, therapist):
    link = link_for(therapist.email)
    for person in refused:
        client.logout()
        sign_in(client, person)
        for response in (client.get(link), client.post(link)):
            assert response.status_code == 404, person
            assert "This invitation was sent to someone else" in response.content.decode()
    assert Invitation.objects.get(review=sent, email=therapist.email).user == therapist


def test_a_link_never_opens_sign_up_for_an_agency(client, sent):
    from agencies.models import Membership

    client.get(link_for("nina@test.example"))
    signup(client, "nina@test.example")
    assert not Membership.objects.filter(user__email="nina@test.example").exists()


def test_a_parent_invited_by_email_lands_on_their_childs_review_after_signing_up(
        client, five_roles, coordinator, other_parent):
    invite_suggested(five_roles, coordinator)
    sign_in(client, coordinator)
    client.post(f"/reviews/{five_roles.pk}/invite/", {
        "action": "add", "add-name": "Farah Newparent", "add-email": "Farah@Test.example",
        "add-role": Invitation.Role.FAMILY})
    scheduling.do_send_invitations(five_roles, coordinator)
    client.logout()

    link = link_for("farah@test.example")
    client.get(link)
    done = signup(client, "farah@test.example", next_url=link)
    landing = client.get(done["Location"], follow=True)
    assert landing.status_code == 200
    assert landing.redirect_chain[-1][0] == f"/reviews/{five_roles.pk}/family/"
    farah = User.objects.get(email="farah@test.example")
    record = FamilyMember.objects.get(user=farah)
    assert (record.child, record.name) == (five_roles.plan.child, "Farah Newparent")
    assert client.get("/reviews/family/").status_code == 200

    others = make_review(make_plan(FamilyMember.objects.get(user=other_parent).child),
                         coordinator)
    for url in (f"/reviews/{others.pk}/", f"/reviews/{others.pk}/family/"):
        assert client.get(url).status_code == 404, "another child's review stays closed"


def test_opening_a_link_changes_nothing_until_the_invited_person_confirms(client, sent):
    link = link_for("nina@test.example")
    client.get(link)
    client.head(link)
    invitation = Invitation.objects.get(review=sent, email="nina@test.example")
    assert invitation.user is None, "a mail scanner opening the link changes nothing"

    nina = make_person("nina@test.example", "Nina", "Newcomer")  # made some other way
    sign_in(client, nina)
    page = client.get(link)
    assert page.status_code == 200 and "Open the review" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.user is None and not sent.events.filter(kind="invitation_accepted")

    response = client.post(link)
    assert response["Location"] == f"/reviews/{sent.pk}/advice/"
    invitation.refresh_from_db()
    assert invitation.user == nina and sent.events.filter(kind="invitation_accepted").exists()


def test_someone_else_cannot_confirm_another_s_invitation(client, sent, outsider):
    link = link_for("nina@test.example")
    sign_in(client, outsider)
    assert client.post(link).status_code == 404
    assert Invitation.objects.get(review=sent, email="nina@test.example").user is None
