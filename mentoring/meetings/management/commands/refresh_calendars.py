"""Queue a read of every connected calendar that was not tried for four hours."""

from django.core.management.base import BaseCommand

from mentoring.meetings.planning_tasks import refresh_calendars


class Command(BaseCommand):
    help = "Queue a fresh read of connected calendars that are due (every few hours)."

    def handle(self, *args, **options):
        result = refresh_calendars.enqueue()
        self.stdout.write(f"queued refresh ({result.id})")
