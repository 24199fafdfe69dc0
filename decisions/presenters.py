"""Turn a review's decision into what the panels and the notice show: the dates from the
clock worded for the coordinator and for the family, and what each may do next (the
contacts are reviews/contacts.py's). Templates stay dumb; this is tested through the pages.

A few queries however much there is: the decision with its amendment and disagreement in
one, the clock's facts in one more (``Review.deadlines`` reads the previous meeting).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.text import capfirst

from agencies.contacts import authority_contacts
from decisions.deciding import can_record
from decisions.models import Amendment, Decision, Disagreement, FamilyResponse, TribunalOrder
from reviews import clock, presenters
from reviews.models import FamilyMember, Review
from reviews.presenters import Task

# ---------------------------------------------------------------------------
# The decision and its dates
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionState:
    """One review's decision (or its absence) and every date the clock gives it."""

    review: Review
    decision: Decision | None
    deadlines: clock.ReviewDeadlines
    today: dt.date

    @property
    def amendment(self) -> Amendment | None:
        if self.decision is None:
            return None
        try:
            return self.decision.amendment
        except Amendment.DoesNotExist:
            return None

    @property
    def disagreement(self) -> Disagreement | None:
        return self.decision.disagreement_or_none if self.decision else None

    @property
    def tribunal_order(self) -> TribunalOrder | None:
        return self.decision.tribunal_order_or_none if self.decision else None

    @property
    def outcome(self) -> str:
        return self.decision.outcome if self.decision else ""

    @property
    def appealable(self) -> bool:
        """The decision the family may appeal has been sent (for an amendment, the final
        plan or the notice not to amend): the clock then gives the appeal deadline."""
        return self.deadlines.appeal_deadline is not None

    @property
    def amending(self) -> bool:
        """Amendments proposed and the final plan not yet sent."""
        amendment = self.amendment
        return amendment is not None and not amendment.is_finished

    @property
    def rights_live(self) -> bool:
        """The family can still act on this decision: appeal, or see mediation, an appeal
        or the council's compliance with the Tribunal's order through."""
        disagreement, order = self.disagreement, self.tribunal_order
        if disagreement and (disagreement.appeal_pending or disagreement.mediation_pending):
            return True
        if order and order.outstanding:
            return True
        return self.amending or (self.appealable and self.today <= self.deadlines.appeal_deadline)


def awaits_or_has_decision(state: DecisionState) -> bool:
    """A decision is recorded, or the meeting has been held and one is due. (A review closed
    without one, say imported from an earlier system, shows no decision and no lateness.)"""
    review = state.review
    return state.decision is not None or (
        review.is_open and review.has_reached(Review.Status.MEETING_HELD))


def _decisions():
    return Decision.objects.select_related(
        "amendment__plan_before", "amendment__final_version", "disagreement", "tribunal_order",
        "decided_by")


def decision_state(review: Review, today: dt.date) -> DecisionState:
    if not review.has_reached(Review.Status.MEETING_HELD):
        # No decision before the meeting, and none of its dates yet: no query.
        return DecisionState(review, None, clock.ReviewDeadlines(), today)
    decision = _decisions().filter(review=review).first()
    facts = decision.clock_facts() if decision else {}
    if decision is not None:
        decision.review = review
    return DecisionState(review, decision, review.deadlines(**facts), today)


def earlier_decision_state(review: Review, today: dt.date) -> DecisionState | None:
    """The decision after the plan's previous review while the family can still act on it:
    it closed (a maintain decision closes at once), and this review opened, but the appeal
    window and any mediation or appeal run on."""
    decision = (_decisions().select_related("review__plan__child")
                .filter(review__plan_id=review.plan_id, review__created_at__lt=review.created_at)
                .order_by("-review__created_at").first())
    if decision is None:
        return None
    state = DecisionState(decision.review, decision,
                          decision.review.deadlines(**decision.clock_facts()), today)
    return state if state.rights_live else None


@dataclass(frozen=True)
class DateLine:
    """One date as a panel shows it."""

    key: str
    label: str
    date_text: str
    note: str = ""
    tag_label: str = ""
    tag_colour: str = ""
    rule: str = ""


# The decision's dates, with who must act by each (the clock's ``Deadline.whose``); the
# review's own steps before the decision are the review page's.
_DECISION_DATES = {
    "decision_due", "amendment_notice_due", "final_plan_due", "amendments_overall_by",
    "representations_end", "mediation_contact_by", "appeal_deadline", "mediation_held_by",
    "mediation_certificate_due", "mediation_end_certificate_due", "unopposed_plan_due",
    "order_placement_due", "order_provision_due", "following_review_due",
}

