"""Certified pruned solving: solve on a few cheap arcs, prove optimality over every arc.

A national round has millions of possible pairs, but an optimal assignment uses only a few
cheap arcs per person. ``solve_certified`` solves the problem restricted to a pruned arc set P
(each row's and each column's ``k`` cheapest arcs, plus the arcs of one maximum-cardinality
matching of the full graph), then **proves** the result optimal for the full graph with dual
values, or adds the arcs that violate the proof and solves again:

1. The lexicographic objective (most rows matched, then least cost) is the min-cost
   circulation on ``s -> row (cap 1) -> col (cap 1, cost w - M) -> t (cap c_j) -> s`` with one
   big ``M`` larger than any cost difference between two matchings (``M = (k+1)·max w + 1``
   for integer costs ``w >= 0`` and at most ``k`` pairs).
2. For the optimum x of P, shortest-path distances ``d`` in x's residual network (from a
   virtual root, by label-correcting Bellman-Ford; x is optimal for P, so there is no negative
   cycle) are feasible potentials: every residual arc of P has reduced cost >= 0.
3. An arc (i, j) outside P is unused, so its only residual arc is i -> j with reduced cost
   ``w_ij - M + d_i - d_j``. If that is >= 0 for every arc of the full graph, the potentials
   are feasible for the full residual network: no negative cycle exists there either, so x is
   optimal for the full problem (the negative-cycle optimality condition). The check runs over
   every possible pair in chunks of ``CHUNK`` arcs, vectorised, never all in memory at once.
4. Otherwise every violating arc joins P and P is solved again (from scratch; it is small).
   P only grows, so this ends; it ends after one or two rounds on real instances.

Everything is done on exact integers held in float64 (costs scaled to integers by the caller,
``|d| <= k·M < 2**53`` checked), so the proof has no rounding tolerance. No Django here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import hopcroft_karp
from .slices import over_slices

#: The kernels take and give plain numpy arrays (numba compiles them; annotations are
#: for the reader and mypy only).
Arr = NDArray[Any]

#: Below this many arcs the full problem is solved directly (pruning would not pay).
PRUNE_MIN_ARCS = 150_000
#: Cheapest arcs kept per row and per column in the first pruned problem.
PRUNE_K = 6
#: Violating arcs added per row and per column and round.
ADD_PER_VERTEX = 5
#: Arcs per chunk of the reduced-cost check.
CHUNK = 1 << 20
#: Rounds of "add violators, solve again" before giving up and solving the full problem.
MAX_ROUNDS = 40
_EXACT = float(2**53)

_KERNELS: dict[str, Any] = {}


@dataclass(frozen=True)
class Certificate:
    """The proof that a pruned solve is optimal for every possible pair."""

    arcs_checked: int  # possible pairs whose reduced cost was checked (all of them)
    arcs_solved: int  # arcs in the last pruned problem
    rounds: int  # pruned solves (1 = the first pruned optimum was already optimal)
    arcs_added: int  # violating arcs added after the first round
    check_seconds: float  # potentials + reduced-cost checks, all rounds

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": "pruned + dual reduced-cost check",
            "arcs_checked": self.arcs_checked,
            "arcs_solved": self.arcs_solved,
            "rounds": self.rounds,
            "arcs_added": self.arcs_added,
            "check_seconds": round(self.check_seconds, 4),
        }


@dataclass(frozen=True)
class PartDuals:
    """Duals of an optimum as the Dulmage-Mendelsohn solve keeps them (see
    ``matching.solver.numba_backend``): per row and column its part (0 = A: rows may stay
    free, solved from the columns; 1 = B: columns may stay free; 2 = C: perfectly matched)
    and its dual (a right vertex's price <= 0, or a left vertex's u), for integer costs
    ``w``: ``u_left + v_right <= w`` on every arc of the part, equal on its pairs."""

    row_part: np.ndarray
    row_dual: np.ndarray
    col_part: np.ndarray
    col_dual: np.ndarray

    def labels(self, m_val: float) -> np.ndarray:
        """Node labels (rows, columns, s, t) for the residual network of ``potentials``.

        With weights ``M - w`` the duals of the max-weight matching are alpha (rows) and
        beta (columns), both >= 0, zero when free: B rows ``M - u``, B columns ``-v``; A rows
        ``-v``, A columns ``M - u``; C rows ``a - u`` and columns ``(M - a) - v``. A residual
        label is alpha on a row, -beta on a column, 0 on s and t. Arcs between parts go from
        a B or C row to an A or C column and are satisfied with room to spare while the duals
        are far below M. Whatever is off, the Bellman-Ford pass from these labels repairs."""
        half = float(m_val // 2)
        rp, ry, cp, cy = self.row_part, self.row_dual, self.col_part, self.col_dual
        row = np.where(rp == 0, -ry, np.where(rp == 1, m_val - ry, half - ry))
        col = np.where(cp == 0, cy - m_val, np.where(cp == 1, cy, cy - (m_val - half)))
        out: np.ndarray = np.concatenate([row, col, [0.0, 0.0]])
        return out


# --------------------------------------------------------------------------- kernels


def _k_best_kernel(
    keys: Arr, w: Arr, n_keys: int, k: int, out: Arr
) -> None:  # pragma: no cover - compiled by numba
    """Mark in ``out`` the k cheapest arcs of every key (row or column); ties by arc order."""
    best_w = np.full((n_keys, k), np.inf)
    best_i = np.full((n_keys, k), -1, dtype=np.int64)
    for a in range(keys.size):
        key = keys[a]
        x = w[a]
        if x >= best_w[key, k - 1]:
            continue
        pos = k - 1
        while pos > 0 and best_w[key, pos - 1] > x:
            best_w[key, pos] = best_w[key, pos - 1]
            best_i[key, pos] = best_i[key, pos - 1]
            pos -= 1
        best_w[key, pos] = x
        best_i[key, pos] = a
    for key in range(n_keys):
        for pos in range(k):
            a = best_i[key, pos]
            if a >= 0:
                out[a] = True


def _spfa_kernel(
    indptr: Arr, dst: Arr, cost: Arr, n_nodes: int, max_pops: int, init: Arr
) -> tuple[Arr, bool]:  # pragma: no cover - numba
    """Label-correcting Bellman-Ford with a FIFO queue from the labels ``init``: the largest
    potentials below ``init`` that every arc satisfies (zeros: shortest distances from a
    virtual root joined to every node by a 0 arc). Any start labels converge when there is no
    negative cycle; labels that already satisfy every arc cost one pass. Returns (dist,
    finished); not finished = gave up."""
    dist = init.copy()
    inq = np.ones(n_nodes, dtype=np.bool_)
    size = n_nodes + 1
    queue = np.empty(size, dtype=np.int64)
    for v in range(n_nodes):
        queue[v] = v
    head = 0
    tail = n_nodes
    count = n_nodes
    pops = 0
    while count > 0:
        u = queue[head]
        head += 1
        if head == size:
            head = 0
        count -= 1
        inq[u] = False
        pops += 1
        if pops > max_pops:
            return dist, False
        du = dist[u]
        for a in range(indptr[u], indptr[u + 1]):
            v = dst[a]
            nd = du + cost[a]
            if nd < dist[v]:
                dist[v] = nd
                if not inq[v]:
                    queue[tail] = v
                    tail += 1
                    if tail == size:
                        tail = 0
                    count += 1
                    inq[v] = True
    return dist, True


def _arc_of_kernel(
    indptr: Arr, cols: Arr, q_rows: Arr, q_cols: Arr, out: Arr
) -> None:  # pragma: no cover - compiled by numba
    """Position of each arc (q_rows[k], q_cols[k]) among arcs sorted by (row, col), by a
    binary search inside its row's segment."""
    for k in range(q_rows.size):
        lo = indptr[q_rows[k]]
        hi = indptr[q_rows[k] + 1]
        c = q_cols[k]
        while lo < hi:
            mid = (lo + hi) >> 1
            if cols[mid] < c:
                lo = mid + 1
            else:
                hi = mid
        out[k] = lo


