"""Every route the portal answers, Wagtail's and allauth's included, as a path to ask.

Route patterns are filled with a sample value per converter; the few regular-expression
routes (allauth's, Wagtail's serving views) need a sample here, and a new one without a
sample fails the walk rather than going unasked.
"""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

SAMPLES = {"uuid": str(uuid.UUID(int=1)), "int": "1", "str": "x", "slug": "x", "path": "x"}

# Regular-expression routes, by URL name (or pattern, when unnamed): a path each one answers.
REGEX_SAMPLES = {
    "revisions_compare": "1/revisions/compare/earliest...latest/",
    "^.*/$": "x/",  # Wagtail's admin: any other address, for its "page not found"
    "account_confirm_email": "confirm-email/x/",
    "account_reset_password_from_key": "password/reset/key/1-x/",
    "wagtaildocs_serve": "1/x.pdf",
    "wagtail_serve": "",
}


@dataclass(frozen=True)
class Route:
    path: str
    name: str

    def __str__(self):
        return f"{self.name or '(unnamed)'} {self.path}"


def _filled(pattern, name: str) -> str:
    literal = str(pattern).removeprefix("^")
    if isinstance(pattern, RegexPattern) and re.fullmatch(r"[\w/-]*", literal):
        return literal  # a plain prefix written as a regular expression
    if isinstance(pattern, RegexPattern):
        key = name or str(pattern)
        if key not in REGEX_SAMPLES:
            raise AssertionError(f"Add a sample path for the regex route {key!r} to "
                                 "tests/urlwalk.py REGEX_SAMPLES")
        return REGEX_SAMPLES[key]
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], str(pattern))


def _walk(patterns, prefix: str):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + _filled(entry.pattern, ""))
        elif isinstance(entry, URLPattern):
            yield Route("/" + prefix + _filled(entry.pattern, entry.name), entry.name or "")


def every_route() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, ""))
