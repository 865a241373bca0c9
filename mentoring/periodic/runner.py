"""Run the periodic jobs that are due: each at most once per interval, on any number of
machines at once.

A job is claimed by one conditional UPDATE (``started_at`` older than the interval, or
never); only the process whose update changed the row runs it. A job that fails is logged
and recorded, and the others still run. Cron starts ``run_periodic`` every minute, so a
small grace keeps a 15-minute job from slipping to 16 minutes by a second of start-up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from . import registry
from .models import JobRun

logger = logging.getLogger(__name__)

GRACE = timedelta(seconds=30)


@dataclass(frozen=True)
class Outcome:
    name: str
    ran: bool  # False: not due, or another process had it
    ok: bool = True
    result: str = ""


def claim(job: registry.Job, now: datetime, *, force: bool = False) -> bool:
    """Whether this process may run ``job`` now (and it is marked as started)."""
    JobRun.objects.get_or_create(name=job.name)
    rows = JobRun.objects.filter(name=job.name)
    if not force:
        rows = rows.filter(Q(started_at__isnull=True) | Q(started_at__lte=now - job.every + GRACE))
    return rows.update(started_at=now) == 1


def run_job(job: registry.Job, now: datetime, *, force: bool = False) -> Outcome:
    if not claim(job, now, force=force):
        return Outcome(job.name, ran=False)
    try:
        result = job.run()
    except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
        logger.exception("Periodic job %s failed", job.name)
        text = f"{type(exc).__name__}: {exc}"[:2000]
        JobRun.objects.filter(name=job.name).update(
            finished_at=timezone.now(), ok=False, result=text
        )
        return Outcome(job.name, ran=True, ok=False, result=text)
    text = str(result)[:2000]
    JobRun.objects.filter(name=job.name).update(finished_at=timezone.now(), ok=True, result=text)
    return Outcome(job.name, ran=True, result=text)


def run_due(
    now: datetime | None = None, *, only: list[str] | None = None, force: bool = False
) -> list[Outcome]:
    """Run every due job (or only the named ones; ``force`` ignores the interval)."""
    now = now or timezone.now()
    chosen = [registry.get(name) for name in only] if only else registry.jobs()
    return [run_job(job, now, force=force) for job in chosen]
