import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from agencies.models import Agency, LocalAuthority, Membership, User
from demo.people import PERSONAS

pytestmark = pytest.mark.django_db


def counts():
    return (User.objects.count(), Agency.objects.count(), Membership.objects.count(),
            Authenticator.objects.count())


def test_the_demo_authority_has_every_kind_of_agency_and_three_families():
    call_command("seed_demo", "--quiet")
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert kinds == {"la_send", "school", "nhs", "social_care", "advocacy", "sendiass"}
    assert Agency.objects.filter(kind="school").count() == 4
    assert User.objects.filter(memberships__isnull=True).count() == 3
    assert Membership.objects.filter(role="coordinator", agency__kind="la_send").count() == 2
    nhs = set(Membership.objects.filter(agency__kind="nhs").values_list("discipline", flat=True))
    assert {"salt", "ot", "physio", "paed", "camhs"} <= nhs
    commissioner = LocalAuthority.objects.get().health_commissioner
    assert commissioner.kind == "nhs" and commissioner.email  # told when a plan is to cease


def test_the_demo_authority_holds_every_contact_its_letters_name():
    from agencies.contacts import APPEALABLE_LETTER, authority_contacts

    call_command("seed_demo", "--quiet")
    contacts = authority_contacts(LocalAuthority.objects.get())
    assert contacts.missing(APPEALABLE_LETTER) == []
    assert contacts.disagreement_resolution.phone and contacts.mediation.email


def test_running_the_seed_twice_changes_nothing():
    call_command("seed_demo", "--quiet")
    before = counts()
    passwords = dict(User.objects.values_list("email", "password"))
    call_command("seed_demo", "--quiet")
    assert counts() == before
    assert dict(User.objects.values_list("email", "password")) == passwords


def test_the_seed_lists_every_demo_sign_in(capsys):
    call_command("seed_demo")
    printed = capsys.readouterr().out
    assert all(persona.email in printed for persona in PERSONAS)
    assert "review-demo-2026" in printed


def test_every_demo_professional_has_mfa_and_families_do_not():
    call_command("seed_demo", "--quiet")
    with_totp = set(Authenticator.objects.values_list("user__email", flat=True))
    members = set(User.objects.filter(memberships__isnull=False).values_list("email", flat=True))
    assert with_totp == members
