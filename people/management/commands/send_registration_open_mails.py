"""Mail the interest list once mentor registration is open (run daily; safe to run twice)."""

from django.core.management.base import BaseCommand

from people.services import interest_notify_open, interest_prune


class Command(BaseCommand):
    help = "Email everyone on the interest list when a mentor registration window is open."

    def handle(self, *args, **options):
        pruned = interest_prune()
        count = interest_notify_open()
        self.stdout.write(f"{count} interest email(s) queued, {pruned} old entr(y/ies) deleted")
