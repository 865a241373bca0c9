"""Background work of the webinars app (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from . import reminders


@task()
def send_session_reminders(session_id: int, sequence: int) -> int:
    """Reminder for one version of a session, queued for two days before its start."""
    return reminders.send_session_reminders(session_id=session_id, sequence=sequence)


@task()
def sweep_webinar_reminders() -> int:
    """Every due reminder (safety net for a lost or early task); safe to run often."""
    return reminders.send_due_reminders()
