"""``manage.py seed_guides <program_id>``: copy the default guide set into a program year."""

from django.core.management.base import BaseCommand, CommandError

from mentoring.guides.services import guides_seed
from programs.models import ProgramYear


class Command(BaseCommand):
    help = "Copy and publish the default conversation guides for a program year."

    def add_arguments(self, parser):
        parser.add_argument("program_id", type=int)

    def handle(self, *args, program_id: int, **options):
        program = ProgramYear.objects.filter(pk=program_id).first()
        if program is None:
            raise CommandError(f"No program year with id {program_id}")
        created = guides_seed(program=program)
        self.stdout.write(f"{created} guide(s) added to {program}")
