"""Exact assignment solver for the matching round (pure: numpy/scipy, optional OR-Tools; no Django).

``solve(cost, capacity=..., forbidden=..., required=...)`` pairs rows (people or schools to be
served) with columns (providers: mentors, coaches). The objective is lexicographic and exact:

1. match as many rows as possible, subject to capacities, forbidden and required pairs;
2. among all maximum matchings, take one with the least total cost.

Two interchangeable exact backends:

* ``"ortools"``: OR-Tools ``SimpleMinCostFlow.solve_max_flow_with_min_cost`` on the network
  source -> row (cap 1) -> column (cap 1, integer cost) -> sink (cap = column capacity). That call
  *is* the lexicographic objective (maximum flow first, then least cost), so no big-M is needed
  and capacities stay aggregated (no slot expansion). OR-Tools needs integer costs: costs are
  scaled by the smallest power of ten that makes them integral (e.g. 1000 for costs in km with
  metre precision). When no such scale fits the solver's overflow range, ``auto`` uses scipy.
* ``"scipy"``: columns are expanded into capacity slots and every row gets a private dummy
  column whose cost M means "unmatched". M is larger than any possible cost difference between
  two matchings of different size, so the penalised problem always has a full row matching and
  its optimum is the lexicographic optimum. Small problems use the dense
  ``linear_sum_assignment``; larger ones ``min_weight_full_bipartite_matching`` (whose own
  feasibility check stalls on nearest-neighbour graphs when a full matching does not exist,
  scipy issue 26147; the private dummies make a full matching exist trivially).

Determinism: candidates are put in canonical (row, col) order before any backend sees them and
both backends are deterministic, so the same input always gives the same pairs, ties included.
(The two backends may break exact ties differently; the objective values are always equal.)
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

__all__ = [
    "REASON_ALL_FULL",
    "REASON_LABELS",
    "REASON_NO_CANDIDATE",
    "CapacityExceeded",
    "IndexOutOfRange",
    "InfeasibleInput",
    "RequiredPairForbidden",
    "RequiredPairImpossible",
    "RowRequiredTwice",
    "Solution",
    "ortools_available",
    "solve",
]

Backend = Literal["auto", "scipy", "ortools"]

#: The row has no possible partner at all (no candidate column left after forbidden pairs).
REASON_NO_CANDIDATE = "no_candidate"
#: The row has possible partners, but every one of them is full (taken by other rows, by
#: required pairs, or has capacity 0). In a maximum matching this is the only other reason.
REASON_ALL_FULL = "all_full"
#: Human wording for the reasons, for pages and exports (Dutch UI strings live elsewhere).
REASON_LABELS: dict[str, str] = {
    REASON_NO_CANDIDATE: "No possible partner: nobody is within reach or allowed.",
    REASON_ALL_FULL: "Every possible partner is already full.",
}

# Dense scipy LSA is fastest for small problems; beyond this many cells (rows x (slots + rows))
# the sparse solver wins and the dense matrix would cost too much memory.
_DENSE_CELLS_MAX = 250_000
# Below this many candidate arcs auto prefers scipy: OR-Tools' setup costs more than it saves.
_AUTO_ORTOOLS_MIN_ARCS = 20_000
# OR-Tools' cost-scaling multiplies costs by about the number of nodes; keep every scaled cost
# times (nodes + 1) well inside int64 (2**63) so it never reports BAD_COST_RANGE or overflows.
_INT_BUDGET = 2**60
# Decimal scales tried for exact integer costs: 10**0 .. 10**_MAX_DECIMALS.
_MAX_DECIMALS = 9


# --------------------------------------------------------------------------- errors


class InfeasibleInput(ValueError):
    """The locks and rules contradict each other or name things that do not exist."""


class IndexOutOfRange(InfeasibleInput):
    """A forbidden or required pair names a row or column outside the cost matrix."""


class RequiredPairImpossible(InfeasibleInput):
    """A required pair is not a possible pair (inf/nan cost, or not stored in sparse input)."""


class RequiredPairForbidden(InfeasibleInput):
    """A pair is both required and forbidden."""


class RowRequiredTwice(InfeasibleInput):
    """One row is required with two different columns."""


class CapacityExceeded(InfeasibleInput):
    """More required pairs for a column than its capacity."""


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class Solution:
    """An exact lexicographic optimum: most rows matched, then least total cost.

    ``pairs`` are ``(row, col)`` sorted by row and include the required pairs. ``total_cost``
    is the sum of the *original* costs of the pairs (``math.fsum``), never a rescaled value.
    ``reasons`` has an entry for every unmatched row: ``REASON_NO_CANDIDATE`` or
    ``REASON_ALL_FULL``. ``cost_scale`` is the power of ten by which costs were made integral
    for OR-Tools (``None`` for scipy, which works on the floats directly). Neither backend
    exposes dual prices, so the solution carries none.
    """

    pairs: list[tuple[int, int]]
    total_cost: float
    unmatched_rows: list[int]
    reasons: dict[int, str]
    solve_seconds: float
    backend: str
    n_rows: int
    n_cols: int
    n_candidates: int
    n_required: int = 0
    cost_scale: int | None = None
    column_load: list[int] = field(default_factory=list)

    @property
    def n_matched(self) -> int:
        """Number of matched rows (required pairs included)."""
        return len(self.pairs)

    def as_dict(self) -> dict[str, Any]:
        """Plain dict, e.g. for logging or a JSON field."""
        return {
            "pairs": [list(p) for p in self.pairs],
            "total_cost": self.total_cost,
            "unmatched_rows": list(self.unmatched_rows),
            "reasons": {str(k): v for k, v in self.reasons.items()},
            "solve_seconds": self.solve_seconds,
            "backend": self.backend,
            "n_rows": self.n_rows,
            "n_cols": self.n_cols,
            "n_candidates": self.n_candidates,
            "n_required": self.n_required,
            "cost_scale": self.cost_scale,
        }


def ortools_available() -> bool:
    """True when OR-Tools' graph solvers can be imported (imported lazily, never required)."""
    try:
        from ortools.graph.python import min_cost_flow  # noqa: F401
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------- input handling


