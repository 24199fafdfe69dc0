"""What a family can do now, the same on their home page's card for each child and on the
review's own page: their tasks, the dates ahead of them, and the advice they may read.
Read by the family's pages (reviews/views/family.py) and the tab title's template tag."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from reviews import advice as advice_actions
from reviews import presenters
from reviews.access import family_links, visible_reviews
from reviews.contacts import CoordinatorContact, coordinator_contacts
from reviews.family import (
    advocacy_offer,
    has_answers,
    has_unsent_changes,
    offer_is_open,
    views_open,
)
from reviews.family_progress import DateForFamily, Progress, dates_for_family, progress
from reviews.models import AdvocacyOffer, FamilyMember, FamilyViews, Review
from reviews.presenters import Task
from reviews.words import role_words


def views_status(views: FamilyViews | None) -> str:
    if views is None or not (has_answers(views) or views.submitted_at):
        return "Not started"
    if has_unsent_changes(views):
        return "Changed, not sent"
    return "Sent" if views.submitted_at else "Saved, not sent"


OFFER_STATUS = {AdvocacyOffer.Answer.YES: "You said yes", AdvocacyOffer.Answer.NO: "You said no",
                AdvocacyOffer.Answer.NOT_YET: "Not decided yet"}


def family_tasks(review: Review, views: FamilyViews | None,
                 offer: AdvocacyOffer | None) -> list[Task]:
    can_give_views = views_open(review)
    status = views_status(views)
    if not can_give_views and status in ("Not started", "Saved, not sent"):
        status = "Closed"
    tasks = [Task("Give your views",
                  reverse("reviews:family_views", args=[review.pk]) if can_give_views else "",
                  status, status in ("Sent", "Closed"))]
    if offer_is_open(offer) and review.is_open:
        answered = offer is not None and offer.answered_at is not None
        tasks.append(Task("Answer the offer of an independent advocate",
                          reverse("reviews:advocacy", args=[review.pk]),
                          OFFER_STATUS[offer.answer] if answered else "Not answered", False))
    # What everyone invited may read, the family too (ReviewAccess.sees_all_advice).
    if review.advice_circulated_at or review.report_sent_on:
        tasks.append(Task("Read the advice", reverse("reviews:advice_list", args=[review.pk]),
                          "Ready to read", False))
    return tasks


@dataclass(frozen=True)
class FamilyCard:
    child: object
    young_person: bool
    review: Review | None
    progress: Progress | None
    tasks: list[Task]
    contact: CoordinatorContact | None
    dates: list[DateForFamily]


def views_due(review: Review, asked_at, today) -> presenters.DeadlineRow | None:
    """Views are read with the advice, so they are due when the advice is; a family asked
    late is given a date of their own, never one already past (issue #16). ``asked_at``:
    when they were sent their invitation (Review.family_asked_at), or None."""
    due = review.views_due_for(asked_at, today)
    return presenters.deadline_row("Send your views by", due, today) if due else None


def own_views_due(review: Review, user, today) -> presenters.DeadlineRow | None:
    return views_due(review, Review.family_asked_at([review], user).get(review.pk), today)


CARD_ORDER = ("child__first_name", "child__last_name", "child_id")


def family_cards(user, today) -> list[FamilyCard]:
    """One card per child the person is family to, each with the child's open review (the
    one due first, if there are two). Five queries, however many children."""
    links = list(family_links(user).order_by(*CARD_ORDER))
    first_review = {}
    reviews = (visible_reviews(user).open()
               .filter(plan__child__in=[link.child_id for link in links])
               .select_related("plan__child", "coordinator", "advocacy").order_by("due_by"))
    for review in reviews:
        first_review.setdefault(review.plan.child_id, review)
    views = {v.review_id: v for v in FamilyViews.objects.filter(
        author=user, review__in=list(first_review.values()))}
    contacts = coordinator_contacts(first_review.values())
    asked = Review.family_asked_at(list(first_review.values()), user)
    cards = []
    for link in links:
        review = first_review.get(link.child_id)
        young_person = link.relationship == FamilyMember.Relationship.YOUNG_PERSON
        cards.append(FamilyCard(
            child=link.child,
            young_person=young_person,
            review=review,
            progress=progress(review, user, views.get(review.pk), today,
                              _whose(link.child, young_person),
                              asked_at=asked.get(review.pk)) if review else None,
            tasks=family_tasks(review, views.get(review.pk), advocacy_offer(review))
            if review else [],
            contact=contacts.get(review.pk) if review else None,
            dates=family_dates(review, user, views.get(review.pk), asked.get(review.pk), today,
                         _whose(link.child, young_person)) if review else [],
        ))
    return cards


def family_dates(review: Review, user, views: FamilyViews | None, asked_at, today,
           whose: str) -> list[DateForFamily]:
    """The family's dates ahead; their views' only until they have sent them."""
    due = views_due(review, asked_at, today) \
        if views_open(review) and not (views and views.submitted_at) else None
    return dates_for_family(review, today, whose, due)


def children_tab_text(user, child) -> str:
    """Tells apart the tabs of a parent with more than one child, without naming the child
    in the page's title: "1 of 2", in the order of their home page's cards."""
    children = list(family_links(user).order_by(*CARD_ORDER)
                    .values_list("child_id", flat=True))
    if len(children) < 2 or child.pk not in children:
        return ""
    return f"{children.index(child.pk) + 1} of {len(children)}"


@dataclass(frozen=True)
class AdvicePiece:
    """One contributor's advice as the family's page lists it: who wrote it, and a link."""

    who: str
    role: str
    sent_on: str
    url: str


def advice_pieces(access, user) -> list[AdvicePiece]:
    """Everyone's advice, once the family may read it (circulated, or the report
    published): who wrote each piece, when, and where to read it. One query."""
    if not access.sees_all_advice:
        return []
    readable = advice_actions.readable_advice(access, user).select_related("invitation__agency")
    url = reverse("reviews:advice_list", args=[access.review.pk])
    return [AdvicePiece(c.invitation.name, role_words(c.invitation),
                        presenters.date_text(timezone.localdate(c.latest.submitted_at)),
                        f"{url}#advice-{c.invitation.pk}")
            for c in advice_actions.contributions(readable)]


def _whose(child, young_person: bool) -> str:
    return "your" if young_person else f"{child.first_name}'s"

