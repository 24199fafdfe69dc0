import pytest
from wagtail.models import Page, Site

from home.models import HomePage, InformationPage
from tests.home.guides import GUIDE_SLUGS

TITLES = {
    "annual-review": "What happens at an annual review, and when",
    "advocacy": "Your right to an independent advocate",
    "if-you-disagree": "If you disagree with a decision",
    "preparing-for-adulthood": "Preparing for adulthood from Year 9",
    "words-we-use": "Words we use",
    "help": "Help using this service",
    "accessibility": "Accessibility statement",
    "privacy": "Privacy notice",
}


@pytest.mark.django_db
def test_the_seed_publishes_the_family_guides(seeded):
    home = HomePage.objects.get()
    assert home.live
    assert home.title == "EHCP annual reviews"
    for slug, title in TITLES.items():
        page = InformationPage.objects.get(slug=slug)
        assert page.title == title
        assert page.live and not page.has_unpublished_changes
        assert page.last_published_at is not None
        assert page.get_parent().specific == home
        assert page.url == f"/{slug}/"
        assert page.summary
    assert sorted(TITLES) == sorted(GUIDE_SLUGS)


@pytest.mark.django_db
def test_the_seed_replaces_wagtails_welcome_page(seeded):
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific == HomePage.objects.get()
    assert Site.objects.count() == 1


@pytest.mark.django_db
def test_the_seed_reports_what_it_did(seeded):
    assert seeded["/"] == "created"
    assert all(seeded[f"/{slug}/"] == "created" for slug in GUIDE_SLUGS)
