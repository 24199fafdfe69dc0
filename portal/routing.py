from django.urls import path

from agencies.sockets import PersonalUpdatesConsumer
from meeting.consumers import ReviewRoomConsumer
from reviews.consumers import ReviewWatchConsumer

websocket_urlpatterns = [
    path("ws/updates/", PersonalUpdatesConsumer.as_asgi()),
    path("ws/reviews/<uuid:review_id>/", ReviewWatchConsumer.as_asgi()),
    path("ws/reviews/<uuid:review_id>/room/", ReviewRoomConsumer.as_asgi()),
]
