import re

import pytest
from django.utils import timezone
from django.utils.dateformat import format as format_date

from home.models import InformationPage
from tests.home.guides import GUIDE_SLUGS


@pytest.mark.django_db
@pytest.mark.parametrize("slug", GUIDE_SLUGS)
def test_each_information_page_renders_with_a_breadcrumb_and_last_updated_date(
    client, seeded, slug
):
    page = InformationPage.objects.get(slug=slug)
    response = client.get(f"/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="govuk-heading-xl">{page.title}</h1>'.replace("'", "&#x27;") in html
    assert '<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">' in html
    assert '<a class="govuk-breadcrumbs__link" href="/">Home</a>' in html
    published = timezone.localtime(page.last_published_at)
    assert f"Last updated: <time datetime=\"{published:%Y-%m-%d}\">" in html
    assert format_date(published, "j F Y") in html
    assert '<p class="govuk-body-l">' in html
    # Rich text is styled by class, never bare, and nothing is styled inline.
    assert re.search(r"<(p|h2|h3|ul|ol)>", html) is None
    assert "style=" not in html


@pytest.mark.django_db
def test_each_information_page_renders_its_blocks(client, seeded):
    annual = client.get("/annual-review/").content.decode()
    assert '<div class="govuk-inset-text">' in annual
    assert '<div class="govuk-warning-text">' in annual
    assert '<span class="govuk-visually-hidden">Warning</span>' in annual
    assert '<details class="govuk-details">' in annual
    assert "What if my child is moving to a new school?" in annual
    assert '<h2 class="govuk-heading-m">The steps and the time limits</h2>' in annual
    assert '<ul class="govuk-list govuk-list--bullet">' in annual

    adulthood = client.get("/preparing-for-adulthood/").content.decode()
    assert 'class="govuk-accordion" data-module="govuk-accordion"' in adulthood
    assert adulthood.count('class="govuk-accordion__section"') == 4
    assert "Independent living" in adulthood

    advocacy = client.get("/advocacy/").content.decode()
    assert "Demo Independent Advocacy Service" in advocacy
    assert '<dl class="govuk-summary-list">' in advocacy
    assert 'href="tel:01134960200"' in advocacy
    assert 'href="mailto:advocacy@example.org"' in advocacy
    assert "Monday to Friday, 9am to 5pm" in advocacy


@pytest.mark.django_db
def test_the_disagreement_guide_gives_the_time_limits_and_sendiass_contact(client, seeded):
    html = client.get("/if-you-disagree/").content.decode()
    assert "Special Educational Needs and Disabilities Information, Advice and Support" in html
    assert 'href="mailto:sendiass@example.org"' in html
    assert "within 2 months of the date on the decision letter" in html
    assert "1 month after the date on your mediation certificate" in html
    assert "within 30 days" in html
    assert "the plan stays in place until the appeal is decided" in html


@pytest.mark.django_db
def test_a_draft_page_is_not_shown(client, seeded):
    InformationPage.objects.get(slug="advocacy").unpublish()
    assert client.get("/advocacy/").status_code == 404
    assert 'href="/advocacy/"' not in client.get("/").content.decode()
