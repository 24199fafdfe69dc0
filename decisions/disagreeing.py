"""When a family disagrees with the decision: saying so, asking for mediation, telling us
they are appealing; and the officer's record of where mediation and the appeal stand.

Mediation and the appeal run from the appealable decision: the decision letter to maintain
or cease, or, for an amendment, the final plan or the notice not to amend (the clock's
``review_deadlines``). Each change records an Event in the same transaction and tells the
coordinator; the same thing said twice changes nothing.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from decisions import amending, ceasing, notify
from decisions.models import Decision, Disagreement, TribunalOrder
from reviews import clock, events, presenters
from reviews.models import Review


def _open(review: Review) -> tuple[Review, Decision, Disagreement]:
    """The review locked, its decision and its disagreement record (made on first use)."""
    review = amending.locked_review(review)
    decision = Decision.objects.filter(review=review).first()
    if decision is None:
        raise ValidationError("There is no decision yet", code="no_decision")
    disagreement, _ = Disagreement.objects.select_for_update().get_or_create(decision=decision)
    decision.review, decision.disagreement = review, disagreement
    return review, decision, disagreement


def _need_appealable(review: Review) -> None:
    # The clock knows which decision can be appealed (for an amendment, the final plan or
    # the notice not to amend): it gives an appeal deadline once that has been sent.
    if review.deadlines().appeal_deadline is None:
        raise ValidationError("You can ask for mediation or appeal once the final plan has been "
                              "sent", code="not_appealable")


# ---------------------------------------------------------------------------
# What the family tells us
# ---------------------------------------------------------------------------


def do_say_disagree(review: Review, author, text: str,
                    today: dt.date | None = None) -> Disagreement:
    today = today or timezone.localdate()
    text = (text or "").strip()
    if not text:
        raise ValidationError("Tell us what you disagree with", code="empty")
    with transaction.atomic():
        review, _, disagreement = _open(review)
        if disagreement.what_they_disagree_with == text:
            return disagreement
        again = bool(disagreement.disagreed_on)
        Disagreement.objects.filter(pk=disagreement.pk).update(
            what_they_disagree_with=text, disagreed_on=today, disagreed_by=author)
        disagreement.refresh_from_db()
        event = events.record(review, "disagreement.stated",
                              f"{author} {'changed what they said' if again else 'said'} they "
                              f"disagree with the decision", actor=author)
        notify.tell_coordinator(review, f"disagree:{event.seq}",
                                "The family disagree with the decision")
    return disagreement


def do_ask_for_mediation(review: Review, author, today: dt.date | None = None) -> Disagreement:
    """The family tells the local authority they want mediation: it must take place within
    30 days of being told (SEND Regs 2014 regs 36-37)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        review, decision, disagreement = _open(review)
        _need_appealable(review)
        if disagreement.mediation_requested_on:
            return disagreement
        Disagreement.objects.filter(pk=disagreement.pk).update(mediation_requested_on=today)
        disagreement.mediation_requested_on = today
        held_by = review.deadlines(**disagreement.clock_facts()).mediation_held_by
        event = events.record(review, "mediation.requested",
                              f"{author} asked for mediation: it must take place by "
                              f"{presenters.date_text(held_by)}", actor=author,
                              held_by=held_by.isoformat())
        notify.tell_coordinator(review, f"mediation:{event.seq}",
                                "The family asked for mediation")
    return disagreement


def do_tell_appealing(review: Review, author, appealed_on: dt.date,
                      today: dt.date | None = None) -> Disagreement:
    """The family tells us they have appealed to the Tribunal; a plan to cease stays in
    force until the appeal is decided."""
    today = today or timezone.localdate()
    with transaction.atomic():
        review, decision, disagreement = _open(review)
        _need_appealable(review)
        _check_date(appealed_on, review, today, "The date you sent your appeal")
        if disagreement.appeal_made_on == appealed_on:
            return disagreement
        Disagreement.objects.filter(pk=disagreement.pk).update(appeal_made_on=appealed_on)
        disagreement.appeal_made_on = appealed_on
        event = events.record(review, "appeal.made",
                              f"{author} told us they appealed to the Tribunal on "
                              f"{presenters.date_text(appealed_on)}", actor=author,
                              appealed_on=appealed_on.isoformat())
        notify.tell_coordinator(review, f"appeal:{event.seq}",
                                "The family have appealed to the Tribunal")
    return disagreement


