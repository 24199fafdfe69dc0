"""Staff keep children's records, plans and terms in the Wagtail admin; nobody else sees them,
nothing is deleted there, and no child's name goes into a search index."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from wagtail.search.index import class_is_indexed
from wagtail.search.models import IndexEntry

from agencies.models import AuditEntry, Discipline, Role
from reviews import clock
from reviews.models import (
    Advice,
    Child,
    FamilyMember,
    NamedProfessional,
    Outcome,
    OutcomeProgress,
    Plan,
    Review,
    Term,
)
from reviews.termly import do_open_review
from tests.conftest import make_person, sign_in
from tests.factories import PlanFactory, ReviewFactory

pytestmark = pytest.mark.django_db

CHILDREN = "/cms/reviews/children/"
PLANS = "/cms/reviews/plans/"
TERMS = "/cms/reviews/terms/"


def formset(prefix, rows, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": initial,
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def staff_client(client, staff):
    sign_in(client, staff)
    return client


def open_review_url(plan):
    return f"{PLANS}{plan.pk}/open-review/"


# ---------------------------------------------------------------------------
# Children
# ---------------------------------------------------------------------------


def test_staff_add_a_child_with_their_family_and_a_named_professional(
        staff_client, authority, school, therapist, nhs_trust):
    response = staff_client.post(f"{CHILDREN}new/", {
        "first_name": "Noor", "last_name": "Hassan", "date_of_birth": "2015-06-02",
        "la_reference": "T-2001", "authority": authority.pk, "setting": school.pk,
        "setting_type": "primary", "year_group_offset": 0,
        **formset("family", [
            {"name": "Amal Hassan", "email": "amal@test.example", "relationship": "parent",
             "parental_responsibility": "on"},
            {"name": "Omar Hassan", "email": "omar@test.example", "relationship": "carer"},
        ]),
        **formset("professionals", [
            {"user": therapist.pk, "agency": nhs_trust.pk,
             "discipline": Discipline.SPEECH_AND_LANGUAGE},
        ]),
    })
    assert response.status_code == 302
    child = Child.objects.get(la_reference="T-2001")
    family = {(m.name, m.relationship, m.parental_responsibility) for m in child.family.all()}
    assert family == {("Amal Hassan", "parent", True), ("Omar Hassan", "carer", False)}
    assert NamedProfessional.objects.get(child=child).user == therapist


def test_a_family_member_can_be_removed_from_the_childs_page(staff_client, child, parent):
    member = FamilyMember.objects.create(child=child, name="Pat Parent", email=parent.email)
    response = staff_client.post(f"{CHILDREN}edit/{child.pk}/", {
        "first_name": child.first_name, "last_name": child.last_name,
        "date_of_birth": child.date_of_birth.isoformat(), "la_reference": child.la_reference,
        "authority": child.authority_id, "setting": child.setting_id, "year_group_offset": 0,
        **formset("family", [{"id": member.pk, "name": member.name, "email": member.email,
                              "relationship": "parent", "DELETE": "on"}], initial=1),
        **formset("professionals", []),
    })
    assert response.status_code == 302
    assert not child.family.exists()


def test_opening_a_childs_record_is_in_the_audit_trail(staff_client, staff, child):
    assert staff_client.get(f"{CHILDREN}edit/{child.pk}/").status_code == 200
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.RECORD_VIEWED).get()
    assert entry.user == staff and str(child.pk) in entry.detail


def test_page_titles_name_the_child_by_initials_and_reference_only(staff_client, child, plan):
    for url in (f"{CHILDREN}edit/{child.pk}/", f"{PLANS}edit/{plan.pk}/", open_review_url(plan)):
        html = staff_client.get(url).content.decode()
        title = html.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "AE (T-0001)" in title and "Amira" not in title and "Example" not in title, url


def test_records_are_never_deleted_from_the_admin(staff_client, child, plan):
    for url in (f"{CHILDREN}delete/{child.pk}/", f"{PLANS}delete/{plan.pk}/"):
        response = staff_client.post(url)
        assert response.status_code in (302, 403, 404)
    assert Child.objects.filter(pk=child.pk).exists() and Plan.objects.filter(pk=plan.pk).exists()


# ---------------------------------------------------------------------------
# Nobody else
# ---------------------------------------------------------------------------


def record_urls(child, plan):
    return [CHILDREN, f"{CHILDREN}new/", f"{CHILDREN}edit/{child.pk}/", PLANS, f"{PLANS}new/",
            f"{PLANS}edit/{plan.pk}/", open_review_url(plan), TERMS, f"{TERMS}new/",
            "/cms/reviews/choose-child/", "/cms/reviews/choose-child/results/",
            f"/cms/reviews/choose-child/chosen/{child.pk}/",
            "/cms/reviews/choose-professional/"]


def assert_refused(response, child):
    assert response.status_code in (302, 403)
    assert child.first_name not in response.content.decode()


def test_anonymous_people_are_sent_to_sign_in(client, child, plan):
    for url in record_urls(child, plan):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_agency_members_families_and_strangers_cannot_reach_the_records(
        client, refused, coordinator, senco, child, plan):
    for person in [*refused, coordinator, senco]:
        client.logout()
        sign_in(client, person)
        for url in record_urls(child, plan):
            assert_refused(client.get(url), child)


def test_a_content_editor_without_records_permissions_cannot_see_children(client, child, plan):
    editor = make_person("editor@test.example", "Eddie", "Editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    sign_in(client, editor)
    assert client.get("/cms/").status_code == 200, "the editor does use the admin"
    for url in record_urls(child, plan):
        assert_refused(client.get(url), child)


def test_a_records_officer_with_only_view_permission_sees_but_cannot_change(client, child, plan,
                                                                          la_team):
    officer = make_person("officer@test.example", "Ola", "Officer", la_team, Role.PRACTITIONER)
    officer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_child"))
    sign_in(client, officer)
    assert child.la_reference in client.get(CHILDREN).content.decode()
    assert client.post(f"{CHILDREN}new/", {"first_name": "X"}).status_code in (302, 403)
    assert Child.objects.count() == 1


# ---------------------------------------------------------------------------
# Search without an index
# ---------------------------------------------------------------------------


def test_no_record_of_a_child_is_in_a_search_index():
    for model in (Child, FamilyMember, NamedProfessional, Plan, Outcome, Review, Term):
        assert not class_is_indexed(model), model


def test_the_admin_search_finds_a_child_by_name_through_the_database(
        staff_client, child, authority, school):
    staff_client.post(f"{CHILDREN}new/", {
        "first_name": "Zainab", "last_name": "Quist", "date_of_birth": "2014-02-02",
        "la_reference": "T-3001", "authority": authority.pk, "setting": school.pk,
        "year_group_offset": 0, **formset("family", []), **formset("professionals", []),
    })
    found = staff_client.get(f"{CHILDREN}?q=quist").content.decode()
    assert "T-3001" in found and child.la_reference not in found
    chooser = staff_client.get("/cms/reviews/choose-child/results/?q=T-30").content.decode()
    assert "ZQ (T-3001)" in chooser and "T-0001" not in chooser
    assert not IndexEntry.objects.filter(title__icontains="Quist").exists()
    assert not IndexEntry.objects.filter(body__icontains="Quist").exists()


def test_the_professional_chooser_lists_agency_members_but_never_families(
        staff_client, therapist, family_parent):
    listing = staff_client.get("/cms/reviews/choose-professional/results/?q=test").content.decode()
    assert str(therapist) in listing and str(family_parent) not in listing


# ---------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------


def plan_form(child, outcomes, initial=0, **sections):
    return {"child": child.pk, "kind": "ehcp", "status": "active",
            "first_issued_on": "2026-01-15",
            **{f"section_{letter}": text for letter, text in sections.items()},
            **formset("outcomes", outcomes, initial=initial)}


def test_staff_add_a_plan_with_its_sections_and_outcomes(staff_client, child):
    response = staff_client.post(f"{PLANS}new/", plan_form(
        child, [{"number": 1, "text": "Noor will read a short book on her own."},
                {"number": 2, "text": "Noor will travel to college with a friend.",
                 "adulthood_area": "independent_living"}],
        A="Noor loves horses.", B="Noor has dyslexia.", K=""))
    assert response.status_code == 302
    plan = Plan.objects.get(child=child)
    assert plan.sections == {"A": "Noor loves horses.", "B": "Noor has dyslexia."}
    assert [(o.number, o.adulthood_area) for o in plan.outcomes.all()] == [
        (1, ""), (2, "independent_living")]


def test_an_outcome_with_advice_reported_against_it_cannot_be_removed(
        staff_client, plan, review, invited_therapist):
    first, second = plan.outcomes.all()
    invitation = review.invitations.get()
    advice = Advice.objects.create(invitation=invitation, author=invited_therapist)
    OutcomeProgress.objects.create(advice=advice, outcome=first, progress="on_track")
    response = staff_client.post(f"{PLANS}edit/{plan.pk}/", plan_form(plan.child, [
        {"id": first.pk, "number": 1, "text": first.text, "DELETE": "on"},
        {"id": second.pk, "number": 2, "text": second.text},
    ], initial=2, A="Amira loves drawing."))
    assert response.status_code == 200
    assert "Outcome 1 has advice reported against it" in response.content.decode()
    assert plan.outcomes.count() == 2


# ---------------------------------------------------------------------------
# Opening the next review
# ---------------------------------------------------------------------------


def test_staff_open_the_next_review_due_by_the_date_from_the_clock(
        staff_client, staff, plan, coordinator):
    page = staff_client.get(open_review_url(plan)).content.decode()
    assert "19 January 2026" in page, "12 months from the plan's first issue"
    response = staff_client.post(open_review_url(plan), {
        "coordinator": coordinator.pk, "kind": "annual", "convenor": "la"})
    assert response.status_code == 302
    done = staff_client.get(response["Location"]).content.decode()
    assert "Annual review opened for AE (T-0001): the meeting must be held by 19 January " \
           "2026." in done
    review = Review.objects.get(plan=plan)
    assert review.due_by == clock.next_review_due(plan_first_issued=plan.first_issued_on)
    assert review.coordinator == coordinator and review.status == Review.Status.DUE
    event = review.events.get()
    assert (event.kind, event.actor) == ("review_opened", staff)


def test_the_open_review_button_shows_only_while_no_review_is_open(
        staff_client, plan, coordinator):
    assert open_review_url(plan) in staff_client.get(PLANS).content.decode()
    assert open_review_url(plan) in staff_client.get(f"{PLANS}edit/{plan.pk}/").content.decode()
    do_open_review(plan, coordinator)
    assert open_review_url(plan) not in staff_client.get(PLANS).content.decode()
    assert open_review_url(plan) not in staff_client.get(
        f"{PLANS}edit/{plan.pk}/").content.decode()


def test_opening_twice_opens_one_review(staff_client, plan, coordinator):
    data = {"coordinator": coordinator.pk, "kind": "annual", "convenor": "la"}
    staff_client.post(open_review_url(plan), data)
    again = staff_client.post(open_review_url(plan), data)
    assert again.status_code == 200
    assert "already has a review open" in again.content.decode()
    assert Review.objects.filter(plan=plan).count() == 1


def test_only_the_childs_coordinators_can_be_chosen(staff_client, plan, therapist, senco):
    response = staff_client.post(open_review_url(plan), {
        "coordinator": therapist.pk, "kind": "annual", "convenor": "la"})
    assert response.status_code == 200 and not Review.objects.exists()
    staff_client.post(open_review_url(plan), {"coordinator": senco.pk, "kind": "annual",
                                              "convenor": "setting"})
    assert Review.objects.get().coordinator == senco


def test_the_next_review_counts_from_the_last_meeting(plan, coordinator):
    held = ReviewFactory(plan=plan, coordinator=coordinator, status=Review.Status.CLOSED,
                         meeting_at=dt.datetime(2025, 12, 3, 10, tzinfo=dt.UTC))
    review = do_open_review(plan, coordinator)
    assert held.meeting_date == dt.date(2025, 12, 3)
    assert review.due_by == dt.date(2026, 12, 2)


def test_a_record_of_support_and_a_phase_transfer_get_their_own_kinds(
        authority, school, coordinator):
    year6 = PlanFactory(child__setting=school, child__date_of_birth=dt.date(2016, 3, 1),
                        first_issued_on=dt.date(2026, 3, 1))
    assert do_open_review(year6, coordinator).kind == Review.Kind.PHASE_TRANSFER
    support = PlanFactory(child__setting=school, child__date_of_birth=dt.date(2018, 3, 1),
                          first_issued_on=dt.date(2026, 3, 1))
    Plan.objects.filter(pk=support.pk).update(kind=Plan.Kind.RECORD_OF_SUPPORT)
    support.refresh_from_db()
    assert do_open_review(support, coordinator).kind == Review.Kind.RECORD_OF_SUPPORT


def test_a_ceased_plan_has_no_next_review(plan, coordinator):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.CEASED)
    with pytest.raises(ValidationError):
        do_open_review(plan, coordinator)


# ---------------------------------------------------------------------------
# Terms
# ---------------------------------------------------------------------------


def test_staff_add_a_term_and_its_end_must_follow_its_start(staff_client, authority):
    wrong = staff_client.post(f"{TERMS}new/", {"authority": authority.pk, "name": "Spring 2027",
                                               "starts_on": "2027-01-04",
                                               "ends_on": "2027-01-01"})
    assert wrong.status_code == 200 and "must end after it starts" in wrong.content.decode()
    staff_client.post(f"{TERMS}new/", {"authority": authority.pk, "name": "Spring 2027",
                                       "starts_on": "2027-01-04", "ends_on": "2027-03-26"})
    term = Term.objects.get()
    assert (term.starts_on, term.list_sent_at) == (dt.date(2027, 1, 4), None)


@pytest.mark.parametrize("count", [3, 40])
def test_the_list_pages_run_a_fixed_number_of_queries(
        count, staff_client, authority, school, django_assert_max_num_queries):
    PlanFactory.create_batch(count, child__setting=school)
    for url in (CHILDREN, PLANS):
        with django_assert_max_num_queries(30):
            assert staff_client.get(url).status_code == 200
