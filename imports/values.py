"""One cell's value read as what its column holds, or a ValueError saying what to write."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"]
DATE_HELP = "Enter the date as 31/03/2015 or 2015-03-31"


def a_date(value) -> dt.date | None:
    """A date from a spreadsheet's date cell, or written day first (the UK's way) or as
    ISO 8601; None for an empty cell."""
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    for form in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(value, form).date()
        except ValueError:
            continue
        if day.year < 1900:
            break
        return day
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2}", value):
        raise ValueError(f"Write the year in full. {DATE_HELP}")
    raise ValueError(f"“{value}” is not a date. {DATE_HELP}")


def an_email(value: str) -> str:
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError as error:
        raise ValueError(f"“{value}” is not an email address: write it as "
                         "name@example.org") from error
    return value


def a_whole_number(value: str, lowest: int, highest: int) -> int | None:
    if value == "":
        return None
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not lowest <= number <= highest:
        raise ValueError(f"Enter a whole number from {lowest} to {highest}")
    return number


def compact(value: str) -> str:
    """A number written with spaces (a UPN, a ULN), without them, in capitals."""
    return re.sub(r"\s+", "", str(value)).upper()
