"""Which pages may open the portal's WebSockets: the site's own, matched exactly.

A socket carries the visitor's session cookie whichever site opened it, so a page elsewhere
must not be able to open one (cross-site WebSocket hijacking). The browser's Origin header
must be one of the site's origins in scheme, host and port.
"""

from urllib.parse import urlsplit

from channels.security.websocket import OriginValidator
from django.conf import settings


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, as a browser sends it in an Origin header."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def site_origins() -> list[str]:
    """BASE_URL's origin and CSRF_TRUSTED_ORIGINS; while DEBUG, also the addresses `make run`
    serves on (bin/serve's PORT), which BASE_URL need not name."""
    origins = [origin_of(settings.BASE_URL), *map(origin_of, settings.CSRF_TRUSTED_ORIGINS)]
    if settings.DEBUG:
        origins += [f"http://localhost:{settings.PORT}", f"http://127.0.0.1:{settings.PORT}"]
    # Each must name its scheme: Channels matches a bare host name on any scheme and port.
    return [origin for origin in origins if urlsplit(origin).scheme in ("http", "https")]


class SiteOriginValidator(OriginValidator):
    """Channels' origin check against `site_origins()`, read from the settings for each
    handshake (they are a few strings), and refusing an Origin whose port is not a port
    rather than failing on it."""

    def __init__(self, application):
        super().__init__(application, allowed_origins=())

    def validate_origin(self, parsed_origin) -> bool:
        try:
            return any(self.match_allowed_origin(parsed_origin, allowed)
                       for allowed in site_origins())
        except ValueError:  # urllib's answer to a port out of range or not a number
            return False
