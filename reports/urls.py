from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("<uuid:review_id>/outcome/", views.outcome, name="outcome"),
    path("<uuid:review_id>/outcome/create/", views.create_draft, name="create_draft"),
    path("<uuid:review_id>/outcome/edit/", views.edit, name="edit"),
    path("<uuid:review_id>/outcome/history/", views.history, name="history"),
    path("<uuid:review_id>/outcome/sign-off/", views.request_signoff, name="request_signoff"),
    path("<uuid:review_id>/outcome/comments/<int:comment_id>/", views.comment_action,
         name="comment_action"),
    path("<uuid:review_id>/outcome/publish/", views.publish, name="publish"),
    path("<uuid:review_id>/outcome/draft/", views.draft, name="draft"),
    path("<uuid:review_id>/report/", views.published, name="published"),
    path("<uuid:review_id>/report/<int:version>/", views.published, name="published_version"),
]