def _violating_kernel(  # pragma: no cover - compiled by numba
    indptr: Arr,
    cols: Arr,
    w: Arr,
    in_p: Arr,
    dist: Arr,
    n: int,
    m_val: float,
    out_idx: Arr,
    out_rc: Arr,
    row_lo: int,
    row_hi: int,
) -> int:
    """Write the arcs of rows row_lo to row_hi outside P with a negative reduced cost;
    returns how many. Arcs are sorted by row (``indptr``), so no row array is read."""
    k = 0
    for i in range(row_lo, row_hi):
        base = dist[i] - m_val
        for a in range(indptr[i], indptr[i + 1]):
            if in_p[a]:
                continue
            rc = w[a] + base - dist[n + cols[a]]
            if rc < 0:
                if k < out_idx.size:
                    out_idx[k] = a
                    out_rc[k] = rc
                k += 1
    return k


def _py_k_best(keys: Arr, w: Arr, n_keys: int, k: int, out: Arr) -> None:
    order = np.lexsort((np.arange(keys.size), w, keys))
    sk = keys[order]
    start = np.searchsorted(sk, np.arange(n_keys))
    rank = np.arange(keys.size) - start[sk]
    out[order[rank < k]] = True


def _py_spfa(
    indptr: Arr, dst: Arr, cost: Arr, n_nodes: int, max_pops: int, init: Arr | None = None
) -> tuple[Arr, bool]:
    """Plain-numpy Bellman-Ford (rounds of vectorised relaxation) when numba is absent."""
    src = np.repeat(np.arange(n_nodes), np.diff(indptr))
    dist = np.zeros(n_nodes) if init is None else init.copy()
    for _ in range(n_nodes + 1):
        cand = dist[src] + cost
        new = dist.copy()
        np.minimum.at(new, dst, cand)
        if np.array_equal(new, dist):
            return dist, True
        dist = new
    return dist, False


