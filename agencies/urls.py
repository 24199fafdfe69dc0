from django.urls import path

from agencies import session_timeout, views
from agencies.throttle import guards_secret_link

urlpatterns = [
    path("session/keep-alive/", session_timeout.keep_alive, name="session_keep_alive"),
    path("session/timed-out/", session_timeout.timed_out, name="session_timed_out"),
    path("invitations/<str:token>/", guards_secret_link(views.accept_invitation),
         name="accept_invitation"),
]
