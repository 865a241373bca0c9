"""Meetings as calendar events: what a meeting's invitation, download and feed entry say.

The file itself is written by ``notifications.calendar`` (the one calendar writer, shared
with the webinars app).
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from notifications.calendar import build_calendar
from notifications.links import absolute_path

from .enums import MeetingMode, MeetingStatus


def pair_url(meeting) -> str:
    pair = meeting.pair
    return absolute_path(reverse("meetings:pair", args=(pair.program_id, pair.pk)))


def guide_url(meeting) -> str:
    """The conversation guide for this meeting; the planning page until guides exist."""
    pair = meeting.pair
    try:
        path = reverse("guides:pair_meeting", args=(pair.program_id, pair.pk, meeting.number))
    except NoReverseMatch:
        path = reverse("meetings:pair", args=(pair.program_id, pair.pk))
    return absolute_path(path)


def meeting_summary(meeting) -> str:
    pair = meeting.pair
    return (
        f"Mentorgesprek {meeting.number}: {pair.mentor.user.full_name or pair.mentor.user.email}"
        f" & {pair.schoolleider.user.full_name or pair.schoolleider.user.email}"
    )


def meeting_description(meeting) -> str:
    lines = [
        f"Gesprek {meeting.number} van 3 in het mentorprogramma van Stichting leerKRACHT.",
        f"Gespreksleidraad: {guide_url(meeting)}",
    ]
    if meeting.mode == MeetingMode.ONLINE and meeting.online_url:
        lines.append(f"Online: {meeting.online_url}")
    lines.append(f"Plannen, verplaatsen of annuleren: {pair_url(meeting)}")
    return "\n".join(lines)


def meeting_as_event(meeting, *, cancelled: bool | None = None) -> dict[str, Any]:
    """A meeting in the neutral event shape of ``notifications.calendar``."""
    if cancelled is None:
        cancelled = meeting.status == MeetingStatus.CANCELLED
    pair = meeting.pair
    return {
        "uid": meeting.uid,
        "sequence": meeting.sequence,
        "status": "CANCELLED" if cancelled else "CONFIRMED",
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "summary": meeting_summary(meeting),
        "description": meeting_description(meeting),
        "location": meeting.place,
        "url": guide_url(meeting),
        "attendees": [
            (pair.mentor.user.full_name, pair.mentor.user.email),
            (pair.schoolleider.user.full_name, pair.schoolleider.user.email),
        ],
    }


def meeting_invite(meeting, *, cancel: bool = False) -> bytes:
    """The .ics attached to an invitation: REQUEST (new/changed) or CANCEL."""
    data = meeting_as_event(meeting, cancelled=cancel)
    return build_calendar([data], method="CANCEL" if cancel else "REQUEST")


def meeting_download(meeting) -> bytes:
    """ "Add to calendar": the meeting (or its cancellation) as METHOD:PUBLISH, same UID."""
    data = meeting_as_event(meeting)
    return build_calendar([data], method="PUBLISH")
