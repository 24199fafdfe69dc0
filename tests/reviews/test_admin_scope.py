"""Staff of one authority see, choose and change only their own authority's records in the
admin: every list, edit and chooser screen of every scoped viewset, walked from the
viewsets Wagtail has registered."""

import datetime as dt
import uuid

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.admin.viewsets import viewsets

from agencies.models import Agency, AgencyInvitation, LocalAuthority, Membership, Role, User
from reviews.models import Child, NamedProfessional, Plan, Term
from tests.conftest import make_person, sign_in
from tests.factories import AgencyFactory, ChildFactory, PlanFactory
from tests.reviews.test_admin_records import formset

pytestmark = pytest.mark.django_db

OTHER = "Otherham"  # every record of the other authority is named with this word
SCOPED = {LocalAuthority, Agency, Membership, AgencyInvitation, User, Child, Plan, Term}


@pytest.fixture
def own(authority, la_team, school, child, plan, therapist, coordinator):
    """Testshire's records: a term, an invitation, and a colleague of the staff member."""
    Term.objects.create(authority=authority, name="Testshire spring",
                        starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 3, 26))
    invitation = AgencyInvitation(agency=school, email="new.teacher@test.example",
                                  role=Role.PRACTITIONER)
    invitation.issue_token()
    invitation.save()
    return {LocalAuthority: authority, Agency: school, Child: child, Plan: plan,
            Term: Term.objects.get(authority=authority), User: therapist,
            Membership: therapist.memberships.get(), AgencyInvitation: invitation}


@pytest.fixture
def other(db):
    """Otherham's records, one of each kind."""
    school = AgencyFactory(authority__name=f"{OTHER} Borough Council", authority__dfe_code="997",
                           name=f"{OTHER} Academy", kind=Agency.Kind.SCHOOL)
    authority = school.authority
    person = make_person("bea@otherham.example", "Bea", OTHER, school, Role.LEAD)
    child = ChildFactory(authority=authority, setting=school, first_name="Olu", last_name=OTHER,
                         la_reference="OTHER-1")
    invitation = AgencyInvitation(agency=school, email="invitee@otherham.example",
                                  first_name=OTHER, role=Role.PRACTITIONER)
    invitation.issue_token()
    invitation.save()
    return {LocalAuthority: authority, Agency: school, Child: child,
            Plan: PlanFactory(child=child),
            Term: Term.objects.create(authority=authority, name=f"{OTHER} spring",
                                      starts_on=dt.date(2027, 1, 5), ends_on=dt.date(2027, 3, 27)),
            User: person, Membership: person.memberships.get(), AgencyInvitation: invitation}


def scoped_urls():
    """(viewset, URL name, whether it names a record) for every URL of every registered
    viewset and chooser of a model the admin keeps to an authority."""
    reverse("wagtailadmin_home")  # loads the admin's URLs, which registers the viewsets
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        if model in SCOPED:
            for pattern in viewset.get_urlpatterns():
                yield viewset, f"{viewset.url_namespace}:{pattern.name}", \
                    "pk" in pattern.pattern.converters


def url_for(name, names_record, record):
    return reverse(name, args=[record.pk]) if names_record else reverse(name)


def test_every_scoped_model_s_screens_are_walked():
    models = {viewset.model for viewset, _name, _pk in scoped_urls()}
    assert models == SCOPED
    assert len(list(scoped_urls())) > 40


def test_staff_of_one_authority_never_see_another_s_records(client, staff, own, other):
    sign_in(client, staff)
    walked = 0
    for viewset, name, names_record in scoped_urls():
        model = viewset.model
        if names_record:
            theirs = client.get(url_for(name, True, other[model])).status_code
            mine = client.get(url_for(name, True, own[model])).status_code
            # Not found; or refused whichever record it names (deleting a child, say).
            assert theirs == 404 or (theirs == mine and mine in (302, 403)), name
        else:
            query = {"id": [str(other[model].pk), str(own[model].pk)], "q": ""}
            response = client.get(url_for(name, False, None), query)
            assert OTHER not in response.content.decode(), name
        walked += 1
    assert walked > 40


def test_the_lists_show_their_own_authority_s_records(client, staff, own, other):
    sign_in(client, staff)
    for url, own_text in [("/cms/reviews/children/", own[Child].la_reference),
                          ("/cms/reviews/plans/", own[Child].la_reference),
                          ("/cms/reviews/terms/", "Testshire spring"),
                          ("/cms/agency/", own[Agency].name),
                          ("/cms/membership/", str(own[User])),
                          ("/cms/agencyinvitation/", own[AgencyInvitation].email),
                          ("/cms/users/", own[User].email),
                          ("/cms/reviews/choose-child/results/", own[Child].la_reference),
                          ("/cms/reviews/choose-professional/results/", str(own[User]))]:
        html = client.get(url).content.decode()
        assert own_text in html and OTHER not in html, url


def test_the_platform_operator_sees_every_authority(client, own, other):
    operator = make_person("operator@test.example", "Opal", "Operator", is_staff=True,
                           is_superuser=True)
    sign_in(client, operator)
    html = client.get("/cms/reviews/children/").content.decode()
    assert own[Child].la_reference in html and other[Child].la_reference in html
    assert client.get(f"/cms/reviews/children/edit/{other[Child].pk}/").status_code == 200


def test_staff_who_belong_to_no_authority_see_nothing(client, own, other):
    clerk = make_person("clerk@test.example", "Cleo", "Clerk", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(
        codename__in=["access_admin", "view_child", "change_child", "view_agency"]))
    sign_in(client, clerk)
    html = client.get("/cms/reviews/children/").content.decode()
    assert own[Child].la_reference not in html and other[Child].la_reference not in html
    assert client.get(f"/cms/reviews/children/edit/{own[Child].pk}/").status_code == 404
    assert own[Agency].name not in client.get("/cms/agency/").content.decode()


