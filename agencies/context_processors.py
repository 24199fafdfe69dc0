from django.conf import settings
from django.utils.functional import lazy

from agencies.models import LocalAuthority


def service(request):
    # Lazy: read (from the cache, or once from the database) only by a page that shows it.
    return {"service_name": settings.SITE_NAME,
            "authority_name": lazy(LocalAuthority.portal_name, str)(),
            "base_url": settings.BASE_URL.rstrip("/")}
