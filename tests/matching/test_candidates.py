"""matching.candidates against a brute-force haversine over all pairs, for both methods (the
KD-tree queries and the compiled grid of big rounds), which must give the same pairs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import candidates
from matching.candidates import pairs_to_csr
from matching.solver import solve
from places.geo import EARTH_RADIUS_KM, haversine_km

# Pairs this close to a limit may fall either way by float rounding; they are not compared.
BOUNDARY_KM = 1e-6


@pytest.fixture(params=["tree", "grid"])
def candidate_pairs(request):
    def run(*args, **kwargs):
        return candidates.candidate_pairs(*args, method=request.param, **kwargs)

    return run


def brute(rl, cl, cmax, rmax=None, online=None):
    """Every pair by the reference haversine: {(row, col): km}, plus the ambiguous pairs."""
    n, m = len(rl), len(cl)
    km = haversine_km(rl[:, None, 0], rl[:, None, 1], cl[None, :, 0], cl[None, :, 1])
    limit = np.broadcast_to(cmax[None, :], (n, m)).copy()
    if rmax is not None:
        limit = np.minimum(limit, rmax[:, None])
    finite = np.isfinite(km)
    ok = finite & (km <= limit)
    ambiguous = finite & (np.abs(km - limit) <= BOUNDARY_KM)
    expect = {(int(i), int(j)): float(km[i, j]) for i, j in zip(*np.nonzero(ok), strict=True)}
    if online is not None:
        for j in np.flatnonzero(online):
            for i in range(n):
                expect[(i, int(j))] = 0.0
                ambiguous[i, j] = False
    amb = {(int(i), int(j)) for i, j in zip(*np.nonzero(ambiguous), strict=True)}
    return expect, amb


def compare(got, expect, amb):
    rows, cols, km = got
    assert rows.dtype == np.int64 and cols.dtype == np.int64 and km.dtype == np.float64
    keys = list(zip(rows.tolist(), cols.tolist(), strict=True))
    assert keys == sorted(set(keys)), "pairs must be unique and sorted by (row, col)"
    gotd = dict(zip(keys, km.tolist(), strict=True))
    assert set(gotd) - amb == set(expect) - amb
    for p, d in gotd.items():
        if p in expect:
            assert d == pytest.approx(expect[p], abs=1e-6)


def nl_points(rng, n):
    return np.column_stack([rng.uniform(50.75, 53.55, n), rng.uniform(3.35, 7.22, n)])


@pytest.mark.parametrize("seed", range(5))
def test_matches_brute_force_nl(candidate_pairs, seed):
    rng = np.random.default_rng(seed)
    rl, cl = nl_points(rng, 300), nl_points(rng, 120)
    cl[:10] = rl[:10]  # coincident points (distance 0) must be found
    cmax = rng.uniform(0, 60, 120)
    cmax[:3] = np.inf
    cmax[3] = 0.0
    cmax[4] = -1.0  # reaches nobody
    compare(candidate_pairs(rl, cl, cmax), *brute(rl, cl, cmax))
    rmax = rng.uniform(5, 40, 300)
    rmax[:5] = np.inf
    compare(candidate_pairs(rl, cl, cmax, row_max_km=rmax), *brute(rl, cl, cmax, rmax))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 40),
    m=st.integers(0, 25),
    world=st.booleans(),
    with_rows=st.booleans(),
    with_online=st.booleans(),
)
def test_matches_brute_force_property(candidate_pairs, seed, n, m, world, with_rows, with_online):
    rng = np.random.default_rng(seed)
    if world:  # whole globe, poles and the date line included
        rl = np.column_stack([rng.uniform(-90, 90, n), rng.uniform(-180, 180, n)])
        cl = np.column_stack([rng.uniform(-90, 90, m), rng.uniform(-180, 180, m)])
        cmax = rng.choice([0.0, 100.0, 5000.0, 15000.0, 25000.0, np.inf], m)
    else:
        rl, cl = nl_points(rng, n), nl_points(rng, m)
        cmax = rng.choice([0.0, 5.0, 15.0, 60.0, np.inf], m)
    rmax = rng.uniform(0, 20000 if world else 50, n) if with_rows else None
    online = rng.random(m) < 0.2 if with_online else None
    compare(
        candidate_pairs(rl, cl, cmax, row_max_km=rmax, online_cols=online),
        *brute(rl, cl, cmax, rmax, online),
    )


def test_online_columns_reach_every_row_at_zero_km(candidate_pairs):
    rl = np.array([[52.0, 5.0], [53.0, 6.0], [np.nan, np.nan]])
    cl = np.array([[52.0, 5.0], [np.nan, np.nan], [10.0, 10.0]])
    rows, cols, km = candidate_pairs(
        rl, cl, np.array([1.0, 1.0, 1.0]), online_cols=np.array([False, True, True])
    )
    pairs = list(zip(rows.tolist(), cols.tolist(), strict=True))
    assert pairs == [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 1), (2, 2)]
    assert km.tolist() == [0.0] * 7


def test_missing_coordinates_get_no_distance_pairs(candidate_pairs):
    rl = np.array([[np.nan, 5.0], [52.0, 5.0]])
    cl = np.array([[52.0, 5.0], [52.0, np.nan]])
    rows, cols, _ = candidate_pairs(rl, cl, np.array([np.inf, np.inf]))
    assert list(zip(rows.tolist(), cols.tolist(), strict=True)) == [(1, 0)]


def test_known_distance(candidate_pairs):
    # Amsterdam Centraal - Utrecht Centraal is about 35 km as the crow flies.
    rl = np.array([[52.3791, 4.9003]])
    cl = np.array([[52.0894, 5.1101]])
    _, _, km = candidate_pairs(rl, cl, np.array([100.0]))
    assert 34 < km[0] < 36
    assert km[0] == pytest.approx(haversine_km(52.3791, 4.9003, 52.0894, 5.1101), abs=1e-9)
    assert candidate_pairs(rl, cl, np.array([30.0]))[0].size == 0


def test_inf_reaches_antipode(candidate_pairs):
    rows, _, km = candidate_pairs(np.array([[0.0, 0.0]]), np.array([[0.0, 180.0]]), [np.inf])
    assert rows.size == 1 and km[0] == pytest.approx(np.pi * EARTH_RADIUS_KM)


def test_bad_shapes(candidate_pairs):
    with pytest.raises(ValueError, match="row_latlon"):
        candidate_pairs(np.zeros((3, 3)), np.zeros((1, 2)), [1.0])
    with pytest.raises(ValueError, match="col_max_km"):
        candidate_pairs(np.zeros((3, 2)), np.zeros((2, 2)), [1.0])
    with pytest.raises(ValueError, match="nan"):
        candidate_pairs(np.zeros((3, 2)), np.zeros((1, 2)), [np.nan])
    with pytest.raises(ValueError, match="online_cols"):
        candidate_pairs(np.zeros((3, 2)), np.zeros((1, 2)), [1.0], online_cols=[True, False])


def test_pairs_feed_the_solver_with_explicit_zeros(candidate_pairs):
    rl = np.array([[52.0, 5.0], [52.1, 5.0]])
    cl = np.array([[52.0, 5.0]])
    rows, cols, km = candidate_pairs(rl, cl, np.array([50.0]))
    mat = pairs_to_csr(rows, cols, km, (2, 1))
    assert mat.nnz == 2 and mat[0, 0] == 0.0  # the zero-distance pair is stored
    sol = solve(mat)
    assert sol.pairs == [(0, 0)]
    assert sol.reasons == {1: "all_full"}


def test_grid_and_tree_agree_on_a_national_sized_sample():
    """A round of 3,000 x 2,500 on NL points with the limits people give (15-60 km), 10 %
    online and some columns that reach nobody: both methods give identical pairs, and the
    automatic choice takes the grid at this size."""
    rng = np.random.default_rng(7)
    rl, cl = nl_points(rng, 3000), nl_points(rng, 2500)
    rl[:20] = np.nan  # unknown postcodes
    cmax = rng.choice([15.0, 20.0, 30.0, 40.0, 60.0], 2500)
    cmax[:25] = -1.0
    online = rng.random(2500) < 0.1
    tree = candidates.candidate_pairs(rl, cl, cmax, online_cols=online, method="tree")
    grid = candidates.candidate_pairs(rl, cl, cmax, online_cols=online, method="grid")
    assert len(tree[0]) > 900_000
    assert np.array_equal(tree[0], grid[0]) and np.array_equal(tree[1], grid[1])
    assert np.allclose(tree[2], grid[2], atol=1e-9, rtol=0)
    auto = candidates.candidate_pairs(rl, cl, cmax, online_cols=online)
    assert np.array_equal(auto[1], grid[1])
    assert candidates.GRID_MIN_PAIRS <= 3000 * 2500  # so "auto" took the grid


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method"):
        candidates.candidate_pairs(np.zeros((1, 2)), np.zeros((1, 2)), [1.0], method="brute")