def child_form(authority, setting, **extra):
    return {"first_name": "Noor", "last_name": "Hassan", "date_of_birth": "2015-06-02",
            "la_reference": "T-2001", "authority": authority.pk, "setting": setting.pk,
            "setting_type": "primary", "year_group_offset": 0,
            **formset("family", []), **formset("professionals", []), **extra}


def assert_refused_choice(response, field_error="Select a valid choice"):
    assert response.status_code == 200
    assert field_error in response.content.decode()


def test_a_form_naming_another_authority_s_record_is_refused(client, staff, own, other,
                                                            therapist, nhs_trust):
    sign_in(client, staff)
    assert_refused_choice(client.post("/cms/reviews/children/new/",
                                      child_form(other[LocalAuthority], own[Agency])))
    assert_refused_choice(client.post("/cms/reviews/children/new/",
                                      child_form(own[LocalAuthority], other[Agency])))
    assert_refused_choice(client.post("/cms/reviews/children/new/", child_form(
        own[LocalAuthority], own[Agency], **formset("professionals", [
            {"user": other[User].pk, "agency": other[Agency].pk, "discipline": "salt"}]))))
    assert not Child.objects.filter(la_reference="T-2001").exists()
    assert not NamedProfessional.objects.exists()

    assert_refused_choice(client.post("/cms/reviews/plans/new/", {
        "child": other[Child].pk, "kind": "ehcp", "status": "active",
        "first_issued_on": "2026-01-15", **formset("outcomes", [])}))
    assert_refused_choice(client.post("/cms/reviews/terms/new/", {
        "authority": other[LocalAuthority].pk, "name": "Summer", "starts_on": "2027-04-12",
        "ends_on": "2027-07-20"}))
    assert_refused_choice(client.post("/cms/agency/new/", {
        "authority": other[LocalAuthority].pk, "name": "New school", "kind": "school"}))
    assert_refused_choice(client.post("/cms/membership/new/", {
        "user": own[User].pk, "agency": other[Agency].pk, "role": "practitioner",
        "is_active": "on"}))
    assert_refused_choice(client.post("/cms/agencyinvitation/new/", {
        "agency": other[Agency].pk, "email": "x@test.example", "role": "practitioner"}))
    assert Plan.objects.count() == 2 and Term.objects.count() == 2
    assert Agency.objects.count() == 4 and Membership.objects.count() == 4
    assert AgencyInvitation.objects.count() == 2


def test_the_edit_form_offers_only_the_authority_s_agencies(client, staff, own, other):
    sign_in(client, staff)
    html = client.get(f"/cms/reviews/children/edit/{own[Child].pk}/").content.decode()
    assert own[Agency].name in html and OTHER not in html


def test_only_the_operator_adds_an_authority_or_an_account(client, staff):
    sign_in(client, staff)
    for url in ("/cms/localauthority/new/", "/cms/users/new/"):
        assert client.get(url).status_code in (302, 403), url


def test_bulk_actions_on_people_leave_other_authorities_alone(client, staff, own, other):
    sign_in(client, staff)
    url = "/cms/bulk/agencies/user/set_active_state/"
    page = client.get(url, {"id": [other[User].pk], "next": "/cms/users/"})
    assert OTHER not in page.content.decode()
    client.post(f"{url}?id={other[User].pk}&next=/cms/users/", {"mark_as_active": ""})
    other[User].refresh_from_db()
    assert other[User].is_active


def test_unknown_records_are_404_too(client, staff):
    sign_in(client, staff)
    assert client.get(f"/cms/reviews/children/edit/{uuid.uuid4()}/").status_code == 404


def test_only_a_superuser_makes_someone_an_administrator(client, la_team, own):
    officer = make_person("officer@test.example", "Ola", "Officer", la_team, Role.LEAD,
                          is_staff=True)
    officer.user_permissions.add(*Permission.objects.filter(
        codename__in=["access_admin", "change_user", "view_user"]))
    sign_in(client, officer)
    colleague = own[User]
    url = f"/cms/users/edit/{colleague.pk}/"
    assert "is_superuser" not in client.get(url).context["form"].fields
    client.post(url, {"email": colleague.email, "first_name": colleague.first_name,
                      "last_name": colleague.last_name, "is_active": "on",
                      "is_superuser": "on"})
    colleague.refresh_from_db()
    assert not colleague.is_superuser


def test_another_authority_s_plan_cannot_have_its_review_opened(client, staff, own, other,
                                                               coordinator):
    sign_in(client, staff)
    url = f"/cms/reviews/plans/{other[Plan].pk}/open-review/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"coordinator": coordinator.pk, "kind": "annual",
                             "convenor": "la"}).status_code == 404
    assert client.get(f"/cms/reviews/plans/{own[Plan].pk}/open-review/").status_code == 200


def test_strangers_families_and_professionals_reach_no_scoped_screen(client, refused, own,
                                                                    other):
    for person in [None, *refused]:
        client.logout()
        if person is not None:
            sign_in(client, person)
        for _viewset, name, names_record in scoped_urls():
            for record in (own, other):
                url = url_for(name, names_record, record[_viewset.model])
                for response in (client.get(url), client.post(url)):
                    assert response.status_code in (302, 403, 404), (person, url)
                    assert OTHER not in response.content.decode()
    assert Authenticator.objects.filter(user=own[User]).exists()
