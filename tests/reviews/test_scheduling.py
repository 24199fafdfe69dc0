"""The coordinator's actions: schedule, propose, invite, remove, send, accept."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agencies.models import Agency, AuthorityContact, Discipline, Role
from outbox.models import Email
from reviews import invitation_links, invitees, scheduling
from reviews.models import AdvocacyOffer, FamilyMember, Invitation, NamedProfessional, Review
from tests.conftest import make_person
from tests.reviews.conftest import make_child, make_plan, make_review

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 2)


def at(day: dt.date, hour=10, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


# Named fixtures with other function names, so that the coordinator's view tests can import
# them without shadowing the names their tests take.
@pytest.fixture(name="social_care")
def social_care_fixture(authority):
    return Agency.objects.create(authority=authority, name="Testshire Children's Services",
                                 kind=Agency.Kind.SOCIAL_CARE, email="duty@care.test.example")


@pytest.fixture(name="five_roles")
def five_roles_fixture(review, family_parent, senco, therapist, nhs_trust, social_care):
    """A review whose child has a parent, a SENCO, a named NHS therapist and a social care
    duty inbox: the portal can propose all five required roles."""
    NamedProfessional.objects.create(child=review.plan.child, user=therapist, agency=nhs_trust,
                                     discipline=Discipline.SPEECH_AND_LANGUAGE)
    return review


def invite_suggested(review, actor):
    proposals = invitees.proposed_invitees(review)
    return scheduling.do_add_invitations(review, actor, [p for p in proposals if p.suggested])


def link_token(email: Email) -> str:
    return re.search(r"/reviews/i/([^/\s]+)/", email.text).group(1)


# Scheduling -----------------------------------------------------------------------------


def test_scheduling_sets_the_meeting_and_moves_the_review_to_scheduled(review, coordinator):
    review.meeting_at = None
    review.save()
    meeting = at(TODAY + dt.timedelta(days=40))
    scheduling.do_schedule_review(review, coordinator, meeting_at=meeting, minutes=60,
                                  place="Room 4, Testshire Primary", today=TODAY)
    review.refresh_from_db()
    assert (review.meeting_at, review.meeting_minutes, review.status) == (meeting, 60,
                                                                         "scheduled")
    event = review.events.get()
    assert event.kind == "meeting_scheduled" and event.actor == coordinator
    assert "Meeting set for" in event.summary


def test_a_meeting_without_two_weeks_notice_is_refused_without_a_reason(review, coordinator):
    meeting = at(TODAY + dt.timedelta(days=10))
    with pytest.raises(ValidationError) as refused:
        scheduling.do_schedule_review(review, coordinator, meeting_at=meeting, minutes=90,
                                      place="Room 4", today=TODAY)
    assert "short_notice_reason" in refused.value.message_dict
    assert "29 October 2026" in refused.value.message_dict["short_notice_reason"][0]
    review.refresh_from_db()
    assert review.meeting_at != meeting and not review.events.exists()


def test_a_meeting_without_two_weeks_notice_is_allowed_with_a_reason(review, coordinator):
    meeting = at(TODAY + dt.timedelta(days=10))
    scheduling.do_schedule_review(review, coordinator, meeting_at=meeting, minutes=90,
                                  place="Room 4", short_notice_reason="Family asked for it",
                                  today=TODAY)
    review.refresh_from_db()
    assert review.short_notice_reason == "Family asked for it"
    assert review.events.get().data["short_notice_reason"] == "Family asked for it"


def test_a_reason_is_not_kept_when_the_notice_is_long_enough(review, coordinator):
    scheduling.do_schedule_review(review, coordinator, meeting_at=at(TODAY + dt.timedelta(40)),
                                  minutes=90, place="Room 4", short_notice_reason="No need",
                                  today=TODAY)
    review.refresh_from_db()
    assert review.short_notice_reason == ""


def test_the_clock_warns_when_invitations_are_due_within_two_weeks(review, coordinator):
    check = scheduling.do_schedule_review(review, coordinator,
                                          meeting_at=at(TODAY + dt.timedelta(days=20)),
                                          minutes=90, place="Room 4", today=TODAY)
    assert not check.too_short
    assert any("Send the invitations by 8 November 2026 (in 6 days)" in w
               for w in check.warnings)


def test_no_warning_when_there_is_plenty_of_time(plan, coordinator):
    review = Review.objects.create(plan=plan, coordinator=coordinator,
                                   due_by=TODAY + dt.timedelta(days=200))
    check = scheduling.do_schedule_review(review, coordinator,
                                          meeting_at=at(TODAY + dt.timedelta(days=60)),
                                          minutes=90, link="https://meet.jit.si/abc",
                                          today=TODAY)
    assert check.warnings == []


def test_a_meeting_after_the_review_is_due_is_warned_about(review, coordinator):
    after = review.due_by + dt.timedelta(days=400)
    check = scheduling.do_schedule_review(review, coordinator, meeting_at=at(after),
                                          minutes=90, place="Room 4", today=TODAY)
    assert any("the review will be late" in w for w in check.warnings)


def test_a_meeting_needs_a_place_or_a_link(review, coordinator):
    with pytest.raises(ValidationError) as refused:
        scheduling.do_schedule_review(review, coordinator, meeting_at=at(TODAY + dt.timedelta(40)),
                                      minutes=90, today=TODAY)
    assert "meeting_place" in refused.value.message_dict


def test_saving_the_same_meeting_twice_records_one_event(review, coordinator):
    meeting = at(TODAY + dt.timedelta(days=40))
    for _ in range(2):
        scheduling.do_schedule_review(review, coordinator, meeting_at=meeting, minutes=90,
                                      place="Room 4", today=TODAY)
    assert review.events.count() == 1


def test_moving_the_meeting_keeps_the_old_time_and_bumps_the_calendar(review, coordinator):
    first, second = at(TODAY + dt.timedelta(days=40)), at(TODAY + dt.timedelta(days=47), 14)
    scheduling.do_schedule_review(review, coordinator, meeting_at=first, minutes=90,
                                  place="Room 4", today=TODAY)
    review.refresh_from_db()
    sequence = review.calendar_sequence
    scheduling.do_schedule_review(review, coordinator, meeting_at=second, minutes=90,
                                  place="Room 4", today=TODAY)
    review.refresh_from_db()
    assert review.calendar_sequence == sequence + 1
    moved = review.events.filter(kind="meeting_rescheduled").latest("seq")
    assert (moved.data["old"], moved.data["new"]) == (first.isoformat(), second.isoformat())
    assert review.status == "scheduled"


def test_moving_the_meeting_tells_everyone_already_invited_once(five_roles, coordinator):
    review = five_roles
    invite_suggested(review, coordinator)
    scheduling.do_send_invitations(review, coordinator)
    review.refresh_from_db()
    sent = Email.objects.count()
    new_time = review.meeting_at + dt.timedelta(days=7)
    for _ in range(2):
        scheduling.do_schedule_review(review, coordinator, meeting_at=new_time, minutes=90,
                                      place="Room 4")
        review.refresh_from_db()
    moved = Email.objects.filter(key__startswith="review-meeting-moved:")
    assert moved.count() == Email.objects.count() - sent == 5
    assert all("Amira" not in e.text and "AE (T-0001)" in e.subject for e in moved)
    assert review.status == "invited", "moving the meeting never moves the status back"


def test_a_new_room_at_short_notice_needs_no_reason_and_keeps_the_old_one(review,
                                                                           coordinator):
    meeting = at(TODAY + dt.timedelta(days=10))
    scheduling.do_schedule_review(review, coordinator, meeting_at=meeting, minutes=90,
                                  place="Room 4", short_notice_reason="Family asked for it",
                                  today=TODAY)
    review.refresh_from_db()
    scheduling.do_schedule_review(review, coordinator, meeting_at=meeting, minutes=90,
                                  place="Room 5", today=TODAY + dt.timedelta(days=5))
    review.refresh_from_db()
    assert (review.meeting_place, review.short_notice_reason) == ("Room 5",
                                                                  "Family asked for it")


def test_a_held_meeting_cannot_be_moved(review, coordinator):
    Review.objects.filter(pk=review.pk).update(status=Review.Status.MEETING_HELD)
    review.refresh_from_db()
    with pytest.raises(ValidationError):
        scheduling.do_schedule_review(review, coordinator, meeting_at=at(TODAY), minutes=90,
                                      place="Room 4", short_notice_reason="x", today=TODAY)


# Proposing and inviting -------------------------------------------------------------------


def test_the_portal_proposes_someone_for_each_of_the_five_required_roles(five_roles, senco,
                                                                         therapist, parent,
                                                                         coordinator):
    proposals = invitees.proposed_invitees(five_roles)
    ticked = {p.role: p.email for p in proposals if p.suggested}
    assert ticked == {
        "family": parent.email, "setting": senco.email, "la_sen": coordinator.email,
        "health": therapist.email, "social_care": "duty@care.test.example",
    }


def test_a_dco_is_proposed_but_not_ticked_when_a_named_health_professional_is(
        five_roles, nhs_trust):
    dco = make_person("dco@test.example", "Dee", "Cee", nhs_trust, Role.PRACTITIONER,
                      Discipline.DESIGNATED_CLINICAL_OFFICER)
    proposal = next(p for p in invitees.proposed_invitees(five_roles) if p.email == dco.email)
    assert proposal.role == "health" and not proposal.suggested


def test_a_parent_without_parental_responsibility_is_not_proposed(review, child):
    FamilyMember.objects.create(child=child, name="Step Parent", email="step@test.example",
                                parental_responsibility=False)
    assert "step@test.example" not in {p.email for p in invitees.proposed_invitees(review)}


def test_post_16_contacts_are_proposed_from_year_9_only(authority, school, coordinator):
    college = Agency.objects.create(authority=authority, name="Testshire College",
                                    kind=Agency.Kind.SCHOOL)
    careers = make_person("careers@test.example", "Cai", "Reers", college, Role.PRACTITIONER,
                          Discipline.CAREERS_ADVISER)
    today = dt.date(2026, 11, 2)
    year_9 = make_review(make_plan(make_child(authority, school, ref="T-0009",
                                              born=dt.date(2012, 10, 1))), coordinator)
    year_4 = make_review(make_plan(make_child(authority, school, ref="T-0004",
                                              born=dt.date(2017, 10, 1))), coordinator)
    older = {p.email: p for p in invitees.proposed_invitees(year_9, today)}
    assert older[careers.email].role == "adulthood"
    assert careers.email not in {p.email for p in invitees.proposed_invitees(year_4, today)}


def test_adding_the_same_people_twice_invites_them_once(five_roles, coordinator):
    first = invite_suggested(five_roles, coordinator)
    again = invite_suggested(five_roles, coordinator)
    assert len(first) == 5 and again == []
    assert five_roles.invitations.count() == 5
    assert five_roles.events.filter(kind="invitations_added").count() == 1


def test_someone_added_by_email_is_linked_to_their_account(review, coordinator, therapist):
    added = scheduling.do_add_invitations(review, coordinator, [invitees.Invitee(
        "Theo Rapist", "THERAPIST@test.example", Invitation.Role.OTHER)])
    assert added[0].user == therapist and added[0].email == "therapist@test.example"


def test_removing_an_invitation_keeps_it_for_the_record(review, coordinator, therapist):
    invitation = scheduling.do_add_invitations(review, coordinator, [invitees.Invitee(
        "Theo Rapist", therapist.email, Invitation.Role.PROFESSIONAL)])[0]
    for _ in range(2):
        scheduling.do_remove_invitation(invitation, coordinator)
    invitation.refresh_from_db()
    assert invitation.removed_at is not None
    assert review.events.filter(kind="invitation_removed").count() == 1
    assert not review.invitations.current().exists()


# Sending ---------------------------------------------------------------------------------


def test_sending_is_refused_until_all_five_roles_are_invited(five_roles, coordinator, parent):
    scheduling.do_add_invitations(five_roles, coordinator, [invitees.Invitee(
        "Pat Parent", parent.email, Invitation.Role.FAMILY)])
    with pytest.raises(ValidationError) as refused:
        scheduling.do_send_invitations(five_roles, coordinator)
    message = refused.value.messages[0]
    for missing in ("head or principal", "local authority sen officer", "health professional",
                    "social care officer"):
        assert missing in message
    assert "parent or young person" not in message
    assert not Email.objects.exists()
    assert Review.objects.get(pk=five_roles.pk).status == "due"


def test_sending_is_refused_before_the_meeting_is_set(five_roles, coordinator):
    invite_suggested(five_roles, coordinator)
    Review.objects.filter(pk=five_roles.pk).update(meeting_at=None)
    five_roles.refresh_from_db()
    with pytest.raises(ValidationError, match="Schedule the meeting"):
        scheduling.do_send_invitations(five_roles, coordinator)


def test_sending_emails_each_person_their_own_link_and_moves_the_review_on(five_roles,
                                                                          coordinator):
    invited = invite_suggested(five_roles, coordinator)
    sent = scheduling.do_send_invitations(five_roles, coordinator)
    assert {i.pk for i in sent} == {i.pk for i in invited}
    emails = list(Email.objects.all())
    assert sorted(e.to for e in emails) == sorted(i.email for i in invited)
    tokens = {link_token(e) for e in emails}
    assert len(tokens) == 5
    for token in tokens:
        assert invitation_links.invitation_for_token(token) is not None
    review = Review.objects.get(pk=five_roles.pk)
    assert review.status == "invited" and review.invitations_sent_at is not None
    assert review.events.filter(kind="invitations_sent").count() == 1
    assert AdvocacyOffer.objects.filter(review=review).count() == 1


def test_emails_carry_initials_and_la_reference_never_the_name(five_roles, coordinator):
    invite_suggested(five_roles, coordinator)
    scheduling.do_send_invitations(five_roles, coordinator)
    for email in Email.objects.all():
        assert "AE (T-0001)" in email.subject
        assert "T-0001" in email.text and "AE" in email.text
        for part in ("Amira", "Example"):
            assert part not in email.subject and part not in email.text


def test_a_professional_email_says_what_is_asked_and_by_when(five_roles, coordinator,
                                                             therapist):
    invite_suggested(five_roles, coordinator)
    scheduling.do_send_invitations(five_roles, coordinator)
    review = Review.objects.get(pk=five_roles.pk)
    text = Email.objects.get(to=therapist.email).text
    due = review.advice_due()
    assert f"Send your advice by {due.day} {due:%B %Y}" in text
    assert f"{review.meeting_date.day} {review.meeting_date:%B %Y}" in text
    assert "http://localhost:8000/reviews/i/" in text


def test_the_family_email_offers_an_advocate_and_sendiass_in_plain_words(five_roles,
                                                                         coordinator, parent,
                                                                         authority):
    # The services the authority holds for its letters (agencies/contacts.py).
    AuthorityContact.objects.create(authority=authority, service="advocacy",
                                    name="Speak Up Testshire", phone="0100 000 0001",
                                    email="hello@speakup.test.example")
    AuthorityContact.objects.create(authority=authority, service="sendiass",
                                    name="Testshire SENDIASS", phone="0100 000 0002",
                                    email="help@sendiass.test.example")
    invite_suggested(five_roles, coordinator)
    scheduling.do_send_invitations(five_roles, coordinator)
    text = Email.objects.get(to=parent.email).text
    assert "You can have an independent advocate to help you" in text and "It is free" in text
    assert "Special Educational Needs and Disabilities Information, Advice and Support" in text
    assert "Speak Up Testshire" in text and "0100 000 0001" in text
    assert "help@sendiass.test.example" in text
    assert "EHCP" not in text and "SENCO" not in text


def test_sending_twice_sends_one_email_per_person(five_roles, coordinator):
    invite_suggested(five_roles, coordinator)
    scheduling.do_send_invitations(five_roles, coordinator)
    assert scheduling.do_send_invitations(five_roles, coordinator) == []
    assert Email.objects.count() == 5
    assert five_roles.events.filter(kind="invitations_sent").count() == 1


def test_sending_again_later_sends_only_to_new_invitees(five_roles, coordinator, outsider):
    invite_suggested(five_roles, coordinator)
    scheduling.do_send_invitations(five_roles, coordinator)
    scheduling.do_add_invitations(five_roles, coordinator, [invitees.Invitee(
        "Oscar Outsider", outsider.email, Invitation.Role.OTHER)])
    sent = scheduling.do_send_invitations(five_roles, coordinator)
    assert [i.email for i in sent] == [outsider.email]
    assert Email.objects.filter(to=outsider.email).count() == 1
    assert Email.objects.count() == 6


def test_a_removed_invitation_link_stops_working(five_roles, coordinator, therapist):
    invite_suggested(five_roles, coordinator)
    scheduling.do_send_invitations(five_roles, coordinator)
    token = link_token(Email.objects.get(to=therapist.email))
    scheduling.do_remove_invitation(five_roles.invitations.get(email=therapist.email),
                                    coordinator)
    assert invitation_links.invitation_for_token(token) is None


# Accepting ---------------------------------------------------------------------------------


def test_accepting_binds_the_invitation_and_the_family_record_to_the_account(review, child,
                                                                             coordinator):
    FamilyMember.objects.create(child=child, name="New Parent", email="new.parent@test.example")
    invitation = scheduling.do_add_invitations(review, coordinator, [invitees.Invitee(
        "New Parent", "new.parent@test.example", Invitation.Role.FAMILY)])[0]
    person = make_person("new.parent@test.example", "New", "Parent")
    invitation_links.do_accept_invitation(invitation, person)
    assert Invitation.objects.get(pk=invitation.pk).user == person
    assert FamilyMember.objects.get(email="new.parent@test.example").user == person
    assert review.events.filter(kind="invitation_accepted").count() == 1


def test_an_invitation_cannot_be_accepted_by_another_address(review, coordinator, outsider):
    invitation = scheduling.do_add_invitations(review, coordinator, [invitees.Invitee(
        "Someone", "someone@test.example", Invitation.Role.OTHER)])[0]
    with pytest.raises(ValidationError):
        invitation_links.do_accept_invitation(invitation, outsider)
    assert Invitation.objects.get(pk=invitation.pk).user is None
