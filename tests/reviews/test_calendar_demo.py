"""Every calendar artefact of the demo authority, as each persona gets it: the invitations,
updates and cancellations emailed, each persona's feed and the family's downloads. Each is
read by two parsers and held to the iTIP rules, and none carries the name of any child or
family member in the demo."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from agencies.models import User
from demo.people import PERSONAS
from outbox.models import Email
from reviews.models import CalendarFeed, Child, FamilyMember, Invitation, Review
from reviews.scheduling import do_cancel_review, do_remove_invitation
from tests.reviews.calendars import check_itip, unfolded, words_in

pytestmark = pytest.mark.django_db
MAILBOX = "calendar@northbridge.example"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once with a portal mailbox, plus a cancelled review and a person
    removed from another, so that every kind of message is there."""
    with django_db_blocker.unblock(), transaction.atomic(), \
            override_settings(CALENDAR_REPLY_ADDRESS=MAILBOX):
        call_command("seed_demo", "--quiet")
        cancelled = Review.objects.filter(status="invited").with_child().order_by("pk")[0]
        do_cancel_review(cancelled, cancelled.coordinator, "The family moved away")
        removed = (Invitation.objects.filter(review__status="invited", sent_at__isnull=False)
                   .exclude(role="family").select_related("review__coordinator")
                   .order_by("pk")[0])
        do_remove_invitation(removed, removed.review.coordinator)
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def portal_mailbox(settings):
    settings.CALENDAR_REPLY_ADDRESS = MAILBOX


@pytest.fixture
def forbidden(seeded) -> set[str]:
    """Every child's and family member's names, and each word of them, except words that
    are also a professional's name in the demo (a coordinator called Brooks keeps hers)."""
    names = {f"{c.first_name} {c.last_name}" for c in Child.objects.all()}
    names |= set(FamilyMember.objects.values_list("name", flat=True))
    words = {word for name in names for word in name.split()}
    professionals = {word for user in User.objects.filter(memberships__isnull=False)
                     for word in (user.first_name, user.last_name)}
    forbidden = names | (words - professionals)
    assert {"Jordan Clarke", "Clarke", "Sarah Ahmed", "Ahmed", "Mia", "Taylor"} <= forbidden
    return forbidden


def test_every_emailed_calendar_message_is_valid_itip_without_a_name(seeded, forbidden):
    emails = Email.objects.exclude(calendar="")
    methods = set(emails.values_list("calendar_method", flat=True))
    assert methods == {"REQUEST", "CANCEL"}
    for email in emails:
        check_itip(email.calendar.encode(), email.calendar_method)
        # The recipient's own address is their ATTENDEE (their calendar answers for it);
        # nothing else may name them.
        text = unfolded(email.calendar.encode()).replace(f"mailto:{email.to}", "mailto:")
        assert not words_in(text, forbidden), (email.key, words_in(text, forbidden))


def test_every_personas_feed_is_valid_without_a_name(client, seeded, forbidden):
    fed = 0
    for persona in PERSONAS:
        user = User.objects.get(email=persona.email)
        feed = CalendarFeed(user=user)
        token = feed.reset()
        feed.save()
        response = client.get(reverse("calendar:feed", args=[token]))
        assert response.status_code == 200, persona.email
        if b"BEGIN:VEVENT" not in response.content:
            continue
        fed += 1
        check_itip(response.content, None)
        assert not words_in(unfolded(response.content), forbidden), persona.email
    assert fed >= 15


def test_the_familys_downloads_are_valid_without_a_name(client, seeded, forbidden):
    families = FamilyMember.objects.filter(user__isnull=False).select_related("user")
    downloaded = 0
    for member in families:
        client.force_login(member.user)
        for review in Review.objects.open().filter(plan__child=member.child_id,
                                                   meeting_at__isnull=False):
            response = client.get(reverse("reviews:meeting_ics", args=[review.pk]))
            assert response.status_code == 200
            event, = check_itip(response.content, "PUBLISH")
            assert str(event["URL"]).endswith("/family/")
            assert not words_in(unfolded(response.content), forbidden)
            downloaded += 1
    assert downloaded >= 3
