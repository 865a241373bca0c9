"""The demo's matching (``manage.py seed_demo``): one published round per program year.

Staff create the round, solve it and publish it on the program's matching date through this
app's services, exactly as on the round page; the clock is set to that day (time-machine), so
the pairs, their emails and their first suggested meeting times date from the matching.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from people.models import Role, User
from programs.models import ProgramYear

from . import services, solving
from .enums import RuleKind
from .models import MatchingRound


def delete(*, programs: Collection[int]) -> None:
    """Delete the rounds of ``programs`` (the demo's, being replaced); a published round
    protects its solution, so it lets go of it first."""
    rounds = MatchingRound.objects.filter(program_id__in=programs)
    rounds.update(published_solution=None)
    rounds.delete()


def publish_round(
    *,
    program: ProgramYear,
    staff: User,
    lock: tuple[Role, Role] | None = None,
    note: str = "",
) -> int:
    """Create, solve and publish the program's round on its matching date; ``lock`` keeps
    one (supporter, schoolleider) pair together. Returns the number of pairs published."""
    tz = timezone.get_current_timezone()
    day = program.matching_date
    with time_machine.travel(dt.datetime.combine(day, dt.time(8), tzinfo=tz), tick=False):
        rnd = services.round_create(
            program=program, name=f"Matchingronde {date_format(day, 'F')}", user=staff
        )
        if lock is not None:
            supporter, schoolleider = lock
            services.rule_set(
                rnd=rnd,
                kind=RuleKind.LOCK,
                supporter_id=supporter.pk,
                row_key=schoolleider.pk,
                user=staff,
                note=note,
            )
        solution = solving.round_solve(round_id=rnd.pk, user_id=staff.pk)
    rnd.refresh_from_db()
    if solution is None:
        raise ValidationError(f"Matching round failed: {rnd.error}")
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=tz), tick=False):
        return services.round_publish(rnd=rnd, solution=solution, user=staff)
