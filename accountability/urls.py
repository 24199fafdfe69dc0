from django.urls import path

from accountability import views
from accountability.export_views import urlpatterns as exports_urlpatterns

app_name = "accountability"

urlpatterns = [
    path("", views.index, name="index"),
    path("reviews/", views.reviews, name="reviews"),
    *[path(f"{slug}/", views.dashboard, {"page": slug}, name=slug) for slug in views.PAGES],
]

# The downloads (CSV, Excel, the SEN2 return): accountability/export_views.py.
urlpatterns += exports_urlpatterns
