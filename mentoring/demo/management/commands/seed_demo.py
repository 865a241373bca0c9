"""``manage.py seed_demo``: build a realistic demo and print its logins (see ``build``)."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from people.demo import LOGINS, PASSWORD
from places.models import Postcode


class Command(BaseCommand):
    help = "Build a realistic demo program year on SQLite (or any database) and print logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schools", type=int, default=400, help="schools in the mentoring program"
        )
        parser.add_argument("--mentors", type=int, default=340)
        parser.add_argument("--coach-schools", type=int, default=300)
        parser.add_argument("--coaches", type=int, default=32)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--force", action="store_true", help="replace an existing demo (only the demo)"
        )

    def handle(self, *args, **opts):
        from mentoring.demo import build

        if build.exists() and not opts["force"]:
            self.stdout.write("Demo data exists already (use --force to rebuild).")
            self.print_logins()
            return
        if not Postcode.objects.exists():
            raise CommandError("The postcode table is empty: run migrate first.")
        started = time.monotonic()
        try:
            # All or nothing: a failed rebuild leaves the previous demo as it was.
            with transaction.atomic():
                if opts["force"]:
                    build.clear()
                build.build(
                    schools=opts["schools"],
                    mentors=opts["mentors"],
                    coach_schools=opts["coach_schools"],
                    coaches=opts["coaches"],
                    seed=opts["seed"],
                    say=self.stdout.write,
                    stdout=self.stdout,
                )
        except ValidationError as exc:
            raise CommandError(f"The demo could not be built: {'; '.join(exc.messages)}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo built in {time.monotonic() - started:.1f} s: guides, webinars, "
                "matching and meetings are in place."
            )
        )
        self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo logins (password for all: {PASSWORD})"))
        for label, email in LOGINS:
            self.stdout.write(f"  {label:<35} {email}")
