"""What the solver is given and what it answers (pure numpy/scipy; no backend, no Django).

The ``Solution`` and the ``InfeasibleInput`` errors of the public API; the input handling every
backend relies on (dense or sparse costs -> the possible pairs in canonical (row, col) order,
capacities, forbidden and required pairs, compact vertex ids); and the exact power-of-ten
scaling that turns float costs into integers for the integer backends and for the proof of
optimality of a pruned solve (``matching.certify``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

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


# --------------------------------------------------------------------------- input handling


@dataclass
class _Arcs:
    """Possible pairs in canonical (row, col) order, with their original float costs."""

    rows: np.ndarray  # int64
    cols: np.ndarray  # int64
    cost: np.ndarray  # float64


@dataclass(frozen=True)
class PairList:
    """Possible pairs as three arrays, already sorted by (row, col) with no pair twice: the
    cost input of a caller that has them so (the round's candidates), without a sparse
    matrix in between. ``solve`` checks the order and the ranges; inf/nan costs are
    impossible pairs, as in a sparse matrix."""

    rows: np.ndarray
    cols: np.ndarray
    cost: np.ndarray
    shape: tuple[int, int]


_CHECK_CHUNK = 1 << 20


def _arcs_from_pairs(pairs: PairList) -> tuple[_Arcs, int, int]:
    n, m = (int(x) for x in pairs.shape)
    rows = np.asarray(pairs.rows)
    cols = np.asarray(pairs.cols)
    data = np.asarray(pairs.cost, dtype=np.float64)
    if not (rows.ndim == cols.ndim == data.ndim == 1 and rows.size == cols.size == data.size):
        raise ValueError("PairList needs three one-dimensional arrays of one length")
    if n < 0 or m < 0:
        raise ValueError(f"invalid shape {pairs.shape}")
    rows = rows.astype(np.int64, copy=False)
    cols = cols.astype(np.int64, copy=False)
    if rows.size:
        if (
            int(rows.min()) < 0
            or int(rows.max()) >= n
            or int(cols.min()) < 0
            or int(cols.max()) >= m
        ):
            raise ValueError(f"a pair lies outside the shape {pairs.shape}")
        # Strictly increasing (row, col): checked in cache-sized steps, no key array.
        for lo in range(0, rows.size - 1, _CHECK_CHUNK):
            hi = min(lo + _CHECK_CHUNK + 1, rows.size)
            r, c = rows[lo:hi], cols[lo:hi]
            dr = r[1:] - r[:-1]
            if (dr < 0).any() or ((dr == 0) & (c[1:] <= c[:-1])).any():
                raise ValueError("PairList must be sorted by (row, col), each pair once")
    ok = np.isfinite(data)
    if not ok.all():
        rows, cols, data = rows[ok], cols[ok], data[ok]
    return _Arcs(rows, cols, np.ascontiguousarray(data)), n, m


def _arcs_from_cost(cost: Any) -> tuple[_Arcs, int, int]:
    """Turn dense or sparse input (or a ``PairList``) into the list of possible pairs.

    Dense: every finite entry is possible; inf and nan mark impossible pairs. Sparse: every
    *stored* entry is possible, explicit zeros included; stored inf/nan entries are impossible,
    duplicates are summed as scipy does when converting to CSR.
    """
    if isinstance(cost, PairList):
        return _arcs_from_pairs(cost)
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


def _compact(ids: np.ndarray, size: int) -> tuple[np.ndarray, int]:
    """Renumber the vertices used in ``ids`` as 0..k-1, keeping their order (O(n), no sort).
    The result may be ``ids`` itself (when every vertex is used): do not write to it."""
    used = np.zeros(size, dtype=bool)
    used[ids] = True
    if used.all():  # every vertex takes part: the ids are already 0..size-1
        return ids.astype(np.int64, copy=False), size
    new_id = np.cumsum(used) - 1
    return new_id[ids].astype(np.int64), int(used.sum())


# --------------------------------------------------------------------------- integer scaling


def _decimal_scale(
    cost: np.ndarray, limit: float, *, as_float: bool = False
) -> tuple[np.ndarray, int] | None:
    """Integer version of ``cost`` (shifted to start at 0) and its power-of-ten scale.

    ``as_float``: the integers as float64 (exact below 2**53), what the numba kernels and
    the proof compute with, without a second array of millions of costs.

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
        try:
            q = _scaled_integers(cost, scale, np.float64 if as_float else np.int64)
        except OverflowError:  # beyond exact float integers: a larger scale cannot help
            return None
        if q is None:
            continue
        q -= q.min()
        if int(q.max()) >= limit:
            return None
        return q, scale
    return None


_SCALE_CHUNK = 1 << 16  # elements per chunk: the temporaries stay in the CPU cache
_ULPS = 16 * np.finfo(np.float64).eps


def _scaled_integers(cost: np.ndarray, scale: int, dtype: Any = np.int64) -> np.ndarray | None:
    """``rint(cost * scale)`` as int64 if every product is within float rounding of an
    integer (chunked: a few passes over cache-sized blocks, not over all of ``cost``); None
    if one is not. OverflowError if a product is not below 2**53 in size."""
    q = np.empty(cost.size, dtype=dtype)
    x = np.empty(min(_SCALE_CHUNK, cost.size))
    xr = np.empty_like(x)
    tol = np.empty_like(x)
    for lo in range(0, cost.size, _SCALE_CHUNK):
        hi = min(lo + _SCALE_CHUNK, cost.size)
        xx, rr, tt = x[: hi - lo], xr[: hi - lo], tol[: hi - lo]
        np.multiply(cost[lo:hi], scale, out=xx)
        np.abs(xx, out=tt)
        if not tt.max(initial=0.0) < 2**53:
            raise OverflowError(f"cost * {scale} is not an exact float integer")
        # A few ulps of slack: 0.1 * 10 is 1.0000000000000002 in binary floating point.
        tt *= _ULPS
        tt += 1e-7
        np.rint(xx, out=rr)
        np.subtract(xx, rr, out=xx)
        np.abs(xx, out=xx)
        if (xx > tt).any():
            return None
        q[lo:hi] = rr
    return q
