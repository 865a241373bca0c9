"""Send every due outbox message; run from cron every minute, or with --loop."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from notifications.delivery import deliver_pending


class Command(BaseCommand):
    help = "Send due notifications (catches lost enqueues and due retries)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="At most this many messages.")
        parser.add_argument("--loop", action="store_true", help="Keep running.")
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between sweeps.")

    def handle(
        self, *args, limit: int | None = None, loop: bool = False, interval: float = 60.0, **options
    ) -> None:
        while True:
            report = deliver_pending(limit=limit)
            summary = ", ".join(f"{key}={value}" for key, value in report.as_dict().items())
            if options["verbosity"] >= 1 and (not loop or any(report.as_dict().values())):
                self.stdout.write(summary)
            if not loop:
                return
            time.sleep(interval)
