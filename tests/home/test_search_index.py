import pytest
from wagtail.search import index

from home.models import HomePage, InformationPage


def full_text_fields(model):
    return {f.field_name for f in model.search_fields if isinstance(f, index.SearchField)}


def test_only_page_content_is_indexed():
    assert full_text_fields(HomePage) == {"title", "intro", "body"}
    assert full_text_fields(InformationPage) == {"title", "summary", "body"}
    for model in (HomePage, InformationPage):
        related = [f for f in model.search_fields if isinstance(f, index.RelatedFields)]
        assert related == []


@pytest.mark.django_db
def test_the_guides_can_be_found_by_the_words_in_their_body(seeded):
    found = InformationPage.objects.live().search("tribunal mediation certificate")
    assert "if-you-disagree" in [page.slug for page in found]
