"""Send the two-days-before reminder of every webinar that is due (run it e.g. hourly)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from webinars.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Stuur herinneringen voor webinars die over twee dagen beginnen (idempotent)."

    def handle(self, *args, **options) -> None:
        sent = send_due_reminders()
        self.stdout.write(f"{sent} herinnering(en) in de wachtrij gezet.")
