"""Background work of the webinars app (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from . import reminders


@task()
def send_session_reminders(session_id: int, sequence: int) -> int:
    """Reminder for one version of a session, queued for two days before its start."""
    return reminders.send_session_reminders(session_id=session_id, sequence=sequence)
