"""The private calendar feed: one person's meetings and webinars as one VCALENDAR.

Built for size: a staff member following a whole program gets thousands of events. The
meetings come in one query as plain rows, links are formatted from URL templates reversed
once, and the text is written by ``notifications.calendar.write_feed`` (RFC 5545 escaping and folding; tests
check it parses identically in icalendar and vobject).
"""

from __future__ import annotations

import functools

from django.db import transaction
from django.urls import NoReverseMatch, reverse

from notifications import calendar
from notifications.links import absolute_path
from people.models import display_name

from . import selectors
from .enums import MeetingMode, MeetingStatus
from .models import CalendarFeed, new_feed_token

_A, _B, _C = 987654321, 987654322, 3


@functools.cache
def _templates() -> tuple[str, str]:
    """Absolute URL templates for the pair page and the guide, with {program}/{pair}/{n}."""
    pair = absolute_path(reverse("meetings:pair", args=(_A, _B)))
    pair = pair.replace(str(_A), "{program}").replace(str(_B), "{pair}")
    try:
        guide = absolute_path(reverse("guides:pair_meeting", args=(_A, _B, _C)))
    except NoReverseMatch:
        return pair, pair
    guide = guide.replace(str(_A), "{program}").replace(str(_B), "{pair}")
    head, _sep, tail = guide.rpartition(str(_C))
    return pair, f"{head}{{n}}{tail}"


def meeting_events(rows) -> list[dict]:
    """Feed rows (``selectors.FEED_FIELDS``) as events in the shape shared with webinars."""
    pair_t, guide_t = _templates()
    online = MeetingMode.ONLINE
    cancelled = MeetingStatus.CANCELLED
    events = []
    for (
        uid,
        sequence,
        status,
        starts_at,
        ends_at,
        mode,
        location,
        online_url,
        number,
        pair_id,
        program_id,
        m_first,
        m_last,
        m_email,
        s_first,
        s_last,
        s_email,
        updated_at,
    ) in rows:
        ids = {"program": program_id, "pair": pair_id, "n": number}
        guide = guide_t.format(**ids)
        link = f"\nOnline: {online_url}" if mode == online and online_url else ""
        events.append(
            {
                "uid": uid,
                "sequence": sequence,
                "status": "CANCELLED" if status == cancelled else "CONFIRMED",
                "starts_at": starts_at,
                "ends_at": ends_at,
                "summary": f"Mentorgesprek {number}: {display_name(m_first, m_last, m_email)}"
                f" & {display_name(s_first, s_last, s_email)}",
                "description": f"Gesprek {number} van 3 in het mentorprogramma van Stichting "
                f"leerKRACHT.\nGespreksleidraad: {guide}{link}\n"
                f"Plannen, verplaatsen of annuleren: {pair_t.format(**ids)}",
                "location": online_url if mode == online else location,
                "url": guide,
                "changed_at": updated_at,
            }
        )
    return events


def feed_ics(feed) -> bytes:
    """Everything in ``feed``'s calendar: meetings (own and followed) and webinars.

    Not cached on purpose: a fingerprint of "last change" would depend on every app
    server's clock, and a stale calendar is worse than a 100 ms build.
    """
    from webinars.selectors import calendar_events_for  # lazy: apps import each other late

    events = meeting_events(selectors.feed_meeting_rows(feed))
    events += calendar_events_for(feed.user)
    return calendar.write_feed(events, name="leerKRACHT mentoring")


# --- Writes: enabling, regenerating, revoking and following feeds ---------------------------


@transaction.atomic
def feed_enable(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def feed_regenerate(*, user) -> CalendarFeed:
    """A new secret URL; the old one stops working at once (e.g. after it was shared)."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
    return feed


@transaction.atomic
def feed_revoke(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


@transaction.atomic
def feed_follow(*, user, program, follow: bool) -> CalendarFeed:
    """Staff add (or remove) every meeting of ``program`` to their own feed."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    if follow:
        feed.followed_programs.add(program)
    else:
        feed.followed_programs.remove(program)
    return feed
