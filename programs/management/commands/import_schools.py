"""Import schools with schoolleiders (or expertcoaches) from the command line.

Uses the same service as the staff pages: without ``--commit`` it only prints the preview.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from people.models import User
from programs.enums import Sector
from programs.importing.enums import ImportKind
from programs.importing.services import (
    ImportBlocked,
    import_run_commit,
    import_run_create,
    import_run_discard,
    import_run_plan,
)
from programs.models import ProgramYear

SHOW_ERRORS = 50


class Command(BaseCommand):
    help = "Preview (and with --commit import) a CSV/XLSX of schools or expertcoaches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--program", type=int, required=True, help="program year id")
        parser.add_argument("--kind", choices=ImportKind.values, default=ImportKind.SCHOOLS)
        parser.add_argument(
            "--sector", choices=Sector.values, default="", help="one sector for the whole file"
        )
        parser.add_argument("--user", default="", help="email of the staff member to record")
        parser.add_argument("--commit", action="store_true", help="write when there are no errors")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        program = ProgramYear.objects.filter(pk=options["program"]).first()
        if program is None:
            raise CommandError(f"No program year with id {options['program']}")
        user = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']}")
        run = import_run_create(
            program=program,
            kind=options["kind"],
            content=path.read_bytes(),
            file_name=path.name,
            user=user,
            sector=options["sector"],
        )
        plan = import_run_plan(run=run)
        for message in plan.file_errors:
            self.stderr.write(message)
        for row in [r for r in plan.rows if r.errors][:SHOW_ERRORS]:
            self.stderr.write(f"regel {row.line}: {' '.join(row.errors)}")
        counts = plan.counts
        self.stdout.write(
            "regels: {rows}, nieuw: {new}, bijgewerkt: {updated}, ongewijzigd: {unchanged}, "
            "fouten: {errors}, uitnodigingen: {invitations}".format(**counts)
        )
        if not options["commit"] or plan.has_errors:
            import_run_discard(run=run)
            if plan.has_errors:
                raise CommandError(
                    plan.file_errors[0]
                    if plan.file_errors
                    else "Het bestand heeft fouten; er is niets geïmporteerd."
                )
            self.stdout.write("Alleen gecontroleerd; gebruik --commit om te importeren.")
            return
        try:
            result = import_run_commit(run=run)
        except ImportBlocked:
            raise CommandError("Er is niets geïmporteerd: de controle gaf fouten.")
        self.stdout.write(self.style.SUCCESS(f"Geïmporteerd (import {result.run.pk})."))
