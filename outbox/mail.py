"""Queue and send the portal's emails. Every email the portal sends goes through here."""

import hashlib
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone
from django_q.tasks import async_task

from outbox.models import Email

logger = logging.getLogger(__name__)


def queue_email(key: str, to: str, subject: str, text: str, calendar: bytes = b"",
                calendar_method: str = "") -> Email:
    """Write the email in the caller's transaction; a worker sends it after commit.

    `calendar` is an iCalendar object sent as the text/calendar alternative that Outlook and
    Google act on, and as an invite.ics attachment for everything else.
    """
    email, created = Email.objects.get_or_create(
        key=key, defaults={"to": to, "subject": subject, "text": text,
                           "calendar": calendar.decode(), "calendar_method": calendar_method},
    )
    if created:
        _send_after_commit()
    return email


def _kick_worker() -> None:
    async_task("outbox.mail.send_due_emails")


def _send_after_commit() -> None:
    # One job per transaction, however many emails it queued: the job sends every due email.
    # Django drops pending callbacks on rollback, so a rolled-back change leaves none behind.
    if not any(entry[1] is _kick_worker for entry in connection.run_on_commit):
        transaction.on_commit(_kick_worker)


def message_id(email: Email) -> str:
    """A stable Message-ID, so a mail server can drop the copy if a retry ever sends twice."""
    digest = hashlib.sha256(email.key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<{digest}@{domain}>"


def as_message(email: Email) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=email.subject, body=email.text, to=[email.to],
                                     headers={"Message-ID": message_id(email)})
    if email.calendar:
        method = email.calendar_method or "PUBLISH"
        message.attach_alternative(email.calendar, f"text/calendar; method={method}")
        message.attach("invite.ics", email.calendar, "application/ics")
    return message


def send_one(email: Email) -> bool:
    if not email.claim():
        return False
    try:
        as_message(email).send()
    except Exception as exc:  # any transport failure: keep the row, retry later
        give_up = email.attempts + 1 >= Email.MAX_ATTEMPTS
        Email.objects.filter(pk=email.pk).update(
            last_error=f"{type(exc).__name__}: {exc}"[:500],
            failed_at=timezone.now() if give_up else None,
        )
        logger.warning("Email %s not sent (attempt %s): %s", email.pk, email.attempts + 1,
                       type(exc).__name__)
        return False
    Email.objects.filter(pk=email.pk).update(sent_at=timezone.now(), last_error="")
    return True


def send_due_emails(limit: int = 200) -> int:
    """Send what is due; run after each commit that queues mail and every minute as a sweep."""
    sent = 0
    for email in Email.objects.due()[:limit]:
        sent += send_one(email)
    return sent
