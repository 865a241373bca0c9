"""The ε-scaled auction on square parts: the optimum of every instance (ties, one-arc rows,
negative costs), exact duals that prove it, its budgets and refusals, and every path of
``solve`` that reaches it."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching import certify, solver
from matching.solver import auction
from matching.solver import numba_backend as nb

pytest.importorskip("numba")


def _square(seed: int, n: int, degree: int, spread: int, one_arc: float = 0.05):
    """An n x n sparse instance that has a perfect matching (a hidden permutation), integer
    costs in [-spread/4, spread] (small spreads give many ties), some rows with one arc."""
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n)
    rows = [np.arange(n)]
    cols = [perm]
    for _ in range(degree - 1):
        rows.append(np.arange(n))
        cols.append(rng.integers(0, n, n))
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    lonely = rng.random(n) < one_arc  # these rows keep only their permutation arc
    keep = ~lonely[r] | (c == perm[r])
    r, c = r[keep], c[keep]
    key = np.unique(r * n + c)
    r, c = key // n, key % n
    cost = rng.integers(-(spread // 4), spread + 1, r.size).astype(float)
    indptr = np.searchsorted(r, np.arange(n + 1)).astype(np.int64)
    return indptr, c.astype(np.int64), cost, r


def _optimum(r, c, cost, n) -> float:
    big = 10.0 * (np.abs(cost).max() + 1) * n
    dense = np.full((n, n), big)
    dense[r, c] = cost
    ri, ci = linear_sum_assignment(dense)
    assert (dense[ri, ci] < big).all()
    return float(dense[ri, ci].sum())


def _check(indptr, indices, cost, r, n, mate, u, v) -> float:
    assert sorted(mate.tolist()) == list(range(n))  # a perfect matching
    reduced = cost - u[r] - v[indices]
    assert reduced.min() >= 0  # feasible duals on every arc, exactly
    pos = np.searchsorted(r * n + indices, np.arange(n) * n + mate)
    assert (indices[pos] == mate).all()
    assert (reduced[pos] == 0).all()  # every pair tight: complementary slackness
    assert v.max() <= 0  # kept like the shortest-path kernel's prices
    return float(cost[pos].sum())


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    n=st.integers(1, 120),
    degree=st.integers(1, 8),
    spread=st.sampled_from([1, 3, 20, 5_000]),
)
def test_auction_gives_the_optimum_with_duals_that_prove_it(seed, n, degree, spread):
    indptr, indices, cost, r = _square(seed, n, degree, spread)
    assert auction.fits(cost, n)
    got = nb._auction(nb._kernels(), indptr, indices, cost, n)
    assert got is not None
    mate, u, v = got
    total = _check(indptr, indices, cost, r, n, mate, u, v)
    assert total == _optimum(r, indices, cost, n)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    n=st.integers(1, 120),
    spread=st.sampled_from([3, 20, 5_000]),
    eps0=st.integers(1, 10**6),
)
def test_any_start_prices_and_first_epsilon_give_the_optimum(seed, n, spread, eps0):
    """A warm auction (an earlier solve's prices, a finer first ε) is exact all the same:
    only the last phase's ε = 1 and the duals pass decide the result."""
    indptr, indices, cost, r = _square(seed, n, 5, spread)
    start = np.random.default_rng(seed).integers(0, spread * (n + 1) * 3, n).astype(np.int64)
    kern = nb._kernels()
    mate, price = kern["bid"](indptr, indices, cost, n, auction.ALPHA, 10**9, start, eps0)
    ok, u, v = kern["duals"](indptr, indices, cost, n, mate, price, 10**9)
    assert ok
    assert _check(indptr, indices, cost, r, n, mate, u, v) == _optimum(r, indices, cost, n)
    got = nb._auction(kern, indptr, indices, cost, n, -start / (n + 1))  # the caller's path
    assert got is not None
    assert _check(indptr, indices, cost, r, n, *got) == _optimum(r, indices, cost, n)


def test_the_budgets_stop_the_auction_and_the_duals_pass():
    kern = nb._kernels()
    indptr, indices, cost, _ = _square(7, 300, 6, 1_000)
    mate, price = kern["bid"](
        indptr, indices, cost, 300, auction.ALPHA, 10, np.zeros(300, np.int64), 0
    )
    assert mate[0] == -2  # out of bids
    mate, price = kern["bid"](
        indptr, indices, cost, 300, auction.ALPHA, 10**9, np.zeros(300, np.int64), 0
    )
    assert mate[0] >= 0
    ok, _, _ = kern["duals"](indptr, indices, cost, 300, mate, price, 1)
    assert not ok  # out of scans
    ok, _, _ = kern["duals"](indptr, indices, cost, 300, mate, price, 10**9)
    assert ok


def test_duals_of_a_matching_that_is_not_optimal_are_never_found():
    """The duals pass is the proof: for a worse matching it cannot finish."""
    kern = nb._kernels()
    # Two rows, two columns: the diagonal costs 0, the anti-diagonal 10 each.
    indptr = np.array([0, 2, 4], dtype=np.int64)
    indices = np.array([0, 1, 0, 1], dtype=np.int64)
    cost = np.array([0.0, 10.0, 10.0, 0.0])
    worse = np.array([1, 0], dtype=np.int64)
    ok, _, _ = kern["duals"](indptr, indices, cost, 2, worse, np.zeros(2, np.int64), 1_000)
    assert not ok
    best = np.array([0, 1], dtype=np.int64)
    ok, u, v = kern["duals"](indptr, indices, cost, 2, best, np.zeros(2, np.int64), 1_000)
    assert ok and (cost - u[[0, 0, 1, 1]] - v[indices]).min() >= 0


@pytest.mark.parametrize(
    "cost, n, fits",
    [
        (np.array([1.0, 2.0]), 2, True),
        (np.array([1.5, 2.0]), 2, False),  # not an integer: the shortest paths take it
        (np.array([1.0, np.inf]), 2, False),
        (np.array([0.0, 2.0**40]), 10**4, False),  # prices would leave int64
        (np.array([], dtype=float), 0, False),
    ],
)
def test_fits_refuses_what_int64_prices_cannot_do_exactly(cost, n, fits):
    assert auction.fits(cost, n) is fits


def _matrix(seed: int, n: int):
    indptr, indices, cost, r = _square(seed, n, 5, 40)
    return sp.csr_matrix((cost, indices, indptr), shape=(n, n)), _optimum(r, indices, cost, n)


@pytest.fixture
def spy(monkeypatch):
    calls: list[int] = []
    real = nb._auction

    def counted(kern, indptr, ri, wc, n, v0=None):
        calls.append(n)
        return real(kern, indptr, ri, wc, n, v0)

    monkeypatch.setattr(nb, "_auction", counted)
    return calls


@pytest.mark.parametrize("seed", range(6))
def test_solve_uses_the_auction_on_big_square_parts(spy, seed):
    matrix, best = _matrix(seed, 400)
    got = solver.solve(matrix, backend="numba", prune=False)
    assert spy and got.n_matched == 400
    assert got.total_cost == best


@pytest.mark.parametrize("seed", range(6))
def test_the_certified_pruned_solve_with_the_auction_equals_the_optimum(spy, monkeypatch, seed):
    monkeypatch.setattr(certify, "PRUNE_MIN_ARCS", 1)
    monkeypatch.setattr(certify, "PRUNE_K", 1)
    monkeypatch.setattr(nb, "AUCTION_MIN_ROWS", 4)
    matrix, best = _matrix(seed, 300)
    got = solver.solve(matrix, backend="numba")
    assert spy and got.certificate is not None
    assert got.n_matched == 300 and got.total_cost == best


def test_when_the_auction_gives_up_shortest_paths_solve_the_part(spy, monkeypatch):
    monkeypatch.setattr(auction, "BIDS_PER_ROW", 0)
    matrix, best = _matrix(3, 400)
    got = solver.solve(matrix, backend="numba", prune=False)
    assert spy  # tried, ran out of bids at once, and the part was solved anyway
    assert got.n_matched == 400 and got.total_cost == best


def test_small_or_nearly_solved_parts_skip_the_auction(spy):
    matrix, best = _matrix(1, 100)  # below AUCTION_MIN_ROWS
    assert solver.solve(matrix, backend="numba", prune=False).total_cost == best
    assert not spy
    # A warm start that keeps every pair tight leaves nothing for the auction to do.
    indptr, indices, cost, _ = _square(2, 300, 4, 40)
    assert nb._tight_share(indptr, indices, cost, np.zeros(300), np.full(300, -1)) == 0.0
    kern = nb._kernels()
    mate, _, v = kern["ssp"](
        indptr, indices, cost, 300, 300, np.zeros(300), np.full(300, -1, dtype=np.int64)
    )
    assert nb._tight_share(indptr, indices, cost, np.minimum(v, 0.0), mate) == 1.0


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10**6), n=st.integers(4, 60), density=st.floats(0.05, 0.6))
def test_auction_inside_the_numba_backend_matches_scipy_on_rectangles(
    monkeypatch, seed, n, density
):
    """Rectangular problems with parts A and B: only part C may go to the auction, and the
    lexicographic optimum (most pairs, then least cost) is the scipy backend's."""
    monkeypatch.setattr(nb, "AUCTION_MIN_ROWS", 1)
    rng = np.random.default_rng(seed)
    m = int(rng.integers(max(2, n // 2), n * 2))
    mask = rng.random((n, m)) < density
    rows, cols = np.nonzero(mask)
    cost = rng.integers(0, 30, rows.size).astype(float)
    matrix = sp.coo_matrix((cost, (rows, cols)), shape=(n, m)).tocsr()
    want = solver.solve(matrix, backend="scipy", prune=False)
    got = solver.solve(matrix, backend="numba", prune=False)
    assert got.n_matched == want.n_matched
    assert got.total_cost == pytest.approx(want.total_cost)


def test_warm_re_solves_with_the_auction_in_every_part_equal_cold_ones(spy, monkeypatch):
    """Growing arc sets re-solved warm with the auction allowed on square parts of any size
    (whenever few pairs stay tight): the optimum of a shortest-path solve every time, and
    duals that satisfy every arc of each part, so the proof's potentials can start there."""
    monkeypatch.setattr(nb, "AUCTION_MIN_ROWS", 1)
    for seed in range(60):
        rng = np.random.default_rng(seed)
        n, m = int(rng.integers(3, 30)), int(rng.integers(3, 30))
        rows, cols = np.nonzero(rng.random((n, m)) < rng.uniform(0.2, 0.9))
        w = rng.integers(0, 40, rows.size).astype(np.float64)
        cap = np.ones(m, dtype=np.int64)
        order = rng.permutation(rows.size)
        warm = nb.Warm.empty(n, m)
        for share in (0.3, 0.5, 0.7, 1.0):
            keep = np.sort(order[: max(1, int(share * rows.size))])
            r, c, ww = rows[keep], cols[keep], w[keep]
            got = nb._solve_numba(r, c, ww, cap, n, m, warm)
            monkeypatch.setattr(nb, "AUCTION_MIN_ROWS", 10**9)
            ref = nb._solve_numba(r, c, ww, cap, n, m)
            monkeypatch.setattr(nb, "AUCTION_MIN_ROWS", 1)
            assert got.size == ref.size
            assert ww[got].sum() == ww[ref].sum()
            inside = warm.row_part[r] == warm.col_part[c]
            lhs = warm.row_dual[r] + warm.col_dual[c]
            assert np.all(lhs[inside] <= ww[inside])
            assert np.all(lhs[got] == ww[got])
    assert spy  # the auction did run on some of these parts
