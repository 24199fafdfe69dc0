import dataclasses

import pytest
from wagtail.models import Page, Revision, Site

from demo import pages as demo
from home.models import InformationPage


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "published": sorted(
            Page.objects.values_list("id", "live_revision_id", "last_published_at")
        ),
        "sites": sorted(Site.objects.values_list("id", "root_page_id", "site_name")),
    }


@pytest.mark.django_db
def test_running_the_seed_twice_changes_nothing(seeded):
    before = snapshot()
    report = demo.seed_pages()
    assert snapshot() == before
    assert set(report.values()) == {"unchanged"}


@pytest.mark.django_db
def test_the_seed_updates_a_page_it_wrote_when_the_text_changes(seeded, monkeypatch):
    original = demo.guides

    def reworded():
        specs = original()
        specs[1] = dataclasses.replace(specs[1], summary="A shorter summary.")
        return specs

    monkeypatch.setattr(demo, "guides", reworded)
    revisions = Revision.objects.count()
    report = demo.seed_pages()
    assert report["/advocacy/"] == "updated"
    assert InformationPage.objects.get(slug="advocacy").summary == "A shorter summary."
    assert Revision.objects.count() == revisions + 1
    assert InformationPage.objects.filter(slug="advocacy").count() == 1


@pytest.mark.django_db
def test_the_seed_keeps_a_page_an_editor_has_changed(seeded, django_user_model):
    editor = django_user_model.objects.create_user(email="editor@example.org")
    page = InformationPage.objects.get(slug="help")
    page.summary = "Written by the communications team."
    page.save_revision(user=editor).publish()

    report = demo.seed_pages()
    assert report["/help/"] == "kept (edited in the CMS)"
    assert InformationPage.objects.get(slug="help").summary == "Written by the communications team."


@pytest.mark.django_db
def test_the_seed_restores_a_guide_that_was_deleted(seeded):
    InformationPage.objects.get(slug="privacy").delete()
    report = demo.seed_pages()
    assert report["/privacy/"] == "created"
    assert InformationPage.objects.filter(slug="privacy", live=True).count() == 1
