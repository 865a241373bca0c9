"""Background work (django-tasks): queue the reminders that are due.

Run ``send_meeting_reminders`` every 15 minutes (cron, or enqueue this task from a
scheduler); running it twice, or on two workers at once, sends each reminder once.
"""

from __future__ import annotations

from django_tasks import task

from . import reminders


@task()
def send_meeting_reminders() -> int:
    return reminders.reminders_send_due()
