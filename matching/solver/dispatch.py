"""``solve``: validate the locks, take the required pairs out, prune with a proof, pick a backend.

``auto`` picks the backend per free problem (see ``solve``); on large dense graphs ``solve``
first solves on a pruned graph and proves the result optimal over every arc
(``matching.certify``), solving the full graph whenever no exact proof is found.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from typing import Any, Literal

import numpy as np

from .. import certify
from .numba_backend import Warm, _kernels, _solve_numba, numba_available
from .ortools_backend import _integer_costs, _solve_mincostflow, ortools_available
from .problem import (
    REASON_ALL_FULL,
    REASON_NO_CANDIDATE,
    CapacityExceeded,
    RequiredPairForbidden,
    RequiredPairImpossible,
    RowRequiredTwice,
    Solution,
    _Arcs,
    _arcs_from_cost,
    _capacity,
    _compact,
    _decimal_scale,
    _pairs_array,
)
from .scipy_backend import _solve_scipy

Backend = Literal["auto", "scipy", "ortools", "numba"]

# Below this many candidate arcs auto prefers scipy: the fast backends' setup costs more.
_AUTO_FAST_MIN_ARCS = 20_000
#: A pruned re-solve starts from the last solve's prices and pairs unless its arc set grew
#: by more than this factor (then cold: measured slower warm on the 10,000 x 10,000 bench).
WARM_MAX_GROWTH = 1.25


def _dispatch(
    sr: np.ndarray,
    sc: np.ndarray,
    sub_cost: np.ndarray,
    cap2: np.ndarray,
    n2: int,
    m2: int,
    backend: str,
    have: bool,
    have_numba: bool,
    exact: tuple[np.ndarray, int] | None = None,
    warm: Warm | None = None,
) -> tuple[np.ndarray, str, int | None]:
    """Positions of an optimum of one free problem, the backend used and the cost scale.

    ``exact`` is the costs already scaled to integers (and their scale), when the caller has
    them; ``warm`` is handed to the numba backend to warm-start a re-solve and receives its
    duals."""
    cost_scale: int | None = None
    use = backend
    ints = None
    if backend == "numba" and not have_numba:
        raise ImportError("backend='numba' needs the 'numba' package")
    # numba's shortest augmenting paths win on unit capacities; with capacities its slot
    # expansion multiplies the arcs, and OR-Tools' min cost flow (aggregated) wins.
    if backend == "auto" and have_numba and sr.size >= _AUTO_FAST_MIN_ARCS and int(cap2.max()) == 1:
        use = "numba"
    elif backend in ("auto", "ortools"):
        if backend == "ortools" and not have:
            raise ImportError("backend='ortools' needs the 'ortools' package")
        if have and (backend == "ortools" or sr.size >= _AUTO_FAST_MIN_ARCS):
            ints = _integer_costs(sub_cost, n2 + m2 + 2)
            if ints is None and backend == "ortools":
                raise ValueError(
                    "costs are not exactly integral at any scale 10**0..10**9 within "
                    "OR-Tools' range; round them (e.g. to 1e-6) or use backend='scipy'"
                )
        use = "ortools" if ints is not None else "scipy"
    if use == "numba":
        # Integer-valued float weights keep every path length and dual exact; sums stay
        # below 2**53 when each weight is below 2**53 / (rows + 1).
        if exact is None:
            exact = _decimal_scale(sub_cost, 2**53 / (n2 + 1))
        if exact is not None:
            q, cost_scale = exact
            w = q.astype(np.float64, copy=False)
        else:
            w = sub_cost - sub_cost.min()
        local = _solve_numba(sr, sc, w, cap2, n2, m2, warm)
        used_backend = "numba-jv"
    elif use == "ortools":
        assert ints is not None
        q, cost_scale = ints
        local = _solve_mincostflow(sr, sc, q, cap2, n2, m2)
        used_backend = "ortools-mincostflow"
    else:
        local, used_backend = _solve_scipy(sr, sc, sub_cost, cap2, n2, m2)
    return local, used_backend, cost_scale


def solve(
    cost: Any,
    *,
    capacity: Any = None,
    forbidden: Iterable[tuple[int, int]] = (),
    required: Iterable[tuple[int, int]] = (),
    backend: Backend = "auto",
    prune: bool = True,
) -> Solution:
    """Match the most rows, then at least total cost (exact, deterministic).

    Args:
        cost: rows x columns. A 2-D array where ``inf``/``nan`` marks an impossible pair, or a
            ``scipy.sparse`` matrix whose stored entries (explicit zeros included) are the only
            possible pairs. Costs may be negative.
        capacity: per column, how many rows it may take (default 1 each; 0 allowed).
        forbidden: (row, col) pairs never to make.
        required: (row, col) pairs that must be in the result (staff locks). They use up their
            column's capacity; their rows take no further part.
        backend: ``"auto"``: for problems with at least 20,000 candidate pairs, numba when
            installed and all capacities are 1, else OR-Tools when installed and the costs are
            exactly integral at some power-of-ten scale, else scipy; small problems use scipy.
            Or force ``"numba"``, ``"ortools"`` or ``"scipy"``.
        prune: on large dense graphs, solve on each row's and column's cheapest arcs (plus a
            maximum matching) and prove the result optimal over every arc with dual values,
            adding any violating arc and solving again (``matching.certify``). The proof is
            returned as ``Solution.certificate``. Without an exact proof the full graph is
            solved. ``False`` always solves the full graph.

    Raises:
        InfeasibleInput: a subclass naming the offending pair/row/column when the locks are
            contradictory or out of range.
        ValueError: malformed input (shape, capacity), or ``backend="ortools"`` with costs that
            cannot be made integral exactly.
        ImportError: ``backend="ortools"``/``"numba"`` without that package installed.
    """
    if backend not in ("auto", "scipy", "ortools", "numba"):
        raise ValueError(f"unknown backend {backend!r}")
    arcs, n, m = _arcs_from_cost(cost)
    cap = _capacity(capacity, m)
    forb = _pairs_array(forbidden, "forbidden", n, m)
    req = _pairs_array(required, "required", n, m)

    # Strictly increasing (canonical order); only the locks need it.
    key = arcs.rows * m + arcs.cols if (forb.size or req.size) else np.empty(0, np.int64)
    # ---- forbidden pairs leave the candidate set (silently if they were not candidates)
    if forb.size:
        fkey = forb[:, 0] * m + forb[:, 1]
        if req.size:
            both = np.isin(req[:, 0] * m + req[:, 1], fkey)
            if both.any():
                r0, c0 = req[np.flatnonzero(both)[0]]
                raise RequiredPairForbidden(
                    f"pair (row {r0}, col {c0}) is both required and forbidden"
                )
        keep = ~np.isin(key, fkey)
        arcs = _Arcs(arcs.rows[keep], arcs.cols[keep], arcs.cost[keep])
        key = key[keep]
    n_candidates = int(arcs.rows.size)

    # ---- required pairs: validate, then take them out of the problem
    req_arc = np.empty(0, dtype=np.int64)
    free_cap = cap.copy()
    row_locked = np.zeros(n, dtype=bool)
    if req.size:
        rr, rc = req[:, 0], req[:, 1]
        dup = np.flatnonzero(rr[1:] == rr[:-1])  # req is sorted by row
        if dup.size:
            i = int(dup[0])
            raise RowRequiredTwice(
                f"row {int(rr[i])} is required twice: with col {int(rc[i])} "
                f"and with col {int(rc[i + 1])}"
            )
        rkey = rr * m + rc
        pos = np.searchsorted(key, rkey)
        found = (pos < key.size) & (key[np.minimum(pos, key.size - 1)] == rkey)
        if not found.all():
            i = int(np.flatnonzero(~found)[0])
            raise RequiredPairImpossible(
                f"required pair (row {int(rr[i])}, col {int(rc[i])}) is not a possible pair "
                "(impossible cost or not a candidate)"
            )
        used = np.bincount(rc, minlength=m)
        over = np.flatnonzero(used > cap)
        if over.size:
            j = int(over[0])
            locked = [int(r) for r in rr[rc == j]]
            raise CapacityExceeded(
                f"col {j} has capacity {int(cap[j])} but {int(used[j])} required pairs "
                f"(rows {locked})"
            )
        req_arc = pos
        free_cap = cap - used
        row_locked[rr] = True

    # ---- the free problem: unlocked rows, columns with capacity left
    # No locks and no full column: every arc takes part, no copies of millions of arcs.
    all_live = not row_locked.any() and bool((free_cap > 0).all())
    if all_live:
        sub, n_live = np.empty(0, np.int64), int(arcs.rows.size)
    else:
        sub = np.flatnonzero(~row_locked[arcs.rows] & (free_cap > 0)[arcs.cols])
        n_live = int(sub.size)
    chosen_sub = np.empty(0, dtype=np.int64)
    used_backend = "none"
    cost_scale: int | None = None
    certificate: dict[str, Any] | None = None
    # Import OR-Tools (if wanted) before the clock starts: solve_seconds is the solve only.
    have = backend in ("auto", "ortools") and n_live > 0 and ortools_available()
    have_numba = backend in ("auto", "numba") and n_live > 0 and numba_available()
    if have_numba:
        _kernels()  # compile / load numba's cache outside the timed part
    t0 = time.perf_counter()
    if n_live:
        # Compact ids so the backends only see rows/columns that take part.
        sub_rows = arcs.rows if all_live else arcs.rows[sub]
        sub_cols = arcs.cols if all_live else arcs.cols[sub]
        sub_cost = arcs.cost if all_live else arcs.cost[sub]
        sr, n2 = _compact(sub_rows, n)
        sc, m2 = _compact(sub_cols, m)
        per_col = np.bincount(sub_cols, minlength=m)
        sc_ids = np.flatnonzero(per_col)
        # A column never takes more rows than it has candidates: keeps slot expansion small.
        cap2 = np.minimum(free_cap[sc_ids], per_col[sc_ids])
        ran: dict[str, Any] = {}
        exact: tuple[np.ndarray, int] | None = None
        wq = np.empty(0)  # the scaled integer costs as floats, once scaled
        # What the last pruned solve leaves the next: prices, pairs and duals (numba only).
        warm = Warm.empty(n2, m2)

        def run(sel: np.ndarray) -> tuple[np.ndarray, certify.PartDuals | None]:
            """An optimum of the free problem restricted to the arcs ``sel`` (positions), and
            its duals when the backend gives them."""
            part = None if exact is None else (wq[sel], exact[1])
            if sel.size > WARM_MAX_GROWTH * ran.get("arcs", 0):
                warm.forget()  # many new arcs: old prices mislead more than they help
            ran["arcs"] = sel.size
            local, ran["backend"], ran["scale"] = _dispatch(
                sr[sel],
                sc[sel],
                sub_cost[sel],
                cap2,
                n2,
                m2,
                backend,
                have,
                have_numba,
                part,
                warm,
            )
            if ran["backend"] != "numba-jv" or int(cap2.max()) > 1:
                return local, None
            return local, certify.PartDuals(
                warm.row_part, warm.row_dual, warm.col_part, warm.col_dual
            )

        local = None
        if prune and n_live >= certify.PRUNE_MIN_ARCS and n_live > 4 * certify.PRUNE_K * n2:
            exact = _decimal_scale(sub_cost, 2**53 / (n2 + 1), as_float=True)
            if exact is not None:
                wq = exact[0]
                found = certify.solve_certified(sr, sc, wq, cap2, n2, m2, run)
                if found is not None:
                    local, cert = found
                    certificate = cert.as_dict()
        if local is None:
            exact = None  # the full problem: cold, scaled by the backend itself
            local = run(np.arange(n_live))[0]
        used_backend, cost_scale = ran["backend"], ran["scale"]
        chosen_sub = local if all_live else sub[local]
    solve_seconds = time.perf_counter() - t0

    chosen = np.sort(np.concatenate([req_arc, chosen_sub]))  # arc order = row order
    p_rows, p_cols = arcs.rows[chosen], arcs.cols[chosen]
    pairs = list(zip(p_rows.tolist(), p_cols.tolist(), strict=True))
    total = math.fsum(arcs.cost[chosen].tolist())

    matched = np.zeros(n, dtype=bool)
    matched[p_rows] = True
    has_candidate = np.zeros(n, dtype=bool)
    has_candidate[arcs.rows] = True
    unmatched = np.flatnonzero(~matched)
    reasons = {
        int(i): (REASON_ALL_FULL if has_candidate[i] else REASON_NO_CANDIDATE) for i in unmatched
    }
    load = np.bincount(p_cols, minlength=m) if m else np.zeros(0, dtype=np.int64)
    return Solution(
        pairs=pairs,
        total_cost=total,
        unmatched_rows=unmatched.tolist(),
        reasons=reasons,
        solve_seconds=solve_seconds,
        backend=used_backend,
        n_rows=n,
        n_cols=m,
        n_candidates=n_candidates,
        n_required=int(req_arc.size),
        cost_scale=cost_scale,
        column_load=load.tolist(),
        certificate=certificate,
    )
