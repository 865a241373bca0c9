"""The demo's webinars (``manage.py seed_demo``): four sessions in the program's webinar
weeks that mentors registered for and attended, and a catch-up session ahead.

Staff schedule the sessions, mentors register and staff record attendance through this
app's services; the clock is set to each moment (time-machine), because the services rightly
refuse to schedule or book anything in the past.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import time_machine
from django.utils import timezone
from django.utils.formats import date_format

from people.models import Role, User
from programs.models import ProgramYear

from .models import WebinarSession
from .services import record_attendance, register, session_create

TITLE = "Voorbereiding mentoren: de nieuwe rol van de schoolleider"
DESCRIPTION = (
    "Wat is leerKRACHT, hoe werkt een bordsessie, en wat vraagt dat van een schoolleider? "
    "We bereiden u voor op de drie gesprekken."
)
#: Days after the start of the webinar weeks, and the hour.
SESSIONS = [(6, 19), (9, 12), (14, 19), (22, 16)]


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def seed(
    *, program: ProgramYear, staff: User, mentors: Sequence[Role], rng: random.Random
) -> list[WebinarSession]:
    """Sessions, registrations of about nine in ten ``mentors`` (the first, a demo login,
    in the first session) and their attendance; returns the sessions."""
    tz = timezone.get_current_timezone()
    scheduled = dt.datetime.combine(program.registration_opens, dt.time(9), tzinfo=tz)
    sessions = []
    with time_machine.travel(scheduled, tick=False):
        for offset, hour in SESSIONS:
            day = _weekday(program.webinar_start + dt.timedelta(days=offset))
            sessions.append(
                session_create(
                    program=program,
                    actor=staff,
                    title=TITLE,
                    description=DESCRIPTION,
                    starts_at=dt.datetime.combine(day, dt.time(hour, 30), tzinfo=tz),
                    duration_minutes=90,
                    meeting_url=f"https://meet.example.org/leerkracht-webinar-{day.day}",
                    capacity=100,
                    host=staff,
                )
            )
    attended: dict[int, list[int]] = {s.pk: [] for s in sessions}
    for i, role in enumerate(mentors):
        if i and rng.random() < 0.1:
            continue  # has not chosen a session: the staff overview shows them
        session = sessions[0] if i == 0 else rng.choice(sessions)
        registered = session.starts_at - dt.timedelta(days=rng.randint(3, 20))
        with time_machine.travel(registered, tick=False):
            registration = register(session=session, role=role)
        if i == 0 or rng.random() < 0.88:
            attended[session.pk].append(registration.pk)
    for session in sessions:
        with time_machine.travel(session.starts_at + dt.timedelta(days=1), tick=False):
            record_attendance(session=session, actor=staff, attended_ids=attended[session.pk])
    upcoming = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=13), dt.time(19, 30), tzinfo=tz
    )
    session_create(
        program=program,
        actor=staff,
        title="Inhaalsessie voor mentoren",
        description=f"Voor wie in {date_format(sessions[0].starts_at, 'F')} niet kon.",
        starts_at=upcoming,
        duration_minutes=90,
        meeting_url="https://meet.example.org/leerkracht-inhaal",
        capacity=40,
        host=staff,
        open_to_schoolleiders=True,
    )
    return sessions
