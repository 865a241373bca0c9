"""The numba exact backend (optional dependency numba; imported and compiled lazily).

``"numba"`` (optional dependency numba): Hopcroft-Karp maximum matching, a Dulmage-Mendelsohn
split into three independent parts that each must cover one side completely, and sparse
shortest augmenting paths (Jonker-Volgenant style, binary heap) on each part, or the
ε-scaled auction with exact duals (:mod:`.auction`) on big square parts that start far from
their optimum. No big-M and no dummies; searches stop at the first free vertex. Fastest on
unit capacities.

The kernels are plain Python compiled with numba on first use (cached in __pycache__), so
importing this module never needs numba. They are self-contained (no calls between kernels)
because they are jitted lazily; Hopcroft-Karp is shared with the proof
(:mod:`matching.hopcroft_karp`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import hopcroft_karp
from . import auction
from .problem import _compact

#: A square part at least this big that starts cold, or warm with fewer than
#: ``AUCTION_KEPT`` of its pairs still tight, goes to the ε-scaled auction first.
AUCTION_MIN_ROWS = 256
AUCTION_KEPT = 0.9

#: The kernels take and give plain numpy arrays (numba compiles them; annotations are
#: for the reader and mypy only).
Arr = NDArray[Any]


def _order_by_kernel(keys: Arr, n_keys: int) -> tuple[Arr, Arr]:
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


def _reach_kernel(
    indptr: Arr, indices: Arr, mate_next: Arr, starts: Arr, n_from: int, n_to: int
) -> tuple[Arr, Arr]:
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


def _ssp_kernel(
    indptr: Arr, indices: Arr, cost: Arr, n_left: int, n_right: int, v0: Arr, mate0: Arr
) -> tuple[Arr, Arr, Arr]:
    """Min-cost matching covering every left vertex (|right| >= |left|, such a matching must
    exist): shortest augmenting paths with Dijkstra on reduced costs (Jonker-Volgenant / Crouse
    style, sparse, binary heap), starting from the right prices ``v0`` (all <= 0; zeros for a
    cold start) and keeping each earlier pair of ``mate0`` (-1 = none) that is still its left
    vertex's least reduced cost. Returns (mate_left, u, v) or mate_left[0] = -2 on failure.

    Any start prices keep every step exact (u starts as each row's least reduced cost, so the
    duals are feasible, and augmenting along shortest reduced paths keeps them feasible and
    every matched arc tight). When |right| > |left| the result is optimal only if every right
    vertex left free ends with price 0; the caller checks that after a warm start."""
    u = np.zeros(n_left)
    v = v0.copy()
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
    # vertices (free ones keep their start price), every matched arc stays tight and every
    # arc's reduced cost stays >= 0, so the shortest-path phase starts from a feasible dual.
    queue = np.empty(n_left, np.int64)
    q_len = 0
    for i in range(n_left):
        j0 = mate0[i]
        if j0 >= 0 and mate_r[j0] == -1:
            best = np.inf
            at_j0 = np.inf
            for a in range(indptr[i], indptr[i + 1]):
                h = cost[a] - v[indices[a]]
                if h < best:
                    best = h
                if indices[a] == j0:
                    at_j0 = h
            if at_j0 == best and at_j0 < np.inf:  # still tight at its least reduced cost
                mate_l[i] = j0
                mate_r[j0] = i
                continue
        queue[q_len] = i
        q_len += 1
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
        hk, reach, ssp = jit(hopcroft_karp.grow), jit(_reach_kernel), jit(_ssp_kernel)
        order_by = jit(_order_by_kernel)
        bid, duals = jit(auction._auction_kernel), jit(auction._duals_kernel)
        ip = np.array([0, 1], dtype=np.int64)
        ix = np.array([0], dtype=np.int64)
        order_by(ix, 1)
        hk(ip, ix, 1, 1, ix - 1, ix - 1)
        reach(ip, ix, np.array([-1], dtype=np.int64), ix, 1, 1)
        ssp(ip, ix, np.array([1.0]), 1, 1, np.zeros(1), ix - 1)
        mate, price = bid(ip, ix, np.array([1.0]), 1, auction.ALPHA, 10, ix.copy(), 0)
        duals(ip, ix, np.array([1.0]), 1, mate, price, 10)
        _KERNELS.update(hk=hk, reach=reach, ssp=ssp, order_by=order_by, bid=bid, duals=duals)
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


@dataclass
class Warm:
    """What one solve of a growing arc set hands the next (unit capacities only).

    Prices are those of each vertex when it was a right vertex (rows in part A, columns in
    parts B and C; all <= 0); mates are the last pairs (-1 = none). ``row_dual``/``col_dual``
    are the last solve's duals as the kernels keep them: a right vertex's price, a left
    vertex's u; ``*_part`` says which Dulmage-Mendelsohn part (0 = A, 1 = B, 2 = C)."""

    row_price: np.ndarray
    col_price: np.ndarray
    row_mate: np.ndarray
    col_mate: np.ndarray
    row_part: np.ndarray
    row_dual: np.ndarray
    col_part: np.ndarray
    col_dual: np.ndarray
    #: The last solve's whole matching (row -> column, column -> row; -1 = none): the next
    #: solve's Hopcroft-Karp starts from it. Any maximum matching gives the same
    #: Dulmage-Mendelsohn parts, so this changes speed only.
    match_l: np.ndarray
    match_r: np.ndarray

    @classmethod
    def empty(cls, n: int, m: int) -> Warm:
        return cls(
            np.zeros(n),
            np.zeros(m),
            np.full(n, -1, dtype=np.int64),
            np.full(m, -1, dtype=np.int64),
            np.full(n, 2, dtype=np.int8),
            np.zeros(n),
            np.full(m, 2, dtype=np.int8),
            np.zeros(m),
            np.full(n, -1, dtype=np.int64),
            np.full(m, -1, dtype=np.int64),
        )

    def forget(self) -> None:
        """Start the next solve cold (duals of the last solve are kept)."""
        self.row_price[:] = 0.0
        self.col_price[:] = 0.0
        self.row_mate[:] = -1
        self.col_mate[:] = -1