def kernels() -> dict[str, Callable[..., Any]]:
    if not _KERNELS:
        try:
            import numba
        except ImportError:
            _KERNELS.update(k_best=_py_k_best, spfa=_py_spfa)
            return _KERNELS
        jit = numba.njit(cache=True, nogil=True)
        k_best, spfa = jit(_k_best_kernel), jit(_spfa_kernel)
        augment, viol = jit(hopcroft_karp.grow), jit(_violating_kernel)
        arc_of = jit(_arc_of_kernel)
        ix = np.zeros(1, dtype=np.int64)
        k_best(ix, np.zeros(1), 1, 1, np.zeros(1, dtype=np.bool_))
        spfa(np.array([0, 0], dtype=np.int64), ix[:0], np.zeros(0), 1, 10, np.zeros(1))
        augment(np.array([0, 1], dtype=np.int64), ix, 1, 1, ix - 1, ix - 1)
        ip = np.array([0, 1], dtype=np.int64)
        viol(ip, ix, np.zeros(1), np.zeros(1, np.bool_), np.zeros(2), 1, 1.0, ix, np.zeros(1), 0, 1)
        arc_of(np.array([0, 1], dtype=np.int64), ix, ix, ix, ix.copy())
        _KERNELS.update(k_best=k_best, spfa=spfa, augment=augment, violating=viol, arc_of=arc_of)
    return _KERNELS


# --------------------------------------------------------------------------- the proof


def big_m(w: np.ndarray, n: int, cap: np.ndarray) -> float | None:
    """The "unmatched" price M, or None when the proof could not stay exact in float64."""
    k = int(min(n, int(cap.sum())))
    top = float(w.max()) if w.size else 0.0
    m_val = (k + 1) * top + 1.0
    if m_val * (k + 2) >= _EXACT:
        return None
    return m_val


