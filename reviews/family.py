"""What families and young people do on a review: answer the offer of an independent
advocate, and tell the review what they and their child think.

Views call these functions; tests call them directly. Each change records an Event in the
same transaction, and a double submit changes nothing the second time.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reviews import advocacy, events
from reviews.models import AdvocacyOffer, FamilyViews, Review
from reviews.uploads import PICTURES_AND_RECORDINGS, check_upload

# The typed answers a family gives; the child's picture or recording is stored beside them.
VIEWS_TEXT_FIELDS = ("what_is_important", "going_well", "hard", "hopes", "childs_own_words")


# ---------------------------------------------------------------------------
# Independent advocacy, as an active offer
# ---------------------------------------------------------------------------


def advocacy_offer(review: Review) -> AdvocacyOffer | None:
    """The review's offer, if it has been answered or recorded yet (fetch reviews with
    select_related("advocacy") so that this runs no query)."""
    try:
        return review.advocacy
    except AdvocacyOffer.DoesNotExist:
        return None


def offer_is_open(offer: AdvocacyOffer | None) -> bool:
    """The family still has to say yes or no ("not yet" keeps the offer open)."""
    return offer is None or offer.answer not in (AdvocacyOffer.Answer.YES,
                                                 AdvocacyOffer.Answer.NO)


def do_answer_advocacy(review: Review, actor, answer: str) -> AdvocacyOffer:
    """Record the family's answer (yes, no or not yet: AdvocacyOffer.Answer), when and by
    whom. A yes refers the family to the authority's advocacy provider, whose lead assigns
    an advocate (reviews/advocacy.py); any other answer after a yes withdraws it."""
    if answer not in AdvocacyOffer.Answer.values:
        raise ValueError(f"Not an answer to the advocacy offer: {answer!r}")
    with transaction.atomic():
        # The offer stands from the start, so its row may not exist yet.
        offer, _ = AdvocacyOffer.objects.select_for_update().get_or_create(review=review)
        if offer.answered_at is not None and offer.answer == answer:
            return offer  # the same answer twice (a double click) changes nothing
        offer.answer = answer
        offer.answered_at = timezone.now()
        offer.answered_by = actor
        offer.save(update_fields=["answer", "answered_at", "answered_by"])
        events.record(review, "advocacy_answered",
                      f"{actor} answered the offer of an independent advocate: "
                      f"{_ANSWER_WORDS[answer]}", actor=actor, answer=answer)
        if answer == AdvocacyOffer.Answer.YES:
            advocacy.do_refer(review, actor)
        else:
            advocacy.do_withdraw_referral(review, actor)
    review.advocacy = offer
    return offer


_ANSWER_WORDS = {AdvocacyOffer.Answer.YES: "yes", AdvocacyOffer.Answer.NO: "no",
                 AdvocacyOffer.Answer.NOT_YET: "not yet"}


# ---------------------------------------------------------------------------
# Family views
# ---------------------------------------------------------------------------


def views_open(review: Review, now=None) -> bool:
    """Views may be given, and changed after sending, until the meeting starts."""
    now = now or timezone.now()
    return (review.is_open and not review.has_reached(Review.Status.MEETING_HELD)
            and (review.meeting_at is None or now < review.meeting_at))


def _refuse_if_closed(review: Review) -> None:
    if not views_open(review):
        raise ValidationError("The meeting has started, so you cannot change your views now",
                              code="closed")


def has_answers(views: FamilyViews | None) -> bool:
    return views is not None and (
        any(getattr(views, name).strip() for name in VIEWS_TEXT_FIELDS)
        or bool(views.childs_own_file))


def has_unsent_changes(views: FamilyViews | None) -> bool:
    """Sent, then changed: the change reaches the review only when sent again."""
    return bool(views and views.submitted_at and views.updated_at > views.submitted_at)


def do_save_family_views(review: Review, author, answers: dict[str, str], *, upload=None,
                         remove_upload: bool = False) -> FamilyViews:
    """Save some answers (a draft until sent: nobody else sees it, so no event).

    ``upload`` is the child's picture or recording, checked by its content; it replaces any
    earlier one, as does ``remove_upload``. One FamilyViews per review and author.
    """
    unknown = set(answers) - set(VIEWS_TEXT_FIELDS)
    if unknown:
        raise ValueError(f"Not a family views answer: {sorted(unknown)}")
    _refuse_if_closed(review)
    content_type = check_upload(upload, PICTURES_AND_RECORDINGS) if upload else ""
    with transaction.atomic():
        views, _ = FamilyViews.objects.select_for_update().get_or_create(review=review,
                                                                         author=author)
        changed = False
        for name, value in answers.items():
            if getattr(views, name) != value:
                setattr(views, name, value)
                changed = True
        replaced = views.childs_own_file.name if (upload or remove_upload) else ""
        if upload:
            views.childs_own_file.save(upload.name, upload, save=False)
            views.childs_own_file_type = content_type
        elif remove_upload:
            views.childs_own_file = ""
            views.childs_own_file_type = ""
        # Saved only when something changed, so that updated_at tells real changes apart.
        if changed or replaced or upload:
            views.save()
        if replaced:
            # A child's picture is personal: the old one goes once the new state is safe.
            storage = views.childs_own_file.storage
            transaction.on_commit(lambda: storage.delete(replaced))
    return views


def do_send_family_views(review: Review, author) -> FamilyViews:
    """Send the author's views to the review: "views sent" the first time, "views updated"
    when sent again after a change, and nothing at all when nothing changed."""
    _refuse_if_closed(review)
    with transaction.atomic():
        views = FamilyViews.objects.select_for_update().filter(review=review,
                                                               author=author).first()
        if not has_answers(views):
            raise ValidationError("Answer at least one question before you send your views",
                                  code="empty")
        if views.submitted_at is not None and not has_unsent_changes(views):
            return views
        kind, verb = (("family_views_updated", "changed")
                      if views.submitted_at else ("family_views_sent", "sent"))
        now = timezone.now()
        # One moment for both, so that a later save shows as a change.
        FamilyViews.objects.filter(pk=views.pk).update(submitted_at=now, updated_at=now)
        views.submitted_at = views.updated_at = now
        events.record(review, kind, f"{author} {verb} the family's views", actor=author,
                      views=views.pk)
    return views


def may_open_views_file(user, access, views: FamilyViews) -> bool:
    """Who may open the child's picture or recording, given their ReviewAccess: its author
    always; once sent, whoever `ReviewAccess.sees_childs_own_views` says."""
    if views.author_id == user.pk:
        return True
    return views.submitted_at is not None and access.sees_childs_own_views
