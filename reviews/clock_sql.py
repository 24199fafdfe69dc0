"""The clock's fixed periods written as SQL, for pages that sort or count in the database
rather than asking the clock review by review (ADR 0006): the dashboards, and the order of
"Reviews due". The periods are read from the clock itself, never restated here; tests hold
each use to the clock.
"""

import datetime as dt
from collections.abc import Callable

from django.db.models import DateField, Func, Q
from django.db.models.functions import TruncDate

from reviews import clock

MEETING_DAY = TruncDate("meeting_at")  # in Europe/London, as Review.meeting_date


class DaysLater(Func):
    """A date a whole number of days later (earlier if negative). PostgreSQL adds an
    integer to a date and gets a date, cheaper than an interval and a cast back."""

    output_field = DateField()
    arity = 1

    def __init__(self, expression, days: int):
        super().__init__(expression)
        self.days = int(days)  # written into the SQL: never from a request

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} + {self.days})", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '{self.days:+d} days')", params


def days_by(deadline: Callable[[dt.date], dt.date]) -> int:
    """How many days after the day it counts from a clock deadline falls (negative:
    before): the clock's fixed periods, read from the clock itself."""
    start = dt.date(2001, 1, 1)
    return (deadline(start) - start).days


# National curriculum years a child can be in: nursery (-1) and reception (0) to year 14.
YEAR_GROUPS = range(-1, 15)


def born_in_year_group(year: int, today: dt.date, offsets) -> Q:
    """Children in national curriculum ``year`` on ``today`` as a database filter: for each
    out-of-year-group offset in use, the date-of-birth range the clock's year-group rule
    gives (age on the 31 August before the school year starts)."""
    cutoff = clock.school_year_start(today) - dt.timedelta(days=1)
    rule = Q(pk__in=[])
    for offset in offsets:
        age = year + 4 - offset
        # Aged ``age`` on the cutoff: born after its date ``age + 1`` years before, and on
        # or before its date ``age`` years before. The cutoff is 31 August: no leap day.
        rule |= Q(year_group_offset=offset,
                  date_of_birth__gt=cutoff.replace(year=cutoff.year - age - 1),
                  date_of_birth__lte=cutoff.replace(year=cutoff.year - age))
    return rule
