"""Importing an authority's caseload: every child with a plan, from the council's
case-management system, checked row by row (imports/checks.py), then written in one
transaction.

Children are found by their LA reference, so the same file twice changes nothing; a
changed row updates that child and records an event on their review; a child held here but
missing from the file is reported, never deleted. A new child gets their plan, their last
review meeting as the council's records give it (a review closed on that day, as a plan's
history in the portal would be), and their next review, open, due by the date the clock
gives from those two facts. The work is done in batches (the writes of a thousand rows are
a handful of statements), so a caseload of 25,000 takes no longer than a few seconds more
than saving its rows bare (bench/imports.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from agencies import audit
from agencies.models import AuditEntry, LocalAuthority
from imports.checks import OPTIONAL, REQUIRED, CaseloadRow, check_caseload
from imports.holdings import HeldChild, Holdings
from imports.reading import caseload_column, read_table
from imports.report import HELD_BACK, NEW, REFUSED, UNCHANGED, UPDATED, Report
from reviews import clock, events, presenters
from reviews.models import Child, FamilyMember, Plan, Review
from reviews.scheduling import do_hand_over
from reviews.termly import next_review_kind, opening_event

BATCH = 1000
CHILD_FIELDS = ["first_name", "last_name", "date_of_birth", "setting", "setting_type",
                "year_group_offset", "upn", "uln"]
PLAN_FIELDS = ["first_issued_on", "primary_need"]
FAMILY_FIELDS = ["name", "email", "phone"]
# The column a changed field of the child or the plan is named by in the report.
COLUMN_OF = {"setting": "setting_urn", "setting_type": "setting_urn",
             "first_issued_on": "plan_first_issued", "primary_need": "primary_need"}


def import_caseload(file, authority: LocalAuthority, *, filename: str = "",
                    dry_run: bool = False, all_or_nothing: bool = False, actor=None,
                    today: dt.date | None = None,
                    progress: Callable[[float], None] | None = None) -> Report:
    """Check `file` (CSV or Excel, binary) and, unless `dry_run`, write its good rows (none
    if `all_or_nothing` and any is refused). Raises reading.FileRefused, with nothing read,
    for a file that cannot be read; any other failure writes nothing."""
    today = today or timezone.localdate()
    progress = progress or (lambda fraction: None)
    table = read_table(file, required=REQUIRED, optional=OPTIONAL, column=caseload_column)
    report = Report("caseload", filename, dry_run=dry_run, ignored=table.ignored,
                    notes=table.notes)
    with transaction.atomic():
        if not dry_run:
            # One import of an authority's caseload at a time: another waits here.
            LocalAuthority.objects.select_for_update().get(pk=authority.pk)
        holdings = Holdings.of(authority)
        progress(0.05)
        rows = check_caseload(table, holdings, today=today,
                              progress=lambda f: progress(0.05 + 0.45 * f))
        writes = Writes()
        for row in rows:
            _plan_row(row, holdings, writes)
        report.rows = [row.report for row in rows]
        in_file = {row.reference for row in rows}
        report.missing = sorted(reference for reference, held in holdings.children.items()
                                if held.plan is not None and reference not in in_file)
        if all_or_nothing and report.refused:
            for row in report.rows:
                if not row.refused:
                    row.outcome = HELD_BACK
            return report
        progress(0.55)
        if not dry_run:
            writes.save(actor, lambda f: progress(0.55 + 0.45 * f))
            report.written = True
            counts = ", ".join(f"{n} {outcome}" for outcome, n in report.counts().items() if n)
            audit.record(AuditEntry.Action.IMPORTED, user=actor,
                         detail=f"Caseload of {authority.dfe_code} from {filename or 'a file'}: "
                                f"{counts}")
    return report


@dataclass
class Writes:
    """Everything the rows add and change, saved together by `save`."""

    children: list[Child] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    family: list[FamilyMember] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    opened: list[tuple] = field(default_factory=list)  # the new reviews' first events
    changed_children: list[Child] = field(default_factory=list)
    changed_plans: list[Plan] = field(default_factory=list)
    changed_family: list[FamilyMember] = field(default_factory=list)
    changed_reviews: list[Review] = field(default_factory=list)  # a due date moved
    updated: list[tuple] = field(default_factory=list)  # events on reviews already open
    hand_overs: list[tuple[Review, object]] = field(default_factory=list)
    durations: clock.StatutoryDurations = field(default_factory=clock.durations_from_settings)

    def save(self, actor, progress: Callable[[float], None]) -> None:
        steps = [
            lambda: Child.objects.bulk_create(self.children, batch_size=BATCH),
            lambda: Plan.objects.bulk_create(self.plans, batch_size=BATCH),
            lambda: FamilyMember.objects.bulk_create(self.family, batch_size=BATCH),
            lambda: Review.objects.bulk_create(self.reviews, batch_size=BATCH),
            lambda: Child.objects.bulk_update(self.changed_children, CHILD_FIELDS,
                                              batch_size=BATCH),
            lambda: Plan.objects.bulk_update(self.changed_plans, PLAN_FIELDS, batch_size=BATCH),
            lambda: FamilyMember.objects.bulk_update(self.changed_family, FAMILY_FIELDS,
                                                     batch_size=BATCH),
            lambda: Review.objects.bulk_update(self.changed_reviews, ["due_by"],
                                               batch_size=BATCH),
            lambda: events.record_many(self.opened, actor, fresh=True),
            lambda: events.record_many(self.updated, actor),
        ]
        for n, step in enumerate(steps, 1):
            step()
            progress(n / (len(steps) + 1))
        for review, coordinator in self.hand_overs:
            do_hand_over(review, actor, coordinator=coordinator, convenor=review.convenor)


def _plan_row(row: CaseloadRow, holdings: Holdings, writes: Writes) -> None:
    """What the row adds or changes, into `writes`, and its outcome."""
    report = row.report
    held = holdings.children.get(row.reference)
    if not report.refused and held is not None and held.plan is None and held.ceased_on \
            and row.plan.first_issued_on <= held.ceased_on:
        report.refuse("plan_first_issued",
                      f"This child's plan ceased on {held.ceased_on:%d/%m/%Y}: a new plan "
                      "must be first issued after that day")
    if report.refused:
        report.outcome = REFUSED
    elif held is None:
        writes.children.append(row.child)
        writes.family += [member for _, member in row.family]
        _add_plan(row, row.child, writes)
        report.outcome = NEW
    else:
        report.changed = _changes(row, held, writes)
        report.outcome = UPDATED if report.changed else UNCHANGED


def _add_plan(row: CaseloadRow, child: Child, writes: Writes) -> None:
    """A plan new here, with its last review meeting (if the file gives one) and its next
    review, open."""
    plan = row.plan
    plan.child = child
    writes.plans.append(plan)
    if row.last_review_meeting:
        writes.reviews.append(_held_meeting(plan, row.coordinator, row.last_review_meeting,
                                            writes))
    _open_review(plan, row.coordinator, row.last_review_meeting, writes)


def _held_meeting(plan: Plan, coordinator, day: dt.date, writes: Writes) -> Review:
    """The last review meeting as the council's records give it: a review held and closed
    that day (what it decided is not known), made before the next review, whose 12 months
    it starts (Review.previous_meeting_date)."""
    # The time is not in the records; midday keeps the day the same in any nearby zone.
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    review = Review(plan=plan, coordinator=coordinator, due_by=day, meeting_at=moment,
                    status=Review.Status.CLOSED, closed_at=moment, created_at=moment)
    writes.opened.append((review, "review_imported",
                          f"Review meeting held on {presenters.date_text(day)}, as the "
                          "council's records give it", {"meeting": day.isoformat()}))
    return review


def _open_review(plan: Plan, coordinator, last_meeting: dt.date | None, writes: Writes) -> None:
    due_by = clock.next_review_due(plan_first_issued=plan.first_issued_on,
                                   last_review_meeting=last_meeting, durations=writes.durations)
    review = Review(plan=plan, coordinator=coordinator, due_by=due_by,
                    kind=next_review_kind(plan, due_by), convenor=Review.Convenor.LA)
    writes.reviews.append(review)
    kind, summary, data = opening_event(review)
    writes.opened.append((review, kind, summary, data))


def _changes(row: CaseloadRow, held: HeldChild, writes: Writes) -> list[str]:
    """Bring the held child, plan, family and open review to what the row says; the
    columns that changed."""
    changed = _changed_fields(held.child, row.child, [f for f in CHILD_FIELDS
                                                      if f in row.given])
    if "setting" in changed and "setting_type" not in row.given and held.child.setting_type:
        # A school the register does not describe: its phase is not known.
        held.child.setting_type = ""
        changed.append("setting_type")
    if changed:
        writes.changed_children.append(held.child)
    family = _family_changes(row, held, writes)
    if held.plan is None:
        row.plan.child = held.child
        _add_plan(row, held.child, writes)
        return _columns(changed) + family + ["plan_first_issued"]
    plan_changed = _changed_fields(held.plan, row.plan, PLAN_FIELDS)
    if plan_changed:
        writes.changed_plans.append(held.plan)
    review = _review_changes(row, held, writes)
    redated = "due_by" in review
    columns = _columns(changed + plan_changed) + family + [c for c in review if c != "due_by"]
    if (columns or redated) and held.open_review is not None:
        summary = "Updated from the council's records" + (
            f": {', '.join(columns)}" if columns else "") + (
            f"; the meeting must now be held by {presenters.date_text(held.open_review.due_by)}"
            if redated else "")
        writes.updated.append((held.open_review, "record_imported", summary,
                               {"columns": columns}))
    return columns + (["next review due"] if redated else [])


def _changed_fields(held, new, names: list[str]) -> list[str]:
    changed = []
    for name in names:
        attname = held._meta.get_field(name).attname
        if getattr(held, attname) != getattr(new, attname):
            setattr(held, attname, getattr(new, attname))
            changed.append(name)
    return changed


def _columns(fields: list[str]) -> list[str]:
    return list(dict.fromkeys(COLUMN_OF.get(name, name) for name in fields))


def _family_changes(row: CaseloadRow, held: HeldChild, writes: Writes) -> list[str]:
    """Each family member of the row found among those held (by email, or else the young
    person by their place, a parent by name) and brought up to date, or added. Those held
    and not in the row are kept."""
    changed = []
    for prefix, member in row.family:
        same = _same_person(member, held.family)
        if same is None:
            member.child = held.child
            writes.family.append(member)
            held.family.append(member)
            changed.append(f"{prefix}_email")
            continue
        fields = _changed_fields(same, member, [name for name in FAMILY_FIELDS
                                                if getattr(member, name)])
        if fields:
            writes.changed_family.append(same)
            changed += [f"{prefix}_{name}" for name in fields]
    return changed


def _same_person(member: FamilyMember, family: list[FamilyMember]) -> FamilyMember | None:
    email = member.email.lower()
    for held in family:
        if held.email.lower() == email:
            return held
    for held in family:
        if held.relationship == member.relationship and (
                held.relationship == FamilyMember.Relationship.YOUNG_PERSON
                or held.name.strip().lower() == member.name.strip().lower()):
            return held
    return None


def _review_changes(row: CaseloadRow, held: HeldChild, writes: Writes) -> list[str]:
    """A later last meeting than the portal knows, recorded; the open review's due date
    from the clock again; its coordinator, where the council convenes it. The columns (and
    "due_by") that changed."""
    changed = []
    review, met = held.open_review, row.last_review_meeting
    if met and (held.last_meeting is None or met > held.last_meeting):
        if review is not None and timezone.localdate(review.created_at) <= met:
            row.report.warn("last_review_meeting",
                            f"This child's review was opened here before "
                            f"{met:%d/%m/%Y}: record that meeting on the review's page")
        else:
            writes.reviews.append(_held_meeting(held.plan, row.coordinator, met, writes))
            held.last_meeting = met
            changed.append("last_review_meeting")
    if review is None:
        _open_review(held.plan, row.coordinator, held.last_meeting, writes)
        return changed + ["next review opened"]
    if review.has_reached(Review.Status.MEETING_HELD):
        return changed
    due_by = clock.next_review_due(plan_first_issued=held.plan.first_issued_on,
                                   last_review_meeting=held.last_meeting,
                                   durations=writes.durations)
    if due_by != review.due_by:
        review.due_by = due_by
        writes.changed_reviews.append(review)
        changed.append("due_by")
    if review.convenor == Review.Convenor.LA and review.coordinator_id != row.coordinator.pk:
        writes.hand_overs.append((review, row.coordinator))
        changed.append("coordinator_email")
    return changed
