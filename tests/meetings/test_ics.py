"""Invitations (.ics): valid in icalendar and vobject, stable UID, SEQUENCE, CANCEL, DST."""

from __future__ import annotations

import datetime as dt

import icalendar
import vobject

from mentoring.meetings import ics, planning
from mentoring.meetings.enums import MeetingMode
from notifications import calendar
from tests.meetings import helpers as h


def _invites(messages, filename="uitnodiging.ics"):
    return [icalendar.Calendar.from_ical(h.attachment(m, filename)) for m in messages]


def _with_ics(messages):
    return [m for m in messages if m.attachments]


def _event(cal):
    [event] = cal.walk("VEVENT")
    return event


def test_invite_has_method_organizer_attendees_uid_sequence_and_guide_link(pair):
    h.plan(
        pair,
        1,
        h.ams(2026, 12, 1),
        mode=MeetingMode.ONLINE,
        online_url="https://meet.example.org/m1",
    )
    meeting = h.meeting(pair, 1)
    for cal in _invites([m for m in h.sent_mail() if m.attachments]):
        assert cal["METHOD"] == "REQUEST"
        event = _event(cal)
        assert str(event["UID"]) == meeting.uid
        assert int(event["SEQUENCE"]) == meeting.sequence
        assert str(event["ORGANIZER"]).startswith("mailto:")
        attendees = sorted(str(a) for a in event.get("ATTENDEE"))
        assert attendees == sorted(
            f"mailto:{u.email}" for u in (pair.mentor.user, pair.schoolleider.user)
        )
        assert event.decoded("DTSTART") == h.ams(2026, 12, 1)
        assert event.decoded("DTEND") == h.ams(2026, 12, 1, 17)
        assert str(event["LOCATION"]) == "https://meet.example.org/m1"
        assert f"/koppel/{pair.pk}/gesprekken/" in str(
            event["DESCRIPTION"]
        )  # guide, until guides exist
        assert "https://meet.example.org/m1" in str(event["DESCRIPTION"])


def test_invite_parses_in_vobject_too(pair):
    h.plan(pair, 1, h.ams(2026, 12, 1))
    raw = h.attachment(_with_ics(h.sent_mail())[0], "uitnodiging.ics").decode()
    parsed = vobject.readOne(raw)
    assert parsed.method.value == "REQUEST"
    assert parsed.vevent.dtstart.value == h.ams(2026, 12, 1)
    assert parsed.vevent.uid.value == h.meeting(pair, 1).uid


