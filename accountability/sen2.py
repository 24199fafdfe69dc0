"""The review items of the DfE's SEN2 return (person level, module 5) on a census date.

For every active EHC plan of the authority on the census date:

- 5.4 ``ReviewMeeting``: the latest review meeting held on or before the census date;
  nothing when the plan has had no review yet;
- 5.5 ``ReviewOutcome``: the LA's decision after that meeting (A amend, C cease,
  M maintain: Review.decision holds these codes), blank when there is none or its letter
  is dated after the census date;
- 5.6 ``LastReview``: the latest decision-letter date on or before the census date, over
  all the plan's reviews.

Each plan is keyed by the person (the child's LA reference) and the plan (its id). The
portal holds none of the return's other modules (UPN, ULN, requests, assessments,
placements...): its files are the review module, to merge into the LA's return from its
case-management system. NOT_HELD says so, and so does every validation report.

The validation report lists what is missing (no meeting though a review was due, no
decision though it was due, a decision without its letter's date) and what cannot be
true (a decision letter dated before its meeting, a meeting held in the future, a
meeting before the plan was issued...). README.md, "The SEN2 return", documents it all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from xml.sax.saxutils import XMLGenerator

from django.utils import timezone

from accountability.exports import CSV_TYPE, ExportRefused, Made, write_csv, write_text
from agencies.models import LocalAuthority
from reviews import clock
from reviews.access import oversight_scope
from reviews.models import Plan, Review
from reviews.presenters import date_text

HELD = (Review.Status.MEETING_HELD, Review.Status.REPORT_SENT, Review.Status.DECIDED,
        Review.Status.CLOSED)

MISSING, IMPOSSIBLE, NOT_HELD_KIND = "Missing", "Impossible", "Not held"
MEETING, OUTCOME, LAST_REVIEW = "5.4 ReviewMeeting", "5.5 ReviewOutcome", "5.6 LastReview"
PLAN = "Plan"

# What the return asks for that the portal does not hold, in the report of every return.
NOT_HELD = [
    ("UPN", "The unique pupil number is not held: take it from the case-management system."),
    ("UniqueLearnerNumber", "The unique learner number is not held."),
    ("Sex, ethnicity, postcode", "Module 1's other person details are not held."),
    ("Modules 2 to 4", "Requests, assessments and placements are not held: only reviews."),
]

XML_TYPE = "application/xml; charset=utf-8"
SOFTWARE_CODE = "ehcp-review-portal"

CSV_HEADER = ["LA", "PersonID", "Surname", "Forename", "PersonBirthDate", "PlanID",
              "PlanStartDate", "ReviewMeeting", "ReviewOutcome", "LastReview"]
REPORT_HEADER = ["PersonID", "PlanID", "Item", "Problem", "Detail"]


@dataclass(frozen=True)
class ReturnRow:
    person_id: str  # the child's LA reference
    plan_id: str
    surname: str
    forename: str
    birth_date: dt.date
    plan_issued: dt.date
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

    def summary(self) -> dict:
        counts: dict[str, int] = defaultdict(int)
        for problem in self.problems:
            counts[f"{problem.kind}: {problem.item}"] += 1
        return {
            "census": self.census.isoformat(),
            "plans": len(self.rows),
            "people": len({row.person_id for row in self.rows}),
            "with_meeting": sum(1 for row in self.rows if row.review_meeting),
            "with_outcome": sum(1 for row in self.rows if row.review_outcome),
            "problems": len(self.problems),
            "problem_counts": dict(sorted(counts.items())),
        }


@dataclass(frozen=True)
class _Review:
    status: str
    meeting: dt.date | None
    decision: str
    letter: dt.date | None


# ---------------------------------------------------------------------------
# Building the return
# ---------------------------------------------------------------------------


def active_plans(authority: LocalAuthority, census: dt.date):
    """The authority's EHC plans in force on the census date (records of support are not
    statutory plans, and are not returned)."""
    return Plan.objects.filter(child__authority=authority, kind=Plan.Kind.EHCP,
                               status=Plan.Status.ACTIVE, first_issued_on__lte=census)


def build_return(authority: LocalAuthority, census: dt.date, *, today: dt.date,
                 progress=None) -> Sen2Return:
    """The return for `authority` on `census`, checked as of `today`; three queries."""
    progress = progress or (lambda fraction: None)
    plans = list(active_plans(authority, census).order_by(
        "child__la_reference", "first_issued_on", "id").values_list(
        "id", "first_issued_on", "child__la_reference", "child__last_name",
        "child__first_name", "child__date_of_birth"))
    progress(0.1)
    reviews = _reviews_by_plan(authority, census, progress)
    result = Sen2Return(authority_code=authority.dfe_code, census=census)
    plans_of_person: dict[str, int] = defaultdict(int)
    durations = clock.durations_from_settings()  # once: 22,000 plans would read it 44,000 times
    for n, (plan_id, issued, person, surname, forename, born) in enumerate(plans, 1):
        row, problems = _plan_items(str(plan_id), person, issued, reviews.get(plan_id, []),
                                    census, today, durations)
        result.rows.append(ReturnRow(person, str(plan_id), surname, forename, born, issued,
                                     *row))
        result.problems.extend(problems)
        plans_of_person[person] += 1
        if n % 1000 == 0:
            progress(0.6 + 0.4 * n / len(plans))
    result.problems.extend(
        Problem(person, "", PLAN, IMPOSSIBLE, f"{count} active EHC plans for one person")
        for person, count in plans_of_person.items() if count > 1)
    progress(1)
    return result


def _reviews_by_plan(authority, census, progress) -> dict:
    reviews = (Review.objects.filter(plan__in=active_plans(authority, census))
               .exclude(status=Review.Status.CANCELLED)
               .values_list("plan_id", "status", "meeting_at", "decision", "decision_sent_on")
               .order_by())
    found: dict = defaultdict(list)
    total = max(1, reviews.count())
    london = timezone.get_current_timezone()  # the meeting's date is its day in London
    for n, (plan_id, status, meeting_at, decision, letter) in enumerate(
            reviews.iterator(chunk_size=5000), 1):
        meeting = meeting_at.astimezone(london).date() if meeting_at else None
        found[plan_id].append(_Review(status, meeting, decision, letter))
        if n % 5000 == 0:
            progress(0.1 + 0.5 * n / total)
    return found


def _plan_items(plan_id, person, issued, reviews, census, today, durations):
    held = [r for r in reviews if r.status in HELD and r.meeting and r.meeting <= census]
    latest = max(held, key=lambda r: r.meeting, default=None)
    meeting = latest.meeting if latest else None
    outcome = ""
    if latest and latest.decision and (latest.letter is None or latest.letter <= census):
        outcome = latest.decision
    letters = [r.letter for r in reviews if r.letter and r.letter <= census]
    last_review = max(letters, default=None)

    def problem(item, kind, detail):
        return Problem(person, plan_id, item, kind, detail)

    problems = []
    if latest is None:
        due = clock.next_review_due(plan_first_issued=issued, durations=durations)
        if due < census:
            problems.append(problem(MEETING, MISSING,
                                    f"No review meeting held; the first was due by "
                                    f"{date_text(due)}"))
    else:
        due = clock.decision_due(latest.meeting, durations=durations)
        if not latest.decision and due < census:
            problems.append(problem(OUTCOME, MISSING,
                                    f"No decision after the meeting of "
                                    f"{date_text(latest.meeting)}; it was due by "
                                    f"{date_text(due)}"))
        if latest.decision and latest.letter is None:
            problems.append(problem(LAST_REVIEW, MISSING,
                                    f"The decision after the meeting of "
                                    f"{date_text(latest.meeting)} has no letter date"))
    for review in reviews:
        problems.extend(problem(*found) for found in _review_problems(review, issued, today))
    return (meeting, outcome, last_review), problems


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
             r.plan_id, r.plan_issued, r.review_meeting, r.review_outcome, r.last_review]
            for r in result.rows)
    write_csv(CSV_HEADER, rows, out_text, progress, len(result.rows))


def write_report_csv(result: Sen2Return, out_text) -> None:
    """Every problem, then what the portal does not hold at all."""
    rows = [[p.person_id, p.plan_id, p.item, p.kind, p.detail] for p in result.problems]
    rows += [["", "", item, NOT_HELD_KIND, detail] for item, detail in NOT_HELD]
    write_csv(REPORT_HEADER, rows, out_text)


def write_return_xml(result: Sen2Return, out_binary, generated_at: dt.datetime,
                     progress=None) -> None:
    """The review module as XML, streamed: one Person per child, one ActivePlans per plan.

    The envelope follows the DfE's collection files (Message, Header, CollectionDetails,
    Source); see README.md for which names are the DfE's and which are the portal's."""
    xml = XMLGenerator(out_binary, encoding="utf-8", short_empty_elements=True)
    xml.startDocument()
    xml.startElement("Message", {})
    xml.startElement("Header", {})
    _group(xml, "CollectionDetails", [("Collection", "SEN2"),
                                      ("Year", str(result.census.year)),
                                      ("ReferenceDate", result.census.isoformat())])
    _group(xml, "Source", [("SourceLevel", "L"), ("LEA", result.authority_code),
                           ("SoftwareCode", SOFTWARE_CODE),
                           ("DateTime", timezone.localtime(generated_at)
                            .replace(microsecond=0, tzinfo=None).isoformat())])
    xml.endElement("Header")
    person = None
    for n, row in enumerate(result.rows, 1):
        if row.person_id != person:
            if person is not None:
                xml.endElement("Person")
            person = row.person_id
            xml.startElement("Person", {})
            for name, value in [("PersonID", row.person_id), ("Surname", row.surname),
                                ("Forename", row.forename),
                                ("PersonBirthDate", row.birth_date.isoformat())]:
                _element(xml, name, value)
        _group(xml, "ActivePlans", [
            ("PlanID", row.plan_id),
            ("ReviewMeeting", row.review_meeting.isoformat() if row.review_meeting else ""),
            ("ReviewOutcome", row.review_outcome),
            ("LastReview", row.last_review.isoformat() if row.last_review else ""),
        ])
        if progress and n % 1000 == 0:
            progress(n / len(result.rows))
    if person is not None:
        xml.endElement("Person")
    xml.endElement("Message")
    xml.endDocument()


def _group(xml, name, children):
    xml.startElement(name, {})
    for child, value in children:
        _element(xml, child, value)
    xml.endElement(name)


def _element(xml, name, value):
    """Blank items are left out, as the DfE asks, rather than sent empty."""
    if value:
        xml.startElement(name, {})
        xml.characters(value)
        xml.endElement(name)


# ---------------------------------------------------------------------------
# The job
# ---------------------------------------------------------------------------


def file_stem(authority_code: str, census: dt.date) -> str:
    return f"sen2-reviews-{authority_code}-{census.isoformat()}"


def prepare_sen2(job, out, report, progress) -> Made:
    """The export job's work: the return as CSV or XML, and the validation report."""
    authority_id = job.params.get("authority")
    if authority_id not in oversight_scope(job.requester).authorities:
        raise ExportRefused("Only the authority's SEND officers can make its SEN2 return.")
    authority = LocalAuthority.objects.get(pk=authority_id)
    census = dt.date.fromisoformat(job.params["census"])
    result = build_return(authority, census, today=timezone.localdate(),
                          progress=progress.stage(0, 70))
    stem = file_stem(authority.dfe_code, census)
    if job.params["format"] == "xml":
        write_return_xml(result, out, timezone.now(), progress.stage(70, 95))
        made = Made(f"{stem}.xml", XML_TYPE, result.summary(), f"{stem}-validation.csv")
    else:
        write_text(out, lambda text: write_return_csv(result, text, progress.stage(70, 95)))
        made = Made(f"{stem}.csv", CSV_TYPE, result.summary(), f"{stem}-validation.csv")
    write_text(report, lambda text: write_report_csv(result, text))
    return made

