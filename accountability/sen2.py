"""The DfE's SEN2 return (person level) on a census date, as far as the portal holds it.

Which plans: the authority's EHC plans in force on the census date (`Plan.objects
.in_force_on`): first issued, or transferred in, on or before it, and not ceased by then (a
plan ceases on its `ceased_on` day). Records of support are not statutory plans and are
not returned. For each plan, module 5 (ActivePlans):

- 5.1 ``TransferLA``: the DfE number of the authority the plan came from, when it was
  transferred in during the calendar year before the census (the collection year);
- 5.4 ``ReviewMeeting``: the latest review meeting held on or before the census date;
  nothing when the plan has had no review yet;
- 5.5 ``ReviewOutcome``: the LA's decision after that meeting (A amend, C cease,
  M maintain: Review.decision holds these codes), blank when there is none or its letter
  is dated after the census date;
- 5.6 ``LastReview``: the latest decision-letter date on or before the census date, over
  all the plan's reviews;
- 5.7 ``PlacementDetail``: the setting named for the child, as the main placement (rank 1):
  its URN, or, for an early years setting with no URN, the setting type EYP;
- 5.8 ``SENneed``: the plan's primary type of need (rank 1).

The XML follows the DfE's structure (Message > Header > Persons > Person > Requests >
ActivePlans), checked in the tests against accountability/schema/sen2.xsd;
docs/sen2-return.md says which source each element follows. What the portal does not hold
is left out, never invented, and listed in every validation report (NOT_HELD): these
files are to merge into the return the authority's case-management system makes.

The validation report lists what is missing (no meeting though a review was due, no URN
for the named setting, no decision though it was due, a decision without its letter's
date, a contact the letters must name), what cannot be true (a decision letter dated
before its meeting, a meeting held in the future, a meeting before the plan was issued, a
final plan before its proposed amendments, a plan ceased with no date...) and, as facts of
their own, where the LA was late after the reported meeting (the decision, the proposed
amendments, the final plan, the 12 weeks). A return with anything that cannot be true is
not made: prepare_sen2 refuses it (NotMade) with the validation report, which lists those
records first, so nothing goes to the DfE half right.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.metadata import version
from xml.sax.saxutils import XMLGenerator

from django.utils import timezone

from accountability.exports import (
    CSV_TYPE,
    ExportRefused,
    Made,
    NotMade,
    write_csv,
    write_text,
)
from accountability.models import ExportJob
from agencies.contacts import APPEALABLE_LETTER, authority_contacts, missing_message
from agencies.models import LocalAuthority
from reviews import clock
from reviews.access import oversight_scope
from reviews.models import Child, Plan, Review
from reviews.presenters import date_text, lateness_lines

HELD = (Review.Status.MEETING_HELD, Review.Status.REPORT_SENT, Review.Status.DECIDED,
        Review.Status.CLOSED)

MISSING, IMPOSSIBLE, LATE, NOT_HELD_KIND = "Missing", "Impossible", "Late", "Not held"
TRANSFER, MEETING, OUTCOME, LAST_REVIEW = ("5.1 TransferLA", "5.4 ReviewMeeting",
                                           "5.5 ReviewOutcome", "5.6 LastReview")
PLACEMENT, NEED = "5.7 PlacementDetail", "5.8 SENneed"
PLAN, RETURN, CONTACTS = "Plan", "Return", "Authority contacts"

# What the return asks for that the portal does not hold, by the DfE's element names, in
# the report of every return. The schema marks the mandatory ones "not held".
NOT_HELD = [
    ("Sex, Ethnicity, PostCode", "Module 1's other person details are not held."),
    ("UPN, UniqueLearnerNumber, UPNunknown",
     "Unique pupil and learner numbers are not held: take them from the case-management "
     "system."),
    ("ReceivedDate, RYA, RequestOutcomeDate, RequestOutcome, RequestMediation, "
     "RequestTribunal, Exported, Assessment",
     "Requests for assessment and assessments (modules 2 to 4) are not held: each plan's "
     "Requests holds only its ActivePlans."),
    ("EntryDate, LeavingDate, SENunitIndicator, ResourcedProvisionIndicator, UKPRN, Res, "
     "WBP",
     "Of the placement, only the named setting's URN (or EYP for an early years setting "
     "with none) is held."),
    ("DMO, DCO", "Whether the authority has a designated medical or clinical officer is not "
                 "held."),
]

XML_TYPE = "application/xml; charset=utf-8"
SOFTWARE_CODE = "ehcp-review-portal"
URN_PATTERN = re.compile(r"\d{6}")
EARLY_YEARS_WITHOUT_URN = "EYP"  # the DfE's SENsetting for an early years provider
PHASES = dict(Child._meta.get_field("setting_type").choices)

CSV_HEADER = ["LA", "PersonID", "Surname", "Forename", "PersonBirthDate", "PlanID",
              "PlanStartDate", "TransferLA", "URN", "SENsetting", "SettingPhase", "SENtype",
              "ReviewMeeting", "ReviewOutcome", "LastReview"]
REPORT_HEADER = ["PersonID", "PlanID", "Item", "Problem", "Detail"]


@dataclass(frozen=True)
class ReturnRow:
    person_id: str  # the child's LA reference
    plan_id: str
    surname: str
    forename: str
    birth_date: dt.date
    plan_issued: dt.date
    transfer_la: str  # 5.1: the other authority's DfE number, or ""
    urn: str  # 5.7: the named setting's URN, or ""
    sen_setting: str  # 5.7: EYP for an early years setting with no URN, or ""
    setting_phase: str  # the named setting's phase, in words (the CSV's, to check by)
    primary_need: str  # 5.8: a Plan.Need code, or ""
    review_meeting: dt.date | None  # 5.4
    review_outcome: str  # 5.5: "", "A", "C" or "M"
    last_review: dt.date | None  # 5.6


@dataclass(frozen=True)
class Problem:
    person_id: str
    plan_id: str
    item: str
    kind: str  # MISSING or IMPOSSIBLE
    detail: str


@dataclass
class Sen2Return:
    authority_code: str
    census: dt.date
    rows: list[ReturnRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def to_fix(self) -> list[Problem]:
        """What cannot be true: while there is any, the return is not made."""
        return [problem for problem in self.problems if problem.kind == IMPOSSIBLE]

    def summary(self) -> dict:
        counts: dict[str, int] = defaultdict(int)
        for problem in self.problems:
            counts[f"{problem.kind}: {problem.item}"] += 1
        return {
            "census": self.census.isoformat(),
            "plans": len(self.rows),
            "people": len({row.person_id for row in self.rows}),
            "with_transfer": sum(1 for row in self.rows if row.transfer_la),
            "with_placement": sum(1 for row in self.rows if row.urn or row.sen_setting),
            "with_need": sum(1 for row in self.rows if row.primary_need),
            "with_meeting": sum(1 for row in self.rows if row.review_meeting),
            "with_outcome": sum(1 for row in self.rows if row.review_outcome),
            "problems": len(self.problems),
            "to_fix": len(self.to_fix),
            "problem_counts": dict(sorted(counts.items())),
        }


@dataclass(frozen=True)
class _Plan:
    """One plan's facts, as the plans' query reads them."""

    id: str
    issued: dt.date
    status: str
    ceased_on: dt.date | None
    transferred_from: str
    transferred_on: dt.date | None
    need: str
    person: str
    surname: str
    forename: str
    born: dt.date
    setting: str | None  # the named setting's name: None when none is named
    urn: str
    phase: str


@dataclass(frozen=True)
class _Review:
    status: str
    meeting: dt.date | None
    decision: str
    letter: dt.date | None
    notice: dt.date | None = None  # the proposed amendments
    final: dt.date | None = None  # the final plan, or the notice not to amend


# ---------------------------------------------------------------------------
# Building the return
# ---------------------------------------------------------------------------


def latest_census_day(today: dt.date) -> dt.date:
    """The SEN2 census day (the third Thursday of January) on or before `today`."""
    for year in (today.year, today.year - 1):
        first = dt.date(year, 1, 1)
        third_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 14)
        if third_thursday <= today:
            return third_thursday
    raise AssertionError("a January of the year before always has one")


def ehc_plans(authority: LocalAuthority):
    return Plan.objects.filter(child__authority=authority, kind=Plan.Kind.EHCP)


def plans_to_consider(authority: LocalAuthority, census: dt.date):
    """The plans in force on the census date, and the plans recorded as ceased with no
    date that began by then: nobody can tell whether those were in force, so the report
    names them and the return is not made until they are dated."""
    undated = ehc_plans(authority).ceased_undated().filter(first_issued_on__lte=census)
    return ehc_plans(authority).in_force_on(census) | undated


def build_return(authority: LocalAuthority, census: dt.date, *, today: dt.date | None = None,
                 progress=None) -> Sen2Return:
    """The return for `authority` on `census`, checked as of `today`; three queries."""
    today = today or timezone.localdate()
    progress = progress or (lambda fraction: None)
    plans = [_Plan(str(values[0]), *values[1:]) for values in
             plans_to_consider(authority, census).order_by(
                 "child__la_reference", "first_issued_on", "id").values_list(
                 "id", "first_issued_on", "status", "ceased_on", "transferred_in_from",
                 "transferred_in_on", "primary_need", "child__la_reference",
                 "child__last_name", "child__first_name", "child__date_of_birth",
                 "child__setting__name", "child__setting__urn", "child__setting_type")]
    progress(0.1)
    reviews = _reviews_by_plan(authority, census, progress)
    result = Sen2Return(authority_code=authority.dfe_code, census=census)
    plans_of_person: dict[str, int] = defaultdict(int)
    durations = clock.durations_from_settings()  # once: 22,000 plans would read it 44,000 times
    for n, plan in enumerate(plans, 1):
        if plan.status == Plan.Status.CEASED and plan.ceased_on is None:
            result.problems.append(Problem(
                plan.person, plan.id, PLAN, IMPOSSIBLE,
                "The plan is recorded as ceased but not when, so nobody can tell whether it "
                "was in force on the census date: enter the date it ceased on the plan's "
                "record"))
            continue
        row, problems = _plan_items(plan, reviews.get(plan.id, []), result, today, durations)
        result.rows.append(row)
        result.problems.extend(problems)
        plans_of_person[plan.person] += 1
        if n % 1000 == 0:
            progress(0.6 + 0.4 * n / len(plans))
    result.problems.extend(
        Problem(person, "", PLAN, IMPOSSIBLE, f"{count} EHC plans in force for one person")
        for person, count in plans_of_person.items() if count > 1)
    if not plans:
        result.problems.append(Problem(
            "", "", RETURN, IMPOSSIBLE,
            f"No EHC plan was in force on {date_text(census)}: there is nothing to return. "
            "Check the census date."))
    # The letters behind 5.5 and 5.6 are not sent while a contact they name is missing.
    missing = missing_message(authority_contacts(authority), APPEALABLE_LETTER)
    if missing:
        result.problems.append(Problem("", "", CONTACTS, MISSING, missing))
    # What stops the return first; within each kind, the plans' order.
    result.problems.sort(key=lambda problem: problem.kind != IMPOSSIBLE)
    progress(1)
    return result


def _reviews_by_plan(authority, census, progress) -> dict:
    reviews = (Review.objects.filter(plan__in=ehc_plans(authority).in_force_on(census))
               .exclude(status=Review.Status.CANCELLED)
               .values_list("plan_id", "status", "meeting_at", "decision", "decision_sent_on",
                            "amendment_notice_sent_on", "final_plan_sent_on")
               .order_by())
    found: dict = defaultdict(list)
    total = max(1, reviews.count())
    london = timezone.get_current_timezone()  # the meeting's date is its day in London
    for n, (plan_id, status, meeting_at, decision, letter, notice, final) in enumerate(
            reviews.iterator(chunk_size=5000), 1):
        meeting = meeting_at.astimezone(london).date() if meeting_at else None
        found[str(plan_id)].append(_Review(status, meeting, decision, letter, notice, final))
        if n % 5000 == 0:
            progress(0.1 + 0.5 * n / total)
    return found


def _plan_items(plan: _Plan, reviews, result: Sen2Return, today, durations):
    """The plan's row, and the problems with it."""
    def problem(item, kind, detail):
        return Problem(plan.person, plan.id, item, kind, detail)

    census = result.census
    held = [r for r in reviews if r.status in HELD and r.meeting and r.meeting <= census]
    latest = max(held, key=lambda r: r.meeting, default=None)
    outcome = ""
    if latest and latest.decision and (latest.letter is None or latest.letter <= census):
        outcome = latest.decision
    letters = [r.letter for r in reviews if r.letter and r.letter <= census]
    # Transferred in during the collection year, the calendar year before the census.
    transfer_la = (plan.transferred_from if plan.transferred_on
                   and plan.transferred_on.year == census.year - 1 else "")
    urn = plan.urn if plan.urn and URN_PATTERN.fullmatch(plan.urn) else ""
    sen_setting = (EARLY_YEARS_WITHOUT_URN if plan.setting is not None and not plan.urn
                   and plan.phase == clock.SettingType.EARLY_YEARS else "")
    row = ReturnRow(plan.person, plan.id, plan.surname, plan.forename, plan.born, plan.issued,
                    transfer_la, urn, sen_setting, PHASES.get(plan.phase, ""), plan.need,
                    latest.meeting if latest else None, outcome, max(letters, default=None))
    problems = [problem(*found) for found in _plan_problems(plan, result, today)]
    problems += [problem(*found) for found in _review_items_problems(
        plan, latest, census, durations)]
    for review in reviews:
        problems.extend(problem(*found) for found in _review_problems(review, plan.issued,
                                                                      today))
    if latest is not None and not any(p.kind == IMPOSSIBLE for p in problems):
        problems.extend(problem(*found)
                        for found in _lateness(latest, plan.issued, today, durations))
    return row, problems


