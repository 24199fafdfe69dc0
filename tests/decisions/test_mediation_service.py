"""Each authority's mediation service, kept by staff in the Wagtail admin, is what the
decision letters give."""

import pytest

from decisions.models import MediationService
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

ADMIN = "/cms/decisions/mediation-services/"


def test_staff_record_the_authoritys_mediation_service(client, staff, authority):
    sign_in(client, staff)
    assert client.get(f"{ADMIN}new/").status_code == 200
    response = client.post(f"{ADMIN}new/", {
        "authority": authority.pk, "name": "Testshire Mediation", "phone": "0113 496 0700",
        "email": "mediation@test.example", "website": "https://mediation.test.example"})
    assert response.status_code == 302
    assert MediationService.objects.get().authority == authority


def test_families_and_strangers_cannot_reach_it(client, family_parent, outsider):
    for person in (family_parent, outsider):
        client.logout()
        sign_in(client, person)
        assert client.get(ADMIN).status_code in (302, 403), person
