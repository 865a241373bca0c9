"""Webinar places as calendar events: the invitation, its cancellation and the download.

The file itself is written by ``notifications.calendar`` (the one calendar writer, shared
with the meetings app): UTC times, one event per file; METHOD:REQUEST for an invitation or
update, METHOD:CANCEL when a place or the session is cancelled, METHOD:PUBLISH for "add to
calendar". The person took the place by registering, so their ATTENDEE is ACCEPTED.
"""

from __future__ import annotations

from typing import Any

from notifications.calendar import build_calendar
from notifications.links import absolute_url

METHODS = {"REQUEST", "CANCEL", "PUBLISH"}


def registration_event(registration, *, cancelled: bool = False) -> dict[str, Any]:
    """One person's place in a session, in the neutral event shape."""
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
    return {
        "uid": registration.uid,
        "sequence": registration.sequence,
        "status": "CANCELLED" if cancelled else "CONFIRMED",
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "summary": f"Webinar: {session.title}",
        "description": description,
        "location": session.meeting_url,
        "url": session.meeting_url,
        "attendees": [(user.full_name, user.email)],
        "partstat": "ACCEPTED",
    }


def registration_ics(
    registration, *, method: str = "REQUEST", cancelled: bool | None = None
) -> bytes:
    """The invitation (REQUEST), cancellation (CANCEL) or download (PUBLISH) of one place."""
    if method not in METHODS:
        raise ValueError(f"unsupported METHOD {method!r}")
    if cancelled is None:
        cancelled = method == "CANCEL"
    return build_calendar([registration_event(registration, cancelled=cancelled)], method=method)
