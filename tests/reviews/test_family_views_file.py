"""The child's own picture or recording: checked by its content when uploaded, and opened
only through the access rule (its author; once sent, the family and the coordinator;
the people invited after the advice is circulated; never an agency lead overseeing a
colleague's invitation)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agencies.models import Discipline, Role
from reviews.access import review_access
from reviews.family import do_save_family_views, do_send_family_views
from reviews.models import FamilyViews
from reviews.uploads import PICTURES_AND_RECORDINGS
from tests.conftest import ON_TODAY, make_person, sign_in
from tests.factories import FamilyMemberFactory, ReviewFactory

pytestmark = [pytest.mark.django_db, ON_TODAY]

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
PROGRAM_BYTES = b"MZ\x90\x00" + b"\x00" * 60


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def picture(name="drawing.png", data=PNG_BYTES):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def views(review, family_parent):
    return do_save_family_views(review, family_parent, {"childs_own_words": "I like trains."},
                                upload=picture())


def file_url(review, views):
    return reverse("reviews:family_views_file", args=[review.pk, views.pk])


def opens(client, person, url) -> bool:
    client.logout()
    sign_in(client, person)
    response = client.get(url)
    assert response.status_code in (200, 404), response.status_code
    return response.status_code == 200


def test_a_picture_is_stored_under_a_random_name_with_its_real_type(views):
    assert views.childs_own_file_type == "image/png"
    assert "drawing" not in views.childs_own_file.name
    assert views.childs_own_file.read() == PNG_BYTES


def test_a_file_that_is_not_a_picture_or_recording_is_refused(review, family_parent):
    with pytest.raises(ValidationError, match="must be a"):
        do_save_family_views(review, family_parent, {}, upload=picture("x.png", PROGRAM_BYTES))
    assert not FamilyViews.objects.exists()


def test_the_upload_page_shows_the_error_and_keeps_the_words_typed(client, review,
                                                                   family_parent):
    sign_in(client, family_parent)
    url = reverse("reviews:family_views_step", args=[review.pk, "own-views"])
    response = client.post(url, {"answer": "I like trains.", "action": "continue",
                                 "upload": picture("x.png", PROGRAM_BYTES)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The selected file must be a" in page and "I like trains." in page


def test_uploading_from_the_page_then_removing_it(client, review, family_parent,
                                                  django_capture_on_commit_callbacks):
    sign_in(client, family_parent)
    url = reverse("reviews:family_views_step", args=[review.pk, "own-views"])
    client.post(url, {"answer": "", "action": "continue", "upload": picture()})
    views = FamilyViews.objects.get()
    stored = views.childs_own_file.name
    assert stored and views.childs_own_file.storage.exists(stored)
    page = client.get(url).content.decode()
    assert "You uploaded a picture (PNG)" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"answer": "", "action": "continue", "remove_upload": "on"})
    views.refresh_from_db()
    assert not views.childs_own_file
    assert not views.childs_own_file.storage.exists(stored), "the child's picture is deleted"


def test_the_author_opens_the_file_as_it_was_uploaded(client, review, views, family_parent):
    sign_in(client, family_parent)
    response = client.get(file_url(review, views))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG_BYTES
    assert "no-store" in response["Cache-Control"]


def test_before_it_is_sent_only_its_author_opens_it(client, review, views, coordinator, child):
    other = make_person("second.parent@test.example", "Sam", "Second")
    FamilyMemberFactory(child=child, user=other, name="Sam Second")
    for person in (coordinator, other):
        assert not opens(client, person, file_url(review, views)), person


def test_once_sent_the_coordinator_and_the_family_open_it(client, review, views, coordinator,
                                                          family_parent):
    do_send_family_views(review, family_parent)
    assert opens(client, coordinator, file_url(review, views))
    assert opens(client, family_parent, file_url(review, views))


def test_contributors_open_it_only_after_the_advice_is_circulated(
        client, review, views, family_parent, invited_therapist):
    do_send_family_views(review, family_parent)
    sign_in(client, invited_therapist)  # once: a one-time code cannot be used twice
    assert client.get(file_url(review, views)).status_code == 404
    review.advice_circulated_at = timezone.now()
    review.save()
    assert client.get(file_url(review, views)).status_code == 200


def test_the_refused_cast_never_opens_it(client, review, views, family_parent, refused):
    do_send_family_views(review, family_parent)
    review.advice_circulated_at = timezone.now()
    review.save()
    for person in refused:
        assert not opens(client, person, file_url(review, views)), person


def test_a_file_of_one_review_cannot_be_opened_through_another(client, review, views, plan,
                                                               coordinator, family_parent):

    other = ReviewFactory(plan=plan, coordinator=coordinator)
    sign_in(client, family_parent)
    assert client.get(file_url(other, views)).status_code == 404


def test_an_agency_lead_whose_colleague_is_invited_may_not_open_it(
        client, review, views, family_parent, invited_therapist, nhs_trust):
    lead = make_person("lead@test.example", "Lena", "Lead", nhs_trust, Role.LEAD,
                       Discipline.DESIGNATED_CLINICAL_OFFICER)
    do_send_family_views(review, family_parent)
    review.advice_circulated_at = timezone.now()
    review.save()
    assert review_access(lead, review.pk).sees_all_advice, "the lead reads the review"
    assert not opens(client, lead, file_url(review, views))
    assert opens(client, invited_therapist, file_url(review, views))


def test_the_upload_offers_only_the_files_the_server_accepts(client, review, family_parent):
    # The picker offered HEIC, GIF and WebP (image/*), which the check then refused.
    sign_in(client, family_parent)
    url = reverse("reviews:family_views_step", args=[review.pk, "own-views"])
    page = client.get(url).content.decode()
    accept = re.search(r'type="file"[^>]*accept="([^"]*)"|accept="([^"]*)"[^>]*type="file"',
                       page)
    offered = set((accept.group(1) or accept.group(2)).split(","))
    assert set(PICTURES_AND_RECORDINGS) <= offered
    assert {f".{extension}" for extension in ("jpg", "jpeg", "png", "mp3", "m4a", "wav",
                                              "mp4", "pdf")} <= offered
    assert not {token for token in offered
                if token.endswith("/*") or any(word in token for word in
                                               ("heic", "heif", "gif", "webp"))}
    assert "JPEG, PNG, MP3, M4A, WAV, MP4 or PDF" in page
