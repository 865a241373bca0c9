"""Background work of the matching app (the work itself is ``matching.solving``)."""

from __future__ import annotations

from django_tasks import task

from .solving import round_solve


@task()
def solve_round(round_id: int, user_id: int | None = None) -> int | None:
    """Solve a round (reloads it by id; returns quietly if it is gone). Returns the solution id."""
    solution = round_solve(round_id=round_id, user_id=user_id)
    return solution.pk if solution else None