def _plan_problems(plan: _Plan, result: Sen2Return, today: dt.date):
    """(item, kind, detail) for each of the plan's own facts that is missing or cannot be
    true."""
    if plan.ceased_on and plan.ceased_on > today:
        yield (PLAN, IMPOSSIBLE, f"The plan is recorded as ceasing on "
                                 f"{date_text(plan.ceased_on)}, in the future")
    if plan.transferred_from == result.authority_code:
        yield (TRANSFER, IMPOSSIBLE, f"The plan is recorded as transferred in from this "
                                     f"authority itself ({plan.transferred_from})")
    if plan.setting is None:
        yield (PLACEMENT, MISSING, "No setting is named for the child: the placement must "
                                   "come from the case-management system")
    elif plan.urn and not URN_PATTERN.fullmatch(plan.urn):
        yield (PLACEMENT, IMPOSSIBLE, f"The named setting, {plan.setting}, has the URN "
                                      f"'{plan.urn}', which is not six digits: correct it on "
                                      f"the setting's record")
    elif not plan.urn and plan.phase != clock.SettingType.EARLY_YEARS:
        yield (PLACEMENT, MISSING, f"The named setting, {plan.setting}, has no URN: add it to "
                                   f"the setting's record from Get Information About Schools")
    if not plan.need:
        yield (NEED, MISSING, "No primary type of need is recorded: choose it on the plan's "
                              "record")


