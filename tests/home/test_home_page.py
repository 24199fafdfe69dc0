import pytest
from django.test import Client

from tests.home.guides import GUIDE_SLUGS

SIGN_IN_BUTTON = 'href="/accounts/login/" role="button"'


@pytest.mark.django_db
def test_the_home_page_renders_from_the_seed(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "home/home_page.html"
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">EHCP annual reviews</h1>' in html
    assert "Education, Health and Care plan (EHCP, or EHC plan)" in html
    assert SIGN_IN_BUTTON in html
    assert "govuk-button--start" in html
    assert '<p class="govuk-body">' in html


@pytest.mark.django_db
def test_the_home_page_links_the_guides_but_leaves_the_legal_pages_to_the_footer(client, seeded):
    html = client.get("/").content.decode()
    guide_list = html.split("app-guide-list", 1)[1].split("</ul>", 1)[0]
    for slug in ["annual-review", "advocacy", "if-you-disagree", "preparing-for-adulthood", "help"]:
        assert f'href="/{slug}/"' in guide_list
    assert 'href="/accessibility/"' not in guide_list
    assert 'href="/privacy/"' not in guide_list
    assert set(GUIDE_SLUGS) > {"accessibility", "privacy"}


@pytest.mark.django_db
def test_a_signed_in_person_is_not_offered_the_sign_in_button(seeded, django_user_model):
    user = django_user_model.objects.create_user(email="parent@example.org")
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert SIGN_IN_BUTTON not in response.content.decode()
