"""The drafted report always saves: a review where everyone wrote as much as the portal
lets them (every field of every piece of advice, the family's views from two parents, the
meeting's notes, recommendations and disagreements) drafts a report the editor accepts as it
stands, and that report publishes. What several people wrote into one part is shared out
fairly when it would not fit."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meeting.room import LIMITS as ROOM
from meeting.room import do_open_meeting
from reports import signoff
from reports.drafting import SHORTENED, fit, fit_together
from reports.models import PublishedReport, Report
from reviews.advice import AdviceContent, do_answer_invitation, do_save_advice, do_submit_advice
from reviews.family import do_save_family_views, do_send_family_views
from reviews.models import (
    Advice,
    FamilyViews,
    Invitation,
    OutcomeProgress,
    Plan,
    Review,
)
from tests.conftest import ON_TODAY, make_person
from tests.factories import FamilyMemberFactory
from tests.reports.conftest import change, hold_meeting
from tests.reports.forms import editor_data
from tests.reviews.test_advice_fixtures import invitation_of, physio_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, ON_TODAY]

VIEWS_ANSWERS = ["what_is_important", "hopes", "going_well", "hard", "childs_own_words"]


def longest(field, who: str) -> str:
    """Text as long as ``field`` takes, starting with who wrote it."""
    return f"{who}: " + "x" * (field.max_length - len(who) - 2)


def full_advice(review, who: str) -> AdviceContent:
    def limit(model, name):
        return model._meta.get_field(name)

    evidence = limit(OutcomeProgress, "evidence")
    change_text = "c" * Advice.CHANGE_MAX_LENGTH
    return AdviceContent(
        progress={o.pk: (OutcomeProgress.Progress.ON_TRACK, longest(evidence, who))
                  for o in review.plan.outcomes.all()},
        what_is_working=longest(limit(Advice, "what_is_working"), who),
        what_is_not_working=longest(limit(Advice, "what_is_not_working"), who),
        recommended_changes={letter: change_text for letter, _ in Plan.SECTIONS})


def send_full_views(review, parent):
    do_save_family_views(review, parent, {
        name: longest(FamilyViews._meta.get_field(name), str(parent))
        for name in VIEWS_ANSWERS})
    do_send_family_views(review, parent)


@pytest.fixture
def everything_at_its_longest(review, coordinator, invited_therapist, physio, family_parent,
                              child, nhs_trust, media):
    Review.objects.filter(pk=review.pk).update(status=Review.Status.INVITATIONS_SENT,
                                               invitations_sent_at=timezone.now())
    review.refresh_from_db()
    for person in (invited_therapist, physio):
        invitation = invitation_of(review, person)
        do_submit_advice(do_save_advice(invitation, person, full_advice(review, str(person))),
                         person)
    declined = Invitation.objects.create(review=review, role=Invitation.Role.HEALTH,
                                         agency=nhs_trust, name="Therapies duty inbox",
                                         email="duty@nhs.test.example")
    do_answer_invitation(declined, coordinator, Invitation.Answer.DECLINED,
                         "r" * Invitation._meta.get_field("declined_reason").max_length)
    carer = make_person("carer@test.example", "Cara", "Carer")
    FamilyMemberFactory(child=child, user=carer, name="Cara Carer")
    for parent in (family_parent, carer):
        send_full_views(review, parent)

    meeting = do_open_meeting(review, coordinator)
    for item in meeting.items.all():
        change(review, coordinator, "notes.save", item=item.pk, text="n" * ROOM.notes,
               base_version=0)
        change(review, family_parent, "comment.add", item=item.pk, kind="disagree",
               text="c" * ROOM.comment)
    change(review, coordinator, "action.add", what="a" * ROOM.action, who="w" * ROOM.who)
    for letter, _ in Plan.SECTIONS:
        change(review, coordinator, "recommendation.set", section=letter,
               text="r" * ROOM.recommendation, agreed_by="g" * ROOM.agreed_by)
    change(review, coordinator, "recommendation.set", section="", overall="amend",
           text="r" * ROOM.recommendation, agreed_by="g" * ROOM.agreed_by)
    return hold_meeting(review, coordinator)


def test_a_report_drafted_from_everything_at_its_longest_saves_and_publishes(
        everything_at_its_longest, coordinator, family_parent, signed_in):
    review = everything_at_its_longest
    report = Report.objects.get(review=review)
    client = signed_in(coordinator)
    response = client.post(reverse("reports:edit", args=[review.pk]),
                           editor_data(report, views_child="Edited by the coordinator."))
    assert response.status_code == 302, response.context["form"].errors
    report.refresh_from_db()
    assert report.revisions.count() == 2
    assert report.content["views"]["child"] == "Edited by the coordinator."

    signoff.do_request_signoff(report, coordinator)
    Report.objects.filter(pk=report.pk).update(
        signoff_closes_on=timezone.localdate() - timezone.timedelta(days=1))
    response = client.post(reverse("reports:publish", args=[review.pk]), {"version": 1})
    assert response.status_code == 302
    assert PublishedReport.objects.get(review=review).content == report.content


def test_one_persons_writing_is_kept_whole_and_several_peoples_shared_fairly(
        everything_at_its_longest, family_parent, invited_therapist, physio):
    content = Report.objects.get(review=everything_at_its_longest).content
    for advice in content["advice"]:
        assert SHORTENED not in advice["summary"]  # two sections of advice fit whole
    family = content["views"]["family"]
    assert len(family) <= Report.TEXT_MAX_LENGTH
    for parent in (family_parent, "Cara Carer"):
        assert f"From {parent}:" in family
        assert family.count(f"{parent}: ") == 4, "each of their answers, each shortened"
    assert family.count(SHORTENED) == 8
    for row in content["progress"]:
        for person in (invited_therapist, physio):
            assert f"{person}: x" in row["text"]
    assert content["attendance"][-1]["note"] == "r" * Report.NOTE_MAX_LENGTH


def test_fitting_together_keeps_short_parts_whole_and_cuts_long_ones_to_the_same_length():
    parts = ["short", "a" * 300, "b" * 500]
    assert fit_together(parts, 1_000) == "\n\n".join(parts)
    fitted = fit_together(parts, 400).split("\n\n")
    assert fitted[0] == "short"
    assert fitted[1].endswith(SHORTENED) and fitted[2].endswith(SHORTENED)
    assert abs(len(fitted[1]) - len(fitted[2])) <= 1  # the room left, halved
    assert len("\n\n".join(fitted)) == 400
    assert fit("a" * 50, 10) == "a" * 10, "too short to say it was shortened"
