"""Nothing typed is lost (common/autosave.py): the family's views and the advice form are saved
as a draft as they are typed, through the views that show them, and so through the access
rule; a draft saved before a time-out is there after signing in again. The keep-alive of the
time-out's warning holds no review at all."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from reviews.advice import current_draft
from reviews.family import do_save_family_views, do_send_family_views
from reviews.models import Advice, Event, FamilyViews
from tests.conftest import ON_TODAY, PASSWORD, sign_in
from tests.reviews.test_advice_fixtures import invitation_of, media_fixture, submit  # noqa: F401

pytestmark = [pytest.mark.django_db, ON_TODAY]


def step(review, slug="hard"):
    return reverse("reviews:family_views_step", args=[review.pk, slug])


def advice_url(review):
    return reverse("reviews:advice", args=[review.pk])


def autosave(client, url, **fields):
    return client.post(url, {"action": "autosave", **fields})


def views_of(review, user) -> FamilyViews | None:
    return FamilyViews.objects.filter(review=review, author=user).first()


def end_the_session(client) -> None:
    """As if nothing had been done for longer than the idle time-out."""
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))


# ---------------------------------------------------------------------------
# The family's views
# ---------------------------------------------------------------------------


def test_an_answer_is_saved_as_a_draft_as_it_is_typed(client, review, family_parent):
    sign_in(client, family_parent)
    response = autosave(client, step(review), answer="Loud rooms at lunch")
    assert (response.status_code, response.content) == (204, b"")
    views = views_of(review, family_parent)
    assert views.hard == "Loud rooms at lunch"
    assert views.submitted_at is None  # a draft: nothing is sent, and nobody else is told
    assert not Event.objects.filter(review=review, kind__startswith="family_views").exists()


def test_the_childs_own_views_are_saved_as_typed_and_a_file_waits_for_continue(
        client, review, family_parent, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sign_in(client, family_parent)
    response = autosave(client, step(review, "own-views"), answer="I like trains.",
                        remove_upload="on")
    assert response.status_code == 204
    assert views_of(review, family_parent).childs_own_words == "I like trains."


def test_an_answer_over_its_limit_is_not_saved_and_says_why(client, review, family_parent):
    do_save_family_views(review, family_parent, {"hard": "Saved before."})
    sign_in(client, family_parent)
    response = autosave(client, step(review), answer="x" * 5_001)
    assert response.status_code == 422
    assert response.json() == {"error": "Your answer must be 5,000 characters or fewer"}
    assert views_of(review, family_parent).hard == "Saved before."


def test_once_the_meeting_has_started_an_autosave_is_refused_with_the_reason(
        client, review, family_parent):
    do_save_family_views(review, family_parent, {"hard": "Maths."})
    review.meeting_at = timezone.now() - dt.timedelta(hours=1)
    review.save()
    sign_in(client, family_parent)
    response = autosave(client, step(review), answer="Changed after the start")
    assert response.status_code == 409
    assert "The meeting has started" in response.json()["error"]
    assert views_of(review, family_parent).hard == "Maths."


def test_an_autosave_after_sending_is_a_change_not_yet_sent(client, review, family_parent):
    do_save_family_views(review, family_parent, {"hard": "Maths."})
    do_send_family_views(review, family_parent)
    sign_in(client, family_parent)
    autosave(client, step(review), answer="Maths and spelling.")
    views = views_of(review, family_parent)
    assert views.hard == "Maths and spelling." and views.updated_at > views.submitted_at


def test_others_are_refused_the_familys_autosave_and_nothing_is_saved(
        client, review, family_parent, refused):
    for person in refused:
        client.logout()
        sign_in(client, person)
        assert autosave(client, step(review), answer="Not theirs").status_code == 404, person
    client.logout()
    response = autosave(client, step(review), answer="Not theirs")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not FamilyViews.objects.exists()


def test_after_a_time_out_the_answer_saved_as_typed_is_there_on_signing_in_again(
        client, review, family_parent):
    """The family's "Continue" reached the portal after the session had ended: the words
    typed after the last autosave are gone with it, the autosaved ones are kept."""
    sign_in(client, family_parent)
    autosave(client, step(review), answer="Loud rooms")
    end_the_session(client)
    late = client.post(step(review), {"action": "continue", "answer": "Loud rooms at lunch"})
    assert late.status_code == 302
    assert late["Location"] == f"/accounts/login/?next={step(review)}"
    again = client.post(late["Location"], {"login": family_parent.email, "password": PASSWORD,
                                           "next": step(review)})
    assert again["Location"] == step(review)
    assert "\nLoud rooms</textarea>" in client.get(step(review)).content.decode()


# ---------------------------------------------------------------------------
# The advice form
# ---------------------------------------------------------------------------


def test_advice_is_saved_as_a_draft_as_it_is_typed_without_the_checks_of_going_on(
        client, review, invited_therapist, media):
    """No progress chosen for any outcome: "Continue" would stop there, a draft does not."""
    sign_in(client, invited_therapist)
    response = autosave(client, advice_url(review), what_is_working="Visual timetables.")
    assert (response.status_code, response.content) == (204, b"")
    draft = current_draft(invitation_of(review, invited_therapist))
    assert draft.what_is_working == "Visual timetables."
    assert draft.status == Advice.Status.DRAFT
    autosave(client, advice_url(review), what_is_working="Visual timetables, every day.")
    assert Advice.objects.get().what_is_working == "Visual timetables, every day."


def test_advice_over_its_limit_is_not_saved_and_says_why(client, review, invited_therapist,
                                                         media):
    sign_in(client, invited_therapist)
    response = autosave(client, advice_url(review), what_is_working="x" * 10_001)
    assert response.status_code == 422
    assert "What is working well must be" in response.json()["error"]
    assert not Advice.objects.exists()


def test_submitted_advice_is_not_changed_by_an_autosave_from_an_old_page(
        client, review, invited_therapist, media):
    advice = submit(review, invited_therapist)
    sign_in(client, invited_therapist)
    response = autosave(client, advice_url(review), what_is_working="Typed on an old tab.")
    assert response.status_code == 409
    advice.refresh_from_db()
    assert advice.what_is_working == "Visual timetables help."


def test_others_are_refused_the_advice_autosave_and_nothing_is_saved(
        client, review, invited_therapist, family_parent, refused, media):
    for person in [*refused, family_parent]:
        client.logout()
        sign_in(client, person)
        response = autosave(client, advice_url(review), what_is_working="Not theirs")
        assert response.status_code == 404, person
    client.logout()
    assert autosave(client, advice_url(review), what_is_working="x").status_code == 302
    assert not Advice.objects.exists()


# ---------------------------------------------------------------------------
# The time-out warning's keep-alive
# ---------------------------------------------------------------------------


def test_the_keep_alive_holds_no_review_for_anyone_to_reach(client, review, refused):
    """A stranger, another child's parent, an uninvited professional: each keeps only their
    own session alive, and the answer is empty; it takes no review to ask about."""
    for person in refused:
        client.logout()
        sign_in(client, person)
        response = client.post(reverse("session_keep_alive"), {"review": review.pk})
        assert (response.status_code, response.content) == (204, b""), person