@dataclass
class _Arcs:
    """Possible pairs in canonical (row, col) order, with their original float costs."""

    rows: np.ndarray  # int64
    cols: np.ndarray  # int64
    cost: np.ndarray  # float64


def _arcs_from_cost(cost: Any) -> tuple[_Arcs, int, int]:
    """Turn dense or sparse input into the list of possible pairs.

    Dense: every finite entry is possible; inf and nan mark impossible pairs. Sparse: every
    *stored* entry is possible, explicit zeros included; stored inf/nan entries are impossible,
    duplicates are summed as scipy does when converting to CSR.
    """
    if sparse.issparse(cost):
        if cost.ndim != 2:
            raise ValueError("cost must be two-dimensional")
        csr = sparse.csr_matrix(cost, dtype=np.float64, copy=True)
        csr.sum_duplicates()  # also sorts indices: canonical order; keeps explicit zeros
        n, m = csr.shape
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(csr.indptr))
        cols = csr.indices.astype(np.int64)
        data = csr.data
    else:
        dense = np.asarray(cost, dtype=np.float64)
        if dense.ndim != 2:
            raise ValueError(f"cost must be two-dimensional, got shape {dense.shape}")
        n, m = dense.shape
        r, c = np.nonzero(np.isfinite(dense))  # row-major: already canonical
        rows, cols = r.astype(np.int64), c.astype(np.int64)
        data = dense[r, c]
    ok = np.isfinite(data)
    if not ok.all():
        rows, cols, data = rows[ok], cols[ok], data[ok]
    return _Arcs(rows, cols, np.ascontiguousarray(data, dtype=np.float64)), int(n), int(m)


def _capacity(capacity: Any, m: int) -> np.ndarray:
    if capacity is None:
        return np.ones(m, dtype=np.int64)
    cap = np.asarray(capacity)
    if cap.shape != (m,):
        raise ValueError(f"capacity must have one entry per column ({m}), got shape {cap.shape}")
    if cap.size and not np.all(np.isfinite(cap.astype(np.float64))):
        raise ValueError("capacity must be finite")
    capi = cap.astype(np.int64)
    if not np.array_equal(capi, cap):
        raise ValueError("capacity must be whole numbers")
    if (capi < 0).any():
        j = int(np.flatnonzero(capi < 0)[0])
        raise ValueError(f"capacity of column {j} is negative ({int(capi[j])})")
    return capi


def _pairs_array(pairs: Iterable[tuple[int, int]], what: str, n: int, m: int) -> np.ndarray:
    """Validate an iterable of (row, col) into an (k, 2) int64 array."""
    out: list[tuple[int, int]] = []
    for p in pairs:
        try:
            r, c = p
        except (TypeError, ValueError):
            raise ValueError(f"{what} pair {p!r} is not a (row, col) pair")
        if isinstance(r, bool) or isinstance(c, bool) or int(r) != r or int(c) != c:
            raise ValueError(f"{what} pair {p!r} must hold whole numbers")
        r, c = int(r), int(c)
        if not (0 <= r < n and 0 <= c < m):
            raise IndexOutOfRange(
                f"{what} pair (row {r}, col {c}) is outside the {n} x {m} cost matrix"
            )
        out.append((r, c))
    if not out:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.asarray(out, dtype=np.int64), axis=0)  # sorted, duplicates merged