def _review_items_problems(plan: _Plan, latest: _Review | None, census: dt.date, durations):
    """(item, kind, detail) for a review item the law says should be there by now."""
    if latest is None:
        due = clock.next_review_due(plan_first_issued=plan.issued, durations=durations)
        if due < census:
            yield (MEETING, MISSING, f"No review meeting held; the first was due by "
                                     f"{date_text(due)}")
        return
    due = clock.decision_due(latest.meeting, durations=durations)
    if not latest.decision and due < census:
        yield (OUTCOME, MISSING, f"No decision after the meeting of "
                                 f"{date_text(latest.meeting)}; it was due by {date_text(due)}")
    if latest.decision and latest.letter is None:
        yield (LAST_REVIEW, MISSING, f"The decision after the meeting of "
                                     f"{date_text(latest.meeting)} has no letter date")


# The LA's deadlines after the meeting the return reports, and the item each bears on.
_LATENESS_ITEMS = {"decision_due": LAST_REVIEW, "amendment_notice_due": OUTCOME,
                   "final_plan_due": OUTCOME, "amendments_overall_by": OUTCOME}


def _lateness(review: _Review, issued: dt.date, today: dt.date, durations):
    """(item, LATE, detail) for each of the LA's deadlines after the reported meeting that
    it met late, or has missed and not yet met (a decision not yet made is MISSING, not
    this); (item, IMPOSSIBLE, detail) when the clock finds its facts out of order."""
    try:
        deadlines = clock.review_deadlines(
            plan_first_issued=issued, meeting=review.meeting,
            outcome=clock.Outcome(review.decision) if review.decision else None,
            decision_sent=review.letter, amendment_notice_sent=review.notice,
            final_plan_sent=review.final, durations=durations)
    except clock.FactsOutOfOrder as error:
        yield OUTCOME, IMPOSSIBLE, str(error)
        return
    done = {"decision_due": review.letter, "amendment_notice_due": review.notice,
            "final_plan_due": review.final, "amendments_overall_by": review.final}
    for line in lateness_lines(deadlines, done, today, keys=_LATENESS_ITEMS):
        if line.still_open and line.key == "decision_due":
            continue
        yield _LATENESS_ITEMS[line.key], LATE, f"{line.label}: {line.text}"


