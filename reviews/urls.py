from reviews.views import (
    advocacy,
    calendar,
    contributor,
    coordinator,
    family,
    home,
    post,
    young_person,
)

app_name = "reviews"

urlpatterns = home.urlpatterns + coordinator.urlpatterns + contributor.urlpatterns \
    + family.urlpatterns + advocacy.urlpatterns \
    + calendar.review_urlpatterns + post.urlpatterns + young_person.urlpatterns
