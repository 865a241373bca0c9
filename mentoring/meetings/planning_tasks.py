"""Background work of planning (django-tasks): read calendars, refresh them, plan a program.

``refresh_calendars`` is meant to run every hour (``manage.py refresh_calendars`` from cron,
or enqueued by a scheduler); it queues a read for each calendar not tried for four hours.
"""

from __future__ import annotations

from django_tasks import task


@task()
def read_calendar(connection_id: int) -> str:
    from . import calendars

    connection = calendars.read(connection_id)
    return "gone" if connection is None else (connection.error_code or "ok")


@task()
def refresh_calendars() -> int:
    from . import calendars

    due = calendars.due_connections()
    for connection_id in due:
        read_calendar.enqueue(connection_id)
    return len(due)


@task()
def run_planner(run_id: int) -> int:
    from . import plans

    return plans.run_execute(run_id)
