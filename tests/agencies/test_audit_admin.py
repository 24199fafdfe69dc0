"""Staff read the audit trail in the admin: filtered by person, review, action and date,
each of them only what is about their own authority (a superuser in no agency, all of it),
and nobody can add, change or delete an entry there."""

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from agencies import audit
from agencies.models import Agency, AuditEntry, Role
from tests.conftest import ON_TODAY, TOTP_SECRET, make_person, sign_in
from tests.factories import AgencyFactory, AuthorityFactory, FamilyMemberFactory, ReviewFactory

pytestmark = [pytest.mark.django_db, ON_TODAY]

INDEX = "/cms/auditentry/"
SIGNED_IN = AuditEntry.Action.SIGNED_IN


@pytest.fixture
def other_authority(db):
    return AuthorityFactory(name="Otherby Borough Council", dfe_code="997")


@pytest.fixture
def other_team(other_authority):
    return AgencyFactory(authority=other_authority, name="Otherby SEND team",
                         kind=Agency.Kind.LA_SEND)


@pytest.fixture
def other_staff(other_team):
    return make_person("staff@otherby.example", "Otto", "Staff", other_team, Role.LEAD,
                       is_staff=True, is_superuser=True)


@pytest.fixture
def root(db):
    """A superuser who belongs to no agency."""
    person = make_person("root@test.example", "Ruth", "Root", is_staff=True,
                         is_superuser=True)
    TOTP.activate(person, TOTP_SECRET)
    return person


@pytest.fixture
def trail(authority, la_team, other_team, coordinator, parent, outsider, coordinator_b):
    """An entry each: about Testshire (its officer, a child's parent, a failed sign-in as
    its officer, a refusal on its child's review), about Otherby (its officer, a refusal
    on its child's review), and about no authority (a stranger's sign-in)."""
    child = FamilyMemberFactory(user=parent, name="Pat").child
    review = ReviewFactory(plan__child=child, coordinator=coordinator)
    other_review = ReviewFactory(plan__child__authority=other_team.authority,
                                 coordinator=coordinator_b)
    return {
        "testshire": [
            audit.record(SIGNED_IN, None, coordinator),
            audit.record(SIGNED_IN, None, parent),
            audit.record(AuditEntry.Action.SIGN_IN_FAILED, None, email=coordinator.email),
            audit.record(AuditEntry.Action.ACCESS_REFUSED, None, outsider, review=review,
                         detail="need view")],
        "otherby": [
            audit.record(SIGNED_IN, None, coordinator_b),
            audit.record(AuditEntry.Action.ACCESS_REFUSED, None, outsider,
                         review=other_review, detail="need view")],
        "nowhere": [audit.record(SIGNED_IN, None, outsider)],
    }


@pytest.fixture
def coordinator_b(other_team):
    return make_person("coordinator@otherby.example", "Bea", "Otherby", other_team,
                       Role.COORDINATOR)


def client_for(person) -> Client:
    client = Client()
    sign_in(client, person)
    return client


def listed(client, query="") -> set[int]:
    """The ids of the entries on the list's first page."""
    response = client.get(INDEX + query)
    assert response.status_code == 200
    return {entry.pk for entry in response.context["object_list"]}


def ids(*groups) -> set[int]:
    return {entry.pk for group in groups for entry in group}


def test_staff_of_each_authority_read_only_their_own_authoritys_entries(
        trail, staff, other_staff, root):
    testshire, otherby = client_for(staff), client_for(other_staff)
    seen = listed(testshire)
    assert ids(trail["testshire"]) <= seen
    assert not seen & ids(trail["otherby"], trail["nowhere"])
    seen = listed(otherby)
    assert ids(trail["otherby"]) <= seen
    assert not seen & ids(trail["testshire"], trail["nowhere"])
    assert ids(trail["testshire"], trail["otherby"], trail["nowhere"]) <= listed(
        client_for(root))


def test_an_entry_of_another_authority_cannot_be_opened(client, trail, staff):
    sign_in(client, staff)
    mine, theirs = trail["testshire"][0], trail["otherby"][0]
    assert client.get(f"{INDEX}inspect/{mine.pk}/").status_code == 200
    assert client.get(f"{INDEX}inspect/{theirs.pk}/").status_code == 404


def test_the_list_filters_by_person_review_action_and_date(client, trail, root, coordinator):
    old = AuditEntry.objects.create(action=SIGNED_IN, user=coordinator,
                                    email=coordinator.email,
                                    at=timezone.now() - dt.timedelta(days=40))
    sign_in(client, root)
    refusal = trail["testshire"][3]
    assert listed(client, f"?person={coordinator.email.upper()}") == ids(
        trail["testshire"][:1], trail["testshire"][2:3], [old])
    assert listed(client, f"?review={refusal.review_id}") == {refusal.pk}
    assert listed(client, "?action=access_refused") == ids(trail["testshire"][3:],
                                                          trail["otherby"][1:])
    day = (timezone.localdate() - dt.timedelta(days=40)).isoformat()
    assert listed(client, f"?at_from={day}&at_to={day}") == {old.pk}


def test_the_list_shows_the_route_and_the_review(client, trail, root):
    refusal = trail["testshire"][3]
    AuditEntry.objects.create(action=AuditEntry.Action.ACCESS_REFUSED, user=root,
                              route="reviews/<uuid:review_id>/", review_id=refusal.review_id)
    sign_in(client, root)
    page = client.get(INDEX).content.decode()
    assert "reviews/&lt;uuid:review_id&gt;/" in page and str(refusal.review_id) in page
    assert "?ordering=route" in page and "?ordering=review_id" in page  # the two columns


def test_nobody_can_add_change_or_delete_an_entry_in_the_admin(client, trail, root):
    for name, args in (("add", []), ("edit", [1]), ("delete", [1]), ("copy", [1])):
        with pytest.raises(NoReverseMatch):
            reverse(f"auditentry:{name}", args=args)
    sign_in(client, root)
    entry = trail["testshire"][0]
    before = list(AuditEntry.objects.values_list("pk", "detail"))
    for url in (INDEX, f"{INDEX}inspect/{entry.pk}/"):
        assert client.post(url, {"detail": "tampered", "action": "signed_out"}).status_code \
            == 405, url
    for url in (f"{INDEX}new/", f"{INDEX}edit/{entry.pk}/", f"{INDEX}delete/{entry.pk}/"):
        assert client.post(url, {"detail": "tampered"}).status_code == 404, url
    assert list(AuditEntry.objects.values_list("pk", "detail")) == before


@pytest.mark.parametrize("entries", [3, 30])
def test_the_list_runs_a_bounded_number_of_queries(client, staff, coordinator, entries,
                                                   django_assert_max_num_queries):
    for n in range(entries):
        audit.record(AuditEntry.Action.RECORD_VIEWED, None, coordinator, detail=f"n{n}")
    sign_in(client, staff)
    with django_assert_max_num_queries(14):
        response = client.get(INDEX)
    assert len(response.context["object_list"]) >= min(entries, 20)
