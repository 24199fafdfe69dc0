"""Calendar artefacts read back as calendars read them: by two independent parsers
(icalendar, and vobject, which reads time zones through dateutil), checked against the iTIP
rules of RFC 5546 for their METHOD, and searched for names."""

import datetime as dt
import re

import vobject
from icalendar import Calendar


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def unfolded(ics: bytes) -> str:
    return ics.decode().replace("\r\n ", "").replace("\r\n\t", "")


def check_itip(ics: bytes, method: str | None) -> list:
    """Both parsers read the same events from `ics`; the rules for `method` hold. Returns
    icalendar's events."""
    cal = Calendar.from_ical(ics)
    vcal = vobject.readOne(ics.decode())
    assert str(cal.get("METHOD", "")) == (method or "")
    events = list(cal.walk("VEVENT"))
    assert events
    assert [str(e["UID"]) for e in events] == [v.uid.value for v in vcal.vevent_list]
    for event, v in zip(events, vcal.vevent_list, strict=True):
        assert "DTSTAMP" in event and v.dtstamp.value.utcoffset() == dt.timedelta(0)
        assert event["DTSTART"].dt == v.dtstart.value
        assert int(event.get("SEQUENCE", 0)) == int(v.sequence.value if hasattr(v, "sequence")
                                                    else 0)
        attendees = as_list(event.get("ATTENDEE"))
        alarms = list(event.walk("VALARM"))
        assert len(alarms) == len(getattr(v, "valarm_list", []))
        if "ORGANIZER" in event:
            organizer = str(event["ORGANIZER"]).lower()
            assert organizer not in {str(a).lower() for a in attendees}, \
                "the organiser is never one of the attendees"
        if method is None:
            continue
        assert "ORGANIZER" in event and "SEQUENCE" in event  # RFC 5546 3.2.1-3.2.5
        if method == "REQUEST":
            assert attendees and str(event["STATUS"]) == "CONFIRMED"
            assert all(a.params["RSVP"] == "TRUE" for a in attendees)
        elif method == "CANCEL":
            assert attendees, "a CANCEL names the attendees it removes"
            assert not alarms, "a CANCEL carries no VALARM"
        elif method == "PUBLISH":
            assert not attendees, "a PUBLISH names no attendee"
    return events


def words_in(text: str, names) -> set[str]:
    """Which of `names` appear in `text` as whole words, whatever their case."""
    return {name for name in names
            if re.search(rf"(?<![\w']){re.escape(name)}(?![\w'])", text, re.IGNORECASE)}
