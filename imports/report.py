"""What an import says of each row: what happened to it (or would, in a dry run), and for
each problem the column and the reason. The command prints it, the admin shows it, and both
offer it as CSV; it is kept as JSON on the import's record."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

ERROR, WARNING = "error", "warning"

# What happened to a row.
NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
REFUSED = "refused"  # a problem stops this row
HELD_BACK = "held back"  # fine, but not written: other rows were refused (all or nothing)
SKIPPED = "skipped"  # not for this authority, or not a row to import (a closed school)
OUTCOMES = [NEW, UPDATED, UNCHANGED, REFUSED, HELD_BACK, SKIPPED]

CSV_HEADER = ["Line", "Reference", "Outcome", "Column", "Problem", "Changed"]


@dataclass
class Problem:
    column: str
    reason: str
    level: str = ERROR


@dataclass
class RowReport:
    line: int
    reference: str
    outcome: str = ""
    problems: list[Problem] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # the columns a row changes

    def refuse(self, column: str, reason: str) -> None:
        self.problems.append(Problem(column, reason, ERROR))

    def warn(self, column: str, reason: str) -> None:
        self.problems.append(Problem(column, reason, WARNING))

    @property
    def refused(self) -> bool:
        return any(problem.level == ERROR for problem in self.problems)

    def text(self) -> list[str]:
        head = f"Line {self.line} ({self.reference or 'no reference'}): {self.outcome}"
        if self.changed:
            head += f" ({', '.join(self.changed)})"
        return [head] + [f"    {p.column}: {p.reason}" + (" [warning]" if p.level == WARNING
                                                            else "")
                         for p in self.problems]


@dataclass
class Report:
    kind: str  # "caseload" or "schools"
    filename: str = ""
    dry_run: bool = False
    written: bool = False
    rows: list[RowReport] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # columns not read
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # held, not in the file: kept

    def counts(self) -> dict[str, int]:
        found = Counter(row.outcome for row in self.rows)
        return {outcome: found[outcome] for outcome in OUTCOMES}

    @property
    def refused(self) -> int:
        return sum(row.refused for row in self.rows)

    @property
    def warnings(self) -> int:
        return sum(problem.level == WARNING for row in self.rows for problem in row.problems)

    def summary(self) -> str:
        counts = self.counts()
        parts = [f"{n:,} {outcome}" for outcome, n in counts.items() if n]
        verb = "Nothing was written (a dry run)" if self.dry_run else (
            "Imported" if self.written else "Nothing was imported")
        return f"{verb}: {len(self.rows):,} rows, " + (", ".join(parts) or "none") + "."

    def lines(self, every_row: bool = False) -> list[str]:
        """The report as text: every row with a problem or a change, or every row."""
        out = [self.summary(), *self.notes]
        if self.ignored:
            out.append(f"Columns not read (not the import's): {', '.join(self.ignored)}")
        for row in self.rows:
            if every_row or row.problems or row.outcome in (UPDATED, REFUSED, HELD_BACK):
                out += row.text()
        if self.missing:
            out.append(f"{len(self.missing):,} held here are not in this file; they are kept, "
                       f"never deleted: {', '.join(self.missing)}")
        return out

    def csv_rows(self) -> list[list]:
        """One line a problem, and one for each row without any."""
        rows = []
        for row in self.rows:
            changed = ", ".join(row.changed)
            for problem in row.problems:
                level = "" if problem.level == ERROR else " (warning)"
                rows.append([row.line, row.reference, row.outcome, problem.column,
                             problem.reason + level, changed])
            if not row.problems:
                rows.append([row.line, row.reference, row.outcome, "", "", changed])
        rows += [["", reference, "held, not in the file: kept", "", "", ""]
                 for reference in self.missing]
        return rows

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Report:
        rows = [RowReport(**{**row, "problems": [Problem(**p) for p in row["problems"]]})
                for row in data.get("rows", [])]
        return cls(**{**data, "rows": rows})