# The same dates in a family's words.
_FAMILY_WORDS = {
    "decision_due": "The council must tell you its decision by",
    "amendment_notice_due": "The council must send you the proposed changes by",
    "representations_end": "Tell us what you think of the changes by",
    "final_plan_due": "The council must send you the final plan by",
    "mediation_contact_by": "Contact a mediation adviser by",
    "mediation_certificate_due": "The mediation adviser must give you a certificate by",
    "mediation_held_by": "Mediation must take place by",
    "mediation_end_certificate_due": "You should have your mediation certificate by",
    "appeal_deadline": "Appeal to the Tribunal by",
    "unopposed_plan_due": "The council must send you the amended plan by",
    "order_placement_due": "The council must send you the plan naming the school or college "
                           "the Tribunal ordered by",
    "order_provision_due": "The council must send you the plan changed as the Tribunal "
                           "ordered by",
    "following_review_due": "The next review meeting must be by",
}


def _done_on(state: DecisionState) -> dict[str, dt.date | None]:
    review, disagreement = state.review, state.disagreement
    done = review.deadlines_met_on()
    if disagreement is not None:
        done |= {
            "mediation_contact_by": disagreement.mediation_requested_on
            or disagreement.mediation_declined_on,
            "mediation_held_by": disagreement.mediation_ended_on,
            "mediation_certificate_due": disagreement.mediation_certificate_on,
            "mediation_end_certificate_due": disagreement.mediation_certificate_on,
            "appeal_deadline": disagreement.appeal_made_on,
        }
    if state.tribunal_order is not None:
        done |= state.tribunal_order.met_on()
    return done


def _window_line(key: str, label: str, due: dt.date, today: dt.date, done: dt.date | None,
                 rule: str = "") -> DateLine:
    """A window someone else has (the family's 15 days, their time to appeal): never
    "late", only open or closed."""
    when = presenters.date_text(due)
    if done is not None:
        return DateLine(key, label, when, f"done on {presenters.date_text(done)}", "Done",
                        "green", rule)
    if today > due:
        return DateLine(key, label, when, "this date has passed", "Closed", "grey", rule)
    return DateLine(key, label, when, presenters.relative_text(due, today), "Open", "blue", rule)


def _info_line(key: str, label: str, due: dt.date, today: dt.date, done: dt.date | None = None,
               rule: str = "") -> DateLine:
    """A date to know, with nobody to chase."""
    return DateLine(key, label, presenters.date_text(due), presenters.relative_text(due, today)
                    if due >= today else "", rule=rule)


def _deadline_line(key: str, label: str, due: dt.date, today: dt.date, done: dt.date | None,
                   rule: str = "") -> DateLine:
    """A deadline the local authority (or the mediation adviser) must meet: late if missed,
    from the clock."""
    row = presenters.deadline_row(label, due, today, done_on=done)
    note = row.relative_text if done is None or row.is_late else (
        f"done on {presenters.date_text(done)}")
    return DateLine(key, label, row.date_text, note, row.tag_label, row.tag_colour, rule)


def _shown(state: DecisionState, key: str) -> bool:
    # Before the decision only its own due date matters; the next review's date belongs to
    # the review page's own list until this review's work is done.
    if state.decision is None:
        return key == "decision_due"
    return key != "following_review_due" or not state.review.is_open


_LINES = {clock.Whose.FAMILY: _window_line, clock.Whose.INFO: _info_line}


def officer_dates(state: DecisionState) -> list[DateLine]:
    """The decision's dates for the coordinator, earliest first, each with its rule."""
    done = _done_on(state)
    lines = []
    for deadline in state.deadlines.as_list():
        if deadline.key not in _DECISION_DATES or not _shown(state, deadline.key):
            continue
        line = _LINES.get(deadline.whose, _deadline_line)
        lines.append(line(deadline.key, deadline.label, deadline.due, state.today,
                          done.get(deadline.key), deadline.rule))
    return lines


# Met by the decision letter itself: the family need not be told these once it has come.
_MET_BY_THE_LETTER = {"decision_due", "amendment_notice_due"}


def family_dates(state: DecisionState) -> list[DateLine]:
    """The dates that apply to the family, in their words."""
    done = _done_on(state)
    lines = []
    for deadline in state.deadlines.as_list():
        if deadline.key not in _FAMILY_WORDS or not _shown(state, deadline.key) or (
                state.decision and deadline.key in _MET_BY_THE_LETTER):
            continue
        line = {clock.Whose.LA: _family_duty_line, clock.Whose.INFO: _info_line}.get(
            deadline.whose, _window_line)
        lines.append(line(deadline.key, _FAMILY_WORDS[deadline.key], deadline.due, state.today,
                          done.get(deadline.key)))
    return lines


