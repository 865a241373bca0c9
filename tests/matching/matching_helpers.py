"""Shared helpers for the matching tests (plain functions, no fixtures magic)."""

from __future__ import annotations

from matching import services
from matching.models import MatchingRound, Solution


def make_round(program, user=None, **settings) -> MatchingRound:
    rnd = services.round_create(program=program, name="Ronde november", user=user)
    if settings:
        for key, value in settings.items():
            setattr(rnd, key, value)
        rnd.save()
    return rnd


def solve(rnd: MatchingRound, user=None) -> Solution:
    """Solve through the real path (service + task with the ImmediateBackend)."""
    from django.db import transaction

    services.round_solve_start(rnd=rnd, user=user)
    # pytest-django's transaction never commits: run the on_commit callbacks by hand.
    connection = transaction.get_connection()
    callbacks = list(connection.run_on_commit)
    connection.run_on_commit = []
    for _sids, func, _robust in callbacks:
        func()
    rnd.refresh_from_db()
    assert rnd.status == "solved", rnd.error
    return Solution.objects.filter(round=rnd).order_by("-number").first()


def pairs_of(solution: Solution, coach: bool = False) -> set[tuple[int, int]]:
    return {
        ((pp.school_id if coach else pp.schoolleider_id), pp.supporter_id)
        for pp in solution.pairs.all()
    }
