import pytest
from django_q.models import Schedule


@pytest.mark.django_db
def test_the_minutely_email_sweep_is_scheduled_once():
    sweep = Schedule.objects.get(func="outbox.mail.send_due_emails")
    assert (sweep.schedule_type, sweep.minutes, sweep.repeats) == (Schedule.MINUTES, 1, -1)
