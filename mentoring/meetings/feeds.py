"""The private calendar feed: one person's meetings and webinars as one VCALENDAR.

Built for size: a staff member following a whole program gets thousands of events, so
the meetings come in one query and their links are formatted from URL templates reversed
once, not reversed per event.
"""

from __future__ import annotations

import functools

from django.urls import NoReverseMatch, reverse

from . import ics, selectors
from .enums import MeetingMode, MeetingStatus

_A, _B, _C = 987654321, 987654322, 3


@functools.cache
def _templates() -> tuple[str, str]:
    """Absolute URL templates for the pair page and the guide, with {program}/{pair}/{n}."""
    pair = ics.absolute(reverse("meetings:pair", args=(_A, _B)))
    pair = pair.replace(str(_A), "{program}").replace(str(_B), "{pair}")
    try:
        guide = ics.absolute(reverse("guides:pair_meeting", args=(_A, _B, _C)))
        guide = guide.replace(str(_A), "{program}").replace(str(_B), "{pair}")
        guide = guide.rsplit(str(_C), 1)
        guide = "{n}".join(guide)
    except NoReverseMatch:
        guide = pair
    return pair, guide


def meeting_events(meetings) -> list[dict]:
    pair_t, guide_t = _templates()
    events = []
    for m in meetings:
        pair = m.pair
        ids = {"program": pair.program_id, "pair": pair.pk, "n": m.number}
        guide = guide_t.format(**ids)
        mentor, leider = pair.mentor.user, pair.schoolleider.user
        lines = [
            f"Gesprek {m.number} van 3 in het mentorprogramma van Stichting leerKRACHT.",
            f"Gespreksleidraad: {guide}",
        ]
        if m.mode == MeetingMode.ONLINE and m.online_url:
            lines.append(f"Online: {m.online_url}")
        lines.append(f"Plannen, verplaatsen of annuleren: {pair_t.format(**ids)}")
        events.append(
            {
                "uid": m.uid,
                "sequence": m.sequence,
                "status": "CANCELLED" if m.status == MeetingStatus.CANCELLED else "CONFIRMED",
                "starts_at": m.starts_at,
                "ends_at": m.ends_at,
                "summary": f"Mentorgesprek {m.number}: {mentor.full_name or mentor.email}"
                f" & {leider.full_name or leider.email}",
                "description": "\n".join(lines),
                "location": m.place,
                "url": guide,
            }
        )
    return events


def feed_ics(feed) -> bytes:
    """Everything in ``feed``'s calendar: meetings (own and followed) and webinars."""
    from webinars.selectors import calendar_events_for  # lazy: apps import each other late

    events = meeting_events(selectors.feed_meetings(feed))
    events += calendar_events_for(feed.user)
    return ics.build_calendar(events, name="leerKRACHT mentoring")
