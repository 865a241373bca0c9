"""Solving a round: load, build, solve, store (the body of the background task).

``matching.tasks.solve_round`` runs ``round_solve``; ``matching.services.round_solve_start``
enqueues that task. This module never imports either of them, so the work and the place
that asks for it stay apart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import costs, loading
from .enums import RoundSide, RoundStatus
from .models import MatchingRound, ProposedPair, Solution, UnmatchedEntry

logger = logging.getLogger(__name__)


def _progress(round_id: int, percent: int, label: str) -> None:
    # Its own short write, outside the solve, so the page can show it while we work.
    MatchingRound.objects.filter(pk=round_id).update(
        progress=percent, progress_label=label, updated_at=timezone.now()
    )


def round_solve(*, round_id: int, user_id: int | None = None) -> Solution | None:
    """Load, build, solve and store one round (the body of the background task).

    Returns quietly (None) when the round is gone or no longer waiting to be solved. On an
    error the round is marked failed with a message for staff; nothing half is stored.
    """
    rnd = MatchingRound.objects.select_related("program").filter(pk=round_id).first()
    if rnd is None or rnd.status not in {
        RoundStatus.SOLVING,
        RoundStatus.DRAFT,
        RoundStatus.SOLVED,
        RoundStatus.FAILED,
    }:
        return None
    try:
        return _solve(rnd, user_id)
    except Exception as exc:
        logger.exception("Matching round %s failed", round_id)
        MatchingRound.objects.filter(pk=round_id).update(
            status=RoundStatus.FAILED,
            progress=0,
            progress_label="",
            error=_("De berekening is mislukt: %(error)s") % {"error": str(exc)[:500]},
        )
        return None


def _solve(rnd: MatchingRound, user_id: int | None) -> Solution:
    t0 = time.perf_counter()
    _progress(rnd.pk, 10, _("Deelnemers laden"))
    p = loading.load_participants(rnd)
    lock_rows, lock_cols, forbidden, _skipped = loading.rule_indices(rnd, p)
    t1 = time.perf_counter()
    _progress(rnd.pk, 35, _("Mogelijke koppels bepalen"))
    cand = costs.build_candidates(
        p,
        default_max_km=rnd.default_max_km,
        exclude_other_region=rnd.exclude_other_region,
        forbidden=forbidden,
    )
    t2 = time.perf_counter()
    _progress(rnd.pk, 55, _("Beste indeling berekenen"))
    weights = rnd.weights
    outcome = costs.solve_candidates(p, cand, weights, lock_rows=lock_rows, lock_cols=lock_cols)
    stats = costs.quality(p, cand, outcome, weights)
    t3 = time.perf_counter()
    _progress(rnd.pk, 85, _("Resultaat opslaan"))
    meta = {
        "kind": p.kind,
        "weights": weights,
        "settings": {
            "default_max_km": rnd.default_max_km,
            "exclude_other_region": rnd.exclude_other_region,
            "min_available_months": rnd.min_available_months,
        },
        "n_locks": len(lock_rows),
        "n_forbidden": len(forbidden),
    }
    blob = costs.pack(
        p,
        lock_rows,
        lock_cols,
        forbidden,
        default_max_km=rnd.default_max_km,
        exclude_other_region=rnd.exclude_other_region,
    )
    solution = _store(rnd, user_id, p, cand, outcome, stats, meta, blob)
    t4 = time.perf_counter()
    Solution.objects.filter(pk=solution.pk).update(
        load_seconds=t1 - t0, build_seconds=t2 - t1, store_seconds=t4 - t3
    )
    solution.load_seconds, solution.build_seconds, solution.store_seconds = (
        t1 - t0,
        t2 - t1,
        t4 - t3,
    )
    return solution


@transaction.atomic
def _store(rnd, user_id, p, cand, outcome, stats, meta, blob) -> Solution:
    locked_round = MatchingRound.objects.select_for_update().get(pk=rnd.pk)
    if locked_round.status == RoundStatus.PUBLISHED:
        raise ValidationError(_("Deze ronde is intussen gepubliceerd."))
    number = (Solution.objects.filter(round=rnd).aggregate(n=Max("number"))["n"] or 0) + 1
    weights = meta["weights"]
    solution = Solution.objects.create(
        round=rnd,
        number=number,
        created_by_id=user_id,
        snapshot_meta=meta,
        snapshot_data=blob,
        total_cost=outcome.total_cost,
        part_totals=outcome.part_totals(weights),
        matched=len(outcome.rows),
        unmatched_rows=len(outcome.row_reasons),
        n_rows=p.n_rows,
        n_cols=p.n_cols,
        n_candidates=len(cand),
        solve_seconds=outcome.solve_seconds,
        backend=outcome.backend[:100],
        certificate=outcome.certificate,
        stats={k: v for k, v in stats.items() if k != "row_rank"},
    )
    coach = p.kind == "coach"
    ranks = stats.get("row_rank", [None] * len(outcome.rows))
    rows, cols = np.asarray(outcome.rows), np.asarray(outcome.cols)
    leaders = [None] * len(rows) if coach else np.asarray(p.row_keys)[rows].tolist()
    weighted = [  # weight x part, per part in costs.PARTS order
        (
            weights[costs.WEIGHT_OF[part]] * np.asarray(outcome.parts[part], dtype=np.float64)
        ).tolist()
        for part in costs.PARTS
    ]
    _insert(
        ProposedPair,
        (
            "solution",
            "supporter",
            "schoolleider",
            "school",
            "row_index",
            "col_index",
            "distance_km",
            *(f"cost_{part}" for part in costs.PARTS),
            "total",
            "locked",
            "partner_rank",
        ),
        zip(
            [solution.pk] * len(rows),
            np.asarray(p.col_keys)[cols].tolist(),
            leaders,
            np.asarray(p.row_school)[rows].tolist(),
            rows.tolist(),
            cols.tolist(),
            [round(km, 3) for km in np.asarray(outcome.km, dtype=np.float64).tolist()],
            *weighted,
            np.asarray(outcome.total, dtype=np.float64).tolist(),
            np.asarray(outcome.locked, dtype=bool).tolist(),
            [None if rank is None else int(rank) for rank in ranks],
            strict=True,
        ),
    )
    entries = [
        UnmatchedEntry(
            solution=solution,
            side=RoundSide.ROW,
            role_id=None if coach else int(p.row_keys[r]),
            school_id=int(p.row_school[r]),
            index=r,
            reason=reason,
        )
        for r, reason in sorted(outcome.row_reasons.items())
    ] + [
        UnmatchedEntry(
            solution=solution,
            side=RoundSide.COL,
            role_id=int(p.col_keys[c]),
            index=c,
            reason=reason,
        )
        for c, reason in sorted(outcome.col_reasons.items())
    ]
    UnmatchedEntry.objects.bulk_create(entries, batch_size=500)
    locked_round.status = RoundStatus.SOLVED
    locked_round.progress = 100
    locked_round.progress_label = ""
    locked_round.error = ""
    locked_round.save(update_fields=["status", "progress", "progress_label", "error", "updated_at"])
    return solution


def _insert(model, fields: Sequence[str], rows: Iterable[tuple]) -> None:
    """Plain rows into ``model``'s table: one prepared INSERT, sent with ``executemany``.

    No model objects and no per-value field preparation: a national round stores 10,000
    proposed pairs, 0.9 s through ``bulk_create`` on SQLite and about 0.15 s this way. Every
    value must already be what its column holds (ints, floats, bools, None); ``fields`` are
    model field names (a foreign key by its name, stored in its ``_id`` column).
    """
    opts = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(opts.get_field(name).column) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model, values as parameters
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


def solution_resolve(solution: Solution) -> costs.Outcome:
    """Solve a stored snapshot again (no database input besides the snapshot itself): the
    candidate pairs are rebuilt from its people and settings, then solved."""
    blob = Solution.objects.values_list("snapshot_data", flat=True).get(pk=solution.pk)
    meta = solution.snapshot_meta
    snap = costs.unpack(meta["kind"], blob, meta.get("settings"))
    return costs.solve_candidates(
        snap.p,
        snap.candidates(),
        meta["weights"],
        lock_rows=snap.lock_rows,
        lock_cols=snap.lock_cols,
    )


def outcome_pairs(outcome: costs.Outcome) -> list[tuple[int, int]]:
    """(row, col) of an outcome, for comparing two solves."""
    return list(
        zip(np.asarray(outcome.rows).tolist(), np.asarray(outcome.cols).tolist(), strict=True)
    )