def _family_duty_line(key: str, label: str, due: dt.date, today: dt.date,
                      done: dt.date | None) -> DateLine:
    """The council's duty, as the family sees it: done, or late, with no jargon."""
    when = presenters.date_text(due)
    if done is not None:
        return DateLine(key, label, when, f"done on {presenters.date_text(done)}")
    if today > due:
        return DateLine(key, label, when, "this is late", "Late", "red")
    return DateLine(key, label, when, presenters.relative_text(due, today))


# ---------------------------------------------------------------------------
# What each person can do next
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class OfficerPanel:
    state: DecisionState
    dates: list[DateLine]
    links: list[Link]
    replies: list[FamilyResponse] = field(default_factory=list)
    waiting_for: str = ""
    lateness: list[presenters.LateLine] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return awaits_or_has_decision(self.state)


# The LA's deadlines after the decision letter; the review page lists lateness before it.
_AFTER_THE_LETTER = {"mediation_held_by", "unopposed_plan_due", "order_placement_due",
                     "order_provision_due"}


def officer_panel(review: Review, can_decide: bool, today: dt.date) -> OfficerPanel:
    state = decision_state(review, today)
    amendment = state.amendment
    replies = list(amendment.responses.select_related("author").order_by("sent_at")) \
        if amendment else []
    links, waiting_for = [], ""
    url = _urls(review)
    if state.decision is None:
        if can_decide and can_record(review):
            links.append(Link("Record the decision", url("record")))
    else:
        links.append(Link("Read the decision letter", url("notice")))
        if can_decide and state.amending:
            opens = state.deadlines.representations_end + dt.timedelta(days=1)
            if today >= opens:
                links += [Link("Send the final amended plan", url("final_plan")),
                          Link("Decide not to amend the plan", url("not_amending"))]
            else:
                waiting_for = (f"The family can reply until "
                               f"{presenters.date_text(state.deadlines.representations_end)}. "
                               f"You can send the final plan from {presenters.date_text(opens)}.")
        if can_decide and (state.appealable or state.disagreement):
            links.append(Link("Record mediation or an appeal", url("disagreement")))
        if can_decide and state.disagreement and (
                state.disagreement.appeal_result == Disagreement.AppealResult.FOR_FAMILY):
            order = state.tribunal_order
            links.append(Link("Record the Tribunal's order" if order is None else
                              "Record the plan issued as the Tribunal ordered"
                              if order.outstanding else "The Tribunal's order",
                              url("tribunal_order")))
    lateness = presenters.lateness_lines(state.deadlines, _done_on(state), today,
                                         keys=_AFTER_THE_LETTER)
    return OfficerPanel(state, officer_dates(state), links, replies, waiting_for, lateness)


def _urls(review: Review):
    return lambda name: reverse(f"decisions:{name}", args=[review.pk])


@dataclass(frozen=True)
class FamilyPanel:
    state: DecisionState
    dates: list[DateLine]
    tasks: list[Task]
    headline: str
    earlier: bool


def family_panel(review: Review, user, today: dt.date) -> FamilyPanel | None:
    """This review's decision for the family, or the last review's while they can still act
    on it; None before there is anything to show."""
    state = decision_state(review, today)
    earlier = False
    if state.decision is None:
        earlier_state = earlier_decision_state(review, today)
        if earlier_state is not None:
            state, earlier = earlier_state, True
        elif not awaits_or_has_decision(state):
            return None
    to = addressee(state.review, user, is_family=True)
    return FamilyPanel(state, family_dates(state), family_tasks(state, user),
                       headline(state, to), earlier)


