"""Calendars: a person's private feed, and how to subscribe to it."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import condition, require_POST

from agencies.throttle import guards_secret_link
from portal.links import absolute_url
from reviews.access import review_access
from reviews.calendar import calendar, feed_calendar, feed_reviews, meeting_event
from reviews.models import CalendarFeed, hash_token

app_name = "calendar"


def _feed_owner(token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar")
    return feed.user


def _fingerprint(request, token):
    """What the feed's content depends on, read in one aggregate query."""
    if not hasattr(request, "_feed"):
        user = _feed_owner(token)
        reviews = feed_reviews(user)
        stats = reviews.order_by().aggregate(n=Count("pk"), seq=Sum("event_seq"),
                                             cal=Sum("calendar_sequence"),
                                             changed=Max("changed_at"))
        request._feed = (user, reviews, stats)
    return request._feed


def _etag(request, token):
    user, _, stats = _fingerprint(request, token)
    # Today's date is in it: what a person may see changes with the date (90 days after close).
    raw = f"{user.pk}:{stats['n']}:{stats['seq']}:{stats['cal']}:{timezone.localdate()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _last_modified(request, token):
    return _fingerprint(request, token)[2]["changed"]


@condition(etag_func=_etag, last_modified_func=_last_modified)
def feed(request, token):
    user, reviews, _ = _fingerprint(request, token)
    response = HttpResponse(feed_calendar(user, reviews),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="reviews.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
def subscribe(request):
    return render(request, "reviews/calendar/subscribe.html", {
        "has_feed": CalendarFeed.objects.filter(user=request.user).exists(),
        "address": request.session.pop("calendar_address", None),
    })


@login_required
@require_POST
def reset(request):
    token = CalendarFeed(user=request.user).reset()
    CalendarFeed.objects.update_or_create(
        user=request.user, defaults={"token_hash": hash_token(token), "created_at": timezone.now()})
    # Shown once, on the next page; never stored in clear or put in a log.
    request.session["calendar_address"] = absolute_url(reverse("calendar:feed", args=[token]))
    messages.success(request, "Your calendar address is ready. "
                              "Any older address has stopped working.")
    return redirect("calendar:subscribe")


def review_meeting(request, review_id):
    """One meeting as a file to open in any calendar: the family's "add to calendar"."""
    access = review_access(request.user, review_id, need="view", request=request)
    review = access.review
    if review.meeting_at is None or not review.is_open:
        raise Http404("No meeting is set")
    attendees = [access.invitation] if access.invitation else []
    body = calendar([meeting_event(review, attendees, invitation=access.invitation)],
                    method="PUBLISH")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="review-meeting.ics"'
    return response


# Mounted under /reviews/ by reviews/urls.py.
review_urlpatterns = [
    path("<uuid:review_id>/meeting.ics", login_required(review_meeting), name="meeting_ics"),
]

urlpatterns = [
    path("", subscribe, name="subscribe"),
    path("reset/", reset, name="reset"),
    path("<str:token>.ics", guards_secret_link(feed), name="feed"),
]
