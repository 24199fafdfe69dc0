"""Pages for the coordinator journeys."""

urlpatterns = []