def _check_date(day: dt.date, review: Review, today: dt.date, what: str) -> None:
    if day > today:
        raise ValidationError(f"{what} must be today or in the past", code="future")
    if day < review.decision_sent_on:
        raise ValidationError(f"{what} must be on or after the decision letter, "
                              f"{presenters.date_text(review.decision_sent_on)}",
                              code="before_decision")


# ---------------------------------------------------------------------------
# The officer's record
# ---------------------------------------------------------------------------

# Field -> how the timeline says it.
FACT_WORDS = {
    "mediation_requested_on": "mediation asked for",
    "mediation_declined_on": "mediation declined",
    "mediation_ended_on": "mediation ended",
    "mediation_certificate_on": "mediation certificate issued",
    "appeal_made_on": "appeal made",
    "not_opposing_on": "told the Tribunal we will not oppose",
    "appeal_decided_on": "appeal decided",
}


def do_record_facts(review: Review, actor, facts: dict, appeal_result: str = "",
                    today: dt.date | None = None) -> Disagreement:
    """Record where mediation and any appeal stand (each fact a date, or None). When an
    appeal against a decision to cease ends, the plan ceases (decided for the local
    authority, or withdrawn) or stays and its next review opens (decided for the family)."""
    today = today or timezone.localdate()
    unknown = set(facts) - set(FACT_WORDS)
    if unknown:
        raise ValueError(f"Not a disagreement fact: {sorted(unknown)}")
    with transaction.atomic():
        review, decision, disagreement = _open(review)
        merged = {name: getattr(disagreement, name) for name in FACT_WORDS} | facts
        _check_facts(merged, appeal_result, review, today)
        changed = {name: value for name, value in merged.items()
                   if getattr(disagreement, name) != value}
        if not changed and appeal_result == disagreement.appeal_result:
            return disagreement
        Disagreement.objects.filter(pk=disagreement.pk).update(**changed,
                                                               appeal_result=appeal_result)
        disagreement.refresh_from_db()
        events.record(review, "disagreement.recorded", _facts_summary(changed, appeal_result),
                      actor=actor, **{name: value.isoformat() if value else None
                                      for name, value in changed.items()},
                      appeal_result=appeal_result)
        decision.disagreement = disagreement
        _after_appeal(decision, disagreement, actor, today)
    return disagreement


def _check_facts(facts: dict, result: str, review: Review, today: dt.date) -> None:
    for name, day in facts.items():
        if day is not None:
            _check_date(day, review, today, capitalised(FACT_WORDS[name]))
    if bool(result) != bool(facts["appeal_decided_on"]):
        raise ValidationError("Give both the date the appeal was decided and how it was decided",
                              code="result")
    if result and result not in Disagreement.AppealResult.values:
        raise ValueError(f"Not an appeal result: {result!r}")
    if facts["appeal_decided_on"] and not facts["appeal_made_on"]:
        raise ValidationError("Give the date the appeal was made", code="no_appeal")
    if facts["appeal_decided_on"] and facts["appeal_decided_on"] < facts["appeal_made_on"]:
        raise ValidationError("The appeal must be decided after it was made", code="order")


def capitalised(words: str) -> str:
    return words[:1].upper() + words[1:]


def _facts_summary(changed: dict, result: str) -> str:
    parts = [f"{FACT_WORDS[name]} {presenters.date_text(value) if value else '(removed)'}"
             for name, value in changed.items()]
    if result:
        parts.append(f"appeal {Disagreement.AppealResult(result).label.lower()}")
    return "Mediation and appeal: " + "; ".join(parts)


def _after_appeal(decision: Decision, disagreement: Disagreement, actor, today) -> None:
    if decision.outcome != Review.Decision.CEASE or decision.plan_ceased_on:
        return
    if disagreement.appeal_result == Disagreement.AppealResult.FOR_FAMILY:
        ceasing.do_keep_plan(decision, actor)
    elif disagreement.appeal_result:
        ceasing.do_cease_plan(decision, actor, today,
                              f"the appeal was {disagreement.get_appeal_result_display().lower()}")


# ---------------------------------------------------------------------------
# The Tribunal's order, and complying with it
# ---------------------------------------------------------------------------

