"""Exact assignment solver for the matching round (pure: numpy/scipy, optional OR-Tools; no Django).

``solve(cost, capacity=..., forbidden=..., required=...)`` pairs rows (people or schools to be
served) with columns (providers: mentors, coaches). The objective is lexicographic and exact:

1. match as many rows as possible, subject to capacities, forbidden and required pairs;
2. among all maximum matchings, take one with the least total cost.

Three interchangeable exact backends (``auto`` picks; see ``solve``):

* ``"numba"`` (optional dependency numba): ``numba_backend``.
* ``"ortools"`` (optional dependency OR-Tools): ``ortools_backend``.
* ``"scipy"`` (always available): ``scipy_backend``.

One job per module: ``problem`` (the result, the errors, input normalisation and exact integer
scaling), one module per backend, and ``dispatch`` (``solve``: validates the locks, takes the
required pairs out, prunes with a proof of optimality through ``matching.certify`` and picks a
backend). This package's namespace is the public API only.

Determinism: candidates are put in canonical (row, col) order before any backend sees them and
both backends are deterministic, so the same input always gives the same pairs, ties included.
(The two backends may break exact ties differently; the objective values are always equal.)
"""

from .dispatch import Backend, solve
from .numba_backend import numba_available
from .ortools_backend import ortools_available
from .problem import (
    REASON_ALL_FULL,
    REASON_LABELS,
    REASON_NO_CANDIDATE,
    CapacityExceeded,
    IndexOutOfRange,
    InfeasibleInput,
    PairList,
    RequiredPairForbidden,
    RequiredPairImpossible,
    RowRequiredTwice,
    Solution,
)

__all__ = [
    "REASON_ALL_FULL",
    "REASON_LABELS",
    "REASON_NO_CANDIDATE",
    "Backend",
    "CapacityExceeded",
    "IndexOutOfRange",
    "InfeasibleInput",
    "PairList",
    "RequiredPairForbidden",
    "RequiredPairImpossible",
    "RowRequiredTwice",
    "Solution",
    "numba_available",
    "ortools_available",
    "solve",
]
