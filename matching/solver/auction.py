"""An ε-scaled auction for square parts that have a perfect matching, with exact duals.

Used by the numba backend on a Dulmage-Mendelsohn part C (perfectly matched within itself)
when a solve starts cold or far from its optimum. On real geography (dense cities next to
thin regions) a shortest-augmenting-path solve pays for every augmenting path that has to
cross a region; the auction lets prices rise everywhere at once instead (measured on the
10,000 x 10,000 bench at 25 km: 0.05 s against 0.45 s on the pruned graph, 0.86 s against
4.5 s on all 5.2 million pairs).

Exactness, never by assumption:

1. Costs are integers (the solver scales them); they are multiplied by S = n + 1. The
   forward Gauss-Seidel auction with ε-scaling ends with ε = 1, so the matching is ε-optimal
   for ε = 1/S < 1/n in the original costs, which for integer costs means optimal
   (Bertsekas, "The auction algorithm", 1988).
2. That is a theorem about the algorithm; the result is then *proven*: the prices are turned
   into integer duals (u, v), and a label-correcting pass makes them exactly feasible
   (cost - u - v >= 0 on every arc, 0 on every matched arc). It converges only if the
   matching has no negative cycle, i.e. is optimal. Complementary slackness then certifies
   the pair (matching, duals), exactly as the shortest-augmenting-path kernel's own duals do.
3. Bounded: the auction stops after a bid budget and the duals pass after a scan budget; the
   caller then solves the part with shortest augmenting paths instead. Price magnitudes are
   checked by the caller (:func:`fits`) so int64 prices never overflow.

The kernels are plain Python compiled by numba on first use (no calls between kernels).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

Arr = NDArray[Any]

#: ε is divided by this factor from one scaling phase to the next (4-16 measured alike).
ALPHA = 8
#: A warm start (an earlier solve's prices) skips this many of the coarsest ε phases.
WARM_SKIP = 1
#: Bids allowed per row before the auction gives the part to shortest augmenting paths.
BIDS_PER_ROW = 1_000
#: Row scans allowed per row for the duals pass.
SCANS_PER_ROW = 50
_INT_LIMIT = 2**62


def fits(cost: np.ndarray, n: int) -> bool:
    """True when the auction can run on these costs exactly: every cost an integer and every
    price it can reach (below about 2·n·S·range) inside int64."""
    if n == 0 or cost.size == 0:
        return False
    lo, hi = float(cost.min()), float(cost.max())
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return False
    if max(abs(lo), abs(hi)) * (n + 1) >= 2**52:
        return False
    span = hi - lo + 1.0
    if 4.0 * span * (n + 1) * (n + 2) >= _INT_LIMIT:
        return False
    return bool(np.all(cost == np.floor(cost)))


def _auction_kernel(
    indptr: Arr, indices: Arr, cost: Arr, n: int, alpha: int, limit: int, start: Arr, eps0: int
) -> tuple[Arr, Arr]:
    """Forward Gauss-Seidel auction with ε-scaling, minimising cost on an n x n sparse
    problem that has a perfect matching (rows bid for columns; a row's bid lowers its best
    column's value by the gap to its second best plus ε). Costs (integer-valued floats) are
    multiplied by n + 1 and the last phase has ε = 1. Returns (mate of each row, scaled
    column prices); mate[0] = -2 when the bid budget ran out."""
    scale = np.int64(n + 1)
    m = indptr[n]
    cmin = np.int64(cost[0]) * scale
    cmax = cmin
    for a in range(m):
        x = np.int64(cost[a]) * scale
        if x > cmax:
            cmax = x
        if x < cmin:
            cmin = x
    span = cmax - cmin + 1
    big = np.int64(_INT_LIMIT)
    price = start.copy()
    mate_l = np.full(n, -1, np.int64)
    mate_r = np.full(n, -1, np.int64)
    queue = np.empty(n, np.int64)
    eps = max(np.int64(1), span // alpha if eps0 <= 0 else np.int64(eps0))
    bids = 0
    while True:
        # Keep each pair that is still ε-optimal for the new ε; the others bid again.
        head = 0
        count = 0
        for i in range(n):
            j0 = mate_l[i]
            if j0 != -1:
                best = big
                at = big
                for a in range(indptr[i], indptr[i + 1]):
                    w = np.int64(cost[a]) * scale + price[indices[a]]
                    if w < best:
                        best = w
                    if indices[a] == j0:
                        at = w
                if at <= best + eps:
                    continue
                mate_l[i] = -1
                mate_r[j0] = -1
            queue[count] = i
            count += 1
        tail = count % n
        while count > 0:
            if bids >= limit:
                mate_l[0] = -2
                return mate_l, price
            i = queue[head]
            head += 1
            if head == n:
                head = 0
            count -= 1
            bids += 1
            w1 = big
            w2 = big
            j1 = -1
            for a in range(indptr[i], indptr[i + 1]):
                j = indices[a]
                w = np.int64(cost[a]) * scale + price[j]
                if w < w1:
                    w2 = w1
                    w1 = w
                    j1 = j
                elif w < w2:
                    w2 = w
            if j1 == -1:  # a row without arcs: the caller's precondition is broken
                mate_l[0] = -2
                return mate_l, price
            if w2 == big:  # one arc only: this row must take it; price it out of reach
                w2 = w1 + span
            price[j1] += w2 - w1 + eps
            old = mate_r[j1]
            mate_r[j1] = i
            mate_l[i] = j1
            if old != -1:
                mate_l[old] = -1
                queue[tail] = old
                tail += 1
                if tail == n:
                    tail = 0
                count += 1
        if eps == 1:
            return mate_l, price
        eps = max(np.int64(1), eps // alpha)


def _duals_kernel(
    indptr: Arr, indices: Arr, cost: Arr, n: int, mate_l: Arr, price: Arr, limit: int
) -> tuple[bool, Arr, Arr]:
    """Exact integer duals for a perfect matching from the auction's scaled prices:
    v = -⌊price / (n + 1)⌋, u = cost of the row's pair - v of its column, then a FIFO
    label-correcting pass lowers v wherever an arc's reduced cost cost - u - v is negative
    (which raises the u of that column's row and rechecks its arcs). It ends, with every
    reduced cost >= 0 and every pair's 0, only if the matching is optimal; returns
    (False, u, v) when the scan budget runs out first."""
    scale = np.int64(n + 1)
    v = np.empty(n)
    for j in range(n):
        v[j] = -float(price[j] // scale)
    mate_r = np.empty(n, np.int64)
    paid = np.empty(n)  # cost of each row's own pair
    for i in range(n):
        j0 = mate_l[i]
        mate_r[j0] = i
        for a in range(indptr[i], indptr[i + 1]):
            if indices[a] == j0:
                paid[i] = cost[a]
                break
    u = np.empty(n)
    for i in range(n):
        u[i] = paid[i] - v[mate_l[i]]
    queue = np.empty(n, np.int64)
    queued = np.ones(n, np.bool_)
    for i in range(n):
        queue[i] = i
    head = 0
    tail = 0
    count = n
    scans = 0
    while count > 0:
        if scans >= limit:
            return False, u, v
        i = queue[head]
        head += 1
        if head == n:
            head = 0
        count -= 1
        queued[i] = False
        scans += 1
        ui = u[i]
        for a in range(indptr[i], indptr[i + 1]):
            k = indices[a]
            if cost[a] - ui - v[k] < 0.0:
                v[k] = cost[a] - ui
                i2 = mate_r[k]
                u[i2] = paid[i2] - v[k]
                if not queued[i2]:
                    queued[i2] = True
                    queue[tail] = i2
                    tail += 1
                    if tail == n:
                        tail = 0
                    count += 1
    top = v.max()  # shift so every price is <= 0, as the other kernel keeps them
    for j in range(n):
        v[j] -= top
    for i in range(n):
        u[i] += top
    return True, u, v
