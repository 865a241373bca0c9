"""Starting the meetings app's background work: a connected calendar's first read and a
planning run. This is the only module here that enqueues; ``mentoring.meetings.tasks`` runs
the work in ``calendars``, ``plans`` and ``reminders``, and never imports this module.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import calendar_fetch, calendars, plans
from .planning_models import CalendarConnection, PlanningRun, RunStatus
from .tasks import read_calendar, run_planner


@transaction.atomic
def connect(*, user, url: str) -> CalendarConnection:
    """Store (or replace) the person's calendar address and read it in the background."""
    url = (url or "").strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    try:
        calendar_fetch.check_url(url)
    except calendar_fetch.FetchError as exc:
        raise ValidationError(calendars.error_message(exc.code, exc.detail)) from exc
    if len(url) > 2000:
        raise ValidationError(_("Dit adres is te lang."))
    CalendarConnection.objects.filter(user=user).delete()
    connection = CalendarConnection.objects.create(user=user, url=url)
    schedule_read(connection)
    return connection


def schedule_read(connection: CalendarConnection) -> None:
    transaction.on_commit(lambda: read_calendar.enqueue(connection.pk))


@transaction.atomic
def run_start(*, program, by) -> PlanningRun:
    """Queue one background job that plans every pair still to plan (one run at a time)."""
    active = PlanningRun.objects.select_for_update().filter(
        program=program, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    )
    if active.exists():
        raise ValidationError(_("Er loopt al een planningsronde voor dit programma."))
    run = PlanningRun.objects.create(
        program=program, started_by=by, total=plans.pairs_to_plan(program).count()
    )
    transaction.on_commit(lambda: run_planner.enqueue(run.pk))
    return run
