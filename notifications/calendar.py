"""Calendar files (RFC 5545): the one writer, for the invitations every app mails, the "add
to calendar" downloads and the private feeds. No app's models here: callers pass events in
one neutral shape (a dict: uid, sequence, status, starts_at, ends_at, summary, description,
location, url, attendees as (name, email), optional partstat and changed_at).

Times are written in UTC (``...Z``), which every client converts to local time itself, so
an event round-trips exactly across the daylight-saving change. An invitation is one VEVENT
with METHOD:REQUEST (new or changed: same UID, higher SEQUENCE) or METHOD:CANCEL; a download
is METHOD:PUBLISH; a feed is a plain VCALENDAR (no METHOD) with every event of a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Stichting leerKRACHT//mentoring//NL"


def organizer_email() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL or "")[1] or "mentoring@example.org"


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def build_event(data: dict[str, Any], *, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", data["uid"])
    event.add("sequence", int(data.get("sequence") or 0))
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", _utc(data["starts_at"]))
    event.add("dtend", _utc(data["ends_at"]))
    event.add("summary", data.get("summary", ""))
    if data.get("description"):
        event.add("description", data["description"])
    if data.get("location"):
        event.add("location", data["location"])
    if data.get("url"):
        event.add("url", data["url"])
    event.add("status", data.get("status", "CONFIRMED"))
    event.add("transp", "OPAQUE")
    attendees = data.get("attendees") or []
    if attendees:
        organizer = vCalAddress(f"mailto:{organizer_email()}")
        organizer.params["cn"] = vText("leerKRACHT mentoring")
        event.add("organizer", organizer)
        for name, email in attendees:
            attendee = vCalAddress(f"mailto:{email}")
            if name:
                attendee.params["cn"] = vText(name)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            # Each person answers on the platform (propose/accept, register), not by a
            # calendar reply: the invitee's own answer is still open unless the event says
            # otherwise (a webinar place is taken: ACCEPTED), and no reply is asked for.
            attendee.params["partstat"] = vText(
                "DECLINED"
                if data.get("status") == "CANCELLED"
                else data.get("partstat", "NEEDS-ACTION")
            )
            attendee.params["rsvp"] = vText("FALSE")
            event.add("attendee", attendee, encode=False)
    return event


def build_calendar(
    events: Iterable[dict[str, Any]],
    *,
    method: str | None = None,
    name: str | None = None,
    stamp: dt.datetime | None = None,
) -> bytes:
    """Serialize events into one VCALENDAR; ``method`` for invitations, None for feeds."""
    stamp = stamp or dt.datetime.now(dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", settings.TIME_ZONE)
        # Ask subscribing clients to refresh hourly (Outlook, Apple; Google decides itself).
        cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
    for data in events:
        if data.get("starts_at") and data.get("ends_at"):
            cal.add_component(build_event(data, stamp=stamp))
    return cal.to_ical()


#: The HTTP Content-Type of a download: carries the method, exactly as the body does.
DOWNLOAD_MIMETYPE = "text/calendar; method=PUBLISH; charset=utf-8"


def invite_mimetype(*, cancel: bool = False) -> str:
    """The MIME type of a mailed invitation part: carries the method, as the body does."""
    # Django appends the charset itself when it builds the text/* MIME part.
    return f"text/calendar; method={'CANCEL' if cancel else 'REQUEST'}"


# --- Fast writer for large feeds ------------------------------------------------------------
#
# icalendar builds a component tree and folds every line character by character: about a
# millisecond per event, several seconds for a program's 3,000 meetings. Feeds need only a
# handful of properties, so they are written directly, following RFC 5545 §3.1 (lines of at
# most 75 octets, folded with CRLF + space, never inside a UTF-8 sequence) and §3.3.11 (text
# escaping). tests/meetings/test_ics.py checks the result parses the same in icalendar and
# vobject as icalendar's own output.


def _text(value: str) -> str:
    # Chained str.replace is C-speed and nearly free when the character is absent,
    # unlike str.translate with a mapping (a dict lookup per character).
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    value = value.replace(";", "\\;").replace(",", "\\,")
    if "\n" in value or "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return value


def _fold(line: str) -> str:
    if line.isascii():
        if len(line) <= 75:
            return line
        # One octet per character: cut at 75, then every 74 (after the leading space).
        return "\r\n ".join([line[:75], *(line[i : i + 74] for i in range(75, len(line), 74))])
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts = []
    start, limit = 0, 75
    while start < len(raw):
        end = min(start + limit, len(raw))
        # Step back to a character boundary (continuation bytes are 0b10xxxxxx).
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(raw[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines begin with a space
    return "\r\n ".join(parts)


def _stamp(value: dt.datetime) -> str:
    u = value.astimezone(dt.UTC)
    return f"{u.year:04d}{u.month:02d}{u.day:02d}T{u.hour:02d}{u.minute:02d}{u.second:02d}Z"


def vevents_text(events: Iterable[dict[str, Any]], *, stamp: dt.datetime | None = None) -> str:
    """The VEVENT blocks of a subscription feed (no attendees), CRLF-separated. DTSTAMP is
    each event's last change (``changed_at``), so an unchanged event reads the same on every
    fetch; ``stamp`` (default now) only for events that do not say."""
    now = _stamp(stamp or dt.datetime.now(dt.UTC))
    lines: list[str] = []
    append = lines.append
    for data in events:
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if not (starts_at and ends_at):
            continue
        optional = "".join(
            f"\r\n{_fold(f'{key}:{_text(value)}')}"
            for key, value in (
                ("DESCRIPTION", data.get("description")),
                ("LOCATION", data.get("location")),
            )
            if value
        )
        if data.get("url"):
            optional += f"\r\n{_fold('URL:' + data['url'])}"
        append(
            f"BEGIN:VEVENT\r\n{_fold('UID:' + _text(data['uid']))}\r\n"
            f"SEQUENCE:{int(data.get('sequence') or 0)}\r\n"
            f"DTSTAMP:{_stamp(data['changed_at']) if data.get('changed_at') else now}\r\n"
            f"DTSTART:{_stamp(starts_at)}\r\nDTEND:{_stamp(ends_at)}\r\n"
            f"{_fold('SUMMARY:' + _text(data.get('summary', '')))}{optional}\r\n"
            f"STATUS:{data.get('status', 'CONFIRMED')}\r\nTRANSP:OPAQUE\r\nEND:VEVENT"
        )
    return "\r\n".join(lines)


def wrap_feed(vevents: str, *, name: str) -> bytes:
    """A subscription calendar (no METHOD) around already written VEVENT blocks."""
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        _fold(f"X-WR-CALNAME:{_text(name)}"),
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    if vevents:
        head.append(vevents)
    head.append("END:VCALENDAR")
    return ("\r\n".join(head) + "\r\n").encode("utf-8")


def write_feed(
    events: Iterable[dict[str, Any]], *, name: str, stamp: dt.datetime | None = None
) -> bytes:
    """A subscription calendar (no METHOD, no attendees) with every event, times in UTC."""
    return wrap_feed(vevents_text(events, stamp=stamp), name=name)