def test_moved_meeting_updates_the_same_event_with_higher_sequence(pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    [first] = _invites(_with_ics(h.sent_mail())[:1])
    planning.meeting_move(
        meeting=planned,
        by=pair.mentor.user,
        starts_at=h.ams(2026, 12, 2),
        mode=MeetingMode.SCHOOL,
        reason="Studiedag",
    )
    [second] = _invites(_with_ics(h.sent_mail())[:1])
    assert second["METHOD"] == "REQUEST"
    assert _event(second)["UID"] == _event(first)["UID"]
    assert int(_event(second)["SEQUENCE"]) > int(_event(first)["SEQUENCE"])
    assert _event(second).decoded("DTSTART") == h.ams(2026, 12, 2)


def test_cancelled_meeting_sends_method_cancel_for_the_same_uid(pair):
    planned = h.plan(pair, 1, h.ams(2026, 12, 1))
    h.sent_mail()
    planning.meeting_cancel(meeting=planned, by=pair.schoolleider.user, reason="Ziek")
    [cal, _other] = _invites(h.sent_mail(), "annulering.ics")
    assert cal["METHOD"] == "CANCEL"
    assert str(_event(cal)["UID"]) == planned.uid
    assert str(_event(cal)["STATUS"]) == "CANCELLED"
    assert int(_event(cal)["SEQUENCE"]) == planned.sequence + 1


def test_times_round_trip_exactly_across_the_october_dst_change():
    # Last Sunday of October 2026: CEST (UTC+2) ends on 25 October.
    before, after = h.ams(2026, 10, 23, 15), h.ams(2026, 10, 26, 15)
    events = [
        {
            "uid": f"e{i}@test",
            "sequence": 0,
            "starts_at": s,
            "ends_at": s + dt.timedelta(hours=2),
            "summary": "Gesprek",
        }
        for i, s in enumerate((before, after))
    ]
    raw = calendar.build_calendar(events, name="test")
    parsed = icalendar.Calendar.from_ical(raw)
    starts = sorted(e.decoded("DTSTART") for e in parsed.walk("VEVENT"))
    assert starts == [before, after]
    assert [s.astimezone(h.AMS).hour for s in starts] == [15, 15]
    assert [s.utcoffset() for s in (before, after)] == [
        dt.timedelta(hours=2),
        dt.timedelta(hours=1),
    ]
    other = vobject.readOne(raw.decode())
    vstarts = sorted(v.dtstart.value for v in other.vevent_list)
    assert vstarts == [before, after]
    assert [v.astimezone(h.AMS).strftime("%H:%M") for v in vstarts] == ["15:00", "15:00"]


def test_fast_feed_writer_parses_the_same_as_icalendar_in_both_parsers():
    start = h.ams(2026, 12, 1, 15)
    tricky = {
        "uid": "meeting-abc@leerkracht-mentoring",
        "sequence": 3,
        "status": "CANCELLED",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "summary": "Mentorgesprek 1: Zoë Ünal & Jan, de Vries; 'Café'",
        "description": "Regel één\nRegel twee met \\ backslash; puntkomma, komma\r\n"
        + "Ëën heel lange regel " * 12,
        "location": "Basisschool Het Ééndje, Kerkstraat 1, 3511 AB Utrecht; ingang achter " * 3,
        "url": "https://example.org/programma/1/koppel/2/gesprekken/" + "x" * 90,
    }
    plain = dict(tricky, uid="plain@x", status="CONFIRMED", description="", location="")
    fast = calendar.write_feed([tricky, plain], name="Agenda; één, twee")
    reference = calendar.build_calendar([tricky, plain], name="Agenda; één, twee")
    assert all(len(line) <= 75 for line in fast.split(b"\r\n"))
    fields = ("UID", "SEQUENCE", "STATUS", "SUMMARY", "DESCRIPTION", "LOCATION", "URL")

    def by_icalendar(raw):
        return [
            ({k: str(e.get(k, "")) for k in fields}, e.decoded("DTSTART"), e.decoded("DTEND"))
            for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")
        ]

    assert by_icalendar(fast) == by_icalendar(reference)
    [got, _] = by_icalendar(fast)
    assert got[0]["DESCRIPTION"] == tricky["description"].replace("\r\n", "\n")
    assert got[0]["SUMMARY"] == tricky["summary"]

    def by_vobject(raw):
        cal = vobject.readOne(raw.decode())
        return [
            (
                v.uid.value,
                v.summary.value,
                v.dtstart.value,
                v.dtend.value,
                getattr(v, "location", None) and v.location.value,
            )
            for v in cal.vevent_list
        ]

    assert by_vobject(fast) == by_vobject(reference)


def test_guide_link_points_to_the_guides_page_when_it_exists(pair):
    from django.urls import NoReverseMatch, reverse

    h.plan(pair, 2, h.ams(2027, 1, 12))
    meeting = h.meeting(pair, 2)
    try:
        expected = reverse("guides:pair_meeting", args=(pair.program_id, pair.pk, 2))
    except NoReverseMatch:
        expected = reverse("meetings:pair", args=(pair.program_id, pair.pk))
    assert ics.guide_url(meeting).endswith(expected)
    assert ics.guide_url(meeting) in ics.meeting_description(meeting)
