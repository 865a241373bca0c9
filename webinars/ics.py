"""iCalendar (.ics) invitations for webinar sessions, built with ``icalendar``.

Times are written in UTC (``...Z``), which RFC 5545 allows without a VTIMEZONE and which
every client converts to the reader's zone, so the daylight-saving change cannot shift
a session. One event per file; METHOD:REQUEST for an invitation or update,
METHOD:CANCEL when a place or the session is cancelled.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from notifications.links import absolute_url

PRODID = "-//Stichting leerKRACHT//mentoring webinars//NL"


def organizer_address() -> tuple[str, str]:
    """(name, email) of the organiser: the platform's sender address."""
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name or "leerKRACHT mentoring", email


def build_ics(
    *,
    uid: str,
    sequence: int,
    method: str,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str,
    url: str,
    attendee_email: str,
    attendee_name: str = "",
    now: datetime | None = None,
) -> bytes:
    """One VEVENT wrapped in a VCALENDAR with ``method`` (REQUEST or CANCEL)."""
    if method not in {"REQUEST", "CANCEL"}:
        raise ValueError(f"unsupported METHOD {method!r}")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)

    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    event.add("dtstart", starts_at.astimezone(UTC))
    event.add("dtend", ends_at.astimezone(UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", url)
    event.add("url", url)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")

    org_name, org_email = organizer_address()
    organizer = vCalAddress(f"mailto:{org_email}")
    organizer.params["cn"] = vText(org_name)
    event.add("organizer", organizer)

    attendee = vCalAddress(f"mailto:{attendee_email}")
    if attendee_name:
        attendee.params["cn"] = vText(attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED" if method == "REQUEST" else "DECLINED")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)

    cal.add_component(event)
    return cal.to_ical()


def registration_ics(registration, *, method: str = "REQUEST") -> bytes:
    """The invitation (or cancellation) of one person's place in a session."""
    session = registration.session
    user = registration.user
    description = "\n\n".join(
        part
        for part in (
            session.description,
            f"Deelnemen via: {session.meeting_url}",
            "Uw aanmelding: "
            + absolute_url("webinars:confirmation", session.program_id, registration.pk),
        )
        if part
    )
    return build_ics(
        uid=registration.uid,
        sequence=registration.sequence,
        method=method,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=f"Webinar: {session.title}",
        description=description,
        url=session.meeting_url,
        attendee_email=user.email,
        attendee_name=user.full_name,
    )


ICS_MIMETYPE_REQUEST = "text/calendar; charset=utf-8; method=REQUEST"
ICS_MIMETYPE_CANCEL = "text/calendar; charset=utf-8; method=CANCEL"
