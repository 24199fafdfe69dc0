"""The two commands: a dry run and a real one print the report, row by row, each problem
with its column and reason; a refused file or authority stops with what to fix; each real
run is kept on record beside the admin's."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency
from imports.models import ImportRun
from reviews.models import Child
from tests.imports.conftest import TEMPLATE, caseload, gias_bytes, row

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def messy(tmp_path):
    path = tmp_path / "caseload.csv"
    path.write_bytes(caseload(row(la_reference="A"),
                              row(la_reference="B", parent_phone="123")).getvalue())
    return path


def test_a_dry_run_prints_the_report_and_writes_nothing(authority, officer, schools, messy):
    printed = run("import_caseload", str(messy), "--authority", "998", "--dry-run")

    assert printed.splitlines() == [
        "Nothing was written (a dry run): 2 rows, 1 new, 1 refused.",
        "Line 3 (B): refused",
        "    parent_phone: Enter a phone number like 01632 960 001, 07700 900 982 or "
        "+44 7700 900 982",
    ]
    assert not Child.objects.exists() and not ImportRun.objects.exists()


def test_the_real_run_imports_the_good_rows_and_keeps_the_run(authority, officer, schools,
                                                              messy, tmp_path):
    report = tmp_path / "report.csv"

    printed = run("import_caseload", str(messy), "--authority", "998", "--report",
                  str(report), "--verbosity", "2")

    assert printed.splitlines()[:2] == ["Imported: 2 rows, 1 new, 1 refused.",
                                        "Line 2 (A): new"]
    assert list(Child.objects.values_list("la_reference", flat=True)) == ["A"]
    kept = ImportRun.objects.get()
    assert (kept.kind, kept.status, kept.filename, kept.requested_by) == (
        "caseload", ImportRun.Status.DONE, "caseload.csv", None)
    lines = list(csv.reader(report.open(encoding="utf-8-sig")))
    assert lines[0] == ["Line", "Reference", "Outcome", "Column", "Problem", "Changed"]
    assert [line[:4] for line in lines[1:]] == [["2", "A", "new", ""],
                                                ["3", "B", "refused", "parent_phone"]]


def test_all_or_nothing_stops_with_nothing_imported(authority, officer, schools, messy):
    with pytest.raises(CommandError, match="Nothing was imported"):
        run("import_caseload", str(messy), "--authority", "998", "--all-or-nothing")

    assert not Child.objects.exists()
    assert ImportRun.objects.get().status == ImportRun.Status.NOT_IMPORTED


def test_a_refused_file_stops_with_what_to_fix(authority, tmp_path):
    path = tmp_path / "caseload.csv"
    path.write_bytes(b"la_reference,first_name\r\nA,Alex\r\n")

    with pytest.raises(CommandError, match=r"caseload.csv was refused, and nothing was "
                                           r"written: The file has no column “last_name”"):
        run("import_caseload", str(path), "--authority", "998")


def test_an_unknown_authority_or_file_stops(authority, tmp_path):
    with pytest.raises(CommandError, match="No local authority has the DfE number 123"):
        run("import_caseload", str(TEMPLATE), "--authority", "123")
    with pytest.raises(CommandError, match="There is no file"):
        run("import_caseload", str(tmp_path / "missing.csv"), "--authority", "998")


def test_the_schools_command_reads_the_register_and_the_placements(authority, tmp_path):
    register, placements = tmp_path / "edubasealldata.csv", tmp_path / "caseload.csv"
    register.write_bytes(gias_bytes())
    placements.write_bytes(caseload(row(setting_urn="200000")).getvalue())

    printed = run("import_schools", str(register), "--authority", "998", "--placements",
                  str(placements))

    assert printed.splitlines()[0] == "Imported: 6 rows, 5 new, 1 skipped."
    assert Agency.objects.filter(kind="school").count() == 5
    assert ImportRun.objects.get().kind == "schools"
