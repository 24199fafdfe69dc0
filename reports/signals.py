"""The report is drafted as the meeting closes: reviews/meeting.py records the closing as an
Event, and this receiver drafts in the same transaction, so a closed meeting always has its
draft (or, if drafting failed, a logged error and the button on the outcome page)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from reports.drafting import draft_when_meeting_closes
from reviews.models import Event

MEETING_CLOSED = "meeting.closed"


@receiver(post_save, sender=Event, dispatch_uid="reports.draft_when_meeting_closes")
def meeting_closed(sender, instance: Event, created: bool, **kwargs):
    if created and instance.kind == MEETING_CLOSED:
        draft_when_meeting_closes(instance)
