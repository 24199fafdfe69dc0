from reviews.views import contributor, coordinator, family, home

app_name = "reviews"

urlpatterns = home.urlpatterns + coordinator.urlpatterns + contributor.urlpatterns \
    + family.urlpatterns
