"""The round of the school year: opening each plan's next review, and the termly list of
reviews due next term that the LA sends every setting, and health and social care
(SEND Code of Practice 9.172)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Discipline, Membership, Role, User
from outbox.mail import queue_email
from reviews import clock, events, presenters
from reviews.models import Plan, Review, Term

# ---------------------------------------------------------------------------
# Opening the next review
# ---------------------------------------------------------------------------


def next_review_kind(plan: Plan, due_by: dt.date) -> str:
    """A record of support has its own kind of review; a plan whose child changes phase in
    the school year the review falls in has a phase transfer review; any other, annual."""
    if plan.kind == Plan.Kind.RECORD_OF_SUPPORT:
        return Review.Kind.RECORD_OF_SUPPORT
    if _phase_transfer(plan.child, due_by) is not None:
        return Review.Kind.PHASE_TRANSFER
    return Review.Kind.ANNUAL


def next_review_due_by(plan: Plan) -> dt.date:
    """Within 12 months of the plan's first issue, then of its last review meeting
    (the clock: CFA 2014 s44(1))."""
    met = Review.ORDER[Review.ORDER.index(Review.Status.MEETING_HELD):]
    last = (plan.reviews.filter(status__in=met, meeting_at__isnull=False)
            .order_by("-meeting_at").first())
    return clock.next_review_due(plan_first_issued=plan.first_issued_on,
                                 last_review_meeting=last.meeting_date if last else None,
                                 durations=clock.durations_from_settings())


def coordinators_for(child, convenor: str | None = None):
    """Who may coordinate the child's review: the authority's SEND coordinators where the
    council convenes it, the SENCO or coordinator of the child's setting where the setting
    does (either, when ``convenor`` is not given)."""
    la = Q(agency__authority_id=child.authority_id, agency__kind=Agency.Kind.LA_SEND,
           role__in=[Role.COORDINATOR, Role.LEAD])
    setting = Q(agency_id=child.setting_id) & (Q(role=Role.COORDINATOR)
                                               | Q(discipline=Discipline.SENCO))
    if not child.setting_id or convenor == Review.Convenor.LA:
        wanted = la
    elif convenor == Review.Convenor.SETTING:
        wanted = setting
    else:
        wanted = la | setting
    members = Membership.objects.filter(wanted, is_active=True)
    return User.objects.filter(is_active=True, pk__in=members.values("user_id"))


def do_open_review(plan: Plan, coordinator, *, actor=None, kind: str = "",
                   convenor: str = Review.Convenor.LA) -> Review:
    """Open the plan's next review, due by the date the clock gives. A plan has one open
    review at a time, so a second click (or a second person) is refused."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("child").get(pk=plan.pk)
        if plan.status != Plan.Status.ACTIVE:
            raise ValidationError("This plan has ceased: it has no more reviews.")
        if plan.reviews.open().exists():
            raise ValidationError("This plan already has a review open.")
        due_by = next_review_due_by(plan)
        review = Review.objects.create(plan=plan, coordinator=coordinator, due_by=due_by,
                                       kind=kind or next_review_kind(plan, due_by),
                                       convenor=convenor)
        kind, summary, data = opening_event(review)
        events.record(review, kind, summary, actor=actor, **data)
    return review


def opening_event(review: Review) -> tuple[str, str, dict]:
    """The event a review opens with, as (kind, summary, data): opened here, or with a
    caseload imported (imports/caseload.py)."""
    return ("review_opened",
            f"{review.get_kind_display()} opened: the meeting must be held by "
            f"{presenters.date_text(review.due_by)}",
            {"due_by": review.due_by.isoformat(), "coordinator": review.coordinator_id})


# ---------------------------------------------------------------------------
# The termly list
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ListedReview:
    """One line of a termly list."""

    review: Review
    reference: str
    setting: Agency | None
    year_group: str
    due: str
    phase_transfer: bool
    transfer_by: str  # the last day for the plan to name the next setting, from the clock
    preparing_for_adulthood: bool


