"""A file nobody can read safely is refused as a whole, with what to fix, before any row is
written: the wrong encoding, a missing column, merged cells, the old .xls, a file too
large. A good Excel workbook reads as its CSV does."""

import io

import pytest
from openpyxl import Workbook

from imports.caseload import import_caseload
from imports.reading import FileRefused
from reviews.models import Child
from tests.imports.conftest import COLUMNS, caseload, row

pytestmark = pytest.mark.django_db


def workbook(rows, *, merge: str = "", sheets: int = 1) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "Caseload"
    for values in rows:
        sheet.append(values)
    if merge:
        sheet.merge_cells(merge)
    for n in range(1, sheets):
        book.create_sheet(f"Notes {n}")
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def refusal(file, authority) -> str:
    with pytest.raises(FileRefused) as refused:
        import_caseload(file, authority)
    assert not Child.objects.exists()
    return str(refused.value)


def test_a_file_in_another_encoding_is_refused_with_how_to_save_it(authority, officer,
                                                                   schools):
    text = caseload(row(), row(la_reference="T-2", last_name="Zoë")).getvalue().decode(
        "utf-8-sig")

    message = refusal(io.BytesIO(text.encode("cp1252")), authority)

    assert message.startswith("Line 3 has characters that are not UTF-8 text")
    assert "choose CSV UTF-8 (Comma delimited)" in message


def test_a_missing_column_is_named(authority, officer, schools):
    columns = [c for c in COLUMNS if c not in ("plan_first_issued", "coordinator_email")]

    message = refusal(caseload(row(), columns=columns), authority)

    assert message.startswith("The file has no column “plan_first_issued” and "
                              "“coordinator_email”.")


def test_a_column_twice_is_refused(authority):
    data = caseload(row()).getvalue().replace(b"first_name,last_name", b"first_name,first name")

    assert refusal(io.BytesIO(data), authority).startswith(
        "The column “first_name” appears more than once.")


def test_an_excel_sheet_with_merged_cells_is_refused(authority, officer, schools):
    values = [COLUMNS, [row(la_reference="T-1").get(c, "") for c in COLUMNS],
              [row(la_reference="T-2").get(c, "") for c in COLUMNS]]

    message = refusal(workbook(values, merge="G2:G3"), authority)

    assert message.startswith("The sheet “Caseload” has merged cells (G2:G3).")
    assert "Unmerge Cells" in message


def test_an_excel_workbook_imports_as_its_csv_does(authority, officer, schools):
    import datetime as dt

    cells = [row(la_reference="T-1").get(c, "") for c in COLUMNS]
    # Excel keeps dates as dates and a URN typed in as a number.
    cells[COLUMNS.index("date_of_birth")] = dt.datetime(2015, 2, 1)
    cells[COLUMNS.index("setting_urn")] = 100000

    report = import_caseload(workbook([COLUMNS, cells], sheets=2), authority)

    assert [(r.reference, r.outcome, r.problems) for r in report.rows] == [("T-1", "new", [])]
    assert report.notes == ["Read the first sheet, “Caseload”, of 2: the others were not "
                            "read."]
    child = Child.objects.get()
    assert (child.date_of_birth, child.setting.urn) == (dt.date(2015, 2, 1), "100000")


def test_the_old_excel_format_is_refused(authority):
    message = refusal(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), authority)

    assert message.startswith("This is an Excel 97-2003 workbook (.xls)")


def test_a_zip_that_is_not_a_workbook_is_refused(authority):
    message = refusal(io.BytesIO(b"PK\x03\x04" + b"\0" * 100), authority)

    assert message.startswith("This file is a zip archive but not an Excel workbook")


def test_utf16_text_is_refused(authority):
    data = caseload(row()).getvalue().decode("utf-8-sig").encode("utf-16")

    assert "UTF-16" in refusal(io.BytesIO(data), authority)


def test_an_empty_file_is_refused(authority):
    assert refusal(io.BytesIO(b"  \r\n"), authority).startswith("The file is empty.")


def test_a_file_over_the_limit_is_refused_before_it_is_read(authority, settings):
    settings.IMPORT_MAX_BYTES = 1000

    message = refusal(caseload(*[row(la_reference=f"T-{n}") for n in range(10)]), authority)

    assert message.startswith("The file is 1.6\xa0KB; the largest the portal takes is "
                              "1000\xa0bytes.")


def test_a_semicolon_separated_file_and_blank_rows_are_read(authority, officer, schools):
    text = caseload(row()).getvalue().decode("utf-8-sig").replace(",", ";") + ";;;\r\n"

    report = import_caseload(io.BytesIO(text.encode()), authority)

    assert [(r.reference, r.outcome) for r in report.rows] == [("T-1", "new")]