Requirement = clock.OrderRequirement
# Each requirement: the order's field, the field for the day it was met, the clock's key,
# how the timeline says it.
ORDER_PARTS = {
    Requirement.CONTINUE: ("continue_to_maintain", None, None,
                           "continue to maintain the plan"),
    Requirement.AMEND_PROVISION: ("amend_provision", "provision_amended_on",
                                  "order_provision_due", "amend the needs or provision"),
    Requirement.AMEND_PLACEMENT: ("amend_placement", "placement_amended_on",
                                  "order_placement_due", "name a different school or college"),
}


def do_record_order(review: Review, actor, *, made_on: dt.date, requires,
                    provision_amended_on: dt.date | None = None,
                    placement_amended_on: dt.date | None = None,
                    today: dt.date | None = None) -> TribunalOrder:
    """Record what the Tribunal ordered when it decided the appeal for the family, and
    when the LA complied; the clock then gives the compliance dates (SEND Regs 2014
    reg 44). The same facts twice change nothing."""
    today = today or timezone.localdate()
    requires = frozenset(Requirement(r) for r in requires)
    met = {"provision_amended_on": provision_amended_on,
           "placement_amended_on": placement_amended_on}
    with transaction.atomic():
        review, decision, disagreement = _open(review)
        _check_order(disagreement, made_on, requires, met, today)
        fields = {ORDER_PARTS[r][0]: r in requires for r in Requirement} | met
        order = TribunalOrder.objects.select_for_update().filter(decision=decision).first()
        first = order is None
        order = order or TribunalOrder(decision=decision, made_on=made_on)
        before = {name: getattr(order, name) for name in ("made_on", *fields)}
        if not first and before == {"made_on": made_on, **fields}:
            return order
        order.made_on, order.recorded_by = made_on, actor
        for name, value in fields.items():
            setattr(order, name, value)
        order.save()
        decision.tribunal_order = order
        deadlines = review.deadlines(**decision.clock_facts())
        events.record(review, "tribunal.order", _order_summary(order, deadlines, first),
                      actor=actor, made_on=made_on.isoformat(),
                      requires=sorted(requires), **{name: value.isoformat() if value else None
                                                    for name, value in met.items()})
        if first:
            notify.tell_family(review, "order")
            notify.tell_coordinator(review, f"order:{order.pk}",
                                    "The Tribunal's order is recorded: see what is due")
    return order


def _check_order(disagreement: Disagreement, made_on: dt.date, requires, met: dict,
                 today: dt.date) -> None:
    if disagreement.appeal_result != Disagreement.AppealResult.FOR_FAMILY:
        raise ValidationError("Record the appeal as decided for the family first",
                              code="not_for_family")
    if not requires:
        raise ValidationError("Say what the Tribunal ordered", code="nothing_ordered")
    if made_on > today:
        raise ValidationError("The date of the order must be today or in the past",
                              code="future")
    if made_on < disagreement.appeal_made_on:
        raise ValidationError(
            f"The order must be on or after the appeal was made, "
            f"{presenters.date_text(disagreement.appeal_made_on)}", code="before_appeal")
    for requirement, (_, met_field, _, words) in ORDER_PARTS.items():
        day = met.get(met_field) if met_field else None
        if day is None:
            continue
        if requirement not in requires:
            raise ValidationError(f"The order did not require the council to {words}",
                                  code="not_ordered")
        if not made_on <= day <= today:
            raise ValidationError("The date the plan was issued must be on or after the order, "
                                  "and not in the future", code="met_out_of_order")


def _order_summary(order: TribunalOrder, deadlines, first: bool) -> str:
    parts = []
    for requirement in sorted(order.requires()):
        _, met_field, key, words = ORDER_PARTS[requirement]
        due = getattr(deadlines, key) if key else None
        met = getattr(order, met_field) if met_field else None
        if met:
            parts.append(f"{words}: done {presenters.date_text(met)}")
        elif due:
            parts.append(f"{words} by {presenters.date_text(due)}")
        else:
            parts.append(words)
    what = "The Tribunal's order of" if first else "Tribunal order of"
    return (f"{what} {presenters.date_text(order.made_on)} "
            f"{'recorded' if first else 'updated'}: " + "; ".join(parts))[:300]
