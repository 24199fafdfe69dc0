"""Letters by post: a family member without email (or who asks for paper) has a postal
address; their letters wait on the coordinator's list to be printed and posted, and the
day they were posted is recorded once."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agencies.models import AuditEntry
from reviews import invitees, post, scheduling
from reviews.models import Event, FamilyMember, PostalLetter
from reviews.young_person import do_decide
from tests.conftest import sign_in
from tests.reviews.conftest import make_child, make_plan, make_review
from tests.reviews.test_scheduling import (  # noqa: F401  (fixtures used by the tests here)
    five_roles_fixture,
    invite_suggested,
    social_care_fixture,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def on_paper(child, name="Rania Example", line_1="12 Mill Lane", **fields) -> FamilyMember:
    return FamilyMember.objects.create(child=child, name=name, by_post=True,
                                       address_line_1=line_1, town="Testbridge",
                                       postcode="TB1 2AB", **fields)


@pytest.fixture
def letter(review, child) -> PostalLetter:
    on_paper(child)
    [letter] = post.queue_letters(review, PostalLetter.Kind.INVITATION)
    return letter


def to_post_page(client, user):
    client.logout()
    sign_in(client, user)
    return client.get(reverse("reviews:to_post"))


# The record -----------------------------------------------------------------------------


def test_a_family_member_without_email_needs_post_and_an_address(child):
    member = FamilyMember(child=child, name="Rania Example")
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert "gets their letters by post" in str(error.value.message_dict["by_post"])
    member.by_post = True
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert set(error.value.message_dict) == {"address_line_1", "town", "postcode"}
    member.address_line_1, member.town, member.postcode = "12 Mill Lane", "Testbridge", "tb1 2ab"
    member.full_clean()
    assert member.postcode == "TB1 2AB"


def test_the_database_refuses_what_the_form_would(child):
    with pytest.raises(IntegrityError), transaction.atomic():
        FamilyMember.objects.create(child=child, name="No email, no post")
    with pytest.raises(IntegrityError), transaction.atomic():
        FamilyMember.objects.create(child=child, name="Post, no address", email="a@test.example",
                                    by_post=True)


def test_two_without_email_may_share_a_child_but_an_email_links_once(child):
    on_paper(child)
    on_paper(child, name="Sami Example", line_1="4 Station Road")
    FamilyMember.objects.create(child=child, name="Pat", email="pat@test.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        FamilyMember.objects.create(child=child, name="Pat again", email="pat@test.example")


def test_staff_give_an_address_on_the_childs_admin_page(client, staff, child):
    from tests.reviews.test_admin_records import CHILDREN, formset

    sign_in(client, staff)
    fields = {"first_name": child.first_name, "last_name": child.last_name,
              "date_of_birth": child.date_of_birth.isoformat(),
              "la_reference": child.la_reference, "authority": child.authority_id,
              "setting": child.setting_id, "year_group_offset": 0,
              **formset("professionals", [])}
    row = {"name": "Rania Example", "relationship": "parent", "parental_responsibility": "on"}
    refused = client.post(f"{CHILDREN}edit/{child.pk}/", {**fields, **formset("family", [row])})
    assert refused.status_code == 200 and "gets their letters by post" in refused.content.decode()
    assert not child.family.exists()
    row.update(by_post="on", address_line_1="12 Mill Lane", town="Testbridge",
               postcode="TB1 2AB")
    saved = client.post(f"{CHILDREN}edit/{child.pk}/", {**fields, **formset("family", [row])})
    assert saved.status_code == 302
    assert child.family.get().address_lines() == ["12 Mill Lane", "Testbridge", "TB1 2AB"]


# The invitation --------------------------------------------------------------------------


def test_sending_the_invitations_writes_the_familys_letter_without_a_link(five_roles,
                                                                          coordinator):
    on_paper(five_roles.plan.child)
    invite_suggested(five_roles, coordinator)
    for _ in range(2):  # a double click
        scheduling.do_send_invitations(five_roles, coordinator)
    [letter] = PostalLetter.objects.filter(kind="invitation")
    reader = PdfReader(io.BytesIO(post.render_pdf(letter)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Hello Rania Example" in text and "12 Mill Lane" in text
    assert "Tell Cora Ordinator your views, and if you can come" in text
    assert "/reviews/i/" not in text


# The list to post ------------------------------------------------------------------------


@pytest.mark.parametrize("waiting", [1, 6])
def test_the_coordinator_lists_the_letters_waiting_in_a_bounded_number_of_queries(
        client, coordinator, authority, school, django_assert_max_num_queries, waiting):
    for n in range(waiting):
        child = make_child(authority, school, first=f"Child{n}", ref=f"T-10{n}")
        on_paper(child)
        review = make_review(make_plan(child), coordinator)
        post.queue_letters(review, PostalLetter.Kind.DECISION)
    sign_in(client, coordinator)
    with django_assert_max_num_queries(10):  # the same for 1 letter as for 6
        page = client.get(reverse("reviews:to_post"))
    html = page.content.decode()
    assert page.status_code == 200 and f"{waiting} letter" in html
    assert html.count("(PDF)") == waiting
    assert "<title>Letters to post" in html and "Rania" not in html.split("</title>")[0]


def test_strangers_other_families_and_uninvited_professionals_see_no_letter(
        client, letter, refused, family_parent):
    for person in [*refused, family_parent]:
        page = to_post_page(client, person)
        assert page.status_code == 404 or "Rania Example" not in page.content.decode(), person
        for name in ("reviews:letter_pdf", "reviews:letter_posted"):
            url = reverse(name, args=[letter.review_id, letter.pk])
            assert client.get(url).status_code == 404, (person, name)
            assert client.post(url, {"posted_on_0": "1", "posted_on_1": "1",
                                     "posted_on_2": "2027"}).status_code == 404
    client.logout()
    assert client.get(reverse("reviews:to_post")).status_code == 302
    letter.refresh_from_db()
    assert letter.posted_on is None
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.FILE_DOWNLOADED).exists()


def test_a_letter_of_another_review_is_refused(client, coordinator, letter, plan):
    other = make_review(plan, coordinator)
    sign_in(client, coordinator)
    url = reverse("reviews:letter_pdf", args=[other.pk, letter.pk])
    assert client.get(url).status_code == 404


def test_downloading_the_pdf_is_audited_and_names_no_one(client, coordinator, letter):
    sign_in(client, coordinator)
    response = client.get(reverse("reviews:letter_pdf", args=[letter.review_id, letter.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Amira" not in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.FILE_DOWNLOADED)
    assert (entry.user, entry.review_id) == (coordinator, letter.review_id)
    assert "Rania" not in entry.detail


def posted_form(day: dt.date) -> dict:
    return {"posted_on_0": day.day, "posted_on_1": day.month, "posted_on_2": day.year}


def test_recording_the_posting_once_leaves_the_list(client, coordinator, letter):
    sign_in(client, coordinator)
    url = reverse("reviews:letter_posted", args=[letter.review_id, letter.pk])
    assert client.get(url).status_code == 200
    for _ in range(2):  # a double submit
        response = client.post(url, posted_form(TODAY), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews:to_post")
    letter.refresh_from_db()
    assert (letter.posted_on, letter.posted_by) == (TODAY, coordinator)
    assert Event.objects.filter(kind="letter.posted").count() == 1
    assert "Rania" not in Event.objects.get(kind="letter.posted").summary
    assert "no letters waiting" in client.get(reverse("reviews:to_post")).content.decode()


def test_a_date_in_the_future_or_before_the_letter_is_refused_and_nothing_changes(
        client, coordinator, letter):
    sign_in(client, coordinator)
    url = reverse("reviews:letter_posted", args=[letter.review_id, letter.pk])
    for day, error in ((TODAY + dt.timedelta(days=1), "must be today or in the past"),
                       (TODAY - dt.timedelta(days=1), "must be on or after")):
        page = client.post(url, posted_form(day))
        assert page.status_code == 200 and error in page.content.decode()
        assert "<title>Error: " in page.content.decode()
    page = client.post(url, {"posted_on_0": "31", "posted_on_1": "2", "posted_on_2": "2027"})
    assert "Enter a real date" in page.content.decode()
    letter.refresh_from_db()
    assert letter.posted_on is None


def test_a_family_without_email_is_invited_by_letter_and_counts_as_invited(
        client, five_roles, coordinator, family_parent):
    FamilyMember.objects.filter(user=family_parent).delete()
    on_paper(five_roles.plan.child)
    proposals = invitees.proposed_invitees(five_roles)
    assert all(p.email for p in proposals), "nobody proposed for an email with no address"
    invite_suggested(five_roles, coordinator)
    assert scheduling.missing_roles(five_roles) == []
    sign_in(client, coordinator)
    page = client.get(reverse("reviews:invite", args=[five_roles.pk])).content.decode()
    assert 'govuk-tag--red">Missing' not in page
    assert len(scheduling.do_send_invitations(five_roles, coordinator)) == 4
    assert PostalLetter.objects.filter(kind="invitation").count() == 1


def test_after_compulsory_school_age_only_those_the_young_person_agrees_to_get_post(
        authority, school, coordinator):
    child = make_child(authority, school, first="Jordan", ref="T-0017",
                       born=dt.date(2009, 3, 15))
    FamilyMember.objects.create(child=child, name="Jordan Example", email="j@test.example",
                                relationship=FamilyMember.Relationship.YOUNG_PERSON)
    mum = on_paper(child, name="Sam Example")
    review = make_review(make_plan(child), coordinator)
    with time_machine.travel(dt.datetime(2025, 6, 27, 12, tzinfo=dt.UTC)):
        assert post.queue_letters(review, PostalLetter.Kind.DECISION) == []
        do_decide(mum, "sees", "own_account", coordinator)
        [letter] = post.queue_letters(review, PostalLetter.Kind.DECISION)
    assert letter.addressed_to == "Sam Example"
