from django.urls import path

from meeting import views

app_name = "meeting"

urlpatterns = [
    path("<uuid:review_id>/meeting/", views.meeting_room, name="room"),
]
