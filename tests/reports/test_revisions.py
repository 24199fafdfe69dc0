"""The coordinator edits the draft: every save is a revision (who and when), any two can be
compared, and two editors cannot overwrite each other unseen."""

import pytest
from django.urls import reverse

from agencies.models import Discipline, Role
from reports.comparison import compare
from reports.drafting import DraftConflict, do_save_draft
from reports.models import Report
from tests.conftest import make_person
from tests.reports.forms import editor_data

pytestmark = pytest.mark.django_db


def edit_url(review):
    return reverse("reports:edit", args=[review.pk])


def test_each_save_is_a_revision_with_who_and_when(held_review, coordinator, signed_in):
    client = signed_in(coordinator)
    report = Report.objects.get(review=held_review)
    response = client.post(edit_url(held_review), editor_data(
        report, views_child="I like trains and buses."))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.content["views"]["child"] == "I like trains and buses."
    revisions = list(report.revisions.order_by("created_at", "pk"))
    assert len(revisions) == 2
    assert revisions[-1].user == coordinator and revisions[-1].created_at is not None
    assert revisions[0].as_object().content["views"]["child"] == "I like trains."
    assert revisions[1].as_object().content["views"]["child"] == "I like trains and buses."
    assert held_review.events.filter(kind="report.saved").count() == 1


def test_saving_without_changes_keeps_no_new_revision(held_review, coordinator, signed_in):
    client = signed_in(coordinator)
    report = Report.objects.get(review=held_review)
    response = client.post(edit_url(held_review), editor_data(report))
    assert response.status_code == 302, "the save went through"
    assert Report.objects.get(pk=report.pk).content == report.content
    assert report.revisions.count() == 1


def test_the_editor_changes_every_kind_of_section(held_review, coordinator, signed_in):
    client = signed_in(coordinator)
    report = Report.objects.get(review=held_review)
    client.post(edit_url(held_review), editor_data(
        report, attendance_1="apologies", attendance_1_note="Ill on the day",
        action_0_what="", action_0_who="",  # removes the drafted action
        action_1_what="Book the therapist", action_1_who="Theo Rapist",
        action_1_due_0="3", action_1_due_1="3", action_1_due_2="2031",
        change_F="", change_B="Add sensory needs.", overall="maintain",
        disagree_1_who="Theo Rapist", disagree_1_text="Therapy weekly is too often."))
    content = Report.objects.get(pk=report.pk).content
    assert content["attendance"][1]["status"] == "apologies"
    assert content["attendance"][1]["note"] == "Ill on the day"
    assert content["actions"] == [{"what": "Book the therapist", "who": "Theo Rapist",
                                   "due_on": "2031-03-03"}]
    assert content["changes"] == {"B": "Add sensory needs."}
    assert content["overall"]["choice"] == "maintain"
    assert [d["who"] for d in content["disagreements"]] == ["Pat Parent", "Theo Rapist"]
    assert content["advice"][0]["advice_id"]  # the links are kept


def test_a_half_typed_action_is_refused_and_what_was_typed_is_kept(held_review, coordinator,
                                                                   signed_in):
    client = signed_in(coordinator)
    report = Report.objects.get(review=held_review)
    response = client.post(edit_url(held_review), editor_data(
        report, action_1_what="Call the family", views_child="Changed words"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Enter who will do action 2" in html
    assert "<title>Error: " in html
    assert "Call the family" in html and "Changed words" in html
    assert report.revisions.count() == 1


def test_a_save_on_top_of_someone_elses_is_refused_and_keeps_what_was_typed(
        held_review, coordinator, signed_in, la_team):
    colleague = make_person("colleague@test.example", "Col", "League", la_team,
                            Role.COORDINATOR, Discipline.SEN_OFFICER)
    report = Report.objects.get(review=held_review)
    mine = editor_data(report, views_child="Mine")
    signed_in(colleague).post(edit_url(held_review), editor_data(report, views_child="Theirs"))
    client = signed_in(coordinator)
    response = client.post(edit_url(held_review), mine)
    html = response.content.decode()
    assert "Col League saved the draft while you were editing it" in html
    assert ">\nMine</textarea>" in html
    assert Report.objects.get(pk=report.pk).content["views"]["child"] == "Theirs"
    # Saving again, having seen the warning, keeps theirs in the history and mine on top.
    base = Report.objects.get(pk=report.pk).latest_revision_id
    assert f'value="{base}"' in html
    client.post(edit_url(held_review), {**mine, "base_revision": base})
    assert Report.objects.get(pk=report.pk).content["views"]["child"] == "Mine"
    assert report.revisions.count() == 3


def test_the_action_refuses_a_stale_base_revision(held_review, coordinator):
    report = Report.objects.get(review=held_review)
    base = report.latest_revision_id
    do_save_draft(report, coordinator, {**report.content, "views": {
        **report.content["views"], "child": "One"}}, base_revision=base)
    with pytest.raises(DraftConflict):
        do_save_draft(report, coordinator, {**report.content, "views": {
            **report.content["views"], "child": "Two"}}, base_revision=base)


def test_any_two_drafts_can_be_compared(held_review, coordinator, signed_in):
    client = signed_in(coordinator)
    report = Report.objects.get(review=held_review)
    for words in ("Trains and buses.", "Trains, buses and boats."):
        report.refresh_from_db()
        client.post(edit_url(held_review), editor_data(report, views_child=words))
    first, _, third = report.revisions.order_by("created_at", "pk")
    response = client.get(reverse("reports:history", args=[held_review.pk]),
                          {"older": first.pk, "newer": third.pk})
    html = response.content.decode()
    assert "Changes from draft 1 to draft 3" in html
    assert "<del>In their own words: I like trains.</del>" in html
    assert "<ins>In their own words: Trains, buses and boats.</ins>" in html
    assert html.count("Draft 3</td>") == 1 and "Draft 1</td>" in html
    # By default the last two are compared.
    assert "Changes from draft 2 to draft 3" in client.get(
        reverse("reports:history", args=[held_review.pk])).content.decode()


def test_comparison_shows_only_the_sections_that_changed(held_review):
    content = Report.objects.get(review=held_review).content
    changed = {**content, "overall": {**content["overall"], "choice": "cease"}}
    [section] = compare(content, changed)
    assert section.heading == "Overall recommendation"
    assert [(line.change, line.text) for line in section.lines][:2] == [
        ("removed", "Amend the plan"), ("added", "Cease the plan")]
    assert compare(content, content) == []
