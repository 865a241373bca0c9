"""The registry of periodic jobs. Each app registers its own in ``AppConfig.ready()``:

    register("meetings.reminders", every=timedelta(minutes=15), run=reminders_send_due,
             help="Reminders two days before each meeting")

A job must be safe to run twice (every job here is: the outbox's dedupe keys, conditional
updates); the runner still runs each at most once per interval. No other app is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[], object]
    help: str = ""


_JOBS: dict[str, Job] = {}


def register(name: str, *, every: timedelta, run: Callable[[], object], help: str = "") -> Job:
    """Add a job (registering the same name again replaces it: ``ready()`` may run twice)."""
    if every <= timedelta(0):
        raise ValueError(f"periodic job {name!r}: the interval must be positive")
    job = Job(name=name, every=every, run=run, help=help)
    _JOBS[name] = job
    return job


def jobs() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def get(name: str) -> Job:
    try:
        return _JOBS[name]
    except KeyError:
        known = ", ".join(sorted(_JOBS)) or "none"
        raise KeyError(f"no periodic job {name!r} (known: {known})") from None
