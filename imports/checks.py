"""Every row of a caseload file checked before anything is written: each value read and
held to the models' own rules (their fields' lengths, choices and validators, a family
member's `clean`), the dates in an order that can be, the school and the coordinator known
here, each reference and pupil number once in the file, and no child already held with a
plan by another authority. A row's problems are reported against its column."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from agencies.models import User
from imports import values
from imports.holdings import Holdings
from imports.reading import Table
from imports.report import RowReport
from reviews.models import Child, FamilyMember, Plan

REQUIRED = ["la_reference", "first_name", "last_name", "date_of_birth", "plan_first_issued",
            "setting_urn", "primary_need", "coordinator_email", "parent_name",
            "parent_email", "parent_phone"]
OPTIONAL = ["last_review_meeting", "second_parent_name", "second_parent_email",
            "second_parent_phone", "young_person_email", "year_group_offset", "upn", "uln"]

# The school census's code for SEN support with no specialist assessment of the need: not
# a type of need the SEN2 return takes for a plan (Plan.Need holds the ones it does).
NO_SPECIALIST_ASSESSMENT = "NSA"
NEEDS = ", ".join(Plan.Need.values)
OUT_OF_YEAR = (-2, 2)

# Each model field a row sets, by the column it comes from (for the model's own errors).
CHILD_COLUMNS = {"first_name": "first_name", "last_name": "last_name",
                 "la_reference": "la_reference", "date_of_birth": "date_of_birth",
                 "year_group_offset": "year_group_offset", "upn": "upn", "uln": "uln"}
PLAN_COLUMNS = {"first_issued_on": "plan_first_issued", "primary_need": "primary_need"}
PEOPLE = [("parent", FamilyMember.Relationship.PARENT, "the parent"),
          ("second_parent", FamilyMember.Relationship.PARENT, "the second parent")]


@dataclass
class CaseloadRow:
    """A row read, with the records it describes built (not saved): the child, their plan
    and the family members with an email. `given` names the child's fields the file set:
    an empty optional cell leaves what is held."""

    report: RowReport
    child: Child | None = None
    plan: Plan | None = None
    family: list[tuple[str, FamilyMember]] = field(default_factory=list)  # (prefix, member)
    coordinator: User | None = None
    last_review_meeting: dt.date | None = None
    given: set[str] = field(default_factory=set)

    @property
    def reference(self) -> str:
        return self.report.reference


def check_caseload(table: Table, holdings: Holdings, *, today: dt.date,
                   progress: Callable[[float], None] | None = None) -> list[CaseloadRow]:
    rows = []
    for n, (line, cells) in enumerate(table.rows, 1):
        rows.append(_checked(line, cells, holdings, today))
        if progress and n % 1000 == 0:
            progress(n / len(table.rows))
    _once_in_the_file(rows)
    _numbers_are_theirs(rows, holdings)
    return rows


def _checked(line: int, cells: dict, holdings: Holdings, today: dt.date) -> CaseloadRow:
    reference = str(cells["la_reference"])
    row = CaseloadRow(RowReport(line, reference))
    report = row.report

    def read(column: str, parse=str, *args):
        try:
            return parse(cells.get(column, ""), *args)
        except ValueError as error:
            report.refuse(column, str(error))
            return None

    for column, words in [("la_reference", "the child's LA reference"),
                          ("first_name", "the child's first name"),
                          ("last_name", "the child's last name"),
                          ("date_of_birth", "the child's date of birth"),
                          ("plan_first_issued", "the day the plan was first issued"),
                          ("coordinator_email", "the coordinator's email")]:
        if cells[column] == "":
            report.refuse(column, f"Enter {words}")
    born, issued = read("date_of_birth", values.a_date), read("plan_first_issued", values.a_date)
    row.last_review_meeting = met = read("last_review_meeting", values.a_date)
    _dates_in_order(report, today, born, issued, met)
    offset = read("year_group_offset", values.a_whole_number, *OUT_OF_YEAR)
    setting, setting_type = _setting(report, cells["setting_urn"], holdings)
    row.coordinator = _coordinator(report, cells["coordinator_email"], holdings)
    row.child = Child(authority=holdings.authority, la_reference=reference,
                      first_name=str(cells["first_name"]), last_name=str(cells["last_name"]),
                      date_of_birth=born, setting=setting, setting_type=setting_type or "",
                      year_group_offset=offset or 0, upn=values.compact(cells.get("upn", "")),
                      uln=values.compact(cells.get("uln", "")))
    row.given = {"first_name", "last_name", "date_of_birth", "setting"}
    row.given |= {name for name, given in [("setting_type", setting_type is not None),
                                           ("year_group_offset", offset is not None),
                                           ("upn", row.child.upn), ("uln", row.child.uln)]
                  if given}
    _model_rules(report, row.child, CHILD_COLUMNS, exclude=["id", "authority", "setting"])
    row.plan = Plan(child=row.child, kind=Plan.Kind.EHCP, first_issued_on=issued,
                    primary_need=_need(report, str(cells["primary_need"])))
    _model_rules(report, row.plan, PLAN_COLUMNS, exclude=["id", "child"])
    row.family = _family(report, cells, row.child)
    return row


def _dates_in_order(report: RowReport, today, born, issued, met) -> None:
    if born and born > today:
        report.refuse("date_of_birth", "The date of birth is in the future")
    if issued and issued > today:
        report.refuse("plan_first_issued", "The plan cannot be issued in the future")
    if born and issued and issued < born:
        report.refuse("plan_first_issued", f"The plan was issued on {issued:%d/%m/%Y}, "
                                           f"before the child was born ({born:%d/%m/%Y})")
    if met and met > today:
        report.refuse("last_review_meeting", "The last review meeting is in the future: give "
                                             "the last one held")
    if met and issued and met < issued:
        report.refuse("last_review_meeting",
                      f"The last review meeting ({met:%d/%m/%Y}) is before the plan was "
                      f"first issued ({issued:%d/%m/%Y})")


def _setting(report: RowReport, urn: str, holdings: Holdings):
    """The school, and its setting type from the register (None when the register does
    not have it: the child's is left as it is)."""
    if urn == "":
        return None, ""
    school = holdings.schools.get(urn)
    if school is None:
        report.refuse("setting_urn", f"No school with URN {urn} is held for this authority: "
                                     "import it from the DfE's register first "
                                     "(import_schools), or correct the URN")
        return None, None
    return school, holdings.setting_types.get(school.pk)


def _coordinator(report: RowReport, email: str, holdings: Holdings):
    if email == "":
        return None
    try:
        values.an_email(email)
    except ValueError as error:
        report.refuse("coordinator_email", str(error))
        return None
    coordinator = holdings.coordinators.get(email.lower())
    if coordinator is None:
        report.refuse("coordinator_email",
                      f"Nobody with the email {email} coordinates reviews in this "
                      "authority's SEND team: invite them to the team as a coordinator "
                      "first, or correct the email")
    return coordinator


def _need(report: RowReport, code: str) -> str:
    code = code.strip().upper()
    if code == NO_SPECIALIST_ASSESSMENT:
        report.warn("primary_need", "NSA (no specialist assessment) is not a type of need "
                                    "the SEN2 return takes for a plan: imported with none; "
                                    "enter the plan's primary need on its record")
        return ""
    if code not in Plan.Need.values:
        report.refuse("primary_need", f"Enter one of the SEN2 codes: {NEEDS}"
                      if code else f"Enter the plan's primary need, one of {NEEDS}")
    return code


def _family(report: RowReport, cells: dict, child: Child) -> list[tuple[str, FamilyMember]]:
    """The family members with an email, each with the prefix of its columns."""
    family: list[tuple[str, FamilyMember]] = []
    emailed = bool(cells.get("young_person_email"))
    for prefix, relationship, words in PEOPLE:
        name, email, phone = (str(cells.get(f"{prefix}_{part}", ""))
                              for part in ("name", "email", "phone"))
        emailed = emailed or bool(email)
        if not (name or email or phone):
            continue
        if not name:
            report.refuse(f"{prefix}_name", f"Enter the name of {words}")
            continue
        if not email:
            report.warn(f"{prefix}_email",
                        f"No email for {words}, so they are not added: add them in the "
                        "child's record with their address, and their letters go by post")
            continue
        member = FamilyMember(child=child, name=name, email=email, phone=phone,
                              relationship=relationship)
        if _model_rules(report, member, {"name": f"{prefix}_name", "email": f"{prefix}_email",
                                         "phone": f"{prefix}_phone"},
                        exclude=["child", "user"]):
            family.append((prefix, member))
    email = str(cells.get("young_person_email", ""))
    if email:
        member = FamilyMember(child=child, name=child.full_name, email=email,
                              relationship=FamilyMember.Relationship.YOUNG_PERSON)
        if _model_rules(report, member, {"email": "young_person_email"},
                        exclude=["child", "user"]):
            family.append(("young_person", member))
    emails = [member.email.lower() for _, member in family]
    for prefix, member in family:
        if emails.count(member.email.lower()) > 1:
            report.refuse(f"{prefix}_email", f"{member.email} is given for two of the family: "
                                             "each needs their own")
            return []
    if not emailed:
        report.warn("parent_email", "Nobody in the family has an email: the review's "
                                    "invitations cannot reach them until someone is added")
    return family


def _model_rules(report: RowReport, record, columns: dict[str, str], *, exclude) -> bool:
    """The model's own checks of its fields (and a family member's `clean`), reported
    against the columns they came from; whether it passed."""
    try:
        record.clean_fields(exclude=exclude)
        if isinstance(record, FamilyMember):
            record.clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            column = columns.get(name)
            # A date or code already refused in its own words is not refused twice.
            if column and not any(p.column == column for p in report.problems):
                report.refuse(column, " ".join(messages))
        return False
    return True


def _once_in_the_file(rows: list[CaseloadRow]) -> None:
    """Each reference, UPN and ULN on one row only: otherwise which is right is not known,
    so every row carrying it is refused."""
    for column, key in [("la_reference", lambda row: row.reference),
                        ("upn", lambda row: row.child.upn),
                        ("uln", lambda row: row.child.uln)]:
        lines = defaultdict(list)
        for row in rows:
            if key(row):
                lines[key(row)].append(row.report.line)
        for row in rows:
            if len(lines.get(key(row), ())) > 1:
                others = ", ".join(str(n) for n in lines[key(row)] if n != row.report.line)
                row.report.refuse(column, f"{key(row)} is also on line {others}: each child "
                                          "once in the file")


def _numbers_are_theirs(rows: list[CaseloadRow], holdings: Holdings) -> None:
    """A UPN or ULN held here for another child, or for a child with a plan at another
    authority, is refused (the other authority's child is never named)."""
    upns = [row.child.upn for row in rows if row.child.upn]
    ulns = [row.child.uln for row in rows if row.child.uln]
    upns_elsewhere, ulns_elsewhere = holdings.elsewhere(upns, ulns)
    for row in rows:
        for column, number, here, elsewhere in [
                ("upn", row.child.upn, holdings.upns, upns_elsewhere),
                ("uln", row.child.uln, holdings.ulns, ulns_elsewhere)]:
            if not number:
                continue
            if here.get(number, row.reference) != row.reference:
                row.report.refuse(column, f"This {column.upper()} is held for another child "
                                          f"here, {here[number]}")
            elif number in elsewhere:
                row.report.refuse(column, f"A child with this {column.upper()} has a plan "
                                          "with another local authority: it must cease (or "
                                          "its transfer to you be recorded) there first")
