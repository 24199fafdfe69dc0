"""django-q2 entry points. Thin on purpose: the work is in plain functions that take the
day, which tests call with fixed dates."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from reviews.calendar_replies import read_mailbox
from reviews.chasers import run_daily_chasers
from reviews.termly import send_termly_lists


def daily_chasers() -> dict[str, int]:
    """The daily schedule's job, for today in Europe/London (the project's TIME_ZONE)."""
    return daily_chasers_for(timezone.localdate())


def daily_chasers_for(today: dt.date) -> dict[str, int]:
    return {**run_daily_chasers(today), **send_termly_lists(today)}


def read_calendar_replies() -> dict[str, int]:
    """The schedule's job every few minutes: read the calendar mailbox, if there is one."""
    if not settings.CALENDAR_IMAP_HOST:
        return {}
    return dict(read_mailbox())
