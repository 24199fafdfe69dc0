import importlib

from django.urls import URLPattern
from django.views.static import serve


def patterns(resolver_list):
    for entry in resolver_list:
        if isinstance(entry, URLPattern):
            yield entry
        else:
            yield from patterns(entry.url_patterns)


def test_uploads_are_not_served_from_their_storage_path_even_in_debug(settings):
    import portal.urls

    settings.DEBUG = True
    try:
        reloaded = importlib.reload(portal.urls)
        assert all(p.callback is not serve for p in patterns(reloaded.urlpatterns))
    finally:
        settings.DEBUG = False
        importlib.reload(portal.urls)
