"""The OR-Tools exact backend: one max-flow-min-cost call (optional dependency, imported lazily).

``"ortools"``: OR-Tools ``SimpleMinCostFlow.solve_max_flow_with_min_cost`` on the network
source -> row (cap 1) -> column (cap 1, integer cost) -> sink (cap = column capacity). That call
*is* the lexicographic objective (maximum flow first, then least cost), so no big-M is needed
and capacities stay aggregated (no slot expansion). OR-Tools needs integer costs: costs are
scaled by the smallest power of ten that makes them integral (e.g. 1000 for costs in km with
metre precision). When no such scale fits the solver's overflow range, ``auto`` uses scipy.
"""

from __future__ import annotations

import numpy as np

from .problem import _decimal_scale

# OR-Tools' cost-scaling multiplies costs by about the number of nodes; keep every scaled cost
# times (nodes + 1) well inside int64 (2**63) so it never reports BAD_COST_RANGE or overflows.
_INT_BUDGET = 2**60


def ortools_available() -> bool:
    """True when OR-Tools' graph solvers can be imported (imported lazily, never required)."""
    try:
        from ortools.graph.python import min_cost_flow  # noqa: F401
    except ImportError:
        return False
    return True


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