def _tight_share(indptr: Arr, ri: Arr, wc: Arr, v0: Arr, mate0: Arr) -> float:
    """Share of the left vertices whose start pair ``mate0`` is still at its least reduced
    cost under the start prices ``v0`` (what a warm shortest-path solve would keep)."""
    has = mate0 >= 0
    if not has.any():
        return 0.0
    nl = mate0.size
    h = wc - v0[ri]
    best = np.minimum.reduceat(h, indptr[:-1])
    rowof = np.repeat(np.arange(nl), np.diff(indptr))
    nr = v0.size
    pos = np.searchsorted(rowof * nr + ri, np.arange(nl) * nr + np.maximum(mate0, 0))
    pos = np.minimum(pos, h.size - 1)
    kept = has & (ri[pos] == mate0) & (h[pos] == best)
    return float(kept.mean())


def _auction(
    kern: dict[str, Any], indptr: Arr, ri: Arr, wc: Arr, n: int, v0: Arr | None = None
) -> tuple[Arr, Arr, Arr] | None:
    """(mate, u, v) of a square part from the ε-scaled auction with exact duals
    (:mod:`.auction`), or None when either budget ran out (the caller then solves the part
    with shortest augmenting paths). Start prices ``v0`` (an earlier solve's, <= 0) let the
    auction skip its first, coarsest ε phases."""
    start = np.zeros(n, dtype=np.int64)
    eps0 = 0
    if v0 is not None and v0.any():
        start = np.rint(-v0 * (n + 1)).astype(np.int64)
        span = (float(wc.max()) - float(wc.min()) + 1.0) * (n + 1)
        eps0 = max(1, int(span) // auction.ALPHA**auction.WARM_SKIP)
    limit = auction.BIDS_PER_ROW * n
    mate, price = kern["bid"](indptr, ri, wc, n, auction.ALPHA, limit, start, eps0)
    if mate[0] == -2:
        return None
    ok, u, v = kern["duals"](indptr, ri, wc, n, mate, price, auction.SCANS_PER_ROW * n)
    if not ok:
        return None
    return mate, u, v


def _ssp_part(
    kern: dict[str, Any],
    left: np.ndarray,
    right: np.ndarray,
    w: np.ndarray,
    n_left: int,
    n_right: int,
    warm: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None,
    square: bool = False,
) -> np.ndarray:
    """Positions (into left/right/w) of a min-cost matching that covers every left vertex.

    The arcs must come sorted by (left, right). ``warm`` = (right prices, left mates, left
    duals, right duals), each indexed by vertex id: the search starts from an earlier solve's
    right prices (<= 0) and keeps its pairs that are still tight; the arrays receive this
    solve's prices, pairs and duals. When the part is not ``square`` (right vertices can stay
    free) a warm result is kept only if every free right vertex ends at price 0, the
    optimality condition of such a part; otherwise the part is solved again cold."""
    li, nl = _compact(left, n_left)
    right_ids = np.flatnonzero(np.bincount(right, minlength=n_right))
    ri, nr = _compact(right, n_right)
    indptr = np.searchsorted(li, np.arange(nl + 1)).astype(np.int64)
    wc = np.ascontiguousarray(w)
    cold_mates = np.full(nl, -1, dtype=np.int64)
    v0 = np.zeros(nr)
    mate0 = cold_mates
    if warm is not None:
        prices, mates, left_dual, right_dual = warm
        left_ids = np.flatnonzero(np.bincount(left, minlength=n_left))
        v0 = np.minimum(prices[right_ids], 0.0)
        mate0 = cold_mates.copy()
        before = mates[left_ids]
        pos = np.searchsorted(right_ids, before)
        ok = (before >= 0) & (right_ids[np.minimum(pos, max(nr - 1, 0))] == before)
        mate0[ok] = pos[ok]
    solved = None
    big_square = square and nl == nr and nl >= AUCTION_MIN_ROWS
    if (
        big_square
        and _tight_share(indptr, ri, wc, v0, mate0) < AUCTION_KEPT
        and auction.fits(wc, nl)
    ):
        solved = _auction(kern, indptr, ri, wc, nl, v0)
    if solved is not None:
        mate, u, v = solved
    else:
        mate, u, v = kern["ssp"](indptr, ri, wc, nl, nr, v0, mate0)
        if nl and mate[0] != -2 and not square and v0.any():
            free = np.ones(nr, dtype=bool)
            free[mate] = False
            if (v[free] < 0).any():  # the warm prices led elsewhere: solve cold
                mate, u, v = kern["ssp"](indptr, ri, wc, nl, nr, np.zeros(nr), cold_mates)
    if nl and mate[0] == -2:  # pragma: no cover - excluded by the Dulmage-Mendelsohn split
        raise RuntimeError("no augmenting path in a part that has a perfect matching")
    if warm is not None:
        prices[right_ids] = v
        right_dual[right_ids] = v
        if nl:
            mates[left_ids] = right_ids[mate]
            left_dual[left_ids] = u
    positions: Arr = np.searchsorted(li * nr + ri, np.arange(nl) * nr + mate)
    return positions


def _solve_numba(
    rows: np.ndarray,
    cols: np.ndarray,
    w: np.ndarray,
    cap: np.ndarray,
    n: int,
    m: int,
    warm: Warm | None = None,
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

    ``warm`` (unit capacities only) carries the right prices and pairs from one solve to the
    next of a growing arc set (the certified pruned solve): a
    re-solve then starts next to its optimum instead of from zero.
    """
    kern = _kernels()
    if int(cap.max()) == 1:  # no expansion needed: slots are the columns
        arc_of, r, slot, n_slots = np.arange(rows.size), rows, cols, m
    else:
        arc_of, r, slot, n_slots = _expand_slots(rows, cols, cap)
        warm = None  # slots change from one arc set to the next
    indptr = np.searchsorted(r, np.arange(n + 1)).astype(np.int64)
    mate_l = np.full(n, -1, dtype=np.int64)
    mate_r = np.full(n_slots, -1, dtype=np.int64)
    if warm is not None:
        _seed(warm, indptr, slot, mate_l, mate_r)
    kern["hk"](indptr, slot, n, n_slots, mate_l, mate_r)
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
    if warm is not None:  # a vertex no part solves (no arc in its part) has dual 0
        warm.row_dual[:] = 0.0
        warm.col_dual[:] = 0.0
    # Part of every arc; 3 = between two parts (in no maximum matching, dropped).
    rp = row_part[r]
    arc_part = np.where(rp == slot_part[slot], rp, np.int8(3))
    chosen: list[np.ndarray] = []
    # A: every column must be covered, so search from the columns (arcs in column order).
    sel = by_slot[arc_part[by_slot] == 0]
    if sel.size:
        wa = None if warm is None else (warm.row_price, warm.col_mate, warm.col_dual, warm.row_dual)
        chosen.append(sel[_ssp_part(kern, slot[sel], r[sel], ww[sel], n_slots, n, wa)])
    # B and C: every row must be covered, search from the rows (arcs already in row order).
    # C is perfectly matched within itself: any start prices give its optimum.
    wb = None if warm is None else (warm.col_price, warm.row_mate, warm.row_dual, warm.col_dual)
    for part in (1, 2):
        sel = np.flatnonzero(arc_part == part)
        if sel.size:
            found = _ssp_part(kern, r[sel], slot[sel], ww[sel], n, n_slots, wb, part == 2)
            chosen.append(sel[found])
    if warm is not None:
        warm.row_part[:] = row_part
        warm.col_part[:] = slot_part
    if not chosen:
        return np.empty(0, dtype=np.int64)
    picked: Arr = np.sort(arc_of[np.concatenate(chosen)])
    if warm is not None:
        warm.match_l[:] = -1
        warm.match_r[:] = -1
        warm.match_l[rows[picked]] = cols[picked]
        warm.match_r[cols[picked]] = rows[picked]
    return picked


def _seed(warm: Warm, indptr: Arr, cols: Arr, mate_l: Arr, mate_r: Arr) -> None:
    """Start the matching from the last solve's pairs that are still arcs (arcs sorted by row,
    then column)."""
    rows = np.flatnonzero(warm.match_l >= 0)
    if not rows.size:
        return
    want = warm.match_l[rows]
    lo, hi = indptr[rows], indptr[rows + 1]
    # each row's arcs are sorted by column: binary search within the row's segment
    key = np.repeat(np.arange(indptr.size - 1), np.diff(indptr)) * (int(cols.max()) + 1) + cols
    pos = np.searchsorted(key, rows * (int(cols.max()) + 1) + want)
    ok = (pos < hi) & (pos >= lo)
    ok[ok] = cols[pos[ok]] == want[ok]
    mate_l[rows[ok]] = want[ok]
    mate_r[want[ok]] = rows[ok]
