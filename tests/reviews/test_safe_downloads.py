"""A child's files download under a safe name with the extension of the type their content
was checked as, with that type, always as an attachment, and never kept by a browser or a
cache on the way; the pages still show the name the file was uploaded under. Each download
goes in the audit trail with its review."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import AuditEntry
from reviews.family import do_save_family_views, do_send_family_views
from reviews.uploads import DOCUMENTS, check_upload
from tests.conftest import sign_in
from tests.reviews.test_advice_fixtures import (  # noqa: F401
    invitation_of,
    media_fixture,
    submit,
)

pytestmark = pytest.mark.django_db

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40


def checked(name, data=PNG_BYTES):
    upload = SimpleUploadedFile(name, data, content_type="text/html")
    return upload, check_upload(upload, DOCUMENTS)


def download(client, person, url):
    sign_in(client, person)
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_a_picture_uploaded_as_html_downloads_as_a_picture(client, review, invited_therapist,
                                                          media):
    advice = submit(review, invited_therapist, files=[checked("poly.html")])
    attachment = advice.attachments.get()
    response = download(client, invited_therapist,
                        reverse("reviews:attachment", args=[review.pk, attachment.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="poly.png"'
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PNG_BYTES


@pytest.mark.parametrize(("uploaded", "saved"), [
    ('Speech & "language" report (final).html', "Speech-language-report-final.png"),
    ("../../etc/passwd", "passwd.png"),
    ("Évaluation été.png", "Evaluation-ete.png"),
    ("...", "file.png"),
    ("x" * 150 + ".png", "x" * 60 + ".png"),
])
def test_the_download_name_is_letters_digits_and_dashes(client, review, invited_therapist,
                                                       media, uploaded, saved):
    advice = submit(review, invited_therapist, files=[checked(uploaded)])
    response = download(client, invited_therapist, reverse(
        "reviews:attachment", args=[review.pk, advice.attachments.get().pk]))
    assert response["Content-Disposition"] == f'attachment; filename="{saved}"'


def test_the_advice_page_shows_the_name_it_was_uploaded_under_escaped(
        client, review, invited_therapist, media):
    submit(review, invited_therapist, files=[checked("Tom & Jerry <script>.html")])
    sign_in(client, invited_therapist)
    page = client.get(reverse("reviews:advice_list", args=[review.pk])).content.decode()
    assert "Tom &amp; Jerry &lt;script&gt;.html" in page and "<script>.html" not in page


def test_the_childs_own_picture_downloads_as_an_attachment_of_its_checked_type(
        client, review, family_parent, media):
    views = do_save_family_views(review, family_parent, {}, upload=SimpleUploadedFile(
        "my drawing.html", PNG_BYTES, content_type="text/html"))
    response = download(client, family_parent, reverse("reviews:family_views_file",
                                                       args=[review.pk, views.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="childs-own-views.png"'
    assert response["Cache-Control"] == "private, no-store"


def downloads():
    return [(e.user, e.review_id, e.route, e.detail) for e in AuditEntry.objects.filter(
        action=AuditEntry.Action.FILE_DOWNLOADED).order_by("at", "pk")]


def test_each_download_of_an_attachment_is_recorded_with_its_review(
        client, review, invited_therapist, coordinator, media):
    attachment = submit(review, invited_therapist, files=[checked("poly.html")]) \
        .attachments.get()
    url = reverse("reviews:attachment", args=[review.pk, attachment.pk])
    download(client, invited_therapist, url)
    client.logout()
    download(client, coordinator, url)
    route = "reviews/<uuid:review_id>/attachments/<int:attachment_id>/"
    what = f"advice attachment {attachment.pk}"
    assert downloads() == [(invited_therapist, review.pk, route, what),
                           (coordinator, review.pk, route, what)]


def test_each_download_of_the_childs_own_file_is_recorded_with_its_review(
        client, review, family_parent, coordinator, media):
    views = do_save_family_views(review, family_parent, {}, upload=SimpleUploadedFile(
        "me.png", PNG_BYTES, content_type="image/png"))
    do_send_family_views(review, family_parent)
    url = reverse("reviews:family_views_file", args=[review.pk, views.pk])
    download(client, family_parent, url)
    client.logout()
    download(client, coordinator, url)
    route = "reviews/<uuid:review_id>/views/<int:views_id>/file/"
    what = f"child's own file {views.pk}"
    assert downloads() == [(family_parent, review.pk, route, what),
                           (coordinator, review.pk, route, what)]
