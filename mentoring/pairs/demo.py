"""The demo's pairs (``manage.py seed_demo``): schoolcoaches and first contacts.

The pairs themselves come from the published matching round; here the demo coach-program
school gets its two schoolcoaches, and pairs confirm their first contact a few days after the
matching, through this app's services (the clock set to that day with time-machine).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Collection, Sequence

import time_machine

from programs.models import ProgramYear, School

from .models import CoachAssignment, Pair
from .services import first_contact_confirm, schoolcoach_add


def delete(*, programs: Collection[int]) -> None:
    """Delete the pairs and coach assignments of ``programs`` (the demo's, being replaced),
    with their meetings and records: they protect the roles and schools from deletion."""
    Pair.objects.filter(program_id__in=programs).delete()
    CoachAssignment.objects.filter(program_id__in=programs).delete()


SCHOOLCOACHES = [("Fatima el Amrani", "06 1234 5678"), ("Joost de Wit", "")]


def schoolcoaches(*, program: ProgramYear, school: School) -> None:
    """Two schoolcoaches as contacts for the school's expertcoach."""
    for name, phone in SCHOOLCOACHES:
        slug = name.lower().replace(" ", ".")
        schoolcoach_add(
            program=program,
            school=school,
            name=name,
            email=f"{slug}@school.demo.example",
            phone=phone,
        )


def first_contacts(*, pairs: Sequence[Pair], started: Collection[int], rng: random.Random) -> int:
    """Every pair that has met or planned a meeting (``started``: pair ids) confirmed its
    first contact, and some others did; one to four days after publication, by either side.
    Returns how many did."""
    contacted = [p for p in pairs if p.pk in started or rng.random() < 0.4]
    for pair in contacted:
        when = pair.published_at + dt.timedelta(days=rng.randint(1, 4))
        by = rng.choice([pair.mentor.user, pair.schoolleider.user])
        with time_machine.travel(when, tick=False):
            first_contact_confirm(pair=pair, user=by)
    return len(contacted)
