"""Every refusal by the access rule goes in the audit trail (who, which review, which route,
what they asked to do), as do refusals of a file or version asked for by id inside a review;
a scan of review ids writes a bounded number of entries a minute."""

import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from agencies.models import AuditEntry, Role
from portal.asgi import application
from reviews.access import review_access
from reviews.family import do_save_family_views, do_send_family_views
from reviews.models import Invitation
from tests.conftest import ORIGIN, make_person, session_cookie_for, sign_in
from tests.factories import ReviewFactory
from tests.reviews.test_advice_fixtures import (  # noqa: F401
    media_fixture,
    pdf,
    submit,
)
from tests.reviews.test_family_views_file import PNG_BYTES

REFUSED = AuditEntry.Action.ACCESS_REFUSED


def refusals():
    return list(AuditEntry.objects.filter(action=REFUSED).order_by("at", "pk"))


def get_as(client, person, url):
    client.logout()
    sign_in(client, person)
    return client.get(url)


@pytest.mark.django_db
def test_a_refused_page_is_recorded_with_who_which_review_the_route_and_the_need(
        client, review, refused):
    for person in refused:
        assert get_as(client, person, reverse("reviews:review", args=[review.pk])) \
            .status_code == 404
    assert [(e.user, e.review_id, e.route, e.detail, e.ip_address) for e in refusals()] == [
        (person, review.pk, "reviews/<uuid:review_id>/", "need view", "127.0.0.1")
        for person in refused]


@pytest.mark.django_db
def test_a_refusal_names_what_was_asked_when_the_review_may_be_read(client, review,
                                                                    invited_therapist):
    response = get_as(client, invited_therapist, reverse("reviews:invite", args=[review.pk]))
    assert response.status_code == 404
    [entry] = refusals()
    assert (entry.user, entry.review_id, entry.detail) == (invited_therapist, review.pk,
                                                           "need manage")


@pytest.mark.django_db
def test_a_review_that_does_not_exist_is_recorded_under_the_id_asked(client, outsider):
    missing = uuid.uuid4()
    get_as(client, outsider, reverse("reviews:review", args=[missing]))
    assert [e.review_id for e in refusals()] == [missing]


@pytest.mark.django_db
def test_a_malformed_id_is_kept_out_of_the_trail(outsider):
    with pytest.raises(Http404):
        review_access(outsider, "<script>x</script>", need="view")
    [entry] = refusals()
    assert entry.review_id is None
    assert entry.detail == "need view; malformed id" and "script" not in entry.detail


@pytest.mark.django_db
def test_a_scan_writes_a_bounded_number_of_entries_a_minute_per_person(
        client, settings, outsider, uninvited_professional):
    settings.AUDIT_REFUSALS_PER_MINUTE = 3
    sign_in(client, outsider)
    for _ in range(8):
        assert client.get(reverse("reviews:review", args=[uuid.uuid4()])).status_code == 404
    entries = refusals()
    assert [e.detail for e in entries] == ["need view"] * 3 + [
        "more than 3 refusals this minute: further refusals suppressed until it ends"]
    assert {e.user for e in entries} == {outsider}
    get_as(client, uninvited_professional, reverse("reviews:review", args=[uuid.uuid4()]))
    assert refusals()[-1].user == uninvited_professional, "each person has their own count"


@pytest.mark.django_db
def test_refusals_of_no_one_signed_in_are_counted_per_address(settings, review):
    settings.AUDIT_REFUSALS_PER_MINUTE = 2
    for address in ("192.0.2.1", "192.0.2.1", "192.0.2.1", "192.0.2.1", "192.0.2.2"):
        request = RequestFactory().get("/", REMOTE_ADDR=address)
        with pytest.raises(Http404):
            review_access(AnonymousUser(), review.pk, request=request)
    assert [(e.ip_address, e.user, e.detail[:9]) for e in refusals()] == [
        ("192.0.2.1", None, "need view"), ("192.0.2.1", None, "need view"),
        ("192.0.2.1", None, "more than"), ("192.0.2.2", None, "need view")]


