"""Reading a council's file (CSV, or an Excel workbook's first sheet) into rows of named
values, refusing a file nobody can read safely with a message that says what to fix, before
any row is looked at.

A file is known by what it contains, not by its name: an Excel workbook is a zip archive,
the older binary .xls an OLE2 compound file, and anything else is taken for CSV text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zipfile import BadZipFile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

ZIP, OLE2 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
MERGED = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")


class FileRefused(Exception):
    """The file as a whole cannot be read: the message says what to fix."""


def max_bytes() -> int:
    """The largest file taken: IMPORT_MAX_BYTES, 100 MB unless set (the DfE's register of
    every school in England, as published, is about 60 MB)."""
    return getattr(settings, "IMPORT_MAX_BYTES", 100 * 1024 * 1024)


def caseload_column(name: str) -> str:
    """A caseload file's column as the template names it, however a spreadsheet spelt it:
    "LA reference" and "la-reference" are la_reference."""
    return re.sub(r"[\s-]+", "_", name.strip().lower())


@dataclass
class Table:
    """A file's rows, each (line, {column: value}) with only the columns asked for; values
    are text, stripped, or dates where a spreadsheet's cell held one."""

    rows: list[tuple[int, dict[str, object]]]
    ignored: list[str] = field(default_factory=list)  # columns nobody asked for
    notes: list[str] = field(default_factory=list)  # what the reader chose (which sheet)


def read_table(file, *, required: Iterable[str], optional: Iterable[str] = (),
               column: Callable[[str], str] = str.strip,
               encodings: tuple[str, ...] = ("utf-8-sig",),
               save_as: str = "CSV UTF-8 (Comma delimited)") -> Table:
    """The rows of `file` (a binary file object), by `column`'s reading of the header.
    Refused (FileRefused) when it is too large, not CSV or Excel, not in one of
    `encodings`, has merged cells, a column twice, or lacks a `required` column."""
    required, wanted = list(required), [*required, *optional]
    size = _size(file)
    if size > max_bytes():
        raise FileRefused(
            f"The file is {filesizeformat(size)}; the largest the portal takes is "
            f"{filesizeformat(max_bytes())}. Take out the columns the import does not read, "
            "or split the rows into several files and import each.")
    start = file.read(8)
    file.seek(0)
    if not start.strip():
        raise FileRefused("The file is empty. Export the records again, with the column "
                          "names in the first row.")
    if start.startswith(ZIP):
        header, rows, notes = _workbook_rows(file)
    elif start.startswith(OLE2):
        raise FileRefused("This is an Excel 97-2003 workbook (.xls), which the portal does "
                          "not read. In Excel, use Save As and choose Excel Workbook (.xlsx) "
                          f"or {save_as}.")
    else:
        header, rows, notes = _csv_rows(file.read(), encodings, save_as)
    names = [column(str(name or "")) for name in header]
    _check_header(names, required)
    keep = [(index, name) for index, name in enumerate(names) if name in wanted]
    table = Table(rows=[], notes=notes,
                  ignored=[name for name in names if name and name not in wanted])
    for line, cells in rows:
        values = {name: _value(cells[index]) if index < len(cells) else ""
                  for index, name in keep}
        if any(value != "" for value in values.values()):
            table.rows.append((line, values))
    return table


def _size(file) -> int:
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    return size


def _check_header(names: list[str], required: list[str]) -> None:
    doubled = sorted({name for name in names if name and names.count(name) > 1})
    if doubled:
        raise FileRefused(f"The column {_listed(doubled)} appears more than once. Keep one "
                          "of each and import again.")
    missing = [name for name in required if name not in names]
    if missing:
        raise FileRefused(
            f"The file has no column {_listed(missing)}. The first row must name the "
            f"columns, {_listed(required)} at least: copy the template's first row.")


def _listed(names: list[str]) -> str:
    quoted = [f"“{name}”" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _value(cell) -> object:
    """Text stripped, a date as a date, a whole number without its ".0" (an Excel cell
    holding a URN is a number)."""
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, bool):
        return str(cell).upper()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def _csv_rows(data: bytes, encodings: tuple[str, ...], save_as: str):
    if data.startswith(UTF16_MARKS) or b"\x00" in data[:4096]:
        raise FileRefused("This file is not CSV text or an Excel workbook (it may be "
                          f"Unicode text, UTF-16). In Excel, use Save As and choose {save_as}.")
    text = _decoded(data, encodings, save_as)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        return header, _numbered(reader), []
    except csv.Error as error:
        raise FileRefused(f"Line {reader.line_num} cannot be read as CSV ({error}). Export "
                          "the file again from the spreadsheet or the case-management "
                          "system.") from error


def _numbered(reader):
    """Each record with the line it ends on, as a spreadsheet numbers lines (the header
    is line 1)."""
    try:
        return [(reader.line_num, record) for record in reader]
    except csv.Error as error:
        raise FileRefused(f"Line {reader.line_num} cannot be read as CSV ({error}). Export "
                          "the file again from the spreadsheet or the case-management "
                          "system.") from error


def _decoded(data: bytes, encodings: tuple[str, ...], save_as: str) -> str:
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            failed = error
    line = data[:failed.start].count(b"\n") + 1
    raise FileRefused(
        f"Line {line} has characters that are not UTF-8 text (the file was probably saved "
        f"as plain “CSV” in another encoding). In Excel, use Save As and choose {save_as}; "
        "or export the file as UTF-8 from the case-management system.")


# ---------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------


def _workbook_rows(file):
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileRefused("This file is a zip archive but not an Excel workbook the portal "
                          "can read. Save it again from Excel as an Excel Workbook (.xlsx), "
                          "or as CSV.") from error
    try:
        sheet = book.worksheets[0]
        merged = _merged_ranges(sheet)
        if merged:
            shown = ", ".join(merged[:5]) + (" and more" if len(merged) > 5 else "")
            raise FileRefused(
                f"The sheet “{sheet.title}” has merged cells ({shown}). A merged cell's "
                "value belongs to one row only: unmerge them (Home, Merge & Center, Unmerge "
                "Cells), fill in every row, and import again.")
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        table = [(line, cells) for line, cells in enumerate(rows, start=2)]
    finally:
        book.close()
    notes = []
    if len(book.worksheets) > 1:
        notes.append(f"Read the first sheet, “{sheet.title}”, of {len(book.worksheets)}: the "
                     "others were not read.")
    return header, table, notes


def _merged_ranges(sheet) -> list[str]:
    """The merged ranges of a sheet opened read-only, which openpyxl does not list: read
    from the sheet's own XML, where they follow its cells. The sheet's part is opened the
    way openpyxl's read-only sheet opens it (its only way to the part's name)."""
    found: dict[str, None] = {}
    overlap = b""
    with sheet._get_source() as source:
        while chunk := source.read(1 << 20):
            text = overlap + chunk
            found.update(dict.fromkeys(m.group(1).decode() for m in MERGED.finditer(text)))
            overlap = text[-100:]  # a tag cut in two by the chunk's end is read whole
    return list(found)
