"""Exact assignment solver for the matching round (pure: numpy/scipy, optional OR-Tools; no Django).

``solve(cost, capacity=..., forbidden=..., required=...)`` pairs rows (people or schools to be
served) with columns (providers: mentors, coaches). The objective is lexicographic and exact:

1. match as many rows as possible, subject to capacities, forbidden and required pairs;
2. among all maximum matchings, take one with the least total cost.

Three interchangeable exact backends (``auto`` picks; see ``solve``):

* ``"numba"`` (optional dependency numba): Hopcroft-Karp maximum matching, a Dulmage-Mendelsohn
  split into three independent parts that each must cover one side completely, and sparse
  shortest augmenting paths (Jonker-Volgenant style, binary heap) on each part. No big-M and no
  dummies; searches stop at the first free vertex. Fastest on unit capacities.

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

from . import certify

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

Backend = Literal["auto", "scipy", "ortools", "numba"]

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
# Below this many candidate arcs auto prefers scipy: the fast backends' setup costs more.
_AUTO_FAST_MIN_ARCS = 20_000
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
    for OR-Tools or numba (``None`` when the floats were used directly). No backend exposes
    dual prices for the whole problem; a pruned solve carries its own proof (``certificate``).
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
    #: How optimality over every possible pair was proven when the solve was pruned
    #: (``matching.certify.Certificate.as_dict``); None when the full graph was solved.
    certificate: dict[str, Any] | None = None

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
            "certificate": self.certificate,
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
        csr = sparse.csr_matrix(cost, dtype=np.float64)  # no copy if already float CSR
        if not csr.has_canonical_format:
            # Sorted indices, duplicates summed, explicit zeros kept; on a copy, never in place
            # on the caller's matrix.
            csr = csr.copy()
            csr.sum_duplicates()
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


def _decimal_scale(cost: np.ndarray, limit: float) -> tuple[np.ndarray, int] | None:
    """Integer version of ``cost`` (shifted to start at 0) and its power-of-ten scale.

    The smallest 10**d (d <= 9) that makes every cost integral within float rounding, provided
    the shifted integers stay below ``limit``; else None. Shifting by the minimum is harmless:
    every maximum matching has the same number of pairs.
    """
    if cost.size == 0:
        return np.zeros(0, dtype=np.int64), 1
    probe = cost[:: max(1, cost.size // 997)]  # cheap rejection before touching every cost
    for d in range(_MAX_DECIMALS + 1):
        scale = 10**d
        px = probe * scale
        if not np.all(
            np.abs(px - np.rint(px)) <= 1e-7 + 16 * np.finfo(np.float64).eps * np.abs(px)
        ):
            continue
        x = cost * scale
        if not np.all(np.abs(x) < 2**53):
            return None
        xr = np.rint(x)
        # A few ulps of slack: 0.1 * 10 is 1.0000000000000002 in binary floating point.
        tol = 1e-7 + 16 * np.finfo(np.float64).eps * np.abs(x)
        if np.all(np.abs(x - xr) <= tol):
            q = xr.astype(np.int64)
            q -= q.min()
            if int(q.max()) >= limit:
                return None
            return q, scale
    return None


def _integer_costs(cost: np.ndarray, n_nodes: int) -> tuple[np.ndarray, int] | None:
    """Exact integer costs for OR-Tools, or None when they would not fit its cost scaling."""
    return _decimal_scale(cost, _INT_BUDGET / (n_nodes + 1))


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


# --------------------------------------------------------------------------- numba backend
#
# Three small kernels, written as plain Python and compiled with numba on first use (cached in
# __pycache__), so importing this module never needs numba. They are self-contained (no calls
# between kernels) because they are jitted lazily.


def _hk_kernel(indptr, indices, n_left, n_right):
    """Hopcroft-Karp maximum matching. Returns (mate_left, mate_right)."""
    mate_l = np.full(n_left, -1, np.int64)
    mate_r = np.full(n_right, -1, np.int64)
    # greedy start
    for x in range(n_left):
        for a in range(indptr[x], indptr[x + 1]):
            j = indices[a]
            if mate_r[j] == -1:
                mate_r[j] = x
                mate_l[x] = j
                break
    big = n_left + n_right + 10
    dist = np.empty(n_left, np.int64)
    queue = np.empty(n_left, np.int64)
    ptr = np.empty(n_left, np.int64)
    stack = np.empty(n_left + 1, np.int64)
    while True:
        qh = 0
        qt = 0
        for x in range(n_left):
            if mate_l[x] == -1:
                dist[x] = 0
                queue[qt] = x
                qt += 1
            else:
                dist[x] = big
        found = False
        while qh < qt:
            x = queue[qh]
            qh += 1
            for a in range(indptr[x], indptr[x + 1]):
                x2 = mate_r[indices[a]]
                if x2 == -1:
                    found = True
                elif dist[x2] == big:
                    dist[x2] = dist[x] + 1
                    queue[qt] = x2
                    qt += 1
        if not found:
            break
        for x in range(n_left):
            ptr[x] = indptr[x]
        for x0 in range(n_left):
            if mate_l[x0] != -1:
                continue
            top = 0
            stack[0] = x0
            while top >= 0:
                x = stack[top]
                advanced = False
                while ptr[x] < indptr[x + 1]:
                    j = indices[ptr[x]]
                    ptr[x] += 1
                    x2 = mate_r[j]
                    if x2 == -1:
                        # augment along the stack
                        while top >= 0:
                            lt = stack[top]
                            prev = mate_l[lt]
                            mate_l[lt] = j
                            mate_r[j] = lt
                            j = prev
                            top -= 1
                        advanced = True
                        break
                    if dist[x2] == dist[x] + 1:
                        top += 1
                        stack[top] = x2
                        advanced = True
                        break
                if not advanced:
                    dist[x] = big  # dead end for this phase
                    top -= 1
    return mate_l, mate_r


def _order_by_kernel(keys, n_keys):
    """Stable counting sort: the permutation that orders ``keys`` (0..n_keys-1). O(n)."""
    start = np.zeros(n_keys + 1, np.int64)
    for k in keys:
        start[k + 1] += 1
    for k in range(n_keys):
        start[k + 1] += start[k]
    indptr = start.copy()
    order = np.empty(keys.size, np.int64)
    for a in range(keys.size):
        k = keys[a]
        order[start[k]] = a
        start[k] += 1
    return order, indptr


def _reach_kernel(indptr, indices, mate_next, starts, n_from, n_to):
    """Alternating BFS: from `starts` (vertices of side X) over arcs X->Y, then Y's mate in X.
    Returns (seen_x, seen_y) boolean arrays."""
    seen_x = np.zeros(n_from, np.bool_)
    seen_y = np.zeros(n_to, np.bool_)
    queue = np.empty(n_from, np.int64)
    qh = 0
    qt = 0
    for s in starts:
        if not seen_x[s]:
            seen_x[s] = True
            queue[qt] = s
            qt += 1
    while qh < qt:
        x = queue[qh]
        qh += 1
        for a in range(indptr[x], indptr[x + 1]):
            y = indices[a]
            if not seen_y[y]:
                seen_y[y] = True
                x2 = mate_next[y]
                if x2 != -1 and not seen_x[x2]:
                    seen_x[x2] = True
                    queue[qt] = x2
                    qt += 1
    return seen_x, seen_y


def _ssp_kernel(indptr, indices, cost, n_left, n_right):
    """Min-cost matching covering every left vertex (|right| >= |left|, such a matching must
    exist): shortest augmenting paths with Dijkstra on reduced costs (Jonker-Volgenant / Crouse
    style, sparse, binary heap). Returns (mate_left, u, v) or mate_left[0] = -2 on failure."""
    u = np.zeros(n_left)
    v = np.zeros(n_right)
    mate_l = np.full(n_left, -1, np.int64)
    mate_r = np.full(n_right, -1, np.int64)
    spc = np.full(n_right, np.inf)
    pred = np.full(n_right, -1, np.int64)
    done = np.zeros(n_right, np.bool_)
    touched = np.empty(n_right, np.int64)
    scanned_rows = np.empty(n_left, np.int64)
    n_arcs = indptr[n_left]
    cap = n_arcs + n_right + 1
    hk = np.empty(cap)  # heap keys
    hv = np.empty(cap, np.int64)  # heap values (right vertex)
    # Warm start (Jonker-Volgenant "augmenting row reduction", bounded): each free left vertex
    # takes its best right vertex and lowers that vertex's price v by the gap to its second
    # best, displacing the previous holder. v only decreases and only on matched right
    # vertices (free ones keep v = 0), every matched arc stays tight and every arc's reduced
    # cost stays >= 0, so the shortest-path phase below starts from a feasible dual.
    queue = np.arange(n_left)
    q_len = n_left
    budget = 4 * n_left + 16  # bounded: a price war is left to the exact phase
    for _ in range(2):
        nxt = np.empty(n_left, np.int64)
        n_nxt = 0
        k = 0
        while k < q_len and budget > 0:
            budget -= 1
            i = queue[k]
            k += 1
            u1 = np.inf
            u2 = np.inf
            j1 = -1
            j2 = -1
            for a in range(indptr[i], indptr[i + 1]):
                j = indices[a]
                h = cost[a] - v[j]
                if h < u1 or (h == u1 and j < j1):
                    u2 = u1
                    j2 = j1
                    u1 = h
                    j1 = j
                elif h < u2 or (h == u2 and j < j2):
                    u2 = h
                    j2 = j
            if j1 == -1:
                continue
            i0 = mate_r[j1]
            if j2 != -1 and u1 < u2:
                v[j1] -= u2 - u1
            elif i0 != -1 and j2 != -1:
                j1 = j2  # tie: take the equally good second choice instead of displacing
                i0 = mate_r[j1]
            if i0 != -1:
                mate_l[i0] = -1
            mate_r[j1] = i
            mate_l[i] = j1
            if i0 != -1:
                if u1 < u2 and k > 0:
                    k -= 1
                    queue[k] = i0
                else:
                    nxt[n_nxt] = i0
                    n_nxt += 1
        # whatever the budget left unprocessed also goes to the next round
        while k < q_len:
            nxt[n_nxt] = queue[k]
            n_nxt += 1
            k += 1
        queue = nxt
        q_len = n_nxt
    # matched arcs must be tight: u = cost - v on the mate (prices moved after assignment)
    for i in range(n_left):
        j = mate_l[i]
        if j != -1:
            for a in range(indptr[i], indptr[i + 1]):
                if indices[a] == j:
                    u[i] = cost[a] - v[j]
                    break
    for cur in range(n_left):
        if mate_l[cur] != -1:
            continue
        # a feasible start for this vertex: its least reduced cost
        best = np.inf
        for a in range(indptr[cur], indptr[cur + 1]):
            h = cost[a] - v[indices[a]]
            if h < best:
                best = h
        u[cur] = best if best < np.inf else 0.0
        n_touched = 0
        n_scanned = 0
        hsize = 0
        i = cur
        min_val = 0.0
        sink = -1
        while sink == -1:
            scanned_rows[n_scanned] = i
            n_scanned += 1
            for a in range(indptr[i], indptr[i + 1]):
                j = indices[a]
                if done[j]:
                    continue
                r = min_val + cost[a] - u[i] - v[j]
                if r < spc[j]:
                    if spc[j] == np.inf:
                        touched[n_touched] = j
                        n_touched += 1
                    spc[j] = r
                    pred[j] = i
                    # push (r, j)
                    pos = hsize
                    hsize += 1
                    while pos > 0:
                        par = (pos - 1) >> 1
                        if hk[par] < r or (hk[par] == r and hv[par] < j):
                            break
                        hk[pos] = hk[par]
                        hv[pos] = hv[par]
                        pos = par
                    hk[pos] = r
                    hv[pos] = j
            # pop the smallest non-stale entry
            j = -1
            while hsize > 0:
                kj = hk[0]
                vj = hv[0]
                hsize -= 1
                lk = hk[hsize]
                lv = hv[hsize]
                pos = 0
                while True:
                    ch = 2 * pos + 1
                    if ch >= hsize:
                        break
                    if ch + 1 < hsize and (
                        hk[ch + 1] < hk[ch] or (hk[ch + 1] == hk[ch] and hv[ch + 1] < hv[ch])
                    ):
                        ch += 1
                    if lk < hk[ch] or (lk == hk[ch] and lv < hv[ch]):
                        break
                    hk[pos] = hk[ch]
                    hv[pos] = hv[ch]
                    pos = ch
                if hsize > 0:
                    hk[pos] = lk
                    hv[pos] = lv
                if not done[vj] and kj == spc[vj]:
                    j = vj
                    break
            if j == -1:
                mate_l[0] = -2  # no augmenting path: caller's precondition broken
                return mate_l, u, v
            done[j] = True
            min_val = spc[j]
            if mate_r[j] == -1:
                sink = j
            else:
                i = mate_r[j]
        # dual update (Crouse 2016, Alg. 1)
        u[cur] += min_val
        for k in range(1, n_scanned):
            r_ = scanned_rows[k]
            u[r_] += min_val - spc[mate_l[r_]]
        for k in range(n_touched):
            j = touched[k]
            if done[j]:
                v[j] -= min_val - spc[j]
            spc[j] = np.inf
            done[j] = False
        # augment
        j = sink
        while True:
            i = pred[j]
            mate_r[j] = i
            prev = mate_l[i]
            mate_l[i] = j
            if i == cur:
                break
            j = prev
    return mate_l, u, v


_KERNELS: dict[str, Any] = {}


def numba_available() -> bool:
    """True when numba can be imported (the fastest exact backend; optional)."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def _kernels() -> dict[str, Any]:
    """Compile (or load from numba's cache) the kernels, and warm them up on a tiny input so
    compilation never counts as solve time."""
    if not _KERNELS:
        import numba

        jit = numba.njit(cache=True, nogil=True)
        hk, reach, ssp = jit(_hk_kernel), jit(_reach_kernel), jit(_ssp_kernel)
        order_by = jit(_order_by_kernel)
        ip = np.array([0, 1], dtype=np.int64)
        ix = np.array([0], dtype=np.int64)
        order_by(ix, 1)
        hk(ip, ix, 1, 1)
        reach(ip, ix, np.array([-1], dtype=np.int64), ix, 1, 1)
        ssp(ip, ix, np.array([1.0]), 1, 1)
        _KERNELS.update(hk=hk, reach=reach, ssp=ssp, order_by=order_by)
    return _KERNELS