def headline(state: DecisionState, to: Addressee) -> str:
    """The decision in one plain sentence."""
    if state.decision is None:
        return ("After the meeting, the council decides whether to keep the plan as it is, "
                "change it, or stop it.")
    whose, amendment = to.whose, state.amendment
    dates = key_dates(state)
    order = state.tribunal_order
    if order is not None and order.outstanding:
        done = order.met_on()
        due = min(getattr(state.deadlines, key) for key in done
                  if getattr(state.deadlines, key) and not done[key])
        return (f"The Tribunal decided the appeal for you. The council must send you {whose} "
                f"plan, changed as the Tribunal ordered, by {presenters.date_text(due)}.")
    if state.outcome == Review.Decision.MAINTAIN:
        return f"The council will keep {whose} plan as it is."
    if state.outcome == Review.Decision.CEASE:
        if state.decision.plan_ceased_on:
            return (f"{capfirst(whose)} plan ended on "
                    f"{presenters.date_text(state.decision.plan_ceased_on)}.")
        return (f"The council has decided to stop {whose} plan. The plan stays in place until "
                f"{dates['appeal_deadline']}, and while any appeal goes on.")
    if not amendment.is_finished:
        return (f"The council wants to change {whose} plan. Tell us what you think by "
                f"{dates['representations_end']}.")
    if amendment.result == Amendment.Result.AMENDED:
        return "The council has sent the final plan, with the changes."
    return "The council has decided not to change the plan after all."


def family_tasks(state: DecisionState, user) -> list[Task]:
    """What the family can do about the decision, as the family page's task list."""
    if state.decision is None:
        return []
    tasks = []
    if state.amending:
        reply = state.amendment.responses.filter(author=user).first()
        tasks.append(Task("Reply about the proposed changes", _urls(state.review)("reply"),
                          "Sent" if reply else "Not sent", bool(reply)))
    return tasks + disagreement_tasks(state)


def disagreement_tasks(state: DecisionState) -> list[Task]:
    """What the family can do if they disagree: say so, then (once the decision they can
    appeal has come) ask for mediation and tell us of an appeal."""
    url = _urls(state.review)
    disagreement = state.disagreement
    tasks = []
    said = disagreement.disagreed_on if disagreement else None
    tasks.append(Task("Tell us you disagree", url("disagree"),
                      f"You told us on {presenters.date_text(said)}" if said else "Optional",
                      bool(said)))
    if state.appealable:
        asked = disagreement.mediation_requested_on if disagreement else None
        tasks.append(Task("Ask for mediation", "" if asked else url("mediation"),
                          f"You asked on {presenters.date_text(asked)}" if asked else "Optional",
                          bool(asked)))
        appealed = disagreement.appeal_made_on if disagreement else None
        tasks.append(Task("Tell us you have appealed", url("appeal"),
                          f"Appeal sent {presenters.date_text(appealed)}" if appealed
                          else "Optional", bool(appealed)))
    return tasks


# ---------------------------------------------------------------------------
# The notice
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Addressee:
    """Who the letter speaks to: a parent or carer (about their child), or the young
    person (16 or over holds the rights; SEND Regs 2014 reg 2)."""

    young_person: bool
    child_first_name: str

    @property
    def whose(self) -> str:
        return "your" if self.young_person else f"{self.child_first_name}'s"


def addressee(review: Review, user, is_family: bool) -> Addressee:
    """A family member reads the letter written to them; anyone else reads it as sent: to
    the young person if the record has one, else to the parents."""
    family = FamilyMember.objects.filter(child_id=review.plan.child_id)
    if is_family:
        family = family.filter(user=user)
    young = family.filter(relationship=FamilyMember.Relationship.YOUNG_PERSON).exists()
    return Addressee(young, review.plan.child.first_name)


def key_dates(state: DecisionState) -> dict[str, str]:
    """The clock's dates as "3 March 2027", by key, for the letter's sentences."""
    return {deadline.key: presenters.date_text(deadline.due)
            for deadline in state.deadlines.as_list()}


# The two lawful grounds (CFA 2014 s45), as the letter says them.
GROUND_WORDS = {
    Decision.Ground.NOT_RESPONSIBLE: "we are no longer responsible for {whom}. This can "
                                     "happen after a move to another council's area",
    Decision.Ground.NOT_NECESSARY: "the plan is no longer needed: {whom} can get the right "
                                   "help without one",
}


def notice_context(state: DecisionState, to: Addressee, letter_date: dt.date,
                   *, tasks: list[Task]) -> dict:
    """What the decision letter (decisions/_notice.html) says, on its page or by post."""
    review = state.review
    whom = "you" if to.young_person else review.plan.child.first_name
    return {
        "review": review, "child": review.plan.child, "state": state,
        "decision": state.decision, "amendment": state.amendment, "to": to,
        "authority": review.plan.child.authority,
        "letter_date": presenters.date_text(letter_date),
        "dates": key_dates(state), "family_dates": family_dates(state),
        "contacts": authority_contacts(review.plan.child.authority),
        "ground": GROUND_WORDS.get(state.decision.cease_ground, "").format(whom=whom),
        "tasks": tasks,
    }
