"""Dates for the calendar: the authority's school terms (a setting's termly list goes out
before each), and each person's private calendar feed."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from agencies.models import LocalAuthority
from reviews.models.workflow import hash_token


class Term(models.Model):
    """School term dates, which the LA edits; the termly list goes out 2 weeks before each."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=60, help_text="For example: Spring term 2027")
    starts_on = models.DateField()
    ends_on = models.DateField()
    list_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "starts_on"], name="one_term_per_start"),
        ]

    def __str__(self):
        return self.name


class CalendarFeed(models.Model):
    """A person's private calendar address. Only a hash of its secret is kept: the address
    is shown once, when it is made or reset."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # What the feed last served and since when: its ETag and Last-Modified. Kept so that
    # both change whenever its content does, whatever the change (a meeting moved, or a
    # review gone from it: cancelled, the person removed, access ended).
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    content_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self):
        return f"Calendar feed of {self.user}"

    def reset(self) -> str:
        """A new secret: the old address stops working once this is saved."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.created_at = timezone.now()
        return token

    def serving(self, body: bytes) -> tuple[str, datetime]:
        """The feed's validators for `body`: its hash, and when the content last changed
        (now, if `body` is not what the feed last served). Whole seconds, each change at
        least a second after the one before: HTTP dates have no fractions, and a client
        holding the earlier date must see a later one."""
        digest = hashlib.sha256(body).hexdigest()
        if digest == self.content_hash and self.content_changed_at:
            return digest, self.content_changed_at
        changed = timezone.now().replace(microsecond=0)
        if self.content_changed_at and changed <= self.content_changed_at:
            changed = self.content_changed_at + timedelta(seconds=1)
        updated = CalendarFeed.objects.filter(
            pk=self.pk, content_hash=self.content_hash,
            content_changed_at=self.content_changed_at).update(
                content_hash=digest, content_changed_at=changed)
        if not updated:  # another request for the same feed saved first: use what it saved
            self.refresh_from_db(fields=["content_hash", "content_changed_at"])
            if digest == self.content_hash:
                return digest, self.content_changed_at
        self.content_hash, self.content_changed_at = digest, changed
        return digest, changed
