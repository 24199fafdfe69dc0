from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project's configuration (settings, URLs, ASGI, routing) and its site-wide
    templates: no models, no logic of its own."""

    name = "portal"
    verbose_name = "Portal"
