"""``manage.py run_periodic``: the one cron line. Runs every periodic job that is due.

    * * * * *  cd /srv/mentoring && .venv/bin/python manage.py run_periodic

Safe to run twice, on several machines at once: each job runs at most once per interval.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mentoring.periodic import registry, runner
from mentoring.periodic.models import JobRun


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (cron: every minute). --list shows them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="Show the jobs and their last run.")
        parser.add_argument(
            "--job", action="append", dest="jobs", metavar="NAME", help="Run only this job."
        )
        parser.add_argument(
            "--now", action="store_true", help="Run the chosen jobs even if not due yet."
        )
        parser.add_argument("--loop", action="store_true", help="Keep running, once a minute.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        try:
            for name in options["jobs"] or []:
                registry.get(name)
        except KeyError as exc:
            raise CommandError(exc.args[0]) from None
        while True:
            outcomes = runner.run_due(only=options["jobs"], force=options["now"])
            for outcome in outcomes:
                if outcome.ran and options["verbosity"] >= 1:
                    state = "ok" if outcome.ok else "FAILED"
                    self.stdout.write(f"{outcome.name}: {state} {outcome.result}")
            if not options["loop"]:
                if any(not o.ok for o in outcomes):
                    raise CommandError("a periodic job failed (see the log)")
                return
            time.sleep(60)

    def _list(self) -> None:
        last = {row.name: row for row in JobRun.objects.all()}
        for job in registry.jobs():
            row = last.get(job.name)
            when = (
                timezone.localtime(row.started_at).strftime("%Y-%m-%d %H:%M")
                if row and row.started_at
                else "never"
            )
            self.stdout.write(f"{job.name:<34} every {job.every}  last {when}  {job.help}")
