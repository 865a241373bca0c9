"""Helpers for meeting tests: pairs and planned meetings made directly, a fixed clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from mentoring.meetings import planning
from mentoring.meetings.enums import MeetingMode, MeetingStatus
from mentoring.meetings.models import Meeting

AMS = ZoneInfo("Europe/Amsterdam")
#: The tests' "now": a Friday in the 2026-2027 program's meeting window (15 Nov - 31 Mar).
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def ams(year: int, month: int, day: int, hour: int = 15, minute: int = 0) -> dt.datetime:
    """Amsterdam wall-clock time, aware."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


def slot(starts_at: dt.datetime, mode: str = MeetingMode.SCHOOL, **extra) -> planning.SlotInput:
    return planning.SlotInput(starts_at=starts_at, mode=mode, **extra)


def meeting(pair, number: int) -> Meeting:
    return Meeting.objects.select_related(
        "pair__program", "pair__school", "pair__mentor__user", "pair__schoolleider__user"
    ).get(pair=pair, number=number)


def plan(
    pair, number: int, starts_at: dt.datetime, *, mode: str = MeetingMode.SCHOOL, **extra
) -> Meeting:
    """Propose by the mentor and accept by the schoolleider, through the services."""
    planning.meetings_create_for_pair(pair=pair)
    m = meeting(pair, number)
    [proposed] = planning.meeting_propose(
        meeting=m, by=pair.mentor.user, slots=[slot(starts_at, mode, **extra)]
    )
    return planning.meeting_accept(slot=proposed, by=pair.schoolleider.user)


def force_planned(pair, number: int, starts_at: dt.datetime, **extra) -> Meeting:
    """A planned meeting written directly (for times the rules would refuse, e.g. the past)."""
    planning.meetings_create_for_pair(pair=pair)
    Meeting.objects.filter(pair=pair, number=number).update(
        status=MeetingStatus.PLANNED,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        mode=MeetingMode.SCHOOL,
        location="Basisschool",
        planned_at=timezone.now(),
        **extra,
    )
    return meeting(pair, number)


def sent_mail():
    """Deliver the outbox now and return (and clear) Django's test mailbox."""
    from django.core import mail

    from notifications.delivery import deliver_pending

    # The outbox stamps rows with the real clock (its default is bound at import), so
    # deliver "now" by the real clock, whatever the frozen test clock says.
    deliver_pending(now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1))
    got = list(mail.outbox)
    mail.outbox.clear()
    return got


def attachment(message, filename: str) -> bytes:
    for name, content, _mimetype in message.attachments:
        if name == filename:
            return content.encode() if isinstance(content, str) else content
    raise AssertionError(f"no {filename} in {[a[0] for a in message.attachments]}")