# --------------------------------------------------------------------------- backends


def _integer_costs(cost: np.ndarray, n_nodes: int) -> tuple[np.ndarray, int] | None:
    """Exact integer version of ``cost`` (shifted to start at 0) and its power-of-ten scale.

    Returns None when no scale 10**d (d <= 9) makes every cost integral within float rounding,
    or when the scaled range would not fit OR-Tools' int64 cost scaling. Shifting by the minimum
    is harmless: every maximum matching has the same number of pairs.
    """
    if cost.size == 0:
        return np.zeros(0, dtype=np.int64), 1
    for d in range(_MAX_DECIMALS + 1):
        scale = 10**d
        x = cost * scale
        if not np.all(np.abs(x) < 2**53):
            return None
        xr = np.rint(x)
        # A few ulps of slack: 0.1 * 10 is 1.0000000000000002 in binary floating point.
        tol = 1e-7 + 16 * np.finfo(np.float64).eps * np.abs(x)
        if np.all(np.abs(x - xr) <= tol):
            q = xr.astype(np.int64)
            q -= q.min()
            if int(q.max()) * (n_nodes + 1) >= _INT_BUDGET:
                return None
            return q, scale
    return None


def _solve_mincostflow(
    rows: np.ndarray, cols: np.ndarray, q: np.ndarray, cap: np.ndarray, n: int, m: int
) -> np.ndarray:
    """Max-flow-min-cost in OR-Tools: exactly the lexicographic objective, capacities native."""
    from ortools.graph.python import min_cost_flow

    mcf = min_cost_flow.SimpleMinCostFlow()
    src, snk = n + m, n + m + 1
    # Row -> column arcs first so their arc ids are 0..E-1.
    arcs = mcf.add_arcs_with_capacity_and_unit_cost(
        rows.astype(np.int32),
        (n + cols).astype(np.int32),
        np.ones(rows.size, dtype=np.int64),
        q.astype(np.int64),
    )
    mcf.add_arcs_with_capacity_and_unit_cost(
        np.full(n, src, dtype=np.int32),
        np.arange(n, dtype=np.int32),
        np.ones(n, dtype=np.int64),
        np.zeros(n, dtype=np.int64),
    )
    mcf.add_arcs_with_capacity_and_unit_cost(
        (n + np.arange(m)).astype(np.int32),
        np.full(m, snk, dtype=np.int32),
        cap.astype(np.int64),
        np.zeros(m, dtype=np.int64),
    )
    mcf.set_node_supply(src, n)
    mcf.set_node_supply(snk, -n)
    status = mcf.solve_max_flow_with_min_cost()
    if status != mcf.OPTIMAL:  # pragma: no cover - guarded by _integer_costs' range check
        raise RuntimeError(f"OR-Tools min cost flow returned {status}")
    chosen = np.flatnonzero(np.asarray(mcf.flows(arcs)) > 0)
    # Self-check on the integer objective: the flow's cost must be the reported optimum.
    if int(q[chosen].sum()) != int(mcf.optimal_cost()):  # pragma: no cover
        raise RuntimeError("OR-Tools returned an inconsistent flow")
    return chosen


