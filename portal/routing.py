from django.urls import path

from agencies.sockets import PersonalUpdatesConsumer
from reviews.consumers import ReviewRoomConsumer, ReviewWatchConsumer

websocket_urlpatterns = [
    path("ws/updates/", PersonalUpdatesConsumer.as_asgi()),
    path("ws/reviews/<uuid:review_id>/", ReviewWatchConsumer.as_asgi()),
    path("ws/reviews/<uuid:review_id>/room/", ReviewRoomConsumer.as_asgi()),
]
