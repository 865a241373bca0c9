"""Helpers for webinar tests: sessions and registrations made directly, no side effects."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from people.models import Role
from webinars.enums import RegistrationStatus
from webinars.models import Registration, WebinarSession

AMS = ZoneInfo("Europe/Amsterdam")


def future(days: int = 10, hour: int = 19) -> dt.datetime:
    """An aware time ``days`` from today at ``hour`` Amsterdam time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=AMS)


def make_session(program, **extra) -> WebinarSession:
    values = {
        "title": "Voorbereidend webinar",
        "starts_at": future(),
        "meeting_url": "https://meet.example.org/webinar-1",
        "capacity": 10,
    }
    values.update(extra)
    return WebinarSession.objects.create(program=program, **values)


def role_of(user, program, kind: str) -> Role:
    return Role.objects.get(user=user, program=program, kind=kind)


def place(session, user, kind: str = "mentor", **extra) -> Registration:
    role = role_of(user, session.program, kind)
    values = {
        "status": RegistrationStatus.CONFIRMED,
        "confirmed_at": timezone.now(),
        "waitlisted_at": timezone.now(),
    }
    values.update(extra)
    return Registration.objects.create(
        session=session, program=session.program, role=role, user=user, **values
    )


def sent_mail():
    """Deliver the outbox now and return (and clear) Django's test mailbox."""
    from django.core import mail

    from notifications.delivery import deliver_pending

    deliver_pending()
    got = list(mail.outbox)
    mail.outbox.clear()
    return got


def ics_of(message, filename: str = "uitnodiging.ics"):
    """The parsed calendar attached to an email under ``filename``."""
    import icalendar

    for name, content, _mimetype in message.attachments:
        if name == filename:
            return icalendar.Calendar.from_ical(content)
    raise AssertionError(f"no {filename} in {[a[0] for a in message.attachments]}")