def _review_problems(review: _Review, issued: dt.date, today: dt.date):
    """(item, kind, detail) for each fact about one review that is missing or cannot be
    true, whichever review of the plan the return reports."""
    if review.status in HELD and review.meeting is None:
        yield MEETING, MISSING, "A review recorded as held has no meeting date"
    if review.status in HELD and review.meeting and review.meeting > today:
        yield (MEETING, IMPOSSIBLE,
               f"A meeting recorded as held is dated {date_text(review.meeting)}, "
               "in the future")
    if review.meeting and review.meeting < issued:
        yield (MEETING, IMPOSSIBLE,
               f"A review meeting on {date_text(review.meeting)} is before the plan was "
               f"first issued on {date_text(issued)}")
    if review.decision and review.meeting is None:
        yield OUTCOME, IMPOSSIBLE, "A decision is recorded for a review with no meeting"
    if review.letter and review.meeting and review.letter < review.meeting:
        yield (LAST_REVIEW, IMPOSSIBLE,
               f"A decision letter dated {date_text(review.letter)} is before its meeting "
               f"on {date_text(review.meeting)}")
    if review.letter and review.letter > today:
        yield (LAST_REVIEW, IMPOSSIBLE,
               f"A decision letter is dated {date_text(review.letter)}, in the future")
    if review.letter and not review.decision:
        yield OUTCOME, MISSING, (f"A decision letter dated {date_text(review.letter)} has "
                                 "no decision (A, C or M) recorded")


