from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from wagtail.users.apps import WagtailUsersAppConfig


def site_from_base_url(**kwargs):
    """The Sites framework's record, which allauth names in its pages and emails, is the
    portal's own address and name, not Django's "example.com"."""
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={
        "domain": urlsplit(settings.BASE_URL).netloc, "name": settings.SITE_NAME})


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "Agencies and people"

    def ready(self):
        from agencies import audit  # noqa: F401  (connects the sign-in and MFA receivers)

        post_migrate.connect(site_from_base_url, sender=self)


class PortalUsersConfig(WagtailUsersAppConfig):
    """Wagtail's accounts screens, kept to each member of staff's authority."""

    default = False
    user_viewset = "agencies.wagtail_hooks.PortalUserViewSet"
