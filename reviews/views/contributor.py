"""Pages for the contributor journeys."""

urlpatterns = []