# ---------------------------------------------------------------------------
# Writing it
# ---------------------------------------------------------------------------


def write_return_csv(result: Sen2Return, out_text, progress=None) -> None:
    rows = ([result.authority_code, r.person_id, r.surname, r.forename, r.birth_date,
             r.plan_id, r.plan_issued, r.transfer_la, r.urn, r.sen_setting, r.setting_phase,
             r.primary_need, r.review_meeting, r.review_outcome, r.last_review]
            for r in result.rows)
    write_csv(CSV_HEADER, rows, out_text, progress, len(result.rows))


def write_report_csv(result: Sen2Return, out_text) -> None:
    """Every problem, what stops the return first, then what the portal does not hold."""
    rows = [[p.person_id, p.plan_id, p.item, p.kind, p.detail] for p in result.problems]
    rows += [["", "", item, NOT_HELD_KIND, detail] for item, detail in NOT_HELD]
    write_csv(REPORT_HEADER, rows, out_text)


def records_to_fix(report_file, limit: int) -> list[dict]:
    """The first `limit` problems that stop the return, read back from its validation
    report (which lists them first), for the job's page."""
    rows = csv.DictReader(io.TextIOWrapper(report_file, encoding="utf-8-sig", newline=""))
    found = []
    for row in rows:
        if row["Problem"] != IMPOSSIBLE or len(found) == limit:
            break
        found.append(row)
    return found


def release() -> str:
    """The portal's version, the Source's Release."""
    return version("ehcp-review-portal")


