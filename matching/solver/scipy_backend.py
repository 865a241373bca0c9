"""The always-available exact backend: scipy's assignment solvers on capacity slots.

``"scipy"``: columns are expanded into capacity slots and every row gets a private dummy
column whose cost M means "unmatched". M is larger than any possible cost difference between
two matchings of different size, so the penalised problem always has a full row matching and
its optimum is the lexicographic optimum. Small problems use the dense
``linear_sum_assignment``; larger ones ``min_weight_full_bipartite_matching`` (whose own
feasibility check stalls on nearest-neighbour graphs when a full matching does not exist,
scipy issue 26147; the private dummies make a full matching exist trivially).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

# Dense scipy LSA is fastest for small problems; beyond this many cells (rows x (slots + rows))
# the sparse solver wins and the dense matrix would cost too much memory.
_DENSE_CELLS_MAX = 250_000


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
