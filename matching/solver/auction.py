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
    indptr: Arr, indices: Arr, cost: Arr, n_left: int, n_right: int, alpha: int, limit: int
) -> tuple[Arr, Arr]:
    """Forward Gauss-Seidel auction with ε-scaling, minimising cost on a sparse problem in
    which every left vertex must be matched (n_left <= n_right, such a matching exists):
    left vertices bid for right ones; a bid raises the best right vertex's price by the gap to
    the second best plus ε. Costs (integer-valued floats) are multiplied by n_left + 1 and the
    last phase has ε = 1. Returns (mate of each left vertex, scaled right prices);
    mate[0] = -2 when the bid budget ran out.

    When right vertices can stay free, each phase starts by setting the price of every free
    right vertex back to 0 (and letting go of the pairs that this makes more than ε from
    their best): a right vertex, once bid for, stays matched until the phase ends, so at the
    end every free right vertex has price 0 and every price is >= 0. With ε-optimal pairs that
    proves the matching within n·ε of the optimum (weak duality), i.e. optimal."""
    n = n_left
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
    rect = n_right > n_left
    price = np.zeros(n_right, np.int64)
    mate_l = np.full(n, -1, np.int64)
    mate_r = np.full(n_right, -1, np.int64)
    queue = np.empty(n, np.int64)
    queued = np.zeros(n, np.bool_)
    # rectangular only: who bids on each right vertex (column-wise arcs)
    cptr = np.zeros(n_right + 1 if rect else 1, np.int64)
    crow = np.empty(m if rect else 0, np.int64)
    ccost = np.empty(m if rect else 0, np.int64)
    reset = np.empty(n_right if rect else 0, np.int64)
    if rect:
        for a in range(m):
            cptr[indices[a] + 1] += 1
        for j in range(n_right):
            cptr[j + 1] += cptr[j]
        fill = cptr[:-1].copy()
        for i in range(n):
            for a in range(indptr[i], indptr[i + 1]):
                j = indices[a]
                crow[fill[j]] = i
                ccost[fill[j]] = np.int64(cost[a]) * scale
                fill[j] += 1
    best_at = np.empty(n, np.int64)  # each matched left vertex's cost + price of its pair
    eps = max(np.int64(1), span // alpha)
    bids = 0
    while True:
        # Keep each pair that is still ε-optimal for the new ε; the others bid again.
        count = 0
        for i in range(n):
            queued[i] = False
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
                    best_at[i] = at
                    continue
                mate_l[i] = -1
                mate_r[j0] = -1
            queue[count] = i
            queued[i] = True
            count += 1
        if rect:  # free right vertices back to price 0, and what that lets go
            n_reset = 0
            for j in range(n_right):
                if mate_r[j] == -1 and price[j] > 0:
                    reset[n_reset] = j
                    n_reset += 1
            while n_reset > 0:
                n_reset -= 1
                k = reset[n_reset]
                price[k] = 0
                for b in range(cptr[k], cptr[k + 1]):
                    i = crow[b]
                    j0 = mate_l[i]
                    if j0 == -1 or j0 == k or best_at[i] <= ccost[b] + eps:
                        continue
                    mate_l[i] = -1
                    mate_r[j0] = -1
                    if not queued[i]:
                        queued[i] = True
                        queue[count] = i
                        count += 1
                    if price[j0] > 0:
                        reset[n_reset] = j0
                        n_reset += 1
        head = 0
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
            if j1 == -1:  # a left vertex without arcs: the caller's precondition is broken
                mate_l[0] = -2
                return mate_l, price
            if w2 == big:  # one arc only: this vertex must take it; price it out of reach
                w2 = w1 + span
            price[j1] += w2 - w1 + eps
            best_at[i] = w2 + eps
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
    indptr: Arr,
    indices: Arr,
    cost: Arr,
    n_left: int,
    n_right: int,
    mate_l: Arr,
    price: Arr,
    limit: int,
) -> tuple[bool, Arr, Arr]:
    """Exact integer duals for a matching that covers the left side, from the auction's
    scaled prices: v = -⌊price / (n_left + 1)⌋ (<= 0), u = cost of the vertex's pair - v of
    its partner, then a FIFO label-correcting pass lowers v wherever an arc's reduced cost
    cost - u - v is negative (which raises the u of that right vertex's partner and rechecks
    its arcs). It ends, with every reduced cost >= 0, every pair's 0 and every free right
    vertex still at 0 (the optimality conditions), only if the matching is optimal; returns
    (False, u, v) when a free right vertex would have to move or the scan budget runs out."""
    n = n_left
    scale = np.int64(n + 1)
    v = np.empty(n_right)
    for j in range(n_right):
        v[j] = -float(price[j] // scale)
    mate_r = np.full(n_right, -1, np.int64)
    paid = np.empty(n)  # cost of each left vertex's own pair
    for i in range(n):
        j0 = mate_l[i]
        mate_r[j0] = i
        for a in range(indptr[i], indptr[i + 1]):
            if indices[a] == j0:
                paid[i] = cost[a]
                break
    for j in range(n_right):
        if mate_r[j] == -1 and v[j] != 0.0:
            return False, np.zeros(n), v
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
                i2 = mate_r[k]
                if i2 == -1:  # a free right vertex must keep price 0
                    return False, u, v
                v[k] = cost[a] - ui
                u[i2] = paid[i2] - v[k]
                if not queued[i2]:
                    queued[i2] = True
                    queue[tail] = i2
                    tail += 1
                    if tail == n:
                        tail = 0
                    count += 1
    if n_right == n_left:  # square: any shift is optimal too; keep every price <= 0
        top = v.max()
        for j in range(n_right):
            v[j] -= top
        for i in range(n):
            u[i] += top
    return True, u, v
