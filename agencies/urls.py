from django.urls import path

from agencies import views
from agencies.throttle import guards_secret_link

urlpatterns = [
    path("invitations/<str:token>/", guards_secret_link(views.accept_invitation),
         name="accept_invitation"),
]
