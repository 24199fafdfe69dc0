"""The idle time-out, said before it happens (WCAG 2.2.1 Timing adjustable).

A session ends after SESSION_COOKIE_AGE seconds without a request (SESSION_IDLE_MINUTES):
SESSION_SAVE_EVERY_REQUEST moves its expiry on at every request. Every signed-in page
carries the warning dialog (includes/session_timeout.html), which
static/portal/session-timeout.js opens SESSION_WARNING_SECONDS before the end:

- "Stay signed in" posts to `keep_alive`, a request that moves the expiry on;
- when the time runs out, the page goes to `timed_out`, which sends the person to sign in
  with the reason and back to where they were afterwards.

Neither holds any review: each answers only about the session that asks.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST


def idle_words(seconds: int) -> str:
    """How long a session may be idle, as the pages say it ("30 minutes")."""
    if seconds % 60:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    minutes = seconds // 60
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def timed_out_words(saved: bool) -> str:
    words = (f"You were signed out because you had not done anything for "
             f"{idle_words(settings.SESSION_COOKIE_AGE)}.")
    return f"{words} We saved what you had typed." if saved else words


@require_POST
def keep_alive(request):
    """"Stay signed in": 204 with the session's expiry moved on; 401 once it has ended."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    # Saved whatever SESSION_SAVE_EVERY_REQUEST says: saving sets the expiry afresh.
    request.session.modified = True
    return HttpResponse(status=204)


@require_GET
def timed_out(request):
    """Where a page goes when its time runs out: to sign in, told why, then back to `next`.
    Still signed in (another tab kept the session alive), straight back to `next`."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = reverse(settings.LOGIN_REDIRECT_URL)
    if request.user.is_authenticated:
        return redirect(next_url)
    # Said only by a page whose typing was saved as it went (static/portal/autosave.js).
    messages.info(request, timed_out_words(saved=request.GET.get("saved") == "1"))
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
