"""The contacts every letter to a family names (the SEND team, SENDIASS, advocacy, the
disagreement resolution service, mediation) are held on the authority, with a phone and
an email, and kept by its staff in the admin with the authority itself."""

import pytest
from django.core.exceptions import ValidationError

from agencies.contacts import APPEALABLE_LETTER, EVERY_LETTER, authority_contacts, require
from agencies.models import AuthorityContact
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def edit_url(authority):
    return f"/cms/localauthority/edit/{authority.pk}/"


def contact_rows(rows, initial=0):
    data = {"contacts-TOTAL_FORMS": len(rows), "contacts-INITIAL_FORMS": initial,
            "contacts-MIN_NUM_FORMS": 0, "contacts-MAX_NUM_FORMS": 5}
    for n, row in enumerate(rows):
        data.update({f"contacts-{n}-{key}": value for key, value in row.items()})
    return data


def authority_form(authority, rows):
    return {"name": authority.name, "dfe_code": authority.dfe_code,
            "health_commissioner": "", **contact_rows(rows)}


def test_staff_keep_the_contacts_on_the_authoritys_own_page(client, staff, authority):
    sign_in(client, staff)
    page = client.get(edit_url(authority)).content.decode()
    assert "Contacts named in letters to families" in page
    response = client.post(edit_url(authority), authority_form(authority, [
        {"service": "disagreement_resolution", "name": "Testshire Resolve",
         "phone": "0113 496 0800", "email": "resolve@test.example",
         "website": "https://resolve.test.example"},
        {"service": "mediation", "name": "Testshire Mediation", "phone": "0113 496 0700",
         "email": "mediation@test.example", "website": ""},
    ]))
    assert response.status_code == 302
    held = authority_contacts(authority)
    assert held.disagreement_resolution.phone == "0113 496 0800"
    assert held.mediation.email == "mediation@test.example"


def test_a_contact_needs_a_phone_and_an_email(client, staff, authority):
    sign_in(client, staff)
    response = client.post(edit_url(authority), authority_form(authority, [
        {"service": "sendiass", "name": "Testshire SENDIASS", "phone": "", "email": ""}]))
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not AuthorityContact.objects.exists()


def test_one_contact_per_service(client, staff, authority):
    sign_in(client, staff)
    row = {"service": "sendiass", "name": "Testshire SENDIASS", "phone": "0113 496 0600",
           "email": "help@test.example"}
    response = client.post(edit_url(authority), authority_form(authority, [row, row]))
    assert response.status_code == 200
    assert not AuthorityContact.objects.exists()


def test_families_professionals_and_strangers_cannot_reach_it(client, authority, parent,
                                                              therapist, outsider):
    for person in (parent, therapist, outsider):
        client.logout()
        sign_in(client, person)
        assert client.get(edit_url(authority)).status_code in (302, 403), person


def test_a_missing_contact_is_named_with_where_to_add_it(authority):
    AuthorityContact.objects.create(authority=authority, service="sendiass",
                                    name="Testshire SENDIASS", phone="0113 496 0600",
                                    email="help@test.example")
    AuthorityContact.objects.create(authority=authority, service="send_team",
                                    name="Testshire SEND team", phone="", email="send@t.example")
    with pytest.raises(ValidationError) as refused:
        require(authority, APPEALABLE_LETTER)
    message = refused.value.messages[0]
    assert message == (
        "Testshire County Council's record does not hold the phone number of Testshire SEND "
        "team, its independent advocacy service, its disagreement resolution service or its "
        "mediation service, which the letter must name. Staff add them in the admin: "
        "Agencies and people, Local authorities, Testshire County Council.")
    assert set(EVERY_LETTER) < set(APPEALABLE_LETTER)
