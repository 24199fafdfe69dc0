"""ASGI entry point: HTTP through Django, WebSockets through Channels.

WebSocket routes sit behind origin validation (the site's own origins, portal/origins.py)
and the session: a socket opened from another site, or without a signed-in session, is
refused.
"""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from portal.origins import SiteOriginValidator  # noqa: E402
from portal.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SiteOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# The URLconf and the views it imports are loaded now, not by the first request; then all
# that is loaded, which lives as long as the process, is frozen. The collector no longer
# walks those 250,000 objects on each full collection: those walks, 60 to 120 ms each, were
# the slow tail of the dashboards (bench/README.md).
get_resolver().url_patterns  # noqa: B018
gc.freeze()