@pytest.mark.django_db
def test_a_professionals_read_carries_the_review_and_the_route(client, review, coordinator):
    sign_in(client, coordinator)
    assert client.get(reverse("reviews:review", args=[review.pk])).status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RECORD_VIEWED)
    assert (entry.user, entry.review_id, entry.route) == (
        coordinator, review.pk, "reviews/<uuid:review_id>/")


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_refused_socket_is_recorded_with_its_route_and_review(review, outsider):
    cookie = await sync_to_async(session_cookie_for)(outsider)
    socket = WebsocketCommunicator(application, f"/ws/reviews/{review.pk}/room/",
                                   headers=[ORIGIN, cookie])
    connected, code = await socket.connect()
    assert not connected and code == 4404
    [entry] = await sync_to_async(refusals)()
    assert (entry.user_id, entry.review_id, entry.route, entry.detail) == (
        outsider.pk, review.pk, "/ws/reviews/<review_id>/room/", "need meeting")


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_socket_read_by_a_professional_carries_the_review_and_the_route(
        review, coordinator):
    cookie = await sync_to_async(session_cookie_for)(coordinator)
    socket = WebsocketCommunicator(application, f"/ws/reviews/{review.pk}/",
                                   headers=[ORIGIN, cookie])
    connected, _ = await socket.connect()
    assert connected
    await socket.disconnect()
    entry = await sync_to_async(AuditEntry.objects.get)(action=AuditEntry.Action.RECORD_VIEWED)
    assert (entry.review_id, entry.route) == (review.pk, "/ws/reviews/<review_id>/")


@pytest.mark.django_db
def test_an_attachment_of_another_review_is_a_recorded_refusal(
        client, review, plan, coordinator, invited_therapist, media):
    attachment = submit(review, invited_therapist, files=[(pdf(), "application/pdf")]) \
        .attachments.get()
    other = ReviewFactory(plan=plan, coordinator=coordinator)
    response = get_as(client, coordinator, reverse("reviews:attachment",
                                                   args=[other.pk, attachment.pk]))
    assert response.status_code == 404
    [entry] = refusals()
    assert (entry.user, entry.review_id, entry.detail) == (
        coordinator, other.pk, f"attachment {attachment.pk} not found")
    assert entry.route == "reviews/<uuid:review_id>/attachments/<int:attachment_id>/"


@pytest.mark.django_db
def test_the_childs_own_file_refused_by_id_is_recorded(client, review, plan, coordinator,
                                                       family_parent, media):
    views = do_save_family_views(review, family_parent, {}, upload=SimpleUploadedFile(
        "me.png", PNG_BYTES, content_type="image/png"))
    other = ReviewFactory(plan=plan, coordinator=coordinator)
    get_as(client, family_parent, reverse("reviews:family_views_file",
                                          args=[other.pk, views.pk]))
    get_as(client, coordinator, reverse("reviews:family_views_file",
                                        args=[review.pk, views.pk]))  # not sent yet
    assert [(e.user, e.review_id, e.detail) for e in refusals()] == [
        (family_parent, other.pk, f"child's own file {views.pk} not found"),
        (coordinator, review.pk, f"child's own file {views.pk} not found")]


@pytest.mark.django_db
def test_another_contributors_advice_asked_for_by_id_is_a_recorded_refusal(
        client, review, invited_therapist, nhs_trust, media):
    advice = submit(review, invited_therapist)
    physio = make_person("physio@test.example", agency=nhs_trust, role=Role.PRACTITIONER)
    Invitation.objects.create(review=review, user=physio, agency=nhs_trust, name="Phil",
                              email=physio.email)
    get_as(client, physio, reverse("reviews:advice_version", args=[review.pk, advice.pk]))
    [entry] = refusals()
    assert (entry.user, entry.detail) == (physio, f"advice {advice.pk} not found")


@pytest.mark.django_db
def test_a_family_reading_their_own_review_leaves_no_refusal(client, review, family_parent,
                                                             media):
    do_save_family_views(review, family_parent, {"hopes": "To swim."})
    do_send_family_views(review, family_parent)
    review.advice_circulated_at = timezone.now()
    review.save()
    assert get_as(client, family_parent, reverse("reviews:family_review", args=[review.pk])) \
        .status_code == 200
    assert refusals() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_person_refused_on_asking_again_in_the_room_is_recorded(review,
                                                                        invited_therapist):
    from tests.meeting.test_room_consumer import (
        assert_shut_out,
        change,
        first_item,
        join,
        remove_unannounced,
    )

    guest, _, _ = await join(invited_therapist, review)
    item = await first_item(review)
    await remove_unannounced(invited_therapist)
    await change(guest, "comment.add", "key-1", item=item.pk, text="Still here?")
    await assert_shut_out(guest, key="key-1")
    [entry] = await sync_to_async(refusals)()
    assert (entry.user_id, entry.review_id, entry.route, entry.detail) == (
        invited_therapist.pk, review.pk, "/ws/reviews/<review_id>/room/", "need meeting")
