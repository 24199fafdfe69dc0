"""Memberships in the admin: the same rule of giving as invitations, every change in the
audit trail, and a colleague's reset of someone's two-step sign-in."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission

from agencies.models import AgencyInvitation, AuditEntry, Membership, Role
from tests.conftest import make_person, sign_in
from tests.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db

MEMBERSHIPS = "/cms/membership/"


def reset_url(membership):
    return f"{MEMBERSHIPS}reset-two-step/{membership.pk}/"


def membership_form(membership, **changes):
    return {"user": membership.user_id, "agency": membership.agency_id,
            "role": membership.role, "discipline": membership.discipline,
            "job_title": membership.job_title,
            **({"is_active": "on"} if membership.is_active else {}), **changes}


def changes_recorded():
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.MEMBERSHIP_CHANGED)
                .order_by("at").values_list("user__email", "detail"))


@pytest.fixture
def staff_client(client, staff):
    sign_in(client, staff)
    return client


def test_adding_a_membership_is_audited(staff_client, staff, therapist, la_team):
    response = staff_client.post(f"{MEMBERSHIPS}new/", {
        "user": therapist.pk, "agency": la_team.pk, "role": "practitioner", "is_active": "on"})
    assert response.status_code == 302
    assert changes_recorded() == [(staff.email, "therapist@test.example: Practitioner, "
                                                "Testshire SEND team (added in the admin)")]


def test_switching_a_membership_off_is_audited(staff_client, staff, therapist):
    membership = therapist.memberships.get()
    data = membership_form(membership)
    del data["is_active"]
    assert staff_client.post(f"{MEMBERSHIPS}edit/{membership.pk}/", data).status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert changes_recorded() == [(staff.email, "therapist@test.example: Practitioner, "
                                                "Testshire NHS Trust (switched off in the admin)")]


def test_changing_a_role_is_audited_and_saving_unchanged_is_not(staff_client, therapist):
    membership = therapist.memberships.get()
    staff_client.post(f"{MEMBERSHIPS}edit/{membership.pk}/", membership_form(membership))
    assert changes_recorded() == []
    staff_client.post(f"{MEMBERSHIPS}edit/{membership.pk}/",
                      membership_form(membership, role="lead"))
    assert changes_recorded()[0][1].endswith("(changed in the admin: role)")


def test_memberships_are_never_deleted_from_the_admin(staff_client, therapist):
    membership = therapist.memberships.get()
    assert staff_client.post(f"{MEMBERSHIPS}delete/{membership.pk}/").status_code in (302, 403)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_nobody_gives_a_membership_above_their_own(client, la_team, nhs_trust, therapist):
    officer = make_person("officer@test.example", "Ola", "Officer", la_team, Role.COORDINATOR,
                          is_staff=True)
    officer.user_permissions.add(*Permission.objects.filter(codename__in=[
        "access_admin", "add_membership", "change_membership", "view_membership"]))
    sign_in(client, officer)
    response = client.post(f"{MEMBERSHIPS}new/", {
        "user": officer.pk, "agency": nhs_trust.pk, "role": "lead", "is_active": "on"})
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=officer, agency=nhs_trust).exists()
    assert changes_recorded() == []


# ---------------------------------------------------------------------------
# Resetting someone's two-step sign-in
# ---------------------------------------------------------------------------


def test_staff_reset_a_colleague_s_two_step_sign_in_after_confirming(staff_client, staff,
                                                                    therapist, client):
    membership = therapist.memberships.get()
    edit = staff_client.get(f"{MEMBERSHIPS}edit/{membership.pk}/").content.decode()
    assert reset_url(membership) in edit
    page = staff_client.get(reset_url(membership))
    assert page.status_code == 200 and "Yes, reset two-step sign-in" in page.content.decode()
    assert Authenticator.objects.filter(user=therapist).exists(), "a GET changes nothing"

    assert staff_client.post(reset_url(membership)).status_code == 302
    assert not Authenticator.objects.filter(user=therapist).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MFA_RESET_BY_STAFF)
    assert entry.user == staff and entry.detail == "for therapist@test.example"

    staff_client.logout()
    response = sign_in(client, therapist)
    assert client.get("/reviews/", follow=True).redirect_chain[-1][0] == \
        "/accounts/2fa/totp/activate/", "they set it up again at their next sign-in"
    assert response.status_code == 302


def test_nobody_resets_their_own_two_step_sign_in(staff_client, staff):
    membership = staff.memberships.get()
    assert reset_url(membership) not in staff_client.get(
        f"{MEMBERSHIPS}edit/{membership.pk}/").content.decode()
    assert staff_client.post(reset_url(membership)).status_code in (302, 403)
    assert Authenticator.objects.filter(user=staff).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.MFA_RESET_BY_STAFF).exists()


def test_another_authority_s_people_cannot_be_reset(staff_client):
    person = ProfessionalFactory(email="bea@otherham.example", role=Role.LEAD,
                                 agency__authority__name="Otherham Borough Council",
                                 agency__authority__dfe_code="997")
    assert staff_client.post(reset_url(person.memberships.get())).status_code == 404
    assert Authenticator.objects.filter(user=person).exists()


def test_only_staff_who_may_change_memberships_may_reset(client, la_team, therapist):
    viewer = make_person("viewer@test.example", "Vic", "Viewer", la_team, Role.LEAD,
                         is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(
        codename__in=["access_admin", "view_membership"]))
    sign_in(client, viewer)
    assert client.post(reset_url(therapist.memberships.get())).status_code in (302, 403)
    assert Authenticator.objects.filter(user=therapist).exists()


@pytest.mark.parametrize("count", [3, 30])
def test_the_people_lists_run_a_fixed_number_of_queries(count, staff_client, nhs_trust,
                                                       django_assert_max_num_queries):
    for n in range(count):
        make_person(f"person{n}@test.example", "P", f"Person {n}", nhs_trust,
                    Role.PRACTITIONER, mfa=False)
        invitation = AgencyInvitation(agency=nhs_trust, email=f"invitee{n}@test.example")
        invitation.issue_token()
        invitation.save()
    for url in (MEMBERSHIPS, "/cms/users/", "/cms/agencyinvitation/"):
        with django_assert_max_num_queries(30):
            assert staff_client.get(url).status_code == 200
