import pytest
from django.core import mail
from django.db import transaction

from outbox.mail import queue_email, send_due_emails
from outbox.models import Email

pytestmark = pytest.mark.django_db(transaction=True)


class BrokenTransport:
    """An SMTP server that is down: Django's backend interface, failing every send."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")


def test_an_email_is_sent_by_the_worker_after_the_change_commits(q_sync):
    with transaction.atomic():
        queue_email("k1", "someone@test.example", "Subject", "Body")
        assert mail.outbox == [], "nothing leaves before the transaction commits"
    assert [m.to for m in mail.outbox] == [["someone@test.example"]]
    assert Email.objects.get().sent_at is not None


def test_a_rolled_back_change_sends_nothing(q_sync):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email("k1", "someone@test.example", "Subject", "Body")
        raise RuntimeError("the request failed")
    assert mail.outbox == [] and not Email.objects.exists()


def test_the_same_key_queues_and_sends_one_email(q_sync):
    queue_email("k1", "someone@test.example", "Subject", "Body")
    queue_email("k1", "someone@test.example", "Subject", "Body")
    send_due_emails()
    assert len(mail.outbox) == 1


def test_a_failed_send_is_kept_and_retried_later(settings):
    settings.EMAIL_BACKEND = "tests.outbox.test_mail.BrokenTransport"
    email = queue_email("k1", "someone@test.example", "Subject", "Body")
    assert send_due_emails() == 0
    email.refresh_from_db()
    assert email.sent_at is None and email.attempts == 1 and "smtp down" in email.last_error
    Email.objects.filter(pk=email.pk).update(claimed_until=None)  # the back-off has passed
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_due_emails() == 1
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 2


def test_an_email_claimed_by_one_worker_is_not_sent_by_another():
    email = queue_email("k1", "someone@test.example", "Subject", "Body")
    assert email.claim() is True
    assert send_due_emails() == 0 and mail.outbox == []


def test_a_resent_email_keeps_its_message_id():
    queue_email("k1", "someone@test.example", "Subject", "Body")
    send_due_emails()
    first = mail.outbox[0].extra_headers["Message-ID"]
    from outbox.mail import message_id

    assert message_id(Email.objects.get()) == first


def test_a_calendar_invitation_goes_as_an_alternative_and_an_attachment():
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    queue_email("k1", "someone@test.example", "Invitation", "Body", calendar=ics,
                calendar_method="REQUEST")
    send_due_emails()
    message = mail.outbox[0].message()
    parts = {part.get_content_type(): part for part in message.walk()}
    calendar_part = parts["text/calendar"]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_content_charset() == "utf-8"
    assert parts["text/calendar"].get_payload(decode=True) == ics
    attachment = parts["application/ics"]
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_payload(decode=True) == ics


def test_a_change_that_queues_many_emails_starts_one_job(q_sync):
    from django_q.models import Success

    with transaction.atomic():
        for n in range(5):
            queue_email(f"k{n}", f"person{n}@test.example", "Subject", "Body")
    assert len(mail.outbox) == 5
    assert Success.objects.filter(func="outbox.mail.send_due_emails").count() == 1
