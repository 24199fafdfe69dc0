"""Emails waiting to go out, written in the same transaction as the change that causes them.

A row is the promise to send. Workers send it later with retries, so a crash in the request
loses nothing, and the idempotency key means a double submit or a retried job queues once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


def claim_period() -> timedelta:
    """How long a worker holds an email it is sending (and, after a failure, the wait before
    the next try). Just past a job's time limit, when the cluster has killed a worker that
    was still at it (django-q2 gives it 3 s more): never sent by two at once, and an email
    whose job was killed goes with the job handed out again (Q_RETRY is longer), not ten
    minutes later."""
    timeout = cast(int, settings.Q_CLUSTER["timeout"])  # an int: portal/settings.py envint
    return timedelta(seconds=timeout + 5)


class EmailQuerySet(models.QuerySet["Email"]):
    def due(self, now: datetime | None = None) -> EmailQuerySet:
        now = now or timezone.now()
        return self.filter(sent_at__isnull=True, failed_at__isnull=True).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        )


class Email(models.Model):
    MAX_ATTEMPTS = 6

    key = models.CharField(
        max_length=200, unique=True,
        help_text="Idempotency key: the same key never queues a second email.",
    )
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    text = models.TextField()
    calendar = models.TextField(blank=True, help_text="An iCalendar invitation, if any.")
    calendar_method = models.CharField(max_length=10, blank=True,
                                       help_text="REQUEST or CANCEL, for the MIME type.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["sent_at", "failed_at", "claimed_until"])]

    def __str__(self) -> str:
        return self.subject

    def claim(self, now: datetime | None = None) -> bool:
        """Take this email for one sending attempt; False if another worker has it."""
        now = now or timezone.now()
        claimed = Email.objects.due(now).filter(pk=self.pk).update(
            claimed_until=now + claim_period(), attempts=F("attempts") + 1
        )
        return claimed == 1
