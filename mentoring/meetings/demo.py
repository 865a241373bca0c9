"""The demo's meetings (``manage.py seed_demo``): a program a few weeks under way.

About a third of the pairs held their first meeting, another third planned it, the rest
still have the suggested plan; the demo pair held its first meeting a few days ago and its
schoolleider proposes times for the second one. Everything goes through this app's planning
services: a mentor proposes, the schoolleider accepts, the mentor marks it held. History is
made by setting the clock to the moment it happened (time-machine), since the services
rightly refuse to plan anything in the past; each time passes the planning rules.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import time_machine
from django.utils import timezone

from mentoring.pairs.models import Pair

from .enums import MeetingMode
from .models import Meeting
from .planning import (
    SlotInput,
    check_time,
    meeting_accept,
    meeting_mark_held,
    meeting_propose,
    meetings_create_for_pair,
)
from .rules import LOCAL_TZ


@dataclass
class Seeded:
    #: pair id -> start of its first meeting, held
    held: dict[int, dt.datetime] = field(default_factory=dict)
    #: ids of the pairs whose first meeting is planned
    planned: set[int] = field(default_factory=set)


def _slot(pair: Pair, start: dt.datetime, mode: str) -> SlotInput:
    location = {
        MeetingMode.SCHOOL: pair.school.name,
        MeetingMode.ADDRESS: f"Bibliotheek {pair.school.place}".strip(),
    }.get(mode, "")
    url = f"https://meet.example.org/koppel-{pair.pk}" if mode == MeetingMode.ONLINE else ""
    return SlotInput(starts_at=start, mode=mode, location=location, online_url=url)


def _book(meeting: Meeting, slot: SlotInput, *, proposed: dt.datetime) -> None:
    """The mentor proposes ``slot`` at ``proposed``; the schoolleider accepts an hour later."""
    pair = meeting.pair
    with time_machine.travel(proposed, tick=False):
        [made] = meeting_propose(meeting=meeting, by=pair.mentor.user, slots=[slot])
    with time_machine.travel(proposed + dt.timedelta(hours=1), tick=False):
        meeting_accept(slot=made, by=pair.schoolleider.user)


def _hold_first(pair: Pair, days: Sequence[dt.date], index: int, hour: int, mode: str):
    """Plan meeting 1 on ``days[index]`` (or the next day the rules allow), five days ahead,
    and mark it held three hours after its start; returns the start, or None."""
    meeting = Meeting.objects.get(pair=pair, number=1)
    meeting.pair = pair
    for offset in range(len(days)):
        day = days[(index + offset) % len(days)]
        start = dt.datetime.combine(day, dt.time(hour, 30), tzinfo=LOCAL_TZ)
        proposed = max(start - dt.timedelta(days=5), pair.published_at + dt.timedelta(minutes=30))
        with time_machine.travel(proposed, tick=False):
            if not check_time(meeting, start):
                break
    else:
        return None
    _book(meeting, _slot(pair, start, mode), proposed=proposed)
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        meeting_mark_held(meeting=meeting, by=pair.mentor.user, held=True)
    return start


def seed(*, pairs: Sequence[Pair], demo: Pair, rng: random.Random) -> Seeded:
    """Give the published ``pairs`` (of one mentoring program) their first meetings."""
    seeded = Seeded()
    if not pairs:
        return seeded
    program = pairs[0].program
    now = timezone.now()
    today = timezone.localdate()
    days = [
        program.meetings_start + dt.timedelta(days=d)
        for d in range((today - program.meetings_start).days)
        if (program.meetings_start + dt.timedelta(days=d)).weekday() < 5
    ]
    for pair in pairs:
        roll = 0.0 if pair is demo else rng.random()
        if roll < 0.35 and days:
            index = max(len(days) - 3, 0) if pair is demo else rng.randrange(len(days))
            hour = rng.choice([9, 13, 15])
            mode = rng.choice(list(MeetingMode.values))
            start = _hold_first(pair, days, index, hour, mode)
            if start is not None:
                seeded.held[pair.pk] = start
        elif roll < 0.70:
            # Planned a few days ago, at the suggested time as it stands today.
            meetings_create_for_pair(pair=pair)
            meeting = Meeting.objects.get(pair=pair, number=1)
            meeting.pair = pair
            if meeting.suggested_starts_at is None:
                continue
            mode = MeetingMode.ONLINE if rng.random() < 0.3 else MeetingMode.SCHOOL
            accepted = now - dt.timedelta(days=rng.randint(1, 6))
            _book(
                meeting,
                _slot(pair, meeting.suggested_starts_at, mode),
                proposed=accepted - dt.timedelta(hours=1),
            )
            seeded.planned.add(pair.pk)
    if demo.pk in seeded.held:
        propose_second(demo)
    # Suggestions made on an earlier day may lie in the past by now: refreshed.
    for pair in pairs:
        meetings_create_for_pair(pair=pair)
    return seeded


def propose_second(pair: Pair) -> None:
    """The schoolleider proposes two times for meeting 2, from about two weeks ahead."""
    program = pair.program
    second = Meeting.objects.get(pair=pair, number=2)
    second.pair = pair
    slots: list[SlotInput] = []
    day = max(timezone.localdate() + dt.timedelta(days=16), program.meetings_start)
    while len(slots) < 2 and day <= program.meetings_end:
        start = dt.datetime.combine(day, dt.time(15, 30), tzinfo=LOCAL_TZ)
        if not check_time(second, start):
            slots.append(
                SlotInput(starts_at=start, mode=MeetingMode.SCHOOL, location=pair.school.name)
            )
        day += dt.timedelta(days=1)
    if slots:  # none when the meeting window is (nearly) over
        meeting_propose(meeting=second, by=pair.schoolleider.user, slots=slots)
