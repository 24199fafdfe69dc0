import pytest

from agencies.models import AuditEntry
from tests.conftest import PASSWORD, sign_in
from tests.factories import FamilyMemberFactory

pytestmark = pytest.mark.django_db


def actions():
    return list(AuditEntry.objects.order_by("at", "pk").values_list("action", flat=True))


def test_a_sign_in_is_recorded_with_who_and_where(client, parent):
    sign_in(client, parent)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SIGNED_IN)
    assert entry.user == parent and entry.ip_address == "127.0.0.1"


def test_a_failed_sign_in_is_recorded_without_the_password(client, parent):
    client.post("/accounts/login/", {"login": parent.email, "password": "not-it-at-all"})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SIGN_IN_FAILED)
    assert entry.email == parent.email
    assert "not-it-at-all" not in f"{entry.email} {entry.detail}"


def test_signing_out_is_recorded(client, parent):
    sign_in(client, parent)
    client.post("/accounts/logout/")
    assert actions() == ["signed_in", "signed_out"]


@pytest.mark.django_db(transaction=True)  # allauth sends its MFA signals on commit
def test_mfa_changes_are_recorded(client, parent):
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    sign_in(client, parent)
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post("/accounts/2fa/totp/activate/", {"code": code})
    recorded = set(actions())
    assert {"mfa_added"} <= recorded
    assert AuditEntry.objects.filter(action="mfa_added", detail="totp", user=parent).exists()


def test_audit_entries_cannot_be_edited_or_deleted(client, parent):
    sign_in(client, parent)
    entry = AuditEntry.objects.get()
    recorded = entry.detail
    entry.detail = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(detail="tampered")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().detail == recorded


def test_staff_read_the_audit_trail_in_the_admin_and_cannot_change_it(client, staff, parent,
                                                                       authority):
    from django.test import Client


    # Staff read their own authority's entries: the parent's, as one of its children's.
    FamilyMemberFactory(user=parent, name="Pat")
    Client().post("/accounts/login/", {"login": parent.email, "password": PASSWORD})
    sign_in(client, staff)
    page = client.get("/cms/auditentry/")
    assert page.status_code == 200
    assert parent.email in page.content.decode()
    entry = AuditEntry.objects.filter(user=parent).first()
    assert client.get(f"/cms/auditentry/inspect/{entry.pk}/").status_code == 200
    assert client.get(f"/cms/auditentry/edit/{entry.pk}/").status_code == 404
    assert client.get(f"/cms/auditentry/delete/{entry.pk}/").status_code == 404
    assert client.get("/cms/auditentry/new/").status_code == 404


def test_people_outside_the_staff_cannot_read_the_audit_trail(client, coordinator):
    sign_in(client, coordinator)
    assert client.get("/cms/auditentry/").status_code in (302, 403)
