from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.users.apps import WagtailUsersAppConfig


def site_from_base_url(**kwargs):
    """The Sites framework's record, which allauth names in its pages and emails, is the
    portal's own address and name, not Django's "example.com"."""
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={
        "domain": urlsplit(settings.BASE_URL).netloc, "name": settings.SITE_NAME})


def forget_portal_name(**kwargs):
    """An authority added, renamed or removed: the header's name is read again."""
    from django.core.cache import cache

    from agencies.models import PORTAL_NAME_CACHE_KEY

    cache.delete(PORTAL_NAME_CACHE_KEY)


class AgenciesConfig(AppConfig):
    # This module also imports WagtailUsersAppConfig: without `default`, Django finds two
    # candidates, takes neither, and ready() below never ran.
    default = True
    name = "agencies"
    verbose_name = "Agencies and people"

    def ready(self):
        from agencies import (
            audit,  # noqa: F401  (connects the sign-in and MFA receivers)
            session_end,
        )

        session_end.connect()

        post_migrate.connect(site_from_base_url, sender=self)
        authority = self.get_model("LocalAuthority")
        post_save.connect(forget_portal_name, sender=authority)
        post_delete.connect(forget_portal_name, sender=authority)


class PortalUsersConfig(WagtailUsersAppConfig):
    """Wagtail's accounts screens, kept to each member of staff's authority."""

    default = False
    user_viewset = "agencies.wagtail_hooks.PortalUserViewSet"
