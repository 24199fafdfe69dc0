"""Read the calendar mailbox once (the django-q2 schedule does it every few minutes)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reviews.calendar_replies import read_mailbox


class Command(BaseCommand):
    help = ("Read the calendar mailbox: record the accept and decline replies from people's "
            "calendars as their answers, and pass anything else on to the coordinator.")

    def handle(self, *args, **options):
        if not settings.CALENDAR_IMAP_HOST:
            raise CommandError("CALENDAR_IMAP_HOST is not set: the portal has no calendar "
                               "mailbox to read.")
        counts = read_mailbox()
        self.stdout.write("; ".join(f"{what}: {n}" for what, n in sorted(counts.items()))
                          or "No unread messages.")
