"""``manage.py enforce_retention``: apply the retention rules of docs/privacy.md (run daily)."""

from django.core.management.base import BaseCommand

from mentoring.guides.privacy import enforce_retention


class Command(BaseCommand):
    help = "Delete notes and actions, and anonymise program years, past their retention period."

    def handle(self, *args, **options):
        summary = enforce_retention()
        self.stdout.write(
            "retention: {notes} note(s), {actions} action(s) deleted; "
            "{programs_anonymised} program year(s) anonymised".format(**summary)
        )