def _expand_slots(
    rows: np.ndarray, cols: np.ndarray, cap: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Arc (i, j) -> (i, slot) for each of column j's cap[j] slots. Returns the arc index of
    every expanded arc, its row, its slot and the number of slots; order stays (row, slot)."""
    slot_start = np.concatenate([[0], np.cumsum(cap)])
    reps = cap[cols]
    arc_of = np.repeat(np.arange(rows.size), reps)
    offset = np.arange(arc_of.size) - np.repeat(np.cumsum(reps) - reps, reps)
    slot = slot_start[cols[arc_of]] + offset
    return arc_of, rows[arc_of], slot, int(slot_start[-1])


def _compact(ids: np.ndarray, size: int) -> tuple[np.ndarray, int]:
    """Renumber the vertices used in ``ids`` as 0..k-1, keeping their order (O(n), no sort)."""
    used = np.zeros(size, dtype=bool)
    used[ids] = True
    new_id = np.cumsum(used) - 1
    return new_id[ids].astype(np.int64), int(used.sum())


def _ssp_part(
    kern: dict[str, Any],
    left: np.ndarray,
    right: np.ndarray,
    w: np.ndarray,
    n_left: int,
    n_right: int,
) -> np.ndarray:
    """Positions (into left/right/w) of a min-cost matching that covers every left vertex.

    The arcs must come sorted by (left, right)."""
    li, nl = _compact(left, n_left)
    ri, nr = _compact(right, n_right)
    indptr = np.searchsorted(li, np.arange(nl + 1)).astype(np.int64)
    mate, _, _ = kern["ssp"](indptr, ri, np.ascontiguousarray(w), nl, nr)
    if nl and mate[0] == -2:  # pragma: no cover - excluded by the Dulmage-Mendelsohn split
        raise RuntimeError("no augmenting path in a part that has a perfect matching")
    return np.searchsorted(li * nr + ri, np.arange(nl) * nr + mate)


def _solve_numba(
    rows: np.ndarray, cols: np.ndarray, w: np.ndarray, cap: np.ndarray, n: int, m: int
) -> np.ndarray:
    """Indices of the chosen arcs: Dulmage-Mendelsohn split + shortest augmenting paths.

    1. Hopcroft-Karp finds one maximum matching (the maximum number of pairs).
    2. Alternating-path reachability splits the graph: A = rows that some maximum matching
       leaves unmatched, plus their columns (every A column is matched, to an A row, in every
       maximum matching); B = columns that can stay free, plus their rows (every B row is
       matched, within B); C = the rest, perfectly matched within itself. Arcs between parts
       are in no maximum matching, so the lexicographic optimum is the union of three
       independent min-cost problems, each of which must cover one side completely.
    3. Each part: successive shortest augmenting paths from the side that must be covered
       (A: from its columns, B and C: from their rows). Covering one side completely needs no
       "unmatched" dummy and no big-M, and a search stops at the first free vertex it reaches.
    """
    kern = _kernels()
    if int(cap.max()) == 1:  # no expansion needed: slots are the columns
        arc_of, r, slot, n_slots = np.arange(rows.size), rows, cols, m
    else:
        arc_of, r, slot, n_slots = _expand_slots(rows, cols, cap)
    indptr = np.searchsorted(r, np.arange(n + 1)).astype(np.int64)
    mate_l, mate_r = kern["hk"](indptr, slot, n, n_slots)
    a_rows, a_slots = kern["reach"](indptr, slot, mate_r, np.flatnonzero(mate_l == -1), n, n_slots)
    by_slot, cindptr = kern["order_by"](np.ascontiguousarray(slot, dtype=np.int64), n_slots)
    b_slots, b_rows = kern["reach"](
        cindptr, r[by_slot], mate_l, np.flatnonzero(mate_r == -1), n_slots, n
    )
    row_part = np.full(n, 2, dtype=np.int8)
    row_part[a_rows] = 0
    row_part[b_rows] = 1
    slot_part = np.full(n_slots, 2, dtype=np.int8)
    slot_part[a_slots] = 0
    slot_part[b_slots] = 1
    ww = w if arc_of.size == w.size else w[arc_of]
    # Part of every arc; 3 = between two parts (in no maximum matching, dropped).
    rp = row_part[r]
    arc_part = np.where(rp == slot_part[slot], rp, np.int8(3))
    chosen: list[np.ndarray] = []
    # A: every column must be covered, so search from the columns (arcs in column order).
    sel = by_slot[arc_part[by_slot] == 0]
    if sel.size:
        chosen.append(sel[_ssp_part(kern, slot[sel], r[sel], ww[sel], n_slots, n)])
    # B and C: every row must be covered, search from the rows (arcs already in row order).
    for part in (1, 2):
        sel = np.flatnonzero(arc_part == part)
        if sel.size:
            chosen.append(sel[_ssp_part(kern, r[sel], slot[sel], ww[sel], n, n_slots)])
    if not chosen:
        return np.empty(0, dtype=np.int64)
    return np.sort(arc_of[np.concatenate(chosen)])


# --------------------------------------------------------------------------- solve


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
) -> tuple[np.ndarray, str, int | None]:
    """Positions of an optimum of one free problem, the backend used and the cost scale."""
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
        exact = _decimal_scale(sub_cost, 2**53 / (n2 + 1))
        if exact is not None:
            q, cost_scale = exact
            w = q.astype(np.float64)
        else:
            w = sub_cost - sub_cost.min()
        local = _solve_numba(sr, sc, w, cap2, n2, m2)
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
    certificate: dict[str, Any] | None = None
    # Import OR-Tools (if wanted) before the clock starts: solve_seconds is the solve only.
    have = backend in ("auto", "ortools") and sub.size > 0 and ortools_available()
    have_numba = backend in ("auto", "numba") and sub.size > 0 and numba_available()
    if have_numba:
        _kernels()  # compile / load numba's cache outside the timed part
    t0 = time.perf_counter()
    if sub.size:
        # Compact ids so the backends only see rows/columns that take part.
        sr, n2 = _compact(arcs.rows[sub], n)
        sc, m2 = _compact(arcs.cols[sub], m)
        sc_ids = np.flatnonzero(np.bincount(arcs.cols[sub], minlength=m))
        # A column never takes more rows than it has candidates: keeps slot expansion small.
        cap2 = np.minimum(free_cap[sc_ids], np.bincount(sc, minlength=m2))
        sub_cost = arcs.cost[sub]
        ran: dict[str, Any] = {}

        def run(sel: np.ndarray) -> np.ndarray:
            """An optimum of the free problem restricted to the arcs ``sel`` (positions)."""
            local, ran["backend"], ran["scale"] = _dispatch(
                sr[sel], sc[sel], sub_cost[sel], cap2, n2, m2, backend, have, have_numba
            )
            return local

        local = None
        if prune and sub.size >= certify.PRUNE_MIN_ARCS and sub.size > 4 * certify.PRUNE_K * n2:
            exact = _decimal_scale(sub_cost, 2**53 / (n2 + 1))
            if exact is not None:
                wq = exact[0].astype(np.float64)
                found = certify.solve_certified(sr, sc, wq, cap2, n2, m2, run)
                if found is not None:
                    local, cert = found
                    certificate = cert.as_dict()
        if local is None:
            local = run(np.arange(sub.size))
        used_backend, cost_scale = ran["backend"], ran["scale"]
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
        certificate=certificate,
    )
