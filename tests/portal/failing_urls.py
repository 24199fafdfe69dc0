"""A URLconf with one view that fails, for the error pages' tests."""

from django.urls import path

from portal.urls import handler500  # noqa: F401  (the portal's own error pages)


def fails(request):
    return 1 / 0


urlpatterns = [path("fails/", fails), path("fails/<str:token>/", fails, name="fails")]
