"""Calendars: a person's private feed, and how to subscribe to it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import condition, require_POST

from common.links import absolute_url, webcal
from reviews.access import review_access
from reviews.calendar import feed_calendar, feed_reviews, meeting_download
from reviews.models import CalendarFeed, hash_token


def _served(request, token):
    """The feed's body and its validators, made once per request. The validators come from
    the body itself, so they change exactly when what a calendar would store does: a review
    that leaves the feed changes them as surely as a meeting that moves."""
    if not hasattr(request, "_feed"):
        feed = (CalendarFeed.objects.select_related("user")
                .filter(token_hash=hash_token(token)).first())
        if feed is None or not feed.user.is_active:
            raise Http404("No such calendar")
        body = feed_calendar(feed.user, feed_reviews(feed.user))
        request._feed = (body, *feed.serving(body))
    return request._feed


@condition(etag_func=lambda request, token: _served(request, token)[1],
           last_modified_func=lambda request, token: _served(request, token)[2])
def feed(request, token):
    response = HttpResponse(_served(request, token)[0],
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="reviews.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
def subscribe(request):
    address = request.session.pop("calendar_address", None)
    return render(request, "reviews/calendar/subscribe.html", {
        "has_feed": CalendarFeed.objects.filter(user=request.user).exists(),
        "address": address,
        "webcal_address": webcal(address) if address else None,
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


@login_required
def review_meeting(request, review_id):
    """One meeting as a file to open in any calendar: the family's "add to calendar"."""
    access = review_access(request.user, review_id, need="view", request=request)
    review = access.review
    if review.meeting_at is None or not review.is_open:
        raise Http404("No meeting is set")
    body = meeting_download(review, request.user, access.invitation,
                            access.is_family and not access.is_professional)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="review-meeting.ics"'
    return response
