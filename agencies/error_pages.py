"""The pages shown when a request fails: never a traceback, and never a page that needs the
database that has just failed."""

import sys

from django.http import HttpResponse
from django.template.loader import render_to_string

from agencies.context_processors import service
from agencies.models import LocalAuthority
from common.database import DATABASE_DOWN

RETRY_AFTER_SECONDS = 30


def server_error(request):
    """Django's handler500, called while the exception is being handled: a database that is
    down is the service being unavailable for a while (503), anything else a fault (500).
    Rendered without the request, whose session, user and messages live in the database."""
    context = {**service(request),
               "authority_name": LocalAuthority.portal_name(read_database=False)}
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        response = HttpResponse(render_to_string("503.html", context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(render_to_string("500.html", context), status=500)
