"""Wagtail pages: the home page and information pages for families and professionals.

Only page content is indexed for search (Wagtail's default page fields plus the text
below): these pages never hold anything about a child or a family.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BodyBlock


class HomePage(Page):
    intro = RichTextField(
        features=["bold", "link"],
        blank=True,
        help_text="What the service is for, in two or three short sentences.",
    )
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.InformationPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = self.get_children().live().public().in_menu().specific()
        return context


class InformationPage(Page):
    summary = models.TextField(
        max_length=300,
        help_text="One or two sentences shown under the title and in lists of pages.",
    )
    body = StreamField(BodyBlock())

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.InformationPage"]
    subpage_types = ["home.InformationPage"]
    # New pages are listed on their parent page unless the editor unticks "Show in menus".
    show_in_menus_default = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = self.get_ancestors().filter(depth__gt=1).live().specific()
        context["subpages"] = self.get_children().live().public().in_menu().specific()
        return context
