from django.urls import path

from portal.consumers import PersonalUpdatesConsumer

websocket_urlpatterns = [
    path("ws/updates/", PersonalUpdatesConsumer.as_asgi()),
]