def potentials(
    rows: np.ndarray,
    cols: np.ndarray,
    w: np.ndarray,
    chosen: np.ndarray,
    cap: np.ndarray,
    n: int,
    m: int,
    m_val: float,
    start: np.ndarray | None = None,
) -> list[np.ndarray] | None:
    """Feasible potentials of the residual network of the optimum ``chosen`` of (rows, cols).

    Nodes: rows 0..n-1, columns n..n+m-1, s = n+m, t = n+m+1. None if Bellman-Ford gave up
    (cannot happen for an optimal ``chosen``; the caller then solves the full problem).
    ``start``: labels to correct from (the solver's own duals, ``PartDuals.labels``); then
    one potential is returned, else three (see below)."""
    s, t = n + m, n + m + 1
    used = np.zeros(rows.size, dtype=bool)
    used[chosen] = True
    row_matched = np.zeros(n, dtype=bool)
    row_matched[rows[chosen]] = True
    load = np.bincount(cols[chosen], minlength=m)
    free_rows = np.flatnonzero(~row_matched)
    matched_rows = np.flatnonzero(row_matched)
    open_cols = np.flatnonzero(load < cap)
    loaded_cols = np.flatnonzero(load > 0)
    src = np.concatenate(
        [
            rows[~used],  # row -> column, unused arc
            n + cols[used],  # column -> row, used arc (reverse)
            np.full(free_rows.size, s),
            matched_rows,
            n + open_cols,
            np.full(loaded_cols.size, t),
            [t, s] if chosen.size else [t],
        ]
    ).astype(np.int64)
    dst = np.concatenate(
        [
            n + cols[~used],
            rows[used],
            free_rows,
            np.full(matched_rows.size, s),
            np.full(open_cols.size, t),
            n + loaded_cols,
            [s, t] if chosen.size else [s],
        ]
    ).astype(np.int64)
    cost = np.concatenate(
        [
            w[~used] - m_val,
            m_val - w[used],
            np.zeros(free_rows.size + matched_rows.size + open_cols.size + loaded_cols.size),
            np.zeros(2 if chosen.size else 1),
        ]
    )
    n_nodes = n + m + 2
    spfa = kernels()["spfa"]
    budget = 200 * n_nodes + 10**6
    if start is not None:
        order = np.argsort(src, kind="stable")
        indptr = np.searchsorted(src[order], np.arange(n_nodes + 1)).astype(np.int64)
        cst = np.ascontiguousarray(cost[order])
        dist, finished = spfa(indptr, dst[order], cst, n_nodes, budget, start.astype(np.float64))
        return [dist] if finished else None
    found = []
    for a, b in ((src, dst), (dst, src)):  # distances from the root, then towards it
        order = np.argsort(a, kind="stable")
        indptr = np.searchsorted(a[order], np.arange(n_nodes + 1)).astype(np.int64)
        cst = np.ascontiguousarray(cost[order])
        dist, finished = spfa(indptr, b[order], cst, n_nodes, budget, np.zeros(n_nodes))
        if not finished:
            return None
        found.append(dist)
    high, low = found[0], -found[1]
    # Both are feasible potentials (the largest <= 0 and the smallest >= 0); so is every
    # convex combination. The middle one usually leaves the fewest arcs outside P violating.
    return [(high + low) / 2, high, low]


#: Arcs per thread at least, when the scan for violating arcs runs in row slices.
SLICE_ARCS = 1 << 21


