"""Ceasing a plan after a decision to cease (CFA 2014 s45; SEND Regs 2014 regs 29-31).

The plan stays in force while the family may still appeal: it ceases once the appeal
deadline (from the clock, with any mediation certificate) has passed with no appeal, or an
appeal ends for the local authority. If the Tribunal decides for the family, the plan stays
and its next review opens. A daily django-q2 job (decisions.tasks) does the waiting.
"""

import datetime as dt

from django.db import transaction

from decisions import notify
from decisions.closing import close_review
from decisions.models import Decision
from reviews import events, presenters
from reviews.models import Plan, PostalLetter, Review


def appeal_window_closed(decision: Decision, today: dt.date) -> bool:
    """No appeal is made or can still be made: the decision has been posted to everyone
    who gets letters by post (their time counts from then), the deadline has passed, and no
    mediation is waiting for its certificate (which would give the family another month)."""
    if PostalLetter.objects.waiting().filter(review_id=decision.review_id,
                                             kind=PostalLetter.Kind.DECISION).exists():
        return False
    disagreement = decision.disagreement_or_none
    if disagreement is not None and (disagreement.appeal_made_on
                                     or disagreement.mediation_pending):
        return False
    deadline = decision.review.deadlines(**decision.clock_facts()).appeal_deadline
    return deadline is not None and today > deadline


def do_cease_plan(decision: Decision, actor, today: dt.date, why: str) -> bool:
    """The plan ceases today; the review closes with no next review; the family and the
    setting are told. False (and nothing changes) if it has ceased already."""
    review = decision.review
    with transaction.atomic():
        # The conditional UPDATE claims the change: two runs at once cease it once.
        if not Plan.objects.filter(pk=review.plan_id, status=Plan.Status.ACTIVE).update(
                status=Plan.Status.CEASED, ceased_on=today):
            return False
        Decision.objects.filter(pk=decision.pk).update(plan_ceased_on=today)
        decision.plan_ceased_on = today
        events.record(review, "plan.ceased",
                      f"The plan ceased on {presenters.date_text(today)}: {why}", actor=actor,
                      ceased_on=today.isoformat())
        close_review(review, actor, "the plan has ceased")
        notify.tell_family(review, "ceased", setting_too=True)
    return True


def do_keep_plan(decision: Decision, actor) -> None:
    """The Tribunal decided for the family: the plan stays; the review closes and the
    plan's next review opens."""
    close_review(decision.review, actor, "the appeal was decided for the family, so the "
                                          "plan stays")


def cease_plans_after_appeal_window(today: dt.date) -> dict[str, int]:
    """Cease every plan whose decision to cease can no longer be appealed. Safe to run
    twice, and a missed day is caught up the next."""
    waiting = (Decision.objects.filter(outcome=Review.Decision.CEASE, plan_ceased_on__isnull=True,
                                       review__status=Review.Status.DECIDED,
                                       review__plan__status=Plan.Status.ACTIVE)
               .select_related("review__plan__child__setting", "review__coordinator",
                               "disagreement"))
    ceased = 0
    for decision in waiting:
        if appeal_window_closed(decision, today):
            ceased += do_cease_plan(decision, None, today,
                                    "the time to appeal ended with no appeal")
    return {"plans_ceased": ceased}
