"""England's bank holidays, for the statutory clock's working-day rules.

The only place that touches the ``holidays`` library: the clock and everything else ask
``is_bank_holiday`` (or ``bank_holidays``) here, so the library can be swapped without
touching a caller.

"Working day" in both SEND Regulations 2014 reg 2 and the HESC Rules 2008 r.1(3) means any
day except a Saturday or Sunday, Christmas Day, Good Friday or a bank holiday under the
Banking and Financial Dealings Act 1971 in England (substitute days and one-off holidays by
royal proclamation, such as 8 May 2023, included).

Keeping it current: one-off bank holidays are announced by proclamation, usually a year or
more ahead, and arrive in a release of the ``holidays`` package (it is maintained, with new
releases every few weeks). To pick them up, upgrade the package in the project environment
(``pip install --upgrade holidays``) and, if a feature is needed, raise the floor on
``holidays`` in pyproject.toml. Nothing here is a hand-kept list to edit.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays
from dateutil.easter import easter


@cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    """Every day in ``year`` that is not a working day in England though it is a weekday
    or weekend day by date: bank holidays (with substitute days), Christmas Day and Good
    Friday. SEND Regs 2014 reg 2; HESC Rules 2008 r.1(3); Banking and Financial Dealings
    Act 1971 s1 and Sch 1."""
    days = set(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())
    # Christmas Day and Good Friday are common-law holidays, not bank holidays under the
    # 1971 Act; the working-day definitions name them separately. Adding them here keeps
    # them out of working days even if the library ever files them under another category.
    days.add(dt.date(year, 12, 25))
    days.add(easter(year) - dt.timedelta(days=2))
    return frozenset(days)


def is_bank_holiday(day: dt.date) -> bool:
    """Whether ``day`` is a bank holiday, Christmas Day or Good Friday in England
    (SEND Regs 2014 reg 2; HESC Rules 2008 r.1(3))."""
    return day in bank_holidays(day.year)