def violating(
    rows: np.ndarray,
    cols: np.ndarray,
    w: np.ndarray,
    in_p: np.ndarray,
    dist: np.ndarray,
    n: int,
    m_val: float,
    indptr: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Arcs outside P whose reduced cost is negative, and those reduced costs (in chunks;
    exact integers). Arcs are sorted by row; ``indptr`` (row starts) saves finding them."""
    kern = kernels()
    if "violating" in kern:
        if indptr is None:
            indptr = np.searchsorted(rows, np.arange(n + 1)).astype(np.int64)

        def scan(lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
            idx = np.empty(1 << 16, dtype=np.int64)
            rcs = np.empty(1 << 16)
            count = kern["violating"](indptr, cols, w, in_p, dist, n, m_val, idx, rcs, lo, hi)
            if count > idx.size:  # more than the buffer: once more with room for all
                idx = np.empty(count, dtype=np.int64)
                rcs = np.empty(count)
                kern["violating"](indptr, cols, w, in_p, dist, n, m_val, idx, rcs, lo, hi)
            return idx[:count], rcs[:count]

        # Rows in slices on a few threads (the kernel releases the GIL), for big problems.
        per_thread = max(1, n * SLICE_ARCS // max(cols.size, 1))  # rows of SLICE_ARCS arcs
        found = over_slices(scan, n, min_per_thread=per_thread)
        if len(found) == 1:
            return found[0]
        return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])
    out, values = [], []
    for lo in range(0, rows.size, CHUNK):
        hi = min(lo + CHUNK, rows.size)
        rc = w[lo:hi] - m_val + dist[rows[lo:hi]] - dist[n + cols[lo:hi]]
        bad = np.flatnonzero((rc < 0) & ~in_p[lo:hi])
        if bad.size:
            out.append(bad + lo)
            values.append(rc[bad])
    if not out:
        return np.empty(0, dtype=np.int64), np.empty(0)
    return np.concatenate(out), np.concatenate(values)


def initial_arcs(
    rows: np.ndarray,
    cols: np.ndarray,
    w: np.ndarray,
    n: int,
    m: int,
    k: int,
    max_matching: np.ndarray | None = None,
) -> np.ndarray:
    """Boolean mask of P: k cheapest arcs per row and per column (+ a maximum matching)."""
    kern = kernels()
    mask = np.zeros(rows.size, dtype=bool)
    kern["k_best"](rows, w, n, k, mask)
    kern["k_best"](cols, w, m, k, mask)
    if max_matching is not None and max_matching.size:
        mask[max_matching] = True
    return mask


def _augmenting_arcs(
    rows: np.ndarray, cols: np.ndarray, chosen: np.ndarray, n: int, m: int
) -> np.ndarray:
    """Arcs of a maximum-cardinality matching grown from the arcs ``chosen`` (rows sorted)."""
    mate_l = np.full(n, -1, dtype=np.int64)
    mate_r = np.full(m, -1, dtype=np.int64)
    mate_l[rows[chosen]] = cols[chosen]
    mate_r[cols[chosen]] = rows[chosen]
    before = int(chosen.size)
    indptr = np.searchsorted(rows, np.arange(n + 1)).astype(np.int64)
    kernels()["augment"](indptr, np.ascontiguousarray(cols), n, m, mate_l, mate_r)
    matched = np.flatnonzero(mate_l >= 0)
    if matched.size == before:
        return np.empty(0, dtype=np.int64)
    out = np.empty(matched.size, dtype=np.int64)
    kernels()["arc_of"](indptr, np.ascontiguousarray(cols), matched, mate_l[matched], out)
    return out


def solve_certified(
    rows: np.ndarray,
    cols: np.ndarray,
    w: np.ndarray,
    cap: np.ndarray,
    n: int,
    m: int,
    solve_subset: Callable[[np.ndarray], tuple[np.ndarray, PartDuals | None]],
    *,
    max_matching: np.ndarray | None = None,
    k: int | None = None,
) -> tuple[np.ndarray, Certificate] | None:
    """Optimal arcs of the full problem (rows, cols, integer costs w >= 0, capacities cap),
    found on pruned subsets and proven optimal over every arc; None when no exact proof is
    possible (the caller then solves the full problem).

    ``solve_subset(sel)`` returns the positions (into ``sel``) of an optimum of the problem
    restricted to the arcs ``sel`` (sorted indices into rows/cols/w), and its duals if the
    solver has them (the potentials then start from those instead of from zero).
    """
    m_val = big_m(w, n, cap)
    if m_val is None:
        return None
    in_p = initial_arcs(rows, cols, w, n, m, PRUNE_K if k is None else k, max_matching)
    row_start = np.searchsorted(rows, np.arange(n + 1)).astype(np.int64)
    check = 0.0
    added = 0
    augmented = False
    for round_no in range(1, MAX_ROUNDS + 1):
        sel = np.flatnonzero(in_p)
        found, duals = solve_subset(sel)
        chosen = sel[found]
        t0 = time.perf_counter()
        if not augmented and int(cap.max(initial=0)) <= 1 and "augment" in kernels():
            # Most pairs first: grow the pruned optimum into a maximum matching of the full
            # graph (augmenting paths only where it falls short) and give P those arcs.
            augmented = True
            extra = _augmenting_arcs(rows, cols, chosen, n, m)
            check += time.perf_counter() - t0
            if extra.size and not in_p[extra].all():
                in_p[extra] = True
                added += int(extra.size)
                continue
            t0 = time.perf_counter()
        start = None if duals is None else duals.labels(m_val)
        options = potentials(
            rows[sel], cols[sel], w[sel], np.searchsorted(sel, chosen), cap, n, m, m_val, start
        )
        if options is None:
            return None
        bad, rc = violating(rows, cols, w, in_p, options[0], n, m_val, row_start)
        for dist in options[1:]:
            if not bad.size:
                break
            other, other_rc = violating(rows, cols, w, in_p, dist, n, m_val, row_start)
            if not other.size:
                bad, rc = other, other_rc
        check += time.perf_counter() - t0
        if not bad.size:
            return chosen, Certificate(
                arcs_checked=int(rows.size),
                arcs_solved=int(sel.size),
                rounds=round_no,
                arcs_added=added,
                check_seconds=check,
            )
        # Add only each row's and each column's most violating arcs: the rest usually stop
        # violating once those are in, and P stays small.
        keep = np.zeros(bad.size, dtype=bool)
        kern = kernels()
        kern["k_best"](rows[bad], rc, n, ADD_PER_VERTEX, keep)
        kern["k_best"](cols[bad], rc, m, ADD_PER_VERTEX, keep)
        in_p[bad[keep]] = True
        added += int(keep.sum())
    return None
