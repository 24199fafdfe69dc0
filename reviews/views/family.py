"""Pages for the family journeys."""

urlpatterns = []
