"""The advice form: progress on each outcome, what is working and not, changes per plan
section, files; "save and come back later" keeps one draft; "continue" goes to check your
answers; nothing typed is lost on an error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.models import Advice, Attachment, Outcome, Plan
from reviews.uploads import PDF
from tests.conftest import sign_in
from tests.reviews.test_advice_fixtures import media_fixture, pdf, submit  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, invited_therapist, media):
    sign_in(client, invited_therapist)
    return client


def url(review):
    return reverse("reviews:advice", args=[review.pk])


def outcomes(review):
    return list(Outcome.objects.filter(plan=review.plan).order_by("number"))


def typed(review, action, **extra):
    first, second = outcomes(review)
    return {"action": action, f"progress_{first.pk}": "on_track",
            f"evidence_{first.pk}": "Uses 4-word sentences in class.",
            f"progress_{second.pk}": "not_on_track", "what_is_working": "Visual timetables.",
            "what_is_not_working": "Noisy lunch hall.", "change_F": "Weekly therapy.", **extra}


def test_the_form_walks_every_outcome_and_every_plan_section(signed_in, review):
    response = signed_in.get(url(review))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Give your advice – AE (T-0001)" in page
    assert "Progress towards outcome 1" in page
    assert "Amira will speak in sentences of 5 words." in page
    assert "Progress towards outcome 2" in page
    for choice in ("Achieved", "On track", "Not on track", "Not assessed"):
        assert choice in page
    for letter, title in Plan.SECTIONS:
        assert f"Section {letter}: {title}" in page
    assert "Amira loves drawing." in page  # what section A says now
    assert 'type="file"' in page and "multiple" in page
    assert "Save and come back later" in page


def test_saving_keeps_one_draft_and_brings_it_back(signed_in, review, invited_therapist):
    response = signed_in.post(url(review), typed(review, "save"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:mine")
    signed_in.post(url(review), typed(review, "save", what_is_working="Now more."))
    advice = Advice.objects.get()
    assert (advice.version, advice.status, advice.author) == (1, "draft", invited_therapist)
    assert advice.what_is_working == "Now more."
    assert advice.recommended_changes == {"F": "Weekly therapy."}
    assert review.events.filter(kind="advice_started").count() == 1
    page = signed_in.get(url(review)).content.decode()
    assert 'value="on_track" checked' in page
    assert "Uses 4-word sentences in class." in page
    assert "Now more." in page


def test_continuing_without_progress_for_each_outcome_shows_errors_and_keeps_what_was_typed(
        signed_in, review):
    first, second = outcomes(review)
    data = typed(review, "continue")
    del data[f"progress_{second.pk}"]
    data[f"evidence_{second.pk}"] = "Plays alongside others."
    response = signed_in.post(url(review), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Give your advice" in page
    assert "Select how outcome 2 is going" in page
    assert f'href="#id_progress_{second.pk}_0"' in page
    assert 'value="on_track" checked' in page
    assert "Plays alongside others." in page
    assert "Noisy lunch hall." in page
    # Saved as a draft too, so nothing is lost if the person leaves now.
    assert Advice.objects.get().progress.get(outcome=second).evidence == "Plays alongside others."


def test_continuing_with_every_outcome_answered_goes_to_check_your_answers(signed_in, review):
    response = signed_in.post(url(review), typed(review, "continue"))
    assert response["Location"] == reverse("reviews:advice_check", args=[review.pk])


def test_files_are_attached_and_can_be_removed(signed_in, review):
    data = typed(review, "save", files=[pdf("first.pdf"), pdf("second.pdf", b"2")])
    signed_in.post(url(review), data)
    advice = Advice.objects.get()
    assert sorted(advice.attachments.values_list("name", flat=True)) == ["first.pdf",
                                                                         "second.pdf"]
    first = advice.attachments.get(name="first.pdf")
    assert first.content_type == PDF
    assert "first.pdf" in signed_in.get(url(review)).content.decode()
    signed_in.post(url(review), typed(review, "save", remove=[first.pk]))
    assert list(advice.attachments.values_list("name", flat=True)) == ["second.pdf"]


def test_the_same_file_sent_twice_is_attached_once(signed_in, review):
    signed_in.post(url(review), typed(review, "save", files=[pdf()]))
    signed_in.post(url(review), typed(review, "save", files=[pdf()]))
    assert Attachment.objects.count() == 1


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_typed_is_lost(
        signed_in, review):
    program = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 60)
    response = signed_in.post(url(review), typed(review, "continue", files=[pdf("ok.pdf"),
                                                                               program]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "‘report.pdf’ must be a JPEG, PDF, PNG, Word" in page
    assert 'href="#id_files"' in page
    assert 'value="not_on_track" checked' in page
    assert "Visual timetables." in page
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(signed_in, review, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = signed_in.post(url(review), typed(review, "save",
                                                 files=[pdf("big.pdf", b"0" * 2048)]))
    assert "must be smaller than 1.0" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_plans_words_are_shown_as_text_not_markup(signed_in, review):
    Outcome.objects.create(plan=review.plan, number=3, text="<script>alert(1)</script>")
    page = signed_in.get(url(review)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_once_submitted_the_form_leads_to_the_advice_and_a_late_post_changes_nothing(
        signed_in, review, invited_therapist):
    advice = submit(review, invited_therapist)
    assert signed_in.get(url(review))["Location"] == reverse("reviews:advice_list",
                                                             args=[review.pk])
    response = signed_in.post(url(review), typed(review, "save", what_is_working="Changed"))
    assert response["Location"] == reverse("reviews:advice_list", args=[review.pk])
    advice.refresh_from_db()
    assert advice.what_is_working == "Visual timetables help."
    assert Advice.objects.count() == 1


@pytest.mark.parametrize("extra_outcomes", [0, 10])
def test_the_form_and_check_pages_run_the_same_number_of_queries_for_2_or_12_outcomes(
        signed_in, review, extra_outcomes, django_assert_max_num_queries):
    for n in range(3, 3 + extra_outcomes):
        Outcome.objects.create(plan=review.plan, number=n, text=f"Outcome {n}.")
    data = {"action": "continue", **{f"progress_{o.pk}": "achieved" for o in outcomes(review)}}
    signed_in.post(url(review), data)
    with django_assert_max_num_queries(16):
        assert signed_in.get(url(review)).status_code == 200
    with django_assert_max_num_queries(18):
        assert signed_in.get(reverse("reviews:advice_check", args=[review.pk])).status_code == 200
