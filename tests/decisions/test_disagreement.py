"""A family that disagrees: saying so, asking for mediation, telling us they appealed; each
recorded with the clock's dates shown to the coordinator and the family."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from decisions.deciding import do_record_decision
from decisions.disagreeing import (
    do_ask_for_mediation,
    do_record_facts,
    do_say_disagree,
    do_tell_appealing,
)
from decisions.models import Disagreement
from outbox.models import Email
from reviews.models import Event
from tests.conftest import ON_TODAY, sign_in

pytestmark = [pytest.mark.django_db, ON_TODAY]

TODAY = timezone.localdate


@pytest.fixture
def maintained(recent_review, coordinator, family_parent):
    """Maintained 5 days ago: the appeal window is open."""
    do_record_decision(recent_review, coordinator, outcome="M", reasons="Fine.",
                       today=TODAY() - dt.timedelta(days=5))
    recent_review.refresh_from_db()
    return recent_review


def test_saying_they_disagree_is_recorded_and_the_coordinator_told(
        maintained, family_parent, coordinator):
    do_say_disagree(maintained, family_parent, "Lunchtimes are still hard.")
    do_say_disagree(maintained, family_parent, "Lunchtimes are still hard.")
    disagreement = Disagreement.objects.get()
    assert (disagreement.disagreed_on, disagreement.what_they_disagree_with) == (
        TODAY(), "Lunchtimes are still hard.")
    assert Event.objects.filter(kind="disagreement.stated").count() == 1
    assert Email.objects.filter(to=coordinator.email,
                                subject__startswith="The family disagree").count() == 1


def test_asking_for_mediation_starts_its_30_days(maintained, family_parent, coordinator):
    asked = dt.date(2027, 3, 25)
    do_ask_for_mediation(maintained, family_parent, today=asked)
    do_ask_for_mediation(maintained, family_parent, today=asked + dt.timedelta(days=1))
    assert Disagreement.objects.get().mediation_requested_on == asked, "asked once"
    event = Event.objects.get(kind="mediation.requested")
    assert event.data["held_by"] == "2027-04-24"
    assert "it must take place by 24 April 2027" in event.summary
    assert Email.objects.filter(subject__startswith="The family asked for mediation").exists()


def test_telling_us_of_an_appeal_records_its_date_and_refuses_a_future_one(
        maintained, family_parent):
    with pytest.raises(ValidationError, match="must be today or in the past"):
        do_tell_appealing(maintained, family_parent, TODAY() + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="on or after the decision letter"):
        do_tell_appealing(maintained, family_parent, TODAY() - dt.timedelta(days=6))
    do_tell_appealing(maintained, family_parent, TODAY())
    assert Disagreement.objects.get().appeal_made_on == TODAY()
    assert Event.objects.filter(kind="appeal.made").count() == 1


def test_mediation_and_appeal_wait_for_the_final_plan_after_an_amend_decision(
        recent_review, coordinator, family_parent):
    do_record_decision(recent_review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Check-in."})
    with pytest.raises(ValidationError, match="once the final plan has been sent"):
        do_ask_for_mediation(recent_review, family_parent)
    do_say_disagree(recent_review, family_parent, "We want more.")  # this they can say now


def test_the_officers_record_is_checked(maintained, coordinator):
    with pytest.raises(ValidationError, match="both the date the appeal was decided and how"):
        do_record_facts(maintained, coordinator, {"appeal_decided_on": TODAY()})
    with pytest.raises(ValidationError, match="Give the date the appeal was made"):
        do_record_facts(maintained, coordinator, {"appeal_decided_on": TODAY()},
                        appeal_result="family")
    with pytest.raises(ValidationError, match="Mediation certificate issued must be today"):
        do_record_facts(maintained, coordinator,
                        {"mediation_certificate_on": TODAY() + dt.timedelta(days=2)})


def test_the_mediation_dates_show_to_the_coordinator_and_the_family(
        client, maintained, family_parent, coordinator):
    do_ask_for_mediation(maintained, family_parent)
    held_by = TODAY() + dt.timedelta(days=30)
    when = f"{held_by.day} {held_by:%B %Y}"
    sign_in(client, coordinator)
    page = client.get(f"/reviews/{maintained.pk}/").content.decode()
    assert "Hold mediation" in page and when in page
    client.logout()
    sign_in(client, family_parent)
    page = client.get(f"/reviews/{maintained.pk}/family/").content.decode()
    assert "Mediation must take place by" in page and when in page
    assert f"You asked on {TODAY().day} {TODAY():%B %Y}" in page


# ---------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------


def test_the_family_tell_us_they_disagree_on_a_page(client, maintained, family_parent):
    sign_in(client, family_parent)
    url = f"/reviews/{maintained.pk}/decision/disagree/"
    empty = client.post(url, {"text": ""})
    assert "Tell us what you disagree with" in empty.content.decode()
    assert "<title>Error: " in empty.content.decode()
    response = client.post(url, {"text": "Lunch is hard."}, follow=True)
    assert response.redirect_chain[-1][0] == f"/reviews/{maintained.pk}/family/"
    assert "We have told the person who runs the review" in response.content.decode()


def test_the_family_ask_for_mediation_with_one_button(client, maintained, family_parent):
    sign_in(client, family_parent)
    url = f"/reviews/{maintained.pk}/decision/mediation/"
    assert "must take place within 30 days" in client.get(url).content.decode()
    client.post(url)
    assert Disagreement.objects.get().mediation_requested_on == TODAY()


def test_the_family_give_the_date_they_appealed_and_a_bad_one_is_kept_and_explained(
        client, maintained, family_parent):
    sign_in(client, family_parent)
    url = f"/reviews/{maintained.pk}/decision/appeal/"
    tomorrow = TODAY() + dt.timedelta(days=1)
    bad = client.post(url, {"appealed_on_0": tomorrow.day, "appealed_on_1": tomorrow.month,
                            "appealed_on_2": tomorrow.year}).content.decode()
    assert "must be today or in the past" in bad and f'value="{tomorrow.year}"' in bad
    client.post(url, {"appealed_on_0": TODAY().day, "appealed_on_1": TODAY().month,
                      "appealed_on_2": TODAY().year})
    assert Disagreement.objects.get().appeal_made_on == TODAY()


def test_before_the_final_plan_the_mediation_page_sends_the_family_back(
        client, recent_review, coordinator, family_parent):
    do_record_decision(recent_review, coordinator, outcome="A", reasons="More help.",
                       proposed={"F": "Check-in."})
    sign_in(client, family_parent)
    response = client.post(f"/reviews/{recent_review.pk}/decision/mediation/")
    assert response["Location"] == f"/reviews/{recent_review.pk}/family/"
    assert not Disagreement.objects.exists()


def test_the_officer_records_mediation_declined_and_its_certificate(
        client, maintained, coordinator):
    sign_in(client, coordinator)
    url = f"/reviews/{maintained.pk}/decision/disagreement/"
    day = TODAY()
    response = client.post(url, {"mediation_declined_on_0": day.day,
                                 "mediation_declined_on_1": day.month,
                                 "mediation_declined_on_2": day.year,
                                 "mediation_certificate_on_0": day.day,
                                 "mediation_certificate_on_1": day.month,
                                 "mediation_certificate_on_2": day.year}, follow=True)
    assert "Mediation and appeal record saved." in response.content.decode()
    disagreement = Disagreement.objects.get()
    assert (disagreement.mediation_declined_on, disagreement.mediation_certificate_on) == (
        day, day)
    assert "mediation certificate issued" in Event.objects.get(
        kind="disagreement.recorded").summary
    panel = response.content.decode().split('id="decision"')[1]
    row = panel.split("Mediation certificate (declined)")[1].split("</div>")[0]
    assert f"done on {day.day} {day:%B %Y}" in row and ">Done<" in row
