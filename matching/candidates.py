"""Possible pairs by great-circle travel distance (pure numpy/scipy, no Django).

``candidate_pairs`` finds every (row, col) pair whose great-circle distance is within the
column's maximum travel distance (and the row's, when given) without ever looping over all
pairs: points become 3-D unit vectors (``places.geo``, the one distance function), where the great-circle distance d and the straight-line
chord c are tied by ``c = 2 sin(d / 2R)``, so a radius query in a ``cKDTree`` on the unit
vectors is an exact great-circle radius query. Columns are grouped into a few buckets of similar
reach so that a 15 km mentor is not searched with a 60 km radius.

The result feeds ``matching.solver.solve`` as a sparse cost matrix (``pairs_to_csr``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.spatial import cKDTree

from places.geo import chord_for_km, km_for_chord, unit_vectors

__all__ = ["candidate_pairs", "pairs_to_csr"]

# Column buckets by reach: more buckets = less over-fetching, more tree queries.
_N_BUCKETS = 8
# Relative slack on KD-tree query radii: the exact ``<=`` test is done afterwards on km, the
# slack only makes sure float rounding in the chord never drops a pair right on the boundary.
_QUERY_SLACK = 1e-9


def _as_latlon(a: ArrayLike, name: str) -> NDArray[np.float64]:
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{name} must have shape (n, 2) as (lat, lon), got {arr.shape}")
    return arr


def _as_limits(a: ArrayLike, n: int, name: str) -> NDArray[np.float64]:
    arr = np.asarray(a, dtype=np.float64)
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {arr.shape}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains nan; use inf for 'no limit'")
    return arr


def _buckets(limit: np.ndarray, idx: np.ndarray) -> list[np.ndarray]:
    """Split ``idx`` (sorted by limit) into up to _N_BUCKETS groups of similar limit."""
    order = idx[np.argsort(limit[idx], kind="stable")]
    return [b for b in np.array_split(order, min(_N_BUCKETS, max(order.size, 1))) if b.size]


#: Columns per radius query (see candidate_pairs).
_COLS_PER_QUERY = 256


def candidate_pairs(
    row_latlon: ArrayLike,
    col_latlon: ArrayLike,
    col_max_km: ArrayLike,
    *,
    row_max_km: ArrayLike | None = None,
    online_cols: ArrayLike | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """All possible (row, col) pairs within travel distance, with their distance in km.

    A pair is possible when ``great_circle_km(row, col) <= col_max_km[col]`` and, when
    ``row_max_km`` is given, ``<= row_max_km[row]`` too. ``inf`` means no limit; a negative
    limit reaches nobody.

    Online columns (``online_cols`` boolean mask) need no travel: they are paired with *every*
    row with ``km = 0.0`` and no distance limit applies. That is n pairs per online column, so
    a caller with many online providers and a big round may prefer to leave ``online_cols``
    unset and add those pairs (or a cheaper rule) itself.

    Rows or columns with a nan coordinate (not geocoded) get no distance-based pairs; online
    columns still reach them.

    Returns ``(rows, cols, km)``: int64, int64, float64 arrays sorted by (row, col), each pair
    once.
    """
    rl = _as_latlon(row_latlon, "row_latlon")
    cl = _as_latlon(col_latlon, "col_latlon")
    n, m = rl.shape[0], cl.shape[0]
    cmax = _as_limits(col_max_km, m, "col_max_km")
    rmax = None if row_max_km is None else _as_limits(row_max_km, n, "row_max_km")
    online = np.zeros(m, dtype=bool) if online_cols is None else np.asarray(online_cols, bool)
    if online.shape != (m,):
        raise ValueError(f"online_cols must have shape ({m},), got {online.shape}")

    row_ok = np.isfinite(rl).all(axis=1)
    if rmax is not None:
        row_ok &= rmax >= 0
    col_ok = np.isfinite(cl).all(axis=1) & ~online & (cmax >= 0)
    row_idx = np.flatnonzero(row_ok)
    col_idx = np.flatnonzero(col_ok)

    out_r: list[np.ndarray] = []
    out_c: list[np.ndarray] = []
    out_km: list[np.ndarray] = []
    if row_idx.size and col_idx.size:
        rxyz = unit_vectors(rl[:, 0], rl[:, 1])
        cxyz = unit_vectors(cl[:, 0], cl[:, 1])
        # Rows are bucketed by their own limit too, so a short row limit is not searched with
        # a long column radius; without row limits there is one row bucket.
        row_groups = [row_idx] if rmax is None else _buckets(rmax, row_idx)
        col_groups = _buckets(cmax, col_idx)
        row_trees = [(g, cKDTree(rxyz[g])) for g in row_groups]
        # Queries in batches of columns: each answer stays small (a few MB), so its memory
        # is reused from one query to the next instead of fresh pages for one huge answer.
        batches = [
            g[lo : lo + _COLS_PER_QUERY]
            for g in col_groups
            for lo in range(0, g.size, _COLS_PER_QUERY)
        ]
        for cg in batches:
            ctree = cKDTree(cxyz[cg])
            reach = float(cmax[cg].max())
            for rg, rtree in row_trees:
                limit = reach if rmax is None else min(reach, float(rmax[rg].max()))
                radius = float(chord_for_km(limit)) * (1 + _QUERY_SLACK) + 1e-15
                found = rtree.sparse_distance_matrix(ctree, radius, output_type="ndarray")
                if not found.size:
                    continue
                r = rg[found["i"]]
                c = cg[found["j"]]
                km = np.asarray(km_for_chord(found["v"]), dtype=float)
                keep = km <= cmax[c]
                if rmax is not None:
                    keep &= km <= rmax[r]
                out_r.append(r[keep])
                out_c.append(c[keep])
                out_km.append(km[keep])
    on = np.flatnonzero(online)
    n_on = on.size if n else 0
    if not out_r and not n_on:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty.copy(), np.empty(0, dtype=np.float64)
    # Distance pairs in (row, col) order: each comes from exactly one (column bucket, row
    # bucket) query, so there are no duplicates, only the order to make. scipy's COO -> CSR
    # conversion is a counting sort by row (linear, unlike sorting millions of keys); its
    # sum of duplicates sorts each row's columns. Explicit zeros (coincident points) stay.
    if out_r:
        d_rows = np.concatenate(out_r).astype(np.int64, copy=False)
        d_cols = np.concatenate(out_c).astype(np.int64, copy=False)
        d_km = np.concatenate(out_km).astype(np.float64, copy=False)
    else:
        d_rows = d_cols = np.empty(0, dtype=np.int64)
        d_km = np.empty(0)
    csr = sparse.coo_matrix((d_km, (d_rows, d_cols)), shape=(n, max(m, 1))).tocsr()
    if not csr.has_sorted_indices:  # pragma: no cover - tocsr sums duplicates, which sorts
        csr.sort_indices()
    if csr.nnz != d_rows.size:  # pragma: no cover - excluded above; would merge two pairs
        raise AssertionError("a candidate pair was found twice")
    del d_rows, d_cols, d_km
    per_row = np.diff(csr.indptr).astype(np.int64)
    if not n_on:
        out_rows = np.repeat(np.arange(n, dtype=np.int64), per_row)
        return out_rows, csr.indices.astype(np.int64), csr.data
    # Online columns reach every row at 0 km: merged into each row's sorted distance pairs
    # by position (a distance pair moves up by the online columns before it; the online
    # pairs take the places left), without sorting them in.
    counts = per_row + n_on
    start = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    d_rows = np.repeat(np.arange(n, dtype=np.int64), per_row)
    d_cols = csr.indices.astype(np.int64)
    rank = np.arange(d_cols.size, dtype=np.int64) - np.repeat(
        csr.indptr[:-1].astype(np.int64), per_row
    )
    pos = start[d_rows] + rank + np.searchsorted(on, d_cols)
    total = int(counts.sum())
    out_cols = np.empty(total, dtype=np.int64)
    merged_km = np.zeros(total)
    online_place = np.ones(total, dtype=bool)
    online_place[pos] = False
    out_cols[pos] = d_cols
    merged_km[pos] = csr.data
    out_cols[online_place] = np.tile(on.astype(np.int64), n)
    out_rows = np.repeat(np.arange(n, dtype=np.int64), counts)
    return out_rows, out_cols, merged_km


def pairs_to_csr(
    rows: ArrayLike, cols: ArrayLike, values: ArrayLike, shape: tuple[int, int]
) -> sparse.csr_matrix:
    """Sparse cost matrix for ``solve``; explicit zeros stay stored (they are possible pairs)."""
    mat = sparse.csr_matrix(
        (np.asarray(values, dtype=np.float64), (np.asarray(rows), np.asarray(cols))),
        shape=shape,
    )
    mat.sum_duplicates()
    return mat
