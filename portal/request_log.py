"""One log line a request: its method, the name of the route it matched, the status and the
time taken. Never the path: invitation links and calendar feeds carry secret tokens, and
a review's address its id (the server's own access log is off for the same reason)."""

import logging
import time

from django.urls import Resolver404, resolve

logger = logging.getLogger("portal.requests")


def route_name(request) -> str:
    match = request.resolver_match
    if match is None:  # answered before the URL was resolved (a redirect to sign in)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "-"
    return match.view_name or "-"


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        logger.info("%s %s %s %dms", request.method, route_name(request),
                    response.status_code, (time.monotonic() - started) * 1000)
        return response


class WithoutPath(logging.Filter):
    """Django's own request errors ("Internal Server Error: /calendar/<token>.ics") name the
    route instead of the path."""

    def filter(self, record):
        request = getattr(record, "request", None)
        if request is not None and len(record.args or ()) == 2:
            record.args = (record.args[0], route_name(request))
        return True
