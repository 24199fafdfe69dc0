"""Every path of the reviews app: its pages under /reviews/ (``urlpatterns``), and the
calendar feeds under /calendar/ (``calendar_feeds``, in their own namespace)."""

from django.urls import path

from agencies.throttle import guards_secret_link
from reviews.views import (
    advocacy,
    calendar,
    contributor,
    coordinator,
    family,
    home,
    meeting,
    post,
    young_person,
)

app_name = "reviews"

urlpatterns = [
    path("", home.my_work, name="home"),
    # The coordinator's pages, and the link in every invitation email.
    path("due/", coordinator.due, name="due"),
    path("<uuid:review_id>/", coordinator.review_page, name="review"),
    path("<uuid:review_id>/schedule/", coordinator.schedule, name="schedule"),
    path("<uuid:review_id>/cancel/", coordinator.cancel, name="cancel"),
    path("<uuid:review_id>/coordinator/", coordinator.hand_over, name="hand_over"),
    path("<uuid:review_id>/invite/", coordinator.invite, name="invite"),
    path("<uuid:review_id>/invite/<uuid:invitation_id>/remove/", coordinator.remove_invitation,
         name="remove_invitation"),
    path("i/<str:token>/", guards_secret_link(coordinator.invitation_link),
         name="invitation_link"),
    # Contributors: their reviews, their answer, their advice, and everyone's.
    path("mine/", contributor.my_reviews, name="mine"),
    path("<uuid:review_id>/answer/", contributor.answer, name="answer"),
    path("<uuid:review_id>/advice/", contributor.advice_form, name="advice"),
    path("<uuid:review_id>/advice/check/", contributor.advice_check, name="advice_check"),
    path("<uuid:review_id>/advice/sent/", contributor.advice_sent, name="advice_sent"),
    path("<uuid:review_id>/advice/correct/", contributor.advice_correct, name="advice_correct"),
    path("<uuid:review_id>/advice/all/", contributor.advice_list, name="advice_list"),
    path("<uuid:review_id>/advice/versions/<int:advice_id>/", contributor.advice_version,
         name="advice_version"),
    path("<uuid:review_id>/advice/circulate/", contributor.circulate, name="circulate"),
    path("<uuid:review_id>/attachments/<int:attachment_id>/", contributor.attachment,
         name="attachment"),
    # Families and young people.
    path("family/", family.family_home, name="family_home"),
    path("<uuid:review_id>/family/", family.family_review, name="family_review"),
    path("<uuid:review_id>/advocacy/", family.advocacy, name="advocacy"),
    path("<uuid:review_id>/views/", family.views_start, name="family_views"),
    path("<uuid:review_id>/views/check/", family.views_check, name="family_views_check"),
    path("<uuid:review_id>/views/sent/", family.views_sent, name="family_views_sent"),
    path("<uuid:review_id>/views/<int:views_id>/file/", family.views_file,
         name="family_views_file"),
    path("<uuid:review_id>/views/<slug:step>/", family.views_step, name="family_views_step"),
    # The advocacy provider's referrals.
    path("advocacy-referrals/", advocacy.referrals, name="advocacy_referrals"),
    path("<uuid:review_id>/advocacy/referral/", advocacy.referral, name="advocacy_referral"),
    # The meeting room's paths move with it to an app of its own.
    *meeting.urlpatterns,
    path("<uuid:review_id>/meeting.ics", calendar.review_meeting, name="meeting_ics"),
    # Letters by post.
    path("letters-to-post/", post.to_post, name="to_post"),
    path("<uuid:review_id>/letters/<int:letter_id>/pdf/", post.letter_pdf, name="letter_pdf"),
    path("<uuid:review_id>/letters/<int:letter_id>/posted/", post.letter_posted,
         name="letter_posted"),
    path("<uuid:review_id>/who-can-see/", young_person.who_can_see, name="who_can_see"),
]

# A person's private calendar feed and the page to subscribe to it: mounted at /calendar/
# by portal/urls.py.
calendar_feeds = ([
    path("", calendar.subscribe, name="subscribe"),
    path("reset/", calendar.reset, name="reset"),
    path("<str:token>.ics", guards_secret_link(calendar.feed), name="feed"),
], "calendar")
