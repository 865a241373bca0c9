"""Queue the two-days-before reminder of every meeting that is due (safe to run often)."""

from django.core.management.base import BaseCommand

from mentoring.meetings.reminders import reminders_send_due


class Command(BaseCommand):
    help = "Queue reminders for meetings that start within two days (each is sent once)."

    def handle(self, *args, **options):
        count = reminders_send_due()
        self.stdout.write(f"{count} reminder(s) queued")
