from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    # Wagtail's own sign-in and password pages are bypassed: allauth (rate limits, MFA) is
    # the one way in, for the admin too.
    path("cms/login/", RedirectView.as_view(url=reverse_lazy("account_login"), query_string=True)),
    path("cms/password_reset/", RedirectView.as_view(url=reverse_lazy("account_reset_password"))),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("", include("agencies.urls")),
    path("reviews/", include("reviews.urls")),
    path("reviews/", include("reports.urls")),
    path("reviews/", include("decisions.urls")),
    path("accountability/", include("accountability.urls")),
    path("calendar/", include("reviews.views.calendar")),
]

# Uploads are never served from MEDIA_URL: each download goes through a view that asks the
# access module (advice attachments, the child's own views).

urlpatterns += [path("", include(wagtail_urls))]
