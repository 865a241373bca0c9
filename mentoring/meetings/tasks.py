"""Background work of the meetings app (django-tasks): reading connected calendars and
running a planning round. Reminders and the hourly calendar refresh are periodic jobs
(``manage.py run_periodic``); ``mentoring.meetings.jobs`` queues the tasks below.
"""

from __future__ import annotations

from django_tasks import task

from . import calendars, plans


@task()
def read_calendar(connection_id: int) -> str:
    connection = calendars.read(connection_id)
    return "gone" if connection is None else (connection.error_code or "ok")


@task()
def run_planner(run_id: int) -> int:
    return plans.run_execute(run_id)


def refresh_calendars() -> int:
    """Queue a read of every connected calendar not tried for four hours; returns how many."""
    due = calendars.due_connections()
    for connection_id in due:
        read_calendar.enqueue(connection_id)
    return len(due)