def listed_reviews(term: Term) -> list[ListedReview]:
    """The open reviews of the term's authority due within the term, by setting then date."""
    reviews = (Review.objects.open().with_child()
               .filter(plan__child__authority_id=term.authority_id,
                       due_by__gte=term.starts_on, due_by__lte=term.ends_on)
               .order_by("plan__child__setting__name", "due_by", "plan__child__la_reference"))
    durations = clock.durations_from_settings()
    rows = []
    for review in reviews:
        child = review.plan.child
        year = child.year_group(review.due_by)
        transfer = _phase_transfer(child, review.due_by)
        rows.append(ListedReview(
            review=review,
            reference=f"{child.initials} ({child.la_reference})",
            setting=child.setting,
            year_group=presenters.year_group_label(year),
            due=presenters.date_text(review.due_by),
            phase_transfer=transfer is not None or review.kind == Review.Kind.PHASE_TRANSFER,
            transfer_by=presenters.date_text(transfer.deadline) if transfer else "",
            preparing_for_adulthood=clock.is_preparing_for_adulthood(year, durations=durations),
        ))
    return rows


def terms_due_a_list(today: dt.date):
    """Terms whose list is due (two weeks before they start, from the clock) and not yet
    sent. A list missed on its day still goes before the term starts."""
    durations = clock.durations_from_settings()
    return [term for term in Term.objects.filter(list_sent_at__isnull=True, starts_on__gt=today)
            .select_related("authority").order_by("starts_on")
            if clock.termly_list_due(term.starts_on, durations=durations) <= today]


def send_termly_lists(today: dt.date) -> dict[str, int]:
    """Send each term's list once: every school its own children's reviews; health and
    social care the whole list. The term is claimed with a conditional UPDATE in the same
    transaction as the emails, so two clusters running at once send it once."""
    emails = 0
    for term in terms_due_a_list(today):
        with transaction.atomic():
            claimed = Term.objects.filter(pk=term.pk, list_sent_at__isnull=True).update(
                list_sent_at=timezone.now())
            if claimed:
                emails += _send_term_list(term)
    return {"termly_list_emails": emails}


def _send_term_list(term: Term) -> int:
    rows = listed_reviews(term)
    if not rows:
        return 0
    by_school = defaultdict(list)
    for row in rows:
        if row.setting is not None:
            by_school[row.setting.pk].append(row)
    # A school out of the area still hears about its pupils from the authority that keeps
    # their plans; health and social care are the authority's own.
    agencies = (Agency.objects.filter(Q(pk__in=list(by_school))
                                      | Q(authority_id=term.authority_id,
                                          kind__in=[Agency.Kind.NHS, Agency.Kind.SOCIAL_CARE]))
                .prefetch_related("memberships__user").order_by("name"))
    sent = 0
    for agency in agencies:
        whole_list = agency.kind != Agency.Kind.SCHOOL
        agency_rows = rows if whole_list else by_school[agency.pk]
        subject = (f"Reviews due in the {term.name}"
                   f"{'' if whole_list else ' at ' + agency.name}: {len(agency_rows)}")
        text = render_to_string("reviews/email/termly_list.txt", {
            "term": term, "agency": agency, "rows": agency_rows, "whole_list": whole_list,
            "starts_on": presenters.date_text(term.starts_on),
            "link": settings.BASE_URL.rstrip("/") + reverse("reviews:home"),
            "service_name": settings.SITE_NAME,
        })
        for address in _recipients(agency):
            queue_email(f"termly:{term.pk}:{agency.pk}:{address}", address, subject, text)
            sent += 1
    return sent


def _recipients(agency: Agency) -> list[str]:
    """A school's duty inbox and its SENCOs; health's and social care's duty inbox and
    their leads (who plan who will attend)."""
    addresses = [agency.email] if agency.email else []
    for membership in agency.memberships.all():
        wanted = (membership.discipline == Discipline.SENCO if agency.kind == Agency.Kind.SCHOOL
                  else membership.role == Role.LEAD)
        if wanted and membership.is_active and membership.user.is_active:
            addresses.append(membership.user.email)
    return list(dict.fromkeys(address.lower() for address in addresses))


def _phase_transfer(child, on_date: dt.date):
    return clock.phase_transfer_due(
        child.date_of_birth, on_date,
        setting=clock.SettingType(child.setting_type) if child.setting_type else None,
        year_offset=child.year_group_offset, durations=clock.durations_from_settings())
