from django.urls import path

from agencies import views

urlpatterns = [
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