def write_return_xml(result: Sen2Return, out_binary, generated_at: dt.datetime,
                     serial_no: int, progress=None) -> None:
    """The return as the DfE's XML, streamed: one Person per child, one Requests holding
    one ActivePlans per plan. Blank items are left out, as the DfE asks, not sent empty."""
    xml = XMLGenerator(out_binary, encoding="utf-8", short_empty_elements=True)
    xml.startDocument()
    xml.startElement("Message", {})
    xml.startElement("Header", {})
    _group(xml, "CollectionDetails", [("Collection", "SEN2"),
                                      ("Year", str(result.census.year)),
                                      ("ReferenceDate", result.census.isoformat())])
    _group(xml, "Source", [("SourceLevel", "L"), ("LEA", result.authority_code),
                           ("SoftwareCode", SOFTWARE_CODE), ("Release", release()),
                           ("SerialNo", f"{serial_no:03d}"),
                           ("DateTime", timezone.localtime(generated_at)
                            .replace(microsecond=0, tzinfo=None).isoformat())])
    xml.endElement("Header")
    xml.startElement("Persons", {})
    person = None
    for n, row in enumerate(result.rows, 1):
        if row.person_id != person:
            if person is not None:
                xml.endElement("Person")
            person = row.person_id
            xml.startElement("Person", {})
            for name, value in [("Surname", row.surname), ("Forename", row.forename),
                                ("PersonBirthDate", row.birth_date.isoformat())]:
                _element(xml, name, value)
        xml.startElement("Requests", {})
        _active_plans(xml, row)
        xml.endElement("Requests")
        if progress and n % 1000 == 0:
            progress(n / len(result.rows))
    if person is not None:
        xml.endElement("Person")
    xml.endElement("Persons")
    xml.endElement("Message")
    xml.endDocument()


def _active_plans(xml, row: ReturnRow) -> None:
    xml.startElement("ActivePlans", {})
    _element(xml, "TransferLA", row.transfer_la)
    if row.urn or row.sen_setting:
        _group(xml, "PlacementDetail", [("URN", row.urn), ("SENsetting", row.sen_setting),
                                        ("PlacementRank", "1")])
    if row.primary_need:
        _group(xml, "SENneed", [("SENtype", row.primary_need), ("SENtypeRank", "1")])
    _element(xml, "ReviewMeeting", row.review_meeting.isoformat() if row.review_meeting else "")
    _element(xml, "ReviewOutcome", row.review_outcome)
    _element(xml, "LastReview", row.last_review.isoformat() if row.last_review else "")
    xml.endElement("ActivePlans")


def _group(xml, name, children):
    xml.startElement(name, {})
    for child, value in children:
        _element(xml, child, value)
    xml.endElement(name)


def _element(xml, name, value):
    if value:
        xml.startElement(name, {})
        xml.characters(value)
        xml.endElement(name)


# ---------------------------------------------------------------------------
# The job
# ---------------------------------------------------------------------------


def file_stem(authority_code: str, census: dt.date) -> str:
    return f"sen2-items-{authority_code}-{census.isoformat()}"


def serial_number(job) -> int:
    """The XML file's SerialNo: how many XML returns for this authority and census date
    had been asked for when this one was, counting itself."""
    return ExportJob.objects.filter(
        kind=ExportJob.Kind.SEN2, params__authority=job.params["authority"],
        params__census=job.params["census"], params__format="xml",
        created_at__lte=job.created_at).count()


def prepare_sen2(job, out, report, progress) -> Made:
    """The export job's work: the return as CSV or XML, and the validation report. A
    return with anything that cannot be true is refused (NotMade), with the report."""
    authority_id = job.params.get("authority")
    if authority_id not in oversight_scope(job.requester).authorities:
        raise ExportRefused("Only the authority's SEND officers can make its SEN2 return.")
    authority = LocalAuthority.objects.get(pk=authority_id)
    census = dt.date.fromisoformat(job.params["census"])
    result = build_return(authority, census, today=timezone.localdate(),
                          progress=progress.stage(0, 70))
    stem = file_stem(authority.dfe_code, census)
    xml = job.params["format"] == "xml"
    made = Made(f"{stem}.{'xml' if xml else 'csv'}", XML_TYPE if xml else CSV_TYPE,
                result.summary(), f"{stem}-validation.csv")
    write_text(report, lambda text: write_report_csv(result, text))
    if result.to_fix:
        count = len(result.to_fix)
        raise NotMade(f"{count} {'record says' if count == 1 else 'records say'} something "
                      "that cannot be true. Correct them, then make the return again.", made)
    if xml:
        write_return_xml(result, out, timezone.now(), serial_number(job),
                         progress.stage(70, 95))
    else:
        write_text(out, lambda text: write_return_csv(result, text, progress.stage(70, 95)))
    return made
