"""The .ics files: valid in two independent parsers, exact times across the DST change."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from notifications import calendar
from webinars import ics

from .helpers import make_session, place

AMS = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC


def _build(starts_at, ends_at, method="REQUEST", sequence=3):
    """A webinar place's file, written by the shared writer as registration_ics writes it."""
    if method not in ics.METHODS:
        raise ValueError(method)
    event = {
        "uid": "abc-123@webinar.leerkracht-mentoring",
        "sequence": sequence,
        "status": "CANCELLED" if method == "CANCEL" else "CONFIRMED",
        "starts_at": starts_at,
        "ends_at": ends_at,
        "summary": "Webinar: Voorbereiding",
        "description": "Deelnemen via: https://meet.example.org/x",
        "location": "https://meet.example.org/x",
        "url": "https://meet.example.org/x",
        "attendees": [("Mia Mentor", "mentor@bedrijf.example")],
        "partstat": "ACCEPTED",
    }
    return calendar.build_calendar([event], method=method)


# Summer time on Saturday 24 October 2026, winter time from Sunday 25 October 03:00.
DST_CASES = [
    (dt.datetime(2026, 10, 24, 19, 30, tzinfo=AMS), 90),  # CEST, UTC+2
    (dt.datetime(2026, 10, 26, 19, 30, tzinfo=AMS), 90),  # CET, UTC+1
    (dt.datetime(2026, 10, 25, 1, 30, tzinfo=AMS), 180),  # spans the change itself
    (dt.datetime(2027, 3, 28, 1, 0, tzinfo=AMS), 120),  # spans the spring change
]


@pytest.mark.parametrize(("start", "minutes"), DST_CASES)
def test_ics_times_round_trip_exactly_in_icalendar(start, minutes):
    end = start + dt.timedelta(minutes=minutes)
    cal = icalendar.Calendar.from_ical(_build(start, end))
    event = cal.walk("VEVENT")[0]
    got_start = event.decoded("dtstart")
    got_end = event.decoded("dtend")
    assert got_start == start and got_end == end
    assert got_start.astimezone(AMS).replace(tzinfo=None) == start.replace(tzinfo=None)
    assert (got_end - got_start) == (end.astimezone(UTC) - start.astimezone(UTC))


@pytest.mark.parametrize(("start", "minutes"), DST_CASES)
def test_ics_times_round_trip_exactly_in_vobject(start, minutes):
    end = start + dt.timedelta(minutes=minutes)
    cal = vobject.readOne(_build(start, end).decode("utf-8"))
    event = cal.vevent
    assert event.dtstart.value == start
    assert event.dtend.value == end
    assert event.dtstart.value.astimezone(AMS).hour == start.hour


def test_ics_request_has_method_organizer_attendee_uid_sequence():
    start = dt.datetime(2026, 10, 14, 19, 0, tzinfo=AMS)
    raw = _build(start, start + dt.timedelta(minutes=90))
    cal = icalendar.Calendar.from_ical(raw)
    assert str(cal["METHOD"]) == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == "abc-123@webinar.leerkracht-mentoring"
    assert int(event["SEQUENCE"]) == 3
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert str(event["ATTENDEE"]) == "mailto:mentor@bedrijf.example"
    assert event["ATTENDEE"].params["CN"] == "Mia Mentor"
    assert str(event["LOCATION"]) == "https://meet.example.org/x"
    assert str(event["URL"]) == "https://meet.example.org/x"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert b"DTSTART:20261014T170000Z" in raw
    v = vobject.readOne(raw.decode("utf-8"))
    assert v.method.value == "REQUEST"
    assert v.vevent.uid.value == "abc-123@webinar.leerkracht-mentoring"
    assert v.vevent.organizer.value.startswith("mailto:")
    assert v.vevent.attendee.value == "mailto:mentor@bedrijf.example"


def test_ics_cancel_has_method_cancel_and_status_cancelled():
    start = dt.datetime(2026, 10, 14, 19, 0, tzinfo=AMS)
    raw = _build(start, start + dt.timedelta(minutes=90), method="CANCEL", sequence=4)
    cal = icalendar.Calendar.from_ical(raw)
    assert str(cal["METHOD"]) == "CANCEL"
    event = cal.walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 4
    assert vobject.readOne(raw.decode("utf-8")).vevent.status.value == "CANCELLED"


def test_registration_ics_rejects_unknown_method(program, mentor):
    reg = place(make_session(program), mentor)
    with pytest.raises(ValueError):
        ics.registration_ics(reg, method="REPLY")


def test_registration_invitation_has_the_accepted_attendee(program, mentor):
    reg = place(make_session(program), mentor)
    event = icalendar.Calendar.from_ical(ics.registration_ics(reg)).walk("VEVENT")[0]
    assert str(event["ATTENDEE"]) == f"mailto:{mentor.email}"
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"


def test_registration_ics_uses_registration_uid_and_sequence(program, mentor):
    session = make_session(program)
    reg = place(session, mentor, sequence=2)
    cal = icalendar.Calendar.from_ical(ics.registration_ics(reg))
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == reg.uid and int(event["SEQUENCE"]) == 2
    assert event.decoded("dtstart") == session.starts_at
    assert session.meeting_url in str(event["DESCRIPTION"])
