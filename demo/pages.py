"""Demo content: the home page and the guides for families, published idempotently.

`seed_pages()` can run any number of times. Pages are found by slug under the home page;
one is only written when its content differs from its file in demo/content/, and never once a person
has edited it in the CMS (its latest revision has a user): an editor's work is theirs.
Wagtail's "Welcome to your new Wagtail site!" page is replaced by our HomePage, and the
default Site points at the HomePage.

The law behind the guides: docs/statutory-clock.md (England). Phone numbers are from Ofcom's
range for drama (0113 496 0000 to 0999) and addresses are example.org: the authority is
fictional.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page, Site

from agencies.models import LocalAuthority
from home.models import HomePage, InformationPage
from reviews import clock

HOME_SLUG = "home"


@dataclass
class PageSpec:
    slug: str
    title: str
    summary: str
    body: list = field(default_factory=list)
    show_in_menus: bool = True


def home_page_content():
    intro = (
        "<p>Every child or young person with an Education, Health and Care plan (EHCP, or "
        "EHC plan) has a review of their plan at least once a year. This is the annual "
        "review.</p>"
        "<p>Families use this service to give their views, ask for a free independent "
        "advocate, join the meeting and read what was decided.</p>"
        "<p>Schools, colleges, health, social care and the council use it to give their "
        "advice and to run each review on time.</p>"
    )
    body = [
        {"type": "inset_text",
         "value": "<p>New to this service? Read <a href=\"/help/\">help using this service</a> "
                  "before you sign in.</p>"},
    ]
    return settings.SITE_NAME, intro, body


# The guides' content: one file each in demo/content/guides/, the StreamField JSON Wagtail
# stores, in the order the files sort. A file says [[service]] for the service's name,
# [[authority]] for the council's and [[law:notice]] for a duration the law sets, in words
# from the clock (reviews/clock.py in_words), so a changed duration changes the guides too.
GUIDES = Path(__file__).resolve().parent / "content" / "guides"
_TOKEN = re.compile(r"\[\[(service|authority|law:(\w+))\]\]")


def _filled(value, words: dict[str, str]):
    if isinstance(value, str):
        return _TOKEN.sub(lambda match: words[match[1]], value)
    if isinstance(value, list):
        return [_filled(item, words) for item in value]
    if isinstance(value, dict):
        return {key: _filled(item, words) for key, item in value.items()}
    return value


def guides() -> list[PageSpec]:
    words = {"service": settings.SITE_NAME, "authority": LocalAuthority.portal_name(),
             **{f"law:{name}": text for name, text in clock.words_in_force().items()}}
    return [PageSpec(**_filled(json.loads(path.read_text()), words))
            for path in sorted(GUIDES.glob("*.json"))]


# Writing the pages.


def _without_ids(data):
    if isinstance(data, dict):
        return {k: _without_ids(v) for k, v in data.items() if k != "id"}
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    return data


def _stream(model, value):
    """The canonical, id-free JSON of a body, stored or raw: for comparing content."""
    if not hasattr(value, "stream_block"):
        value = model._meta.get_field("body").stream_block.to_python(value)
    return _without_ids([child.get_prep_value() for child in value])


def _edited_by_a_person(page):
    revision = page.latest_revision
    return revision is not None and revision.user_id is not None


def _write(page, fields, created):
    """Publish `fields` on `page` unless they are already live. Returns what it did."""
    model = type(page)
    if not created:
        if _edited_by_a_person(page):
            return "kept (edited in the CMS)"
        same = all(
            _stream(model, getattr(page, name)) == _stream(model, value)
            if name == "body"
            else getattr(page, name) == value
            for name, value in fields.items()
        )
        if same and page.live and not page.has_unpublished_changes:
            return "unchanged"
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return "created" if created else "updated"


def _is_wagtails_welcome_page(page):
    return (
        page.content_type_id == ContentType.objects.get_for_model(Page).id
        and page.numchild == 0
    )


def _ensure_home_page(root):
    title, intro, body = home_page_content()
    fields = {"title": title, "intro": intro, "body": body}
    home = HomePage.objects.first()
    if home is not None:
        return home, _write(home, fields, created=False)

    welcome = root.get_children().filter(slug=HOME_SLUG).first()
    if welcome is not None and _is_wagtails_welcome_page(welcome):
        # Site.root_page cascades on delete: hold the sites on the root while we swap.
        Site.objects.filter(root_page=welcome).update(root_page=root)
        welcome.delete()
    slug = HOME_SLUG
    if root.get_children().filter(slug=slug).exists():
        slug = "ehcp-annual-reviews"
    home = HomePage(slug=slug, **fields)
    root.add_child(instance=home)
    return home, _write(home, fields, created=True)


def _point_sites_at(home, root):
    Site.objects.filter(root_page=root).update(root_page=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=settings.SITE_NAME,
        )
    elif site.root_page_id != home.id or site.site_name != settings.SITE_NAME:
        site.root_page = home
        site.site_name = settings.SITE_NAME
        site.save()


def _ensure_information_page(home, spec):
    fields = {
        "title": spec.title,
        "summary": spec.summary,
        "body": spec.body,
        "show_in_menus": spec.show_in_menus,
    }
    existing = home.get_children().filter(slug=spec.slug).specific().first()
    if existing is None:
        page = InformationPage(slug=spec.slug, **fields)
        home.add_child(instance=page)
        return _write(page, fields, created=True)
    if not isinstance(existing, InformationPage):
        return "kept (another kind of page has this slug)"
    return _write(existing, fields, created=False)


@transaction.atomic
def seed_pages():
    """Publish the home page and the family guides. Returns {slug: what was done}."""
    root = Page.get_first_root_node()
    home, done = _ensure_home_page(root)
    _point_sites_at(home, root)
    report = {"/": done}
    for spec in guides():
        report[f"/{spec.slug}/"] = _ensure_information_page(home, spec)
    return report
