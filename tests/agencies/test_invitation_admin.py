import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, resolve, reverse

from agencies.invitations import do_invite_to_agency
from agencies.models import Agency, AgencyInvitation, AuditEntry, Role
from outbox.models import Email
from tests.conftest import make_person, sign_in
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_staff_send_an_agency_invitation_from_the_admin(client, staff, nhs_trust):
    sign_in(client, staff)
    response = client.post("/cms/agencyinvitation/new/", {
        "agency": nhs_trust.pk, "email": "ot@test.example", "first_name": "Olu",
        "last_name": "Therapist", "role": "practitioner", "discipline": "ot",
    })
    assert response.status_code == 302
    invitation = AgencyInvitation.objects.get()
    assert invitation.invited_by == staff and invitation.token_hash
    assert Email.objects.get().to == "ot@test.example"
    assert AuditEntry.objects.filter(action="invitation_sent", user=staff).exists()


def test_an_invitation_cannot_be_edited_after_it_is_sent(client, staff, nhs_trust):
    sign_in(client, staff)
    client.post("/cms/agencyinvitation/new/", {
        "agency": nhs_trust.pk, "email": "ot@test.example", "role": "practitioner",
    })
    pk = AgencyInvitation.objects.get().pk
    assert resolve("/cms/agencyinvitation/new/").view_name == "agencyinvitation:add"
    for view in ("edit", "delete", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"agencyinvitation:{view}", args=[pk])
    assert client.get(f"/cms/agencyinvitation/edit/{pk}/").status_code == 404


def test_wagtails_own_sign_in_page_sends_people_to_allauth(client):
    response = client.get("/cms/login/?next=/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# ---------------------------------------------------------------------------
# An invitation gives only what its sender may give
# ---------------------------------------------------------------------------


def admin_person(email, agency, role, *codenames, staff=False):
    """Someone who reaches the admin with only the named permissions."""
    person = make_person(email, "Ada", "Admin", agency, role, is_staff=staff)
    person.user_permissions.add(*Permission.objects.filter(
        codename__in=["access_admin", *codenames]))
    return person


INVITE = "/cms/agencyinvitation/new/"


def invite_form(agency, role, email="invitee@test.example"):
    return {"agency": agency.pk, "email": email, "role": role}


def offered(client, field):
    form = client.get(INVITE).context["form"]
    return {str(value) for value, _label in form.fields[field].choices if value}


@pytest.fixture
def school(authority):
    return Agency.objects.create(authority=authority, name="Testshire Primary",
                                 kind=Agency.Kind.SCHOOL)


@pytest.fixture
def other_council_team(db):
    return AgencyFactory(authority__name="Otherham Borough Council", authority__dfe_code="997",
                         name="Otherham SEND team", kind=Agency.Kind.LA_SEND)


def test_someone_allowed_only_to_send_invitations_cannot_make_themselves_a_lead(
        client, nhs_trust, la_team, other_council_team):
    sender = admin_person("sender@test.example", nhs_trust, Role.PRACTITIONER,
                          "add_agencyinvitation", "view_agencyinvitation")
    sign_in(client, sender)
    assert offered(client, "agency") == set() and offered(client, "role") == set()
    for agency in (la_team, nhs_trust, other_council_team):
        response = client.post(INVITE, invite_form(agency, Role.LEAD, sender.email))
        assert response.status_code == 200
    assert not AgencyInvitation.objects.exists() and not Email.objects.exists()


def test_an_agency_lead_invites_to_their_own_agency_only(client, school, la_team,
                                                       other_council_team):
    lead = admin_person("head@test.example", school, Role.LEAD, "add_agencyinvitation",
                        "view_agencyinvitation")
    sign_in(client, lead)
    assert offered(client, "agency") == {str(school.pk)}
    assert offered(client, "role") == {Role.PRACTITIONER, Role.COORDINATOR, Role.LEAD}
    for agency in (la_team, other_council_team):
        html = client.post(INVITE, invite_form(agency, Role.PRACTITIONER)).content.decode()
        assert "Select a valid choice" in html
    assert client.post(INVITE, invite_form(school, Role.COORDINATOR)).status_code == 302
    assert AgencyInvitation.objects.get().agency == school


def test_staff_give_roles_up_to_their_own_in_any_agency_of_their_authority(
        client, la_team, nhs_trust, school, other_council_team):
    officer = admin_person("officer@test.example", la_team, Role.COORDINATOR,
                           "add_agencyinvitation", "view_agencyinvitation", staff=True)
    sign_in(client, officer)
    assert offered(client, "agency") == {str(a.pk) for a in (la_team, nhs_trust, school)}
    assert offered(client, "role") == {Role.PRACTITIONER, Role.COORDINATOR}
    refused = client.post(INVITE, invite_form(nhs_trust, Role.LEAD)).content.decode()
    assert "Select a valid choice" in refused
    assert client.post(INVITE, invite_form(nhs_trust, Role.COORDINATOR)).status_code == 302
    assert AgencyInvitation.objects.get().role == Role.COORDINATOR


def test_an_la_send_lead_gives_any_role_in_their_authority_only(client, la_team, school,
                                                              other_council_team):
    lead = admin_person("manager@test.example", la_team, Role.LEAD, "add_agencyinvitation",
                        "view_agencyinvitation")
    sign_in(client, lead)
    assert str(other_council_team.pk) not in offered(client, "agency")
    assert client.post(INVITE, invite_form(school, Role.LEAD)).status_code == 302


def test_a_role_nobody_may_give_is_refused_however_it_is_asked(school, la_team):
    head = make_person("head@test.example", "Hal", "Head", school, Role.LEAD)
    with pytest.raises(PermissionDenied):
        do_invite_to_agency(AgencyInvitation(agency=la_team, email="x@test.example",
                                              role=Role.PRACTITIONER), head)
    assert not AgencyInvitation.objects.exists()
