"""Circulation: all submitted advice goes to everyone invited, once, with an email each;
advice arriving later is shared on arrival and announced."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outbox.mail import send_due_emails
from outbox.models import Email
from reviews.advice import do_circulate_advice, do_correct_advice, do_submit_advice
from reviews.models import Event, Invitation, Review
from tests.conftest import ON_TODAY, sign_in
from tests.reviews.conftest import invite_person
from tests.reviews.test_advice_fixtures import (  # noqa: F401
    invitation_of,
    media_fixture,
    physio_fixture,
    submit,
    submitted_fixture,
)

pytestmark = [pytest.mark.django_db, ON_TODAY]


@pytest.fixture
def invited_review(review, family_parent, physio):
    invite_person(review, family_parent, role="family")
    Review.objects.filter(pk=review.pk).update(status=Review.Status.INVITATIONS_SENT,
                                               invitations_sent_at=timezone.now())
    review.refresh_from_db()
    return review


def test_circulating_shares_the_advice_and_emails_each_invitee_once(
        invited_review, submitted, coordinator, q_sync, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert do_circulate_advice(invited_review, actor=coordinator)
    invited_review.refresh_from_db()
    assert invited_review.status == Review.Status.ADVICE_CIRCULATED
    assert invited_review.advice_circulated_at is not None
    event = invited_review.events.get(kind="advice_circulated")
    assert event.actor == coordinator
    assert event.data == {"contributions": 1}
    invitations = list(invited_review.invitations.current())
    assert len(invitations) == 3  # the therapist, the physio and the parent
    keys = set(Email.objects.values_list("key", flat=True))
    assert keys == {f"circulated:{invited_review.pk}:{i.pk}" for i in invitations}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.email for i in invitations)
    message = mail.outbox[0]
    assert message.subject == "Advice is ready to read: annual review for AE (T-0001)"
    assert reverse("reviews:advice_list", args=[invited_review.pk]) in message.body
    assert "Amira" not in message.subject


def test_circulating_twice_changes_nothing_the_second_time(invited_review, submitted):
    assert do_circulate_advice(invited_review)
    assert not do_circulate_advice(invited_review)
    assert invited_review.events.filter(kind="advice_circulated").count() == 1
    assert Email.objects.count() == 3


def test_advice_is_not_circulated_before_the_invitations_go_out(review, submitted):
    assert not do_circulate_advice(review)
    review.refresh_from_db()
    assert review.advice_circulated_at is None
    assert not Email.objects.exists()


def test_circulating_late_never_moves_a_review_backwards(invited_review, submitted):
    Review.objects.filter(pk=invited_review.pk).update(status=Review.Status.MEETING_HELD)
    assert do_circulate_advice(invited_review)
    invited_review.refresh_from_db()
    assert invited_review.status == Review.Status.MEETING_HELD
    assert invited_review.advice_circulated_at is not None


def test_a_removed_invitee_is_not_emailed(invited_review, physio):
    Invitation.objects.filter(review=invited_review, user=physio).update(
        removed_at=timezone.now())
    do_circulate_advice(invited_review)
    assert not Email.objects.filter(to=physio.email).exists()


def test_the_coordinator_circulates_from_the_advice_page(client, invited_review, submitted,
                                                         coordinator):
    sign_in(client, coordinator)
    url = reverse("reviews:advice_list", args=[invited_review.pk])
    assert "Share the advice now" in client.get(url).content.decode()
    response = client.post(reverse("reviews:circulate", args=[invited_review.pk]), follow=True)
    page = response.content.decode()
    assert "The advice has been shared" in page
    assert "Share the advice now" not in page
    assert "The advice was shared with everyone invited on" in page
    assert client.get(reverse("reviews:circulate", args=[invited_review.pk])).status_code == 405
    again = client.post(reverse("reviews:circulate", args=[invited_review.pk]), follow=True)
    assert "it can be shared once" in again.content.decode()
    assert invited_review.events.filter(kind="advice_circulated").count() == 1


def test_late_advice_is_shared_on_arrival_and_announced_to_the_others(
        client, invited_review, physio, invited_therapist, family_parent, media):
    do_circulate_advice(invited_review)
    Email.objects.update(sent_at=timezone.now())  # the circulation emails went out already
    late = submit(invited_review, physio, what_is_working="Standing frame at break.")
    send_due_emails()  # what the worker does after the commit
    keys = set(Email.objects.filter(key__startswith="advice-shared:").values_list("key",
                                                                                 flat=True))
    others = [invitation_of(invited_review, p) for p in (invited_therapist, family_parent)]
    assert keys == {f"advice-shared:{late.pk}:{i.pk}" for i in others}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.email for i in others)
    assert mail.outbox[0].subject == "New advice to read: annual review for AE (T-0001)"
    assert "from Phil Physio (physiotherapist)" in mail.outbox[0].body
    sign_in(client, family_parent)
    page = client.get(reverse("reviews:advice_list", args=[invited_review.pk])).content.decode()
    assert "Standing frame at break." in page


def test_a_correction_after_circulation_is_announced_again(invited_review, submitted,
                                                           invited_therapist):
    do_circulate_advice(invited_review)
    draft = do_correct_advice(submitted.invitation, invited_therapist)
    do_submit_advice(draft, invited_therapist)
    assert Email.objects.filter(key__startswith=f"advice-shared:{draft.pk}:").count() == 2
    assert Event.objects.filter(kind="advice_submitted").count() == 2
