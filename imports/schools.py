"""Importing schools and colleges from the DfE's register, Get Information about Schools
(GIAS), as it publishes them: the establishment CSV (Windows-1252 text), every column kept
as named, or an extract of it. Each open establishment of the authority (and any other the
caseload names, for children placed out of the area) becomes an agency of kind school,
found again by its URN, with its entry in the register beside it (imports.Establishment)
and the setting type the clock works out phase transfers from."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from agencies import audit
from agencies.models import Agency, AuditEntry, LocalAuthority
from imports.models import Establishment
from imports.reading import caseload_column, read_table
from imports.report import NEW, REFUSED, SKIPPED, UNCHANGED, UPDATED, Report, RowReport
from reviews.clock import SettingType

URN, NAME, TYPE, PHASE = ("URN", "EstablishmentName", "TypeOfEstablishment (name)",
                          "PhaseOfEducation (name)")
LA, STATUS, GROUP = "LA (code)", "EstablishmentStatus (name)", "EstablishmentTypeGroup (name)"
LOW, HIGH, TOWN, PHONE, WEBSITE = ("StatutoryLowAge", "StatutoryHighAge", "Town",
                                   "TelephoneNum", "SchoolWebsite")
REQUIRED = [URN, NAME, TYPE, PHASE, LA, STATUS]
OPTIONAL = [GROUP, LOW, HIGH, TOWN, PHONE, WEBSITE]
# The register's file is Windows-1252 text; an extract saved again may be UTF-8.
ENCODINGS = ("utf-8-sig", "cp1252")
NOT_OPEN = {"Closed", "Proposed to open"}
BATCH = 1000

# The phases the register names that say the setting type outright.
PHASES = {"Nursery": SettingType.EARLY_YEARS, "Middle deemed primary": SettingType.MIDDLE,
          "Middle deemed secondary": SettingType.MIDDLE, "Secondary": SettingType.SECONDARY,
          "16 plus": SettingType.POST_16}
ESTABLISHMENT_FIELDS = ["establishment_type", "phase", "status", "la_code", "low_age",
                        "high_age", "setting_type", "special"]


def setting_type_of(phase: str, low: int | None, high: int | None) -> str:
    """The setting type a child at this school is given, from its phase of education and
    the ages it takes: a primary school taking no one over 7 is an infant school, none under
    7 a junior school, none over 9 a first school. A school of every phase (all-through, or
    a special school taking 2 to 19) has none, and the clock follows the two-tier pattern by
    year group; one the register gives no phase is placed by its ages."""
    if phase == "Primary":
        if high is not None and high <= 7:
            return SettingType.INFANT
        if low is not None and low >= 7:
            return SettingType.JUNIOR
        if high is not None and high <= 9:
            return SettingType.FIRST
        return SettingType.PRIMARY
    if phase in PHASES:
        return PHASES[phase]
    if low is not None and low >= 16:
        return SettingType.POST_16
    if phase != "All-through" and low is not None and high is not None:
        if high <= 11:
            return SettingType.PRIMARY
        if low >= 11:
            return SettingType.SECONDARY
    return ""


def import_schools(file, authority: LocalAuthority, *, filename: str = "",
                   dry_run: bool = False, also_urns: Iterable[str] = (), actor=None,
                   progress: Callable[[float], None] | None = None) -> Report:
    """The register's rows for `authority` (its LA code), and those of `also_urns`
    wherever they are, as agencies of kind school. Raises reading.FileRefused for a file
    that cannot be read."""
    progress = progress or (lambda fraction: None)
    table = read_table(file, required=REQUIRED, optional=OPTIONAL, encodings=ENCODINGS,
                       save_as="CSV (Comma delimited)")
    also = set(also_urns)
    report = Report("schools", filename, dry_run=dry_run, ignored=[], notes=table.notes)
    with transaction.atomic():
        if not dry_run:
            LocalAuthority.objects.select_for_update().get(pk=authority.pk)
        held = Register.of(authority)
        others = 0
        for n, (line, cells) in enumerate(table.rows, 1):
            if cells[LA] != authority.dfe_code and cells[URN] not in also:
                others += 1
            else:
                report.rows.append(held.row(line, cells))
            if n % BATCH == 0:
                progress(0.8 * n / len(table.rows))
        if others:
            report.notes.append(f"{others:,} establishments of other authorities were not "
                                "read.")
        if not dry_run:
            held.save()
            report.written = True
            counts = ", ".join(f"{n} {outcome}" for outcome, n in report.counts().items() if n)
            audit.record(AuditEntry.Action.IMPORTED, user=actor,
                         detail=f"Schools of {authority.dfe_code} from "
                                f"{filename or 'a file'}: {counts}")
    return report


class Register:
    """The authority's schools as held, and what the rows add and change."""

    def __init__(self, authority, agencies: list[Agency], establishments: dict):
        self.authority = authority
        self.by_urn = {agency.urn: agency for agency in agencies
                       if agency.kind == Agency.Kind.SCHOOL and agency.urn}
        self.names = {agency.name.lower(): agency for agency in agencies}
        self.establishments = establishments
        self.new_agencies: list[Agency] = []
        self.changed_agencies: list[Agency] = []
        self.new_establishments: list[Establishment] = []
        self.changed_establishments: list[Establishment] = []

    @classmethod
    def of(cls, authority) -> Register:
        agencies = list(Agency.objects.filter(authority=authority))
        return cls(authority, agencies, {e.agency_id: e for e in Establishment.objects.filter(
            agency__authority=authority)})

    def row(self, line: int, cells: dict) -> RowReport:
        urn, name = str(cells[URN]), str(cells[NAME])
        report = RowReport(line, urn)
        if not re.fullmatch(r"\d{6}", urn):
            report.refuse(URN, "A URN is six digits")
        if not name:
            report.refuse(NAME, "Enter the establishment's name")
        low, high = _age(report, LOW, cells.get(LOW, "")), _age(report, HIGH, cells.get(HIGH, ""))
        if report.refused:
            report.outcome = REFUSED
            return report
        agency = self.by_urn.get(urn)
        if agency is None and cells[STATUS] in NOT_OPEN:
            report.outcome = SKIPPED
            return report
        if cells[STATUS] in NOT_OPEN:
            report.warn(STATUS, f"{cells[STATUS]} in the register: children there need "
                                "another setting")
        entry = Establishment(
            establishment_type=cells[TYPE], phase=cells[PHASE], status=cells[STATUS],
            la_code=cells[LA], low_age=low, high_age=high,
            setting_type=setting_type_of(cells[PHASE], low, high),
            special="special" in f"{cells[TYPE]} {cells.get(GROUP, '')}".lower())
        if agency is None:
            agency = self._new_agency(urn, name, cells)
            report.outcome = NEW
        else:
            report.changed = self._changed_agency(agency, name)
        entry.agency = agency
        report.changed += self._entry(agency, entry)
        if report.outcome != NEW:
            report.outcome = UPDATED if report.changed else UNCHANGED
        return report

    def _free_name(self, name: str, town: str, urn: str) -> str:
        """The register's name, or, where the authority already has an agency of that
        name, the name with its town (or its URN)."""
        for candidate in (name, f"{name} ({town})" if town else "", f"{name} (URN {urn})"):
            if candidate and candidate.lower() not in self.names:
                return candidate
        return f"{name} (URN {urn})"

    def _new_agency(self, urn: str, name: str, cells: dict) -> Agency:
        agency = Agency(authority=self.authority, kind=Agency.Kind.SCHOOL, urn=urn,
                        name=self._free_name(name, str(cells.get(TOWN, "")), urn)[:200],
                        phone=str(cells.get(PHONE, ""))[:40],
                        website=_website(str(cells.get(WEBSITE, ""))))
        self.new_agencies.append(agency)
        self.by_urn[urn] = agency
        self.names[agency.name.lower()] = agency
        return agency

    def _changed_agency(self, agency: Agency, name: str) -> list[str]:
        if agency.name == name or agency.name.startswith(f"{name} (") \
                or name.lower() in self.names:
            return []
        del self.names[agency.name.lower()]
        agency.name = name[:200]
        self.names[name.lower()] = agency
        self.changed_agencies.append(agency)
        return [NAME]

    def _entry(self, agency: Agency, entry: Establishment) -> list[str]:
        held = self.establishments.get(agency.pk) if agency.pk else None
        if held is None:
            self.new_establishments.append(entry)
            return [] if agency.pk is None else ["setting type"]
        changed = [name for name in ESTABLISHMENT_FIELDS
                   if getattr(held, name) != getattr(entry, name)]
        for name in changed:
            setattr(held, name, getattr(entry, name))
        if changed:
            held.imported_at = timezone.now()
            self.changed_establishments.append(held)
        return ["setting type"] if "setting_type" in changed else (
            ["register entry"] if changed else [])

    def save(self) -> None:
        Agency.objects.bulk_create(self.new_agencies, batch_size=BATCH)
        Agency.objects.bulk_update(self.changed_agencies, ["name"], batch_size=BATCH)
        Establishment.objects.bulk_create(self.new_establishments, batch_size=BATCH)
        Establishment.objects.bulk_update(self.changed_establishments,
                                          [*ESTABLISHMENT_FIELDS, "imported_at"],
                                          batch_size=BATCH)


def _age(report: RowReport, column: str, value) -> int | None:
    if value in ("", None):
        return None
    try:
        return int(value)
    except ValueError:
        report.refuse(column, "An age is a whole number of years")
        return None


def _website(value: str) -> str:
    """The register's address, often without its https://; left out if it is not one."""
    if value and not re.match(r"https?://", value, re.I):
        value = f"https://{value}"
    try:
        URLValidator()(value)
    except ValidationError:
        return ""
    return value[:200]


def placements(file) -> set[str]:
    """The URNs a caseload file names (setting_urn), to import wherever they are."""
    table = read_table(file, required=["setting_urn"], column=caseload_column)
    return {str(cells["setting_urn"]) for _, cells in table.rows if cells["setting_urn"]}
