from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AgenciesConfig(AppConfig):
    default = True  # this module holds a second config, for Wagtail's accounts screens
    name = "agencies"
    verbose_name = "Agencies and people"

    def ready(self):
        from agencies import audit  # noqa: F401  (connects the sign-in and MFA receivers)


class PortalUsersConfig(WagtailUsersAppConfig):
    """Wagtail's accounts screens, kept to each member of staff's authority."""

    default = False
    user_viewset = "agencies.wagtail_hooks.PortalUserViewSet"
