"""The certified pruned solve: never trusts the pruned optimum, always equals the full optimum."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import certify, solver


@pytest.fixture
def prune_small(monkeypatch):
    """Prune even tiny problems, with a small k, so the proof has real work to do."""
    monkeypatch.setattr(certify, "PRUNE_MIN_ARCS", 1)
    monkeypatch.setattr(certify, "PRUNE_K", 1)
    monkeypatch.setattr(certify, "ADD_PER_VERTEX", 1)


def _random(seed: int, n: int, m: int, density: float, decimals: int = 3):
    rng = np.random.default_rng(seed)
    mask = rng.random((n, m)) < density
    rows, cols = np.nonzero(mask)
    cost = np.round(rng.uniform(0, 50, rows.size), decimals)
    return sp.coo_matrix((cost, (rows, cols)), shape=(n, m)).tocsr()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10**6),
    n=st.integers(2, 30),
    m=st.integers(2, 30),
    density=st.floats(0.2, 1.0),
    caps=st.booleans(),
)
def test_pruned_and_certified_equals_the_full_solve(prune_small, seed, n, m, density, caps):
    matrix = _random(seed, n, m, density)
    capacity = np.random.default_rng(seed).integers(1, 4, m) if caps else None
    full = solver.solve(matrix, capacity=capacity, backend="scipy", prune=False)
    got = solver.solve(matrix, capacity=capacity, backend="scipy")
    assert got.n_matched == full.n_matched
    assert got.total_cost == pytest.approx(full.total_cost, abs=1e-6)
    if got.certificate is not None:
        assert got.certificate["arcs_checked"] == full.n_candidates
        assert got.certificate["arcs_solved"] <= full.n_candidates


def test_the_first_pruned_optimum_is_corrected_not_trusted(prune_small):
    """Every row's single cheapest arc is column 0: the pruned graph alone matches one row.
    The proof must add arcs until every row is matched at the true minimum cost."""
    n = m = 6
    rows, cols, cost = [], [], []
    for i in range(n):
        for j in range(m):
            rows.append(i)
            cols.append(j)
            cost.append(0.0 if j == 0 else 10.0 + i + 2 * j)
    matrix = sp.coo_matrix((cost, (rows, cols)), shape=(n, m)).tocsr()
    full = solver.solve(matrix, backend="scipy", prune=False)
    got = solver.solve(matrix, backend="scipy")
    assert got.certificate is not None
    assert got.certificate["rounds"] > 1 and got.certificate["arcs_added"] > 0
    assert got.n_matched == full.n_matched == n
    assert got.total_cost == pytest.approx(full.total_cost)


def test_cardinality_comes_first_also_when_pruned(prune_small):
    """A cheap pruned graph that cannot match everyone: the certificate's big M forces the
    expensive arcs that give a maximum matching in (most pairs first, then least cost)."""
    # Rows 0..3 all love column 0 (cost 0); their only other arcs are expensive.
    rows = [0, 1, 2, 3, 0, 1, 2, 3]
    cols = [0, 0, 0, 0, 1, 2, 3, 4]
    cost = [0.0, 0.0, 0.0, 0.0, 900.0, 800.0, 700.0, 600.0]
    matrix = sp.coo_matrix((cost, (rows, cols)), shape=(4, 5)).tocsr()
    got = solver.solve(matrix, backend="scipy")
    assert got.n_matched == 4
    assert got.total_cost == pytest.approx(800.0 + 700.0 + 600.0)  # row 0 keeps column 0


def test_violating_finds_an_arc_that_would_improve_the_solution():
    """The check itself: with the pruned optimum's potentials an arc that beats the chosen
    pair has a negative reduced cost; the chosen pair's own arcs never do."""
    rows = np.array([0, 0, 1, 1])
    cols = np.array([0, 1, 0, 1])
    w = np.array([5.0, 1.0, 1.0, 5.0])  # optimum: (0,1) + (1,0) = 2
    cap = np.ones(2, dtype=np.int64)
    m_val = certify.big_m(w, 2, cap)
    in_p = np.array([True, False, False, True])  # P holds only the diagonal (cost 10)
    sel = np.flatnonzero(in_p)
    options = certify.potentials(rows[sel], cols[sel], w[sel], np.array([0, 1]), cap, 2, 2, m_val)
    bad, rc = certify.violating(rows, cols, w, in_p, options[0], 2, m_val)
    assert set(bad.tolist()) & {1, 2}
    assert (rc < 0).all()


def test_exactness_guard_refuses_what_float64_cannot_prove():
    w = np.array([2.0**50])
    assert certify.big_m(w, 10, np.ones(10, dtype=np.int64)) is None
    assert certify.big_m(np.array([1000.0]), 10, np.ones(10, dtype=np.int64)) == 11 * 1000 + 1


def test_small_problems_are_solved_directly_without_a_certificate():
    got = solver.solve(_random(1, 20, 20, 0.5), backend="scipy")
    assert got.certificate is None


