"""django-q2 entry points. Thin on purpose: the work is in plain functions that take the
day, which tests call with fixed dates."""

import datetime as dt

from django.utils import timezone

from decisions.ceasing import cease_plans_after_appeal_window
from decisions.reminders import remind_coordinators


def daily_decisions() -> dict[str, int]:
    """The daily schedule's job, for today in Europe/London (the project's TIME_ZONE)."""
    return daily_decisions_for(timezone.localdate())


def daily_decisions_for(today: dt.date) -> dict[str, int]:
    return {**cease_plans_after_appeal_window(today), **remind_coordinators(today)}
