"""Every table written as CSV and as Excel reads back with the numbers on the screen."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from accountability.exports import download_name, sheet_title, table_bytes
from accountability.tables import Cell, Column, Table


def figures() -> Table:
    return Table(
        key="timeliness-by-month", title="Decisions within 4 weeks, by month",
        columns=[Column("month", "Month"), Column("decided", "Decisions", numeric=True),
                 Column("on_time", "Within 4 weeks (%)", numeric=True),
                 Column("first", "First meeting"), Column("note", "Note")],
        rows=[
            [Cell("March 2027"), Cell(41, url="/reviews/?month=2027-03"), Cell(87.8),
             Cell(dt.date(2027, 3, 2)), Cell("Amira's team, €5 café")],
            [Cell("April 2027"), Cell(0), Cell(None), Cell(None), Cell("")],
        ])


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode()), "Excel needs the byte order mark for UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_a_table_as_csv_reads_back_with_the_same_values():
    rows = read_csv(table_bytes(figures(), "csv"))
    assert rows == [
        ["Month", "Decisions", "Within 4 weeks (%)", "First meeting", "Note"],
        ["March 2027", "41", "87.8", "2027-03-02", "Amira's team, €5 café"],
        ["April 2027", "0", "", "", ""],
    ]


def test_a_table_as_excel_reads_back_with_numbers_as_numbers_and_dates_as_dates():
    table = figures()
    rows = read_xlsx(table_bytes(table, "xlsx"))
    assert rows[0] == [column.label for column in table.columns]
    assert rows[1][:3] == ["March 2027", 41, 87.8]
    assert rows[1][3].date() == dt.date(2027, 3, 2)
    assert rows[2][:3] == ["April 2027", 0, None]
    sheet = load_workbook(io.BytesIO(table_bytes(table, "xlsx"))).active
    assert sheet.title == "Decisions within 4 weeks, by mo"


def test_text_that_looks_like_a_formula_is_never_run_as_one():
    table = Table(key="names", title="Names", columns=[Column("name", "Name")],
                  rows=[[Cell("=HYPERLINK(\"http://evil.example\")")], [Cell("-1+2")]])
    assert read_csv(table_bytes(table, "csv"))[1:] == [
        ["'=HYPERLINK(\"http://evil.example\")"], ["'-1+2"]]
    sheet = load_workbook(io.BytesIO(table_bytes(table, "xlsx"))).active
    assert [(c.value, c.data_type) for c in sheet["A"][1:]] == [
        ("=HYPERLINK(\"http://evil.example\")", "s"), ("-1+2", "s")]


@pytest.mark.parametrize(("title", "expected"), [
    ("Advice on time: agency [NHS]/social care?", "Advice on time  agency  NHS  so"),
    ("", "Figures"),
])
def test_a_sheet_name_is_one_excel_accepts(title, expected):
    assert sheet_title(title) == expected


def test_a_file_is_named_by_its_table_key_and_the_day():
    assert download_name("timeliness-by-month", "xlsx", dt.date(2027, 3, 4)) == \
        "timeliness-by-month-2027-03-04.xlsx"