def test_plain_numpy_kernels_agree_with_numba(monkeypatch):
    """Without numba the same proof runs on plain numpy (k-best by sort, Bellman-Ford)."""
    rows, cols = np.nonzero(np.ones((8, 8), dtype=bool))
    w = np.random.default_rng(3).integers(0, 100, rows.size).astype(float)
    a = np.zeros(rows.size, dtype=bool)
    certify._py_k_best(rows, w, 8, 2, a)
    assert (np.bincount(rows[a], minlength=8) == 2).all()
    indptr = np.array([0, 1, 2, 2], dtype=np.int64)
    dst = np.array([1, 2], dtype=np.int64)
    dist, ok = certify._py_spfa(indptr, dst, np.array([-3.0, -4.0]), 3, 100)
    assert ok and dist.tolist() == [0.0, -3.0, -7.0]


@pytest.mark.parametrize("seed", range(8))
def test_the_proof_without_numba_gives_the_same_optimum(prune_small, monkeypatch, seed):
    monkeypatch.setattr(
        certify, "_KERNELS", {"k_best": certify._py_k_best, "spfa": certify._py_spfa}
    )
    matrix = _random(seed, 12, 10, 0.8)
    full = solver.solve(matrix, backend="scipy", prune=False)
    got = solver.solve(matrix, backend="scipy")
    assert got.certificate is not None
    assert got.n_matched == full.n_matched
    assert got.total_cost == pytest.approx(full.total_cost)


@pytest.mark.django_db
def test_a_round_stores_its_proof_and_staff_read_it(monkeypatch, program, staff, client_for):
    from django.urls import reverse

    from tests import factories as f
    from tests.matching.matching_helpers import make_round, solve

    for _ in range(6):
        f.make_mentor(program, city="utrecht")
        f.make_schoolleider(program, city="utrecht")
    rnd = make_round(program, staff)
    exact = solve(rnd, staff)
    assert exact.certificate is None  # small: the whole graph was solved directly
    url = reverse("matching:round_detail", args=[program.pk, rnd.pk])
    html = client_for(staff).get(url).content.decode()
    assert f"Exact opgelost over alle {exact.n_candidates} mogelijke koppels." in html

    monkeypatch.setattr(certify, "PRUNE_MIN_ARCS", 1)
    monkeypatch.setattr(certify, "PRUNE_K", 1)
    proven = solve(rnd, staff)
    assert proven.certificate is not None
    assert proven.certificate["arcs_checked"] == proven.n_candidates == exact.n_candidates
    assert proven.matched == exact.matched
    assert proven.total_cost == pytest.approx(exact.total_cost)
    html = client_for(staff).get(url).content.decode()
    assert f"Bewezen optimaal over alle {proven.n_candidates} mogelijke koppels" in html


needs_numba = pytest.mark.skipif(not solver.numba_available(), reason="numba not installed")


@needs_numba
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10**6),
    n=st.integers(2, 30),
    m=st.integers(2, 30),
    density=st.floats(0.1, 1.0),
    caps=st.booleans(),
    ties=st.booleans(),
)
def test_numba_certified_solve_with_warm_restarts_equals_the_full_solve(
    prune_small, seed, n, m, density, caps, ties
):
    """The production path: numba re-solves each grown arc set warm (earlier prices and
    pairs), its own duals seed the proof's potentials; rectangular instances leave vertices
    free (the warm result's free-price check), ties stress the kept pairs."""
    matrix = _random(seed, n, m, density, decimals=0 if ties else 3)
    if ties:
        matrix.data = np.floor(matrix.data / 10)
    capacity = np.random.default_rng(seed).integers(1, 3, m) if caps else None
    full = solver.solve(matrix, capacity=capacity, backend="scipy", prune=False)
    got = solver.solve(matrix, capacity=capacity, backend="numba")
    assert got.n_matched == full.n_matched
    assert got.total_cost == pytest.approx(full.total_cost, abs=1e-6)


@needs_numba
@pytest.mark.parametrize("seed", range(40))
def test_a_warm_re_solve_of_a_grown_arc_set_equals_a_cold_one(seed):
    """_solve_numba on arc sets that only grow, once warm (one Warm carried along) and once
    cold: the same optimum every time, and the duals it leaves satisfy every arc of each
    part (u + v <= w, equal on the pairs)."""
    from matching.solver.numba_backend import Warm, _solve_numba

    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(3, 25)), int(rng.integers(3, 25))
    mask = rng.random((n, m)) < rng.uniform(0.2, 0.9)
    rows, cols = np.nonzero(mask)
    w = rng.integers(0, 40, rows.size).astype(np.float64)
    cap = np.ones(m, dtype=np.int64)
    order = rng.permutation(rows.size)
    warm = Warm.empty(n, m)
    for share in (0.3, 0.5, 0.7, 1.0):
        keep = np.sort(order[: max(1, int(share * rows.size))])
        r, c, ww = rows[keep], cols[keep], w[keep]
        got = _solve_numba(r, c, ww, cap, n, m, warm)
        ref = _solve_numba(r, c, ww, cap, n, m)
        assert got.size == ref.size
        assert ww[got].sum() == ww[ref].sum()
        # duals per part: arcs inside one part satisfy u_left + v_right <= w
        rp, cp = warm.row_part[r], warm.col_part[c]
        inside = rp == cp
        lhs = warm.row_dual[r] + warm.col_dual[c]
        assert np.all(lhs[inside] <= ww[inside] + 1e-9)
        assert np.all(lhs[np.isin(np.arange(r.size), got)] == ww[got])
