"""A council ready to import: its SEND team's case officer, its schools from the register,
and helpers that write a caseload file from rows."""

import csv
import io
from pathlib import Path

import pytest

from agencies.models import Discipline, Role
from imports.checks import OPTIONAL, REQUIRED
from imports.schools import import_schools
from tests.conftest import make_person

TEMPLATE = Path(__file__).resolve().parents[2] / "imports/templates_files/caseload-template.csv"
COLUMNS = next(csv.reader(TEMPLATE.open(encoding="utf-8")))
assert sorted(COLUMNS) == sorted(REQUIRED + OPTIONAL)

GIAS_HEADER = ["URN", "LA (code)", "LA (name)", "EstablishmentName",
               "TypeOfEstablishment (name)", "EstablishmentTypeGroup (name)",
               "EstablishmentStatus (name)", "PhaseOfEducation (name)", "StatutoryLowAge",
               "StatutoryHighAge", "Town", "TelephoneNum", "SchoolWebsite"]
# A few of the register's rows, as it publishes them.
GIAS_ROWS = [
    ["100000", "998", "Testshire", "Brookside Primary School", "Community school",
     "Local authority maintained schools", "Open", "Primary", "4", "11", "Testbridge",
     "01632960100", "www.brookside.example.org"],
    ["100001", "998", "Testshire", "Testbridge Academy", "Academy converter", "Academies",
     "Open", "Secondary", "11", "18", "Testbridge", "01632960101", ""],
    ["100002", "998", "Testshire", "Hill Infant School", "Community school",
     "Local authority maintained schools", "Open", "Primary", "4", "7", "Hilltown", "", ""],
    ["100003", "998", "Testshire", "Meadow Special School", "Community special school",
     "Special schools", "Open", "Not applicable", "2", "19", "Testbridge", "", ""],
    ["100004", "998", "Testshire", "Old Mill School", "Community school",
     "Local authority maintained schools", "Closed", "Primary", "4", "11", "Testbridge", "",
     ""],
    ["200000", "997", "Otherborough", "Faraway Café College", "Further education",
     "Colleges", "Open", "16 plus", "16", "99", "Faraway", "", ""],
]


def gias_bytes(rows=GIAS_ROWS, encoding="cp1252") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(GIAS_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


@pytest.fixture
def officer(la_team):
    """The case officer the template names."""
    return make_person("case.officer@example.org", "Casey", "Officer", la_team,
                       Role.COORDINATOR, Discipline.SEN_OFFICER)


@pytest.fixture
def schools(authority):
    import_schools(io.BytesIO(gias_bytes()), authority)
    return {agency.urn: agency for agency in authority.agencies.filter(kind="school")}


def row(**values) -> dict:
    """A good caseload row for the template's school and officer, changed by `values`."""
    base = {
        "la_reference": "T-1", "first_name": "Alex", "last_name": "Tester",
        "date_of_birth": "01/02/2015", "plan_first_issued": "01/09/2021",
        "last_review_meeting": "", "setting_urn": "100000", "primary_need": "SLCN",
        "coordinator_email": "case.officer@example.org", "parent_name": "Pat Tester",
        "parent_email": "pat.tester@example.org", "parent_phone": "01632 960 002",
    }
    return {**base, **values}


def caseload(*rows, columns=None) -> io.BytesIO:
    """A caseload CSV of `rows` (dicts by column), in UTF-8 as Excel saves it."""
    columns = columns or COLUMNS
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode("utf-8-sig"))