def _solve_scipy(
    rows: np.ndarray, cols: np.ndarray, cost: np.ndarray, cap: np.ndarray, n: int, m: int
) -> tuple[np.ndarray, str]:
    """Indices of the chosen arcs: capacity slots + private "unmatched" dummy per row."""
    # Slot expansion: arc (i, j) becomes (i, slot) for each of column j's cap[j] slots.
    slot_start = np.concatenate([[0], np.cumsum(cap)])
    n_slots = int(slot_start[-1])
    reps = cap[cols]
    arc_of = np.repeat(np.arange(rows.size), reps)
    offset = np.arange(arc_of.size) - np.repeat(np.cumsum(reps) - reps, reps)
    slot = slot_start[cols[arc_of]] + offset
    r = rows[arc_of]
    # Shift real costs to [1, 1 + spread]: scipy's sparse solver drops explicit zero weights,
    # and the shift is harmless because M below is computed for the shifted weights.
    w = cost[arc_of] - cost.min() + 1.0 if cost.size else cost[arc_of]
    spread = float(w.max() - w.min()) if w.size else 0.0
    wmax = float(w.max()) if w.size else 1.0
    k_max = min(n, n_slots)
    # Any matching with one more pair beats any smaller one when M > (k_max-1)*spread + wmax.
    big_m = k_max * spread + wmax + 1.0
    dummy_rows = np.arange(n)
    all_r = np.concatenate([r, dummy_rows])
    all_c = np.concatenate([slot, n_slots + dummy_rows])
    all_w = np.concatenate([w, np.full(n, big_m)])
    width = n_slots + n
    if n * width <= _DENSE_CELLS_MAX:
        dense = np.full((n, width), np.inf)
        dense[all_r, all_c] = all_w
        ri, ci = linear_sum_assignment(dense)
        method = "scipy-dense"
    else:
        mat = sparse.csr_matrix((all_w, (all_r, all_c)), shape=(n, width))
        ri, ci = min_weight_full_bipartite_matching(mat)
        method = "scipy-sparse"
    real = ci < n_slots
    ri, ci = ri[real], ci[real]
    # Map (row, slot) back to the original arc: arcs are sorted by (row, col), slots by col.
    col_of_slot = np.repeat(np.arange(m), cap)
    key = rows * m + cols
    chosen = np.searchsorted(key, ri * m + col_of_slot[ci])
    return chosen, method


# --------------------------------------------------------------------------- solve


def solve(
    cost: Any,
    *,
    capacity: Any = None,
    forbidden: Iterable[tuple[int, int]] = (),
    required: Iterable[tuple[int, int]] = (),
    backend: Backend = "auto",
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
        backend: ``"auto"`` (OR-Tools when installed, the problem is not tiny and the costs are
            exactly integral at some power-of-ten scale; otherwise scipy), ``"scipy"`` or
            ``"ortools"``.

    Raises:
        InfeasibleInput: a subclass naming the offending pair/row/column when the locks are
            contradictory or out of range.
        ValueError: malformed input (shape, capacity), or ``backend="ortools"`` with costs that
            cannot be made integral exactly.
        ImportError: ``backend="ortools"`` without OR-Tools installed.
    """
    if backend not in ("auto", "scipy", "ortools"):
        raise ValueError(f"unknown backend {backend!r}")
    arcs, n, m = _arcs_from_cost(cost)
    cap = _capacity(capacity, m)
    forb = _pairs_array(forbidden, "forbidden", n, m)
    req = _pairs_array(required, "required", n, m)

    key = arcs.rows * m + arcs.cols  # strictly increasing: canonical order
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
    n_candidates = int(key.size)

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
    live = ~row_locked[arcs.rows] & (free_cap[arcs.cols] > 0)
    sub = np.flatnonzero(live)
    chosen_sub = np.empty(0, dtype=np.int64)
    used_backend = "none"
    cost_scale: int | None = None
    # Import OR-Tools (if wanted) before the clock starts: solve_seconds is the solve only.
    have = backend != "scipy" and sub.size > 0 and ortools_available()
    t0 = time.perf_counter()
    if sub.size:
        # Compact ids so the backends only see rows/columns that take part.
        sr_ids, sr = np.unique(arcs.rows[sub], return_inverse=True)
        sc_ids, sc = np.unique(arcs.cols[sub], return_inverse=True)
        sr, sc = sr.astype(np.int64), sc.astype(np.int64)
        n2, m2 = sr_ids.size, sc_ids.size
        # A column never takes more rows than it has candidates: keeps slot expansion small.
        cap2 = np.minimum(free_cap[sc_ids], np.bincount(sc, minlength=m2))
        sub_cost = arcs.cost[sub]
        use = backend
        ints = None
        if backend in ("auto", "ortools"):
            if backend == "ortools" and not have:
                raise ImportError("backend='ortools' needs the 'ortools' package")
            if have and (backend == "ortools" or sub.size >= _AUTO_ORTOOLS_MIN_ARCS):
                ints = _integer_costs(sub_cost, n2 + m2 + 2)
                if ints is None and backend == "ortools":
                    raise ValueError(
                        "costs are not exactly integral at any scale 10**0..10**9 within "
                        "OR-Tools' range; round them (e.g. to 1e-6) or use backend='scipy'"
                    )
            use = "ortools" if ints is not None else "scipy"
        if use == "ortools":
            assert ints is not None
            q, cost_scale = ints
            local = _solve_mincostflow(sr, sc, q, cap2, n2, m2)
            used_backend = "ortools-mincostflow"
        else:
            local, used_backend = _solve_scipy(sr, sc, sub_cost, cap2, n2, m2)
        chosen_sub = sub[local]
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
    )
