"""A figure table: what the dashboards render and the exports write.

Every measure returns a Table, so the page (an accessible HTML table first), the CSV and the
Excel file come from the same numbers.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Cell:
    """One value; ``url`` clicks through to the reviews behind a count."""

    value: object
    url: str = ""


@dataclass
class Table:
    key: str  # stable, used in export file names and URLs
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    caption: str = ""

    def values(self) -> list[list[object]]:
        """The rows as plain values, for the exports."""
        return [[cell.value for cell in row] for row in self.rows]
