"""Jargon in what families read: plain role words with each acronym explained once, a
reading age of 9 to 11 (Flesch-Kincaid grade 5 or lower) on every family page and letter,
and a glossary in the CMS (issue 16, item 6)."""

import pytest
from django.urls import reverse

from agencies.models import Discipline, Role
from demo.pages import seed_pages
from outbox.models import Email
from reports.drafting import draft_content
from reviews.models import Invitation
from reviews.words import ACRONYMS, explain_once
from tests.conftest import ON_TODAY, hold_contacts, make_person, sign_in
from tests.reviews.conftest import invite_person
from tests.reviews.family_journey import family_pages
from tests.reviews.readability import MAX_GRADE, email_sentences, grade, hardest, sentences
from tests.reviews.test_advice_fixtures import media_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, ON_TODAY]


@pytest.fixture
def services(authority, la_team):
    la_team.phone = "0113 496 0100"
    la_team.save()
    hold_contacts(authority)


def too_hard(texts: list[str]) -> str:
    return "; ".join(f"{g:.0f}: {s}" for g, s in hardest(texts, 5))


def test_every_family_page_and_letter_reads_at_grade_5_or_lower(
        client, review, coordinator, invited_therapist, family_parent, services, media):
    sign_in(client, family_parent)
    measured = 0
    for page in family_pages(client, review, coordinator, invited_therapist, family_parent):
        texts = sentences(page.html)
        assert grade(texts) <= MAX_GRADE, (
            f"{page.stage}: {page.url} reads at grade {grade(texts)}. Hardest: "
            f"{too_hard(texts)}")
        measured += 1
    emails = Email.objects.filter(to=family_parent.email)
    assert emails.count() >= 5, "the invitation-less journey still sends the family letters"
    for email in emails:
        texts = email_sentences(email.text)
        assert grade(texts) <= MAX_GRADE, (
            f"email {email.subject!r} reads at grade {grade(texts)}. Hardest: "
            f"{too_hard(texts)}")
    assert measured >= 20


def test_the_draft_report_uses_plain_role_words_and_explains_each_acronym_once(
        review, coordinator, school, nhs_trust, family_parent):
    senco = make_person("senco@test.example", "Sue", "Senco", school, Role.COORDINATOR,
                        Discipline.SENCO)
    head = make_person("head@test.example", "Hal", "Head", school, Role.COORDINATOR,
                       Discipline.SENCO)
    camhs = make_person("camhs@test.example", "Cam", "Worker", nhs_trust, Role.PRACTITIONER,
                        Discipline.CAMHS)
    invite_person(review, senco, role=Invitation.Role.SETTING, agency=school,
                  discipline=Discipline.SENCO)
    invite_person(review, head, role=Invitation.Role.SETTING, agency=school,
                  discipline=Discipline.SENCO)
    invite_person(review, camhs, role=Invitation.Role.HEALTH, agency=nhs_trust)
    invite_person(review, family_parent, role=Invitation.Role.FAMILY)
    roles = [row["role"] for row in draft_content(review)["attendance"]]
    assert roles == ["Special educational needs co-ordinator (SENCO)", "SENCO",
                     "From health services (NHS)", "Family"]
    assert "Health professional identified by the health commissioner" not in str(roles)


def test_explain_once_keeps_the_first_explanation_of_each_acronym():
    assert explain_once([
        "Special educational needs co-ordinator (SENCO), Testshire Primary",
        "Mental health worker for children and young people (CAMHS)",
        "Special educational needs co-ordinator (SENCO), Testshire High",
        "Adviser from SENDIASS (free advice about special educational needs)",
        "Mental health worker for children and young people (CAMHS)",
        "Adviser from SENDIASS (free advice about special educational needs)",
    ]) == [
        "Special educational needs co-ordinator (SENCO), Testshire Primary",
        "Mental health worker for children and young people (CAMHS)",
        "SENCO, Testshire High",
        "Adviser from SENDIASS (free advice about special educational needs)",
        "CAMHS",
        "Adviser from SENDIASS",
    ]


def test_who_is_invited_on_the_family_page_explains_senco_once(
        client, review, coordinator, school, family_parent):
    for email, first in (("senco@test.example", "Sue"), ("deputy@test.example", "Dee")):
        person = make_person(email, first, "Senco", school, Role.COORDINATOR, Discipline.SENCO)
        invite_person(review, person, role=Invitation.Role.SETTING, agency=school,
                      discipline=Discipline.SENCO)
    review.invitations_sent_at = review.created_at
    review.save()
    sign_in(client, family_parent)
    page = client.get(reverse("reviews:family_review", args=[review.pk])).content.decode()
    assert page.count("Special educational needs co-ordinator (SENCO)") == 1
    assert "SENCO, Testshire Primary" in page


def test_the_glossary_in_the_cms_explains_every_acronym_family_pages_use(client,
                                                                        family_parent, review):
    seed_pages()
    glossary = client.get("/words-we-use/").content.decode()
    for acronym in ACRONYMS:
        assert f'id="{acronym.lower()}">{acronym}</dt>' in glossary
    sign_in(client, family_parent)
    page = client.get(reverse("reviews:family_review", args=[review.pk])).content.decode()
    assert 'href="/words-we-use/"' in page
