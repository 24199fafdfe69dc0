import pytest

from agencies.models import AgencyInvitation, AuditEntry
from outbox.models import Email
from tests.conftest import sign_in

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
    assert client.get(f"/cms/agencyinvitation/edit/{pk}/").status_code == 404


def test_wagtails_own_sign_in_page_sends_people_to_allauth(client):
    response = client.get("/cms/login/?next=/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
