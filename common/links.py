"""Links that leave the portal (emails, calendar addresses) are built on BASE_URL, never on
the request's Host header, which is whatever the request came with."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def rebased(url: str) -> str:
    """`url` with BASE_URL's scheme and host in place of its own."""
    base = urlsplit(settings.BASE_URL)
    return urlunsplit((base.scheme, base.netloc, *urlsplit(url)[2:]))


def webcal(url: str) -> str:
    """The same address for a calendar app to subscribe to: webcal:// in place of http://
    or https:// (phones and Macs open webcal links in their calendar)."""
    return urlunsplit(("webcal", *urlsplit(url)[1:]))
