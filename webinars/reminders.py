"""Webinar reminders, two days before a session: one per address and version of the session.

``notifications.tasks``-style scheduling lives in ``webinars.services`` (after a change the
new version's reminder is queued); ``webinars.tasks`` runs these; the periodic sweep
(``manage.py run_periodic``) is the safety net for a lost or early task.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from notifications.outbox import cancel_pending, notify_many

from .enums import REMINDER_BEFORE_HOURS, RegistrationStatus, SessionStatus
from .mail import email_context
from .models import Registration, WebinarSession


def reminder_key(session: WebinarSession) -> str:
    """Dedupe key of a session's reminder: one per address and version of the session."""
    return f"webinar:{session.pk}:reminder:{session.sequence}"


def cancel_queued_reminders(session: WebinarSession) -> None:
    """Old reminders still waiting in the outbox must not go out after a change."""
    cancel_pending("webinar_reminder", f"webinar:{session.pk}:reminder:")


def send_session_reminders(*, session_id: int, sequence: int | None = None, now=None) -> int:
    """Send this session's reminder to everyone with a place; returns how many were queued.

    Idempotent: the dedupe key (session, sequence) makes a second run, a restarted worker
    or a concurrent worker a no-op per address. ``sequence`` is the version the task was
    scheduled for: a changed or cancelled session sends nothing for the old version.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = WebinarSession.objects.select_for_update().filter(pk=session_id).first()
        if session is None or session.is_cancelled:
            return 0
        if sequence is not None and sequence != session.sequence:
            return 0
        remind_from = session.starts_at - timedelta(hours=REMINDER_BEFORE_HOURS)
        if not remind_from <= now < session.starts_at:
            return 0
        regs = (
            Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED)
            # Someone who took the place inside the reminder window just got the invitation.
            .exclude(confirmed_at__gt=remind_from)
            .select_related("user", "session__program")
        )
        by_user: dict[int, Registration] = {}
        for reg in regs:
            by_user.setdefault(reg.user_id, reg)
        # One batch (constant queries) instead of one notify per person; the dedupe key
        # still makes a rerun a no-op per address.
        rows = notify_many(
            "webinar_reminder",
            [reg.user for reg in by_user.values()],
            context=lambda user: email_context(by_user[user.pk]),
            essential=False,
            dedupe_key=reminder_key(session),
            program=session.program,
        )
        return len(rows)


def send_due_reminders(*, now=None) -> int:
    """The sweep: reminders for every session starting within the reminder window."""
    now = now or timezone.now()
    due = WebinarSession.objects.filter(
        status=SessionStatus.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=REMINDER_BEFORE_HOURS),
    ).values_list("pk", flat=True)
    return sum(send_session_reminders(session_id=pk, now=now) for pk in list(due))
