"""One name for the council running the portal: its record (issue 16, item 15). The demo's
header said "Demo local authority" (a setting's default) while its letters named the
authority's record, "Northbridge Borough Council"."""

import pytest

from outbox.models import Email
from reviews import scheduling
from tests.reviews.conftest import (  # noqa: F401  (fixtures)
    child,
    family_parent,
    plan,
    review,
    school,
    senco,
)
from tests.reviews.test_scheduling import (  # noqa: F401  (fixtures)
    five_roles_fixture,
    invite_suggested,
    social_care_fixture,
)

pytestmark = pytest.mark.django_db

HEADER = '<a href="/" class="govuk-generic-header__homepage-link">{}</a>'


def test_the_header_names_the_authority_on_record(client, authority):
    html = client.get("/accounts/login/").content.decode()
    assert HEADER.format("Testshire County Council") in html
    assert "is run by Testshire County Council." in html


def test_renaming_the_authority_renames_the_header(client, authority):
    client.get("/accounts/login/")
    authority.name = "Testshire Council"
    authority.save()
    assert HEADER.format("Testshire Council") in client.get("/accounts/login/").content.decode()


def test_a_setting_names_it_where_the_portal_serves_several(client, authority, settings):
    settings.AUTHORITY_NAME = "Testshire and Westshire SEND partnership"
    html = client.get("/accounts/login/").content.decode()
    assert HEADER.format("Testshire and Westshire SEND partnership") in html


def test_the_familys_letters_sign_off_with_the_same_name(five_roles, coordinator,
                                                         family_parent, client):  # noqa: F811
    invite_suggested(five_roles, coordinator)
    scheduling.do_send_invitations(five_roles, coordinator)
    letter = Email.objects.get(to=family_parent.email, key__startswith="review-invitation:")
    assert letter.text.rstrip().endswith("Testshire County Council")
    assert HEADER.format("Testshire County Council") in \
        client.get("/accounts/login/").content.decode()


def test_with_several_authorities_and_no_setting_the_header_names_none_of_them(
        client, authority, settings):
    from agencies.models import LocalAuthority

    LocalAuthority.objects.create(name="Otherham Borough Council", dfe_code="997")
    html = client.get("/accounts/login/").content.decode()
    assert "Otherham" not in html and "Testshire County Council" not in html
    assert HEADER.format(settings.SITE_NAME) in html
