"""The one Hopcroft-Karp kernel: a maximum matching from any valid start, the start's pairs
kept unless re-routed, and the solver's warm seed that drops pairs no longer arcs."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import maximum_bipartite_matching

from matching import hopcroft_karp
from matching.solver import numba_backend as nb


def _graph(seed: int, n: int, m: int, density: float):
    rng = np.random.default_rng(seed)
    rows, cols = np.nonzero(rng.random((n, m)) < density)
    indptr = np.searchsorted(rows, np.arange(n + 1)).astype(np.int64)
    return rng, rows, cols.astype(np.int64), indptr


def _start(rng, rows, cols, n, m):
    """A random valid matching (some arcs, no vertex twice)."""
    mate_l = np.full(n, -1, dtype=np.int64)
    mate_r = np.full(m, -1, dtype=np.int64)
    for a in rng.permutation(rows.size)[: rows.size // 3]:
        i, j = rows[a], cols[a]
        if mate_l[i] == -1 and mate_r[j] == -1:
            mate_l[i], mate_r[j] = j, i
    return mate_l, mate_r


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    n=st.integers(1, 40),
    m=st.integers(1, 40),
    density=st.floats(0.02, 0.5),
    seeded=st.booleans(),
)
def test_grow_gives_a_maximum_matching_from_any_start(seed, n, m, density, seeded):
    rng, rows, cols, indptr = _graph(seed, n, m, density)
    if seeded:
        mate_l, mate_r = _start(rng, rows, cols, n, m)
    else:
        mate_l, mate_r = np.full(n, -1, dtype=np.int64), np.full(m, -1, dtype=np.int64)
    before = np.flatnonzero(mate_l >= 0)
    hopcroft_karp.grow(indptr, cols, n, m, mate_l, mate_r)  # plain Python, as numba would
    matched = np.flatnonzero(mate_l >= 0)
    graph = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, m))
    assert matched.size == int((maximum_bipartite_matching(graph) >= 0).sum())
    assert set(before) <= set(matched)  # a matched row stays matched
    for i in matched:
        assert mate_r[mate_l[i]] == i and graph[i, mate_l[i]] == 1


def test_the_warm_seed_keeps_only_pairs_that_are_still_arcs():
    pytest.importorskip("numba")
    # rows 0..2; arcs (0,1) (1,0) (1,2) (2,2)
    indptr = np.array([0, 1, 3, 4], dtype=np.int64)
    cols = np.array([1, 0, 2, 2], dtype=np.int64)
    warm = nb.Warm.empty(3, 3)
    warm.match_l[:] = [1, 1, 2]  # (1,1) is no arc any more
    mate_l = np.full(3, -1, dtype=np.int64)
    mate_r = np.full(3, -1, dtype=np.int64)
    nb._seed(warm, indptr, cols, mate_l, mate_r)
    assert mate_l.tolist() == [1, -1, 2]
    assert mate_r.tolist() == [-1, 0, 2]
