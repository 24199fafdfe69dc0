"""The VTIMEZONE the portal writes is Europe/London as the tz database has it, for every
clock change from 2026 to 2035, read by three parsers from the file's own definition:
dateutil, icalendar and vobject. (A calendar that knows the zone by name ignores the
definition; one that does not, reads it: the spring change used to come an hour late.)"""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import vobject
from dateutil import tz as dateutil_tz
from icalendar import Calendar, Event

from reviews.calendar import calendar

LONDON = ZoneInfo("Europe/London")
YEARS = range(2026, 2036)


def clock_changes() -> list[dt.datetime]:
    """Every instant (UTC, to the minute) at which London's offset changes, found by
    walking the tz database minute by minute through each March and October."""
    changes = []
    for year in YEARS:
        for month in (3, 10):
            moment = dt.datetime(year, month, 20, tzinfo=dt.UTC)
            while moment.month == month:
                after = moment + dt.timedelta(minutes=1)
                if moment.astimezone(LONDON).utcoffset() != after.astimezone(LONDON).utcoffset():
                    changes.append(after)
                moment = after
    return changes


@pytest.fixture(scope="module")
def written() -> bytes:
    """A calendar whose meetings span 2026 to 2035, as the portal writes it."""
    events = []
    for n, start in enumerate([dt.datetime(2026, 1, 5, 10, tzinfo=LONDON),
                               dt.datetime(2035, 12, 3, 10, tzinfo=LONDON)]):
        event = Event()
        event.add("uid", f"tz-{n}@test")
        event.add("dtstamp", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        event.add("dtstart", start)
        events.append(event)
    return calendar(events)


def readers(ics: bytes):
    text = ics.decode()
    vtimezone = text[text.index("BEGIN:VTIMEZONE"):text.index("END:VTIMEZONE") + 13]
    return {
        "dateutil": dateutil_tz.tzical(io.StringIO(vtimezone)).get(),
        "icalendar": next(iter(Calendar.from_ical(ics).walk("VTIMEZONE"))).to_tz(),
        "vobject": vobject.readOne(text).vtimezone.gettzinfo(),
    }


def test_there_are_two_changes_a_year():
    assert len(clock_changes()) == 2 * len(YEARS)


@pytest.mark.parametrize("reader", ["dateutil", "icalendar", "vobject"])
def test_every_change_from_2026_to_2035_is_at_the_right_instant(written, reader):
    zone = readers(written)[reader]
    wrong = []
    for change in clock_changes():
        for moment in (change - dt.timedelta(seconds=1), change,
                       change + dt.timedelta(minutes=59)):
            if moment.astimezone(zone).utcoffset() != moment.astimezone(LONDON).utcoffset():
                wrong.append(moment.isoformat())
    assert not wrong


@pytest.mark.parametrize("reader", ["dateutil", "icalendar", "vobject"])
def test_local_meeting_times_on_change_days_mean_the_same_instant(written, reader):
    """A meeting at 10:00 on the morning of each change is the same instant for the reader
    as for the tz database."""
    zone = readers(written)[reader]
    for change in clock_changes():
        local = dt.datetime.combine(change.date(), dt.time(10))
        assert local.replace(tzinfo=zone).utcoffset() == local.replace(tzinfo=LONDON).utcoffset()


def test_the_definition_is_two_yearly_rules_with_onsets_in_the_time_before_each_change(written):
    zone = next(iter(Calendar.from_ical(written).walk("VTIMEZONE")))
    parts = {part.name: part for part in zone.subcomponents}
    assert set(parts) == {"DAYLIGHT", "STANDARD"}
    spring, autumn = parts["DAYLIGHT"], parts["STANDARD"]
    assert spring["DTSTART"].dt.time() == dt.time(1) and spring["TZNAME"] == "BST"
    assert autumn["DTSTART"].dt.time() == dt.time(2) and autumn["TZNAME"] == "GMT"
    assert spring["RRULE"]["BYDAY"] == ["-1SU"] and spring["RRULE"]["BYMONTH"] == [3]
    assert autumn["RRULE"]["BYDAY"] == ["-1SU"] and autumn["RRULE"]["BYMONTH"] == [10]
