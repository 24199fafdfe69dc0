from django.conf import settings


def service(request):
    return {"service_name": settings.SITE_NAME, "authority_name": settings.AUTHORITY_NAME,
            "base_url": settings.BASE_URL.rstrip("/")}
