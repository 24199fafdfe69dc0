from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from reviews.urls import calendar_feeds

# allauth's sign-in (rate limits, two-step) is the one way in. Wagtail brings sign-in and
# password forms of its own: its admin's are sent to allauth's, and of its front-end and
# documents routes only the serving views are kept (private pages send people to allauth:
# WAGTAIL_FRONTEND_LOGIN_URL; shared page and collection passwords are off in settings).
to_sign_in = RedirectView.as_view(url=reverse_lazy("account_login"), query_string=True)
SERVING_ONLY = {"wagtail_serve", "wagtaildocs_serve"}


def serving_only(patterns):
    return [pattern for pattern in patterns if pattern.name in SERVING_ONLY]


urlpatterns = [
    path("cms/login/", to_sign_in),
    path("cms/password_reset/", RedirectView.as_view(url=reverse_lazy("account_reset_password"))),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(serving_only(wagtaildocs_urls.urlpatterns))),
    path("accounts/", include("allauth.urls")),
    path("", include("agencies.urls")),
    path("reviews/", include("reviews.urls")),
    path("reviews/", include("reports.urls")),
    path("reviews/", include("decisions.urls")),
    path("accountability/", include("accountability.urls")),
    path("calendar/", include(calendar_feeds)),
    # Wagtail's front-end sign-in, by the name Wagtail reverses: it lands on the portal's.
    path("_util/login/", to_sign_in, name="wagtailcore_login"),
]

# Uploads are never served from MEDIA_URL: each download goes through a view that asks the
# access module (advice attachments, the child's own views).

urlpatterns += [path("", include(serving_only(wagtail_urls.urlpatterns)))]

# A failure shows the portal's own page; a database that is down shows 503
# (agencies/error_pages.py).
handler500 = "agencies.error_pages.server_error"
