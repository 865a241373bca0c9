"""Possible pairs by great-circle travel distance (pure numpy/scipy, no Django).

``candidate_pairs`` finds every (row, col) pair whose great-circle distance is within the
column's maximum travel distance (and the row's, when given) without ever looping over all
pairs: points become 3-D unit vectors (``places.geo``, the one distance function), where the great-circle distance d and the straight-line
chord c are tied by ``c = 2 sin(d / 2R)``, so a radius query in a ``cKDTree`` on the unit
vectors is an exact great-circle radius query. Columns are grouped into a few buckets of similar
reach so that a 15 km mentor is not searched with a 60 km radius.

Big rounds (``n * m`` of 4 million or more, numba installed) take a compiled path instead, with
the same answer: the rows go into a grid of cubes on their unit vectors, and each column visits
the cubes its radius can touch, in column order, writing each pair straight into its row's place
(a count pass, then a fill pass), so the pairs come out sorted by (row, col) without a sort, a
sparse matrix or a merge of the online columns. On the national round (10,000 x 10,000, 17.5 M
pairs) that is about ten times faster than the tree queries and their re-ordering.

The result feeds ``matching.solver.solve`` as a sparse cost matrix (``pairs_to_csr``).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.spatial import cKDTree

from places.geo import EARTH_RADIUS_KM, chord_for_km, km_for_chord, unit_vectors

from .slices import compiled, in_slices

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
    method: Literal["auto", "tree", "grid"] = "auto",
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

    ``method``: ``"tree"`` (KD-tree queries), ``"grid"`` (the compiled grid, needs numba) or
    ``"auto"``: the grid for big inputs when numba is there. Both give the same pairs.

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

    row_ok: NDArray[np.bool_] = np.asarray(np.isfinite(rl).all(axis=1), dtype=bool)
    if rmax is not None:
        row_ok &= rmax >= 0
    col_ok: NDArray[np.bool_] = np.isfinite(cl).all(axis=1) & ~online & (cmax >= 0)
    if method == "auto":
        method = "grid" if n * m >= GRID_MIN_PAIRS and _grid_kernel() is not None else "tree"
    if method == "grid":
        return _grid_pairs(rl, cl, cmax, rmax, row_ok, col_ok, online)
    if method != "tree":
        raise ValueError(f"unknown method {method!r}")
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


#: Below this many (row, col) combinations the tree path is used: no numba import or kernel
#: load for a small round.
GRID_MIN_PAIRS = 4_000_000
#: Grid cubes per bucket at most this many per column (their edge grows until they fit).
_GRID_CELLS_PER_COL = 4


def _grid_pass(  # pragma: no cover - compiled by numba (tested through _grid_pairs)
    rxyz: Any,
    row_ok: Any,
    row_radius: Any,
    rmax: Any,
    cxyz: Any,
    col_of: Any,
    col_radius: Any,
    col_limit: Any,
    b_lo: Any,
    b_edge: Any,
    b_dims: Any,
    b_radius: Any,
    b_cell_off: Any,
    cell_start: Any,
    online: Any,
    n_cols: int,
    fill: bool,
    indptr: Any,
    out_cols: Any,
    out_km: Any,
    row_lo: int,
    row_hi: int,
) -> None:
    """Rows row_lo to row_hi, one by one: count (``fill`` False: indptr[i + 1] = the pairs of row i) or write them
    from indptr[i], sorted by column. Per bucket of columns of similar reach, the row visits
    the grid cubes within the bucket's largest chord radius and tests each column there
    exactly, on km as the tree path does; the online columns are merged in by column."""
    two_r = 2.0 * EARTH_RADIUS_KM
    n_on = online.shape[0]
    found_col = np.empty(col_of.shape[0], dtype=np.int64)
    km_of = np.empty(n_cols if fill else 0)  # each found column's km, by column
    for i in range(row_lo, row_hi):
        k = 0
        if row_ok[i]:
            x, y, z = rxyz[i, 0], rxyz[i, 1], rxyz[i, 2]
            for b in range(b_edge.shape[0]):
                rad = min(b_radius[b], row_radius[i])
                edge = b_edge[b]
                nx, ny, nz = b_dims[b, 0], b_dims[b, 1], b_dims[b, 2]
                x0 = max(int(np.floor((x - rad - b_lo[b, 0]) / edge)), 0)
                x1 = min(int(np.floor((x + rad - b_lo[b, 0]) / edge)), nx - 1)
                y0 = max(int(np.floor((y - rad - b_lo[b, 1]) / edge)), 0)
                y1 = min(int(np.floor((y + rad - b_lo[b, 1]) / edge)), ny - 1)
                z0 = max(int(np.floor((z - rad - b_lo[b, 2]) / edge)), 0)
                z1 = min(int(np.floor((z + rad - b_lo[b, 2]) / edge)), nz - 1)
                off = b_cell_off[b]
                for a in range(x0, x1 + 1):
                    for bb in range(y0, y1 + 1):
                        base = off + (a * ny + bb) * nz
                        for c in range(z0, z1 + 1):
                            cell = base + c
                            for t in range(cell_start[cell], cell_start[cell + 1]):
                                dx = cxyz[t, 0] - x
                                dy = cxyz[t, 1] - y
                                dz = cxyz[t, 2] - z
                                d2 = dx * dx + dy * dy + dz * dz
                                if d2 > col_radius[t] * col_radius[t]:
                                    continue
                                half = np.sqrt(d2) / 2.0
                                km = two_r * np.arcsin(half if half < 1.0 else 1.0)
                                if km > col_limit[t] or km > rmax[i]:
                                    continue
                                if fill:
                                    found_col[k] = col_of[t]
                                    km_of[col_of[t]] = km
                                k += 1
        if not fill:
            indptr[i + 1] = k + n_on
            continue
        found_col[:k].sort()
        p = indptr[i]
        s = 0
        for q in range(k):  # merge the row's distance pairs with the online columns
            j = found_col[q]
            while s < n_on and online[s] < j:
                out_cols[p] = online[s]
                out_km[p] = 0.0
                p += 1
                s += 1
            out_cols[p] = j
            out_km[p] = km_of[j]
            p += 1
        while s < n_on:
            out_cols[p] = online[s]
            out_km[p] = 0.0
            p += 1
            s += 1


_WARM: list[bool] = []


def _grid_kernel() -> Any:
    """The compiled grid pass, loaded and run once on a tiny input (so that compiling or
    loading it is never timed as work), or None without numba."""
    kernel = compiled(_grid_pass)
    if kernel is not None and not _WARM:
        _WARM.append(True)
        one = np.array([[52.0, 5.0]])
        ok = np.ones(1, dtype=bool)
        _grid_pairs(one, one, np.ones(1), None, ok, ok, np.zeros(1, dtype=bool))
    return kernel


def _grid_pairs(
    rl: NDArray[np.float64],
    cl: NDArray[np.float64],
    cmax: NDArray[np.float64],
    rmax: NDArray[np.float64] | None,
    row_ok: NDArray[np.bool_],
    col_ok: NDArray[np.bool_],
    online: NDArray[np.bool_],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    kernel = compiled(_grid_pass)
    if kernel is None:  # pragma: no cover - see _grid_kernel
        raise RuntimeError("the grid method needs numba")
    n, m = rl.shape[0], cl.shape[0]
    rxyz = np.nan_to_num(unit_vectors(rl[:, 0], rl[:, 1])) if n else np.zeros((0, 3))
    cxyz = np.nan_to_num(unit_vectors(cl[:, 0], cl[:, 1])) if m else np.zeros((0, 3))
    slack = 1 + _QUERY_SLACK
    col_radius = np.asarray(chord_for_km(cmax), dtype=float).reshape(m) * slack + 1e-15
    row_limit = np.full(n, np.inf) if rmax is None else rmax
    row_radius = np.asarray(chord_for_km(row_limit), dtype=float).reshape(n) * slack + 1e-15
    # Columns in buckets of similar reach, each bucket a grid of cubes (edge: half its
    # reach, grown until the bucket has at most a few cubes per column), columns stored
    # cube by cube with their coordinates, so a row reads each cube's columns in a run.
    los, edges, dims_all, radii, offsets = [], [], [], [], [0]
    col_of_parts, cell_parts = [], []
    for bucket in _buckets(cmax, np.flatnonzero(col_ok)):
        pts = cxyz[bucket]
        lo = pts.min(axis=0)
        span = pts.max(axis=0) - lo
        reach = float(col_radius[bucket].max())
        edge = max(reach / 2, 1e-4)
        while True:
            dims = (np.floor(span / edge).astype(np.int64) + 1).clip(1)
            if int(np.prod(dims)) <= _GRID_CELLS_PER_COL * bucket.size + 64:
                break
            edge *= 2.0
        cube = np.floor((pts - lo) / edge).astype(np.int64).clip(0, dims - 1)
        cell = (cube[:, 0] * dims[1] + cube[:, 1]) * dims[2] + cube[:, 2]
        order = np.argsort(cell, kind="stable")
        n_cells = int(np.prod(dims))
        col_of_parts.append(bucket[order])
        cell_parts.append(np.bincount(cell, minlength=n_cells))
        los.append(lo)
        edges.append(edge)
        dims_all.append(dims)
        radii.append(reach)
        offsets.append(offsets[-1] + n_cells)
    col_of = (
        np.concatenate(col_of_parts).astype(np.int64) if col_of_parts else np.zeros(0, np.int64)
    )
    cell_start = np.zeros(offsets[-1] + 1, dtype=np.int64)
    if cell_parts:
        np.cumsum(np.concatenate(cell_parts), out=cell_start[1:])
    args = (
        rxyz,
        row_ok,
        row_radius,
        row_limit,
        np.ascontiguousarray(cxyz[col_of]),
        col_of,
        col_radius[col_of],
        cmax[col_of],
        np.array(los, dtype=float).reshape(-1, 3),
        np.array(edges, dtype=float),
        np.array(dims_all, dtype=np.int64).reshape(-1, 3),
        np.array(radii, dtype=float),
        np.array(offsets[:-1], dtype=np.int64),
        cell_start,
        np.flatnonzero(online).astype(np.int64) if n else np.zeros(0, np.int64),
        m,
    )
    # Rows in slices on a few threads (each row's pairs have their own place).
    indptr = np.zeros(n + 1, dtype=np.int64)
    in_slices(kernel, n, *args, False, indptr, np.zeros(0, dtype=np.int64), np.zeros(0))
    counts = indptr[1:].copy()
    np.cumsum(counts, out=indptr[1:])
    total = int(indptr[-1])
    out_cols = np.empty(total, dtype=np.int64)
    out_km = np.empty(total, dtype=np.float64)
    in_slices(kernel, n, *args, True, indptr, out_cols, out_km)
    out_rows = np.repeat(np.arange(n, dtype=np.int64), counts)
    return out_rows, out_cols, out_km


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
