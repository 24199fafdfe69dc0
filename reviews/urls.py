from reviews.views import calendar, contributor, coordinator, family, home, meeting

app_name = "reviews"

urlpatterns = home.urlpatterns + coordinator.urlpatterns + contributor.urlpatterns \
    + family.urlpatterns + meeting.urlpatterns + calendar.review_urlpatterns
