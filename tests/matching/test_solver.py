"""Exactness, determinism and error handling of matching.solver (pure, no database).

Optimality is checked three independent ways: exhaustive enumeration on tiny instances, a
two-stage MILP (scipy.optimize.milp) on ~30 x 40 instances, and the published optima of the
OR-Library assignment instances. Both backends are cross-checked when OR-Tools is installed.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from matching import solver
from matching.solver import (
    REASON_ALL_FULL,
    REASON_LABELS,
    REASON_NO_CANDIDATE,
    CapacityExceeded,
    IndexOutOfRange,
    InfeasibleInput,
    RequiredPairForbidden,
    RequiredPairImpossible,
    RowRequiredTwice,
    dispatch,
    scipy_backend,
    solve,
)

HAVE_ORTOOLS = solver.ortools_available()
HAVE_NUMBA = solver.numba_available()
ORLIB = Path(__file__).resolve().parents[3] / "shared" / "data" / "orlib"

# Every way to run the solver: scipy dense, scipy sparse (forced), OR-Tools when installed.
MODES = (
    ["scipy-dense", "scipy-sparse"]
    + (["ortools"] if HAVE_ORTOOLS else [])
    + (["numba"] if HAVE_NUMBA else [])
)


def run(cost, mode: str, **kw) -> solver.Solution:
    """Solve with a named mode; the scipy sparse path is forced by lowering the dense limit
    (in ``scipy_backend``, the module that reads it)."""
    if mode in ("ortools", "numba"):
        return solve(cost, backend=mode, **kw)
    limit = 0 if mode == "scipy-sparse" else 10**12
    old = scipy_backend._DENSE_CELLS_MAX
    scipy_backend._DENSE_CELLS_MAX = limit
    try:
        return solve(cost, backend="scipy", **kw)
    finally:
        scipy_backend._DENSE_CELLS_MAX = old


# --------------------------------------------------------------------------- helpers


def possible(cost) -> dict[tuple[int, int], float]:
    """(row, col) -> cost for every possible pair, using the solver's documented semantics."""
    if sparse.issparse(cost):
        csr = sparse.csr_matrix(cost, dtype=float)
        csr.sum_duplicates()
        coo = csr.tocoo()
        return {
            (int(r), int(c)): float(v)
            for r, c, v in zip(coo.row, coo.col, coo.data, strict=True)
            if math.isfinite(v)
        }
    a = np.asarray(cost, dtype=float)
    return {(r, c): float(a[r, c]) for r, c in zip(*np.nonzero(np.isfinite(a)), strict=True)}


def brute_force(n, m, pos, cap, forbidden=(), required=()):
    """Lexicographic optimum (matched count, least cost) by exhaustive search."""
    forbidden, required = set(forbidden), dict(required)
    options = []
    for i in range(n):
        if i in required:
            options.append([required[i]])
        else:
            cols = [c for c in range(m) if (i, c) in pos and (i, c) not in forbidden]
            options.append([None, *cols])
    best = (-1, math.inf)
    load = [0] * m

    def rec(i, count, total):
        nonlocal best
        if count + (n - i) < best[0]:
            return
        if i == n:
            if count > best[0] or (count == best[0] and total < best[1] - 1e-9):
                best = (count, total)
            return
        for c in options[i]:
            if c is None:
                rec(i + 1, count, total)
            elif load[c] < cap[c]:
                load[c] += 1
                rec(i + 1, count + 1, total + pos[(i, c)])
                load[c] -= 1

    rec(0, 0, 0.0)
    return best


def check_valid(sol, cost, cap=None, forbidden=(), required=()):
    """Everything a Solution promises, except optimality."""
    pos = possible(cost)
    n, m = np.shape(cost) if not sparse.issparse(cost) else cost.shape
    cap = [1] * m if cap is None else list(cap)
    assert sol.pairs == sorted(sol.pairs)
    rows = [r for r, _ in sol.pairs]
    assert len(rows) == len(set(rows)), "a row matched twice"
    load = [0] * m
    for r, c in sol.pairs:
        assert (r, c) in pos, f"impossible pair {(r, c)}"
        assert (r, c) not in set(forbidden)
        load[c] += 1
    assert all(load[j] <= cap[j] for j in range(m))
    assert sol.column_load == load
    assert set(required) <= set(sol.pairs)
    assert math.isclose(
        sol.total_cost, math.fsum(pos[p] for p in sol.pairs), rel_tol=1e-12, abs_tol=1e-9
    )
    assert sol.unmatched_rows == sorted(set(range(n)) - set(rows))
    assert set(sol.reasons) == set(sol.unmatched_rows)
    for i in sol.unmatched_rows:
        cands = [c for c in range(m) if (i, c) in pos and (i, c) not in set(forbidden)]
        if not cands:
            assert sol.reasons[i] == REASON_NO_CANDIDATE
        else:
            assert sol.reasons[i] == REASON_ALL_FULL
            # maximality: nobody it could have had has room left
            assert all(load[c] >= cap[c] for c in cands)


# --------------------------------------------------------------------------- strategies


@st.composite
def instances(draw, max_n=6, max_m=5):
    """Small random instances: decimal costs (0.001 steps, exact for OR-Tools), impossible
    pairs, capacities 0..3, forbidden pairs and consistent required pairs; dense or sparse."""
    n = draw(st.integers(0, max_n))
    m = draw(st.integers(0, max_m))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    kind = draw(st.sampled_from(["int", "milli", "negative", "ties"]))
    if kind == "int":
        vals = rng.integers(0, 20, (n, m)).astype(float)
    elif kind == "milli":
        vals = np.round(rng.uniform(0, 50, (n, m)), 3)
    elif kind == "negative":
        vals = rng.integers(-10, 10, (n, m)).astype(float)
    else:
        vals = rng.integers(0, 2, (n, m)).astype(float)  # many ties and explicit zeros
    mask = rng.random((n, m)) < draw(st.sampled_from([0.3, 0.6, 1.0]))
    cap = rng.integers(0, 4, m) if draw(st.booleans()) else np.ones(m, dtype=int)
    cells = [(int(r), int(c)) for r, c in zip(*np.nonzero(mask), strict=True)]
    forbidden = [p for p in cells if rng.random() < 0.15]
    # required: a random feasible subset of allowed cells
    required, used_rows, load = [], set(), np.zeros(m, dtype=int)
    for r, c in cells:
        if (r, c) in forbidden or r in used_rows or load[c] >= cap[c]:
            continue
        if rng.random() < 0.1:
            required.append((r, c))
            used_rows.add(r)
            load[c] += 1
    if draw(st.booleans()):
        r, c = np.nonzero(mask)
        cost = sparse.coo_matrix((vals[r, c], (r, c)), shape=(n, m))  # explicit zeros kept
    else:
        cost = np.where(mask, vals, np.inf)
        if n and m and draw(st.booleans()):
            cost[~mask] = np.nan  # nan also means impossible
    return cost, cap, forbidden, required


@pytest.mark.parametrize("mode", MODES)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inst=instances())
def test_matches_brute_force(mode, inst):
    cost, cap, forbidden, required = inst
    sol = run(cost, mode, capacity=cap, forbidden=forbidden, required=required)
    check_valid(sol, cost, cap, forbidden, required)
    n, m = cost.shape
    count, total = brute_force(n, m, possible(cost), list(cap), forbidden, required)
    assert sol.n_matched == count
    assert math.isclose(sol.total_cost, total, abs_tol=1e-6)


@settings(max_examples=60, deadline=None)
@given(inst=instances(max_n=7, max_m=6))
def test_auto_matches_brute_force(inst):
    cost, cap, forbidden, required = inst
    sol = solve(cost, capacity=cap, forbidden=forbidden, required=required)
    check_valid(sol, cost, cap, forbidden, required)
    count, total = brute_force(*cost.shape, possible(cost), list(cap), forbidden, required)
    assert (sol.n_matched, round(sol.total_cost, 6)) == (count, round(total, 6))


# --------------------------------------------------------------------------- MILP cross-check


def milp_lexicographic(n, m, pos, cap, forbidden, required):
    """Independent formulation: stage 1 max #pairs, stage 2 min cost with #pairs fixed."""
    arcs = [p for p in sorted(pos) if p not in set(forbidden)]
    e = len(arcs)
    c = np.array([pos[p] for p in arcs])
    a_row = sparse.lil_matrix((n, e))
    a_col = sparse.lil_matrix((m, e))
    for k, (i, j) in enumerate(arcs):
        a_row[i, k] = 1
        a_col[j, k] = 1
    lb = np.zeros(e)
    for p in required:
        lb[arcs.index(p)] = 1
    cons = [
        LinearConstraint(a_row.tocsr(), 0, 1),
        LinearConstraint(a_col.tocsr(), 0, np.asarray(cap, dtype=float)),
    ]
    bounds = Bounds(lb, np.ones(e))
    integrality = np.ones(e)
    s1 = milp(-np.ones(e), constraints=cons, bounds=bounds, integrality=integrality)
    k = round(-s1.fun)
    cons.append(LinearConstraint(np.ones((1, e)), k, k))
    s2 = milp(c, constraints=cons, bounds=bounds, integrality=integrality)
    return k, s2.fun


@pytest.mark.parametrize("seed", range(4))
def test_against_milp(seed):
    rng = np.random.default_rng(seed)
    n, m = 30, 40 if seed % 2 else 12
    vals = rng.integers(0, 50, (n, m)).astype(float)
    mask = rng.random((n, m)) < 0.12
    cap = rng.integers(0, 3, m) if seed >= 2 else np.ones(m, dtype=int)
    cells = [(int(r), int(c)) for r, c in zip(*np.nonzero(mask), strict=True)]
    forbidden = [cells[i] for i in rng.choice(len(cells), 5, replace=False)]
    required, seen, load = [], set(), np.zeros(m, dtype=int)
    for r, c in cells[::7]:
        if (r, c) not in forbidden and r not in seen and load[c] < cap[c]:
            required.append((r, c))
            seen.add(r)
            load[c] += 1
    cost = np.where(mask, vals, np.inf)
    k, best = milp_lexicographic(n, m, possible(cost), cap, forbidden, required)
    for mode in MODES:
        sol = run(cost, mode, capacity=cap, forbidden=forbidden, required=required)
        check_valid(sol, cost, cap, forbidden, required)
        assert sol.n_matched == k, mode
        assert sol.total_cost == pytest.approx(best, abs=1e-6), mode


# --------------------------------------------------------------------------- OR-Library


def _read_dense(name: str) -> np.ndarray:
    tok = np.array((ORLIB / f"{name}.txt").read_text().split(), dtype=np.int64)
    n = int(tok[0])
    return tok[1 : 1 + n * n].reshape(n, n).astype(float)


def _read_sparse(name: str) -> sparse.csr_matrix:
    tok = np.array((ORLIB / f"{name}.txt").read_text().split(), dtype=np.int64)
    n = int(tok[0])
    ijc = tok[1:].reshape(-1, 3)
    return sparse.csr_matrix(
        (ijc[:, 2].astype(float), (ijc[:, 0] - 1, ijc[:, 1] - 1)), shape=(n, n)
    )


def _optimum(name: str) -> int:
    for line in (ORLIB / "assignopt.txt").read_text().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == name:
            return int(parts[1])
    raise KeyError(name)


needs_orlib = pytest.mark.skipif(not ORLIB.is_dir(), reason="../shared/data/orlib is not available")


#: The optional backends and whether they are installed; the scipy modes are always there.
OPTIONAL = {"ortools": HAVE_ORTOOLS, "numba": HAVE_NUMBA}


def orlib_cases(name: str, modes: list[str]) -> list:
    """One test per (instance, mode): only an optional backend that is not installed is
    skipped, so no case can pass without solving (the scipy modes always run)."""
    return [
        pytest.param(
            name,
            mode,
            id=f"{name}-{mode}",
            marks=pytest.mark.skipif(
                not OPTIONAL.get(mode, True), reason=f"{mode} is not installed"
            ),
        )
        for mode in modes
    ]


@needs_orlib
@pytest.mark.parametrize(
    ("name", "mode"),
    orlib_cases("assign100", ["scipy-dense", "scipy-sparse", "ortools", "numba"])
    + orlib_cases("assign400", ["scipy-sparse", "ortools", "numba"])
    + orlib_cases("assignp800", ["scipy-sparse", "ortools", "numba"])
    # scipy is too slow here, so this instance only runs where an optional backend is installed.
    + orlib_cases("assignp5000", ["ortools", "numba"]),
)
def test_orlib_known_optimum(name, mode):
    assert mode in MODES  # a misspelt mode would silently run scipy-dense in run()
    cost = _read_sparse(name) if name.startswith("assignp") else _read_dense(name)
    sol = run(cost, mode)
    assert sol.n_matched == cost.shape[0]
    assert sol.total_cost == _optimum(name), mode


# --------------------------------------------------------------------------- behaviour


@pytest.mark.parametrize("mode", MODES)
def test_cardinality_beats_cost(mode):
    # The cheap single pair (0, 0) must give way to two expensive pairs.
    cost = np.array([[0.0, 1000.0], [0.0, np.inf]])
    sol = run(cost, mode)
    assert sol.pairs == [(0, 1), (1, 0)]
    assert sol.total_cost == 1000.0


@pytest.mark.parametrize("mode", MODES)
def test_rectangular_and_capacities(mode):
    cost = np.array([[1.0, 9.0], [2.0, 8.0], [3.0, 7.0], [4.0, np.inf], [np.inf, np.inf]])
    sol = run(cost, mode, capacity=[2, 1])
    assert sol.pairs == [(0, 0), (1, 0), (2, 1)]
    assert sol.unmatched_rows == [3, 4]
    assert sol.reasons == {3: REASON_ALL_FULL, 4: REASON_NO_CANDIDATE}
    wide = run(cost.T.copy(), mode)  # 2 rows x 5 columns
    assert wide.pairs == [(0, 0), (1, 2)]
    assert wide.total_cost == 8.0


@pytest.mark.parametrize("mode", MODES)
def test_sparse_explicit_zero_is_a_pair(mode):
    cost = sparse.csr_matrix(([0.0, 0.0], ([0, 1], [0, 1])), shape=(3, 2))
    assert cost.nnz == 2
    sol = run(cost, mode)
    assert sol.pairs == [(0, 0), (1, 1)]
    assert sol.total_cost == 0.0
    assert sol.reasons == {2: REASON_NO_CANDIDATE}


@pytest.mark.parametrize("mode", MODES)
def test_capacity_zero_and_forbidden_reasons(mode):
    cost = np.array([[1.0, 2.0], [3.0, np.inf]])
    sol = run(cost, mode, capacity=[1, 0], forbidden=[(0, 0)])
    assert sol.pairs == [(1, 0)]
    assert sol.reasons == {0: REASON_ALL_FULL}  # col 1 is a partner, but has no room
    sol = run(cost, mode, forbidden=[(0, 0), (0, 1)])
    assert sol.reasons == {0: REASON_NO_CANDIDATE}
    assert set(REASON_LABELS) == {REASON_ALL_FULL, REASON_NO_CANDIDATE}


@pytest.mark.parametrize("mode", MODES)
def test_required_pairs_are_kept_even_if_costly(mode):
    cost = np.array([[1.0, 100.0], [2.0, 3.0]])
    sol = run(cost, mode, required=[(0, 1)])
    assert sol.pairs == [(0, 1), (1, 0)]
    assert sol.n_required == 1
    sol = run(cost, mode, required=[(0, 1)], capacity=[0, 2])
    assert sol.pairs == [(0, 1), (1, 1)]


def test_empty_shapes():
    for shape in [(0, 0), (0, 3), (3, 0)]:
        sol = solve(np.zeros(shape))
        assert sol.pairs == [] and sol.total_cost == 0.0
        assert sol.reasons == dict.fromkeys(range(shape[0]), REASON_NO_CANDIDATE)


def test_large_cost_spread_keeps_cardinality_and_precision():
    # Big-M must dominate: one huge cost vs. tiny ones; and tiny differences must still count.
    cost = np.array([[1e-3, 1e6], [2e-3, np.inf], [np.inf, 1e-3 + 1e-9]])
    for mode in ["scipy-dense", "scipy-sparse"]:
        sol = run(cost, mode)
        assert sol.n_matched == 2
        assert sol.pairs == [(0, 0), (2, 1)] or sol.pairs == [(1, 0), (2, 1)]
        assert sol.total_cost == pytest.approx(2e-3 + 1e-9, abs=1e-15)


def test_non_decimal_floats_use_scipy_or_refuse_ortools(monkeypatch):
    monkeypatch.setattr(dispatch, "numba_available", lambda: False)
    rng = np.random.default_rng(5)
    cost = rng.random((200, 200)) * math.pi  # 40,000 pairs: big enough for the fast backends
    sol = solve(cost)
    assert sol.backend.startswith("scipy") and sol.cost_scale is None
    if HAVE_ORTOOLS:
        with pytest.raises(ValueError, match="integral"):
            solve(cost, backend="ortools")
        sol2 = solve(np.round(cost, 3), backend="ortools")
        assert sol2.cost_scale == 1000


def test_auto_works_without_ortools_or_numba(monkeypatch):
    monkeypatch.setattr(dispatch, "ortools_available", lambda: False)
    monkeypatch.setattr(dispatch, "numba_available", lambda: False)
    rng = np.random.default_rng(1)
    cost = rng.integers(0, 9, (300, 300)).astype(float)  # big enough that auto would use OR-Tools
    sol = solve(cost)
    assert sol.backend.startswith("scipy")
    with pytest.raises(ImportError):
        solve(cost, backend="ortools")
    with pytest.raises(ImportError):
        solve(cost, backend="numba")


def test_backends_agree_on_medium_sparse_instance():
    rng = np.random.default_rng(11)
    n, m = 400, 300
    mat = sparse.random(n, m, density=0.03, random_state=rng, format="csr")
    mat.data = np.round(mat.data * 100, 2)
    mat.data[::9] = 0.0  # explicit zeros are pairs
    for cap in (rng.integers(0, 3, m), np.ones(m, dtype=int)):
        ref = solve(mat, capacity=cap, backend="scipy")
        check_valid(ref, mat, cap)
        for mode in MODES[2:]:
            other = solve(mat, capacity=cap, backend=mode)
            check_valid(other, mat, cap)
            assert other.n_matched == ref.n_matched, mode
            assert other.total_cost == pytest.approx(ref.total_cost, abs=1e-6), mode


# --------------------------------------------------------------------------- determinism


@pytest.mark.parametrize("mode", MODES)
def test_deterministic_with_ties_and_input_order(mode):
    rng = np.random.default_rng(3)
    n, m = 60, 50
    vals = rng.integers(0, 3, (n, m)).astype(float)  # lots of ties
    mask = rng.random((n, m)) < 0.2
    r, c = np.nonzero(mask)
    perm = rng.permutation(r.size)
    a = sparse.coo_matrix((vals[r, c], (r, c)), shape=(n, m))
    b = sparse.coo_matrix((vals[r, c][perm], (r[perm], c[perm])), shape=(n, m))
    forbidden = [(int(r[i]), int(c[i])) for i in range(0, r.size, 11)]
    cap = rng.integers(1, 3, m)
    s1 = run(a, mode, capacity=cap, forbidden=forbidden)
    s2 = run(b, mode, capacity=cap, forbidden=list(reversed(forbidden)))
    s3 = run(a, mode, capacity=cap, forbidden=set(forbidden))
    assert s1.pairs == s2.pairs == s3.pairs
    assert s1.total_cost == s2.total_cost


# --------------------------------------------------------------------------- contradictory input


def test_infeasible_input_cases():
    cost = np.array([[1.0, np.inf], [2.0, 3.0], [4.0, 5.0]])
    with pytest.raises(RequiredPairImpossible, match=r"row 0, col 1"):
        solve(cost, required=[(0, 1)])
    with pytest.raises(RequiredPairImpossible, match=r"row 1, col 1"):
        solve(sparse.csr_matrix(([1.0], ([0], [0])), shape=(3, 2)), required=[(1, 1)])
    with pytest.raises(RequiredPairForbidden, match=r"row 1, col 0"):
        solve(cost, required=[(1, 0)], forbidden=[(1, 0)])
    with pytest.raises(RowRequiredTwice, match=r"row 1 .*col 0.*col 1"):
        solve(cost, required=[(1, 0), (1, 1)])
    with pytest.raises(CapacityExceeded, match=r"col 0 has capacity 1 .*rows \[1, 2\]"):
        solve(cost, required=[(1, 0), (2, 0)])
    with pytest.raises(CapacityExceeded, match=r"col 1 has capacity 0"):
        solve(cost, required=[(1, 1)], capacity=[1, 0])
    with pytest.raises(IndexOutOfRange, match=r"row 3, col 0"):
        solve(cost, required=[(3, 0)])
    with pytest.raises(IndexOutOfRange, match=r"row 0, col -1"):
        solve(cost, forbidden=[(0, -1)])
    # a duplicate lock is not a contradiction
    assert solve(cost, required=[(1, 0), (1, 0)]).pairs[0] == (1, 0)
    for exc in (RequiredPairImpossible, RequiredPairForbidden, RowRequiredTwice, CapacityExceeded):
        assert issubclass(exc, InfeasibleInput) and issubclass(exc, ValueError)


def test_malformed_input():
    with pytest.raises(ValueError, match="two-dimensional"):
        solve(np.zeros(3))
    with pytest.raises(ValueError, match="one entry per column"):
        solve(np.zeros((2, 2)), capacity=[1])
    with pytest.raises(ValueError, match="negative"):
        solve(np.zeros((2, 2)), capacity=[1, -1])
    with pytest.raises(ValueError, match="whole numbers"):
        solve(np.zeros((2, 2)), capacity=[1.5, 1])
    with pytest.raises(ValueError, match="backend"):
        solve(np.zeros((2, 2)), backend="magic")
    with pytest.raises(ValueError, match="pair"):
        solve(np.zeros((2, 2)), forbidden=[(1,)])


@pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")
@pytest.mark.parametrize("seed", range(3))
def test_numba_on_float_costs_and_scarcity(seed):
    # Non-decimal floats (numba works on them directly) and more rows than columns in one
    # region, fewer in another, so all three Dulmage-Mendelsohn parts are non-empty.
    rng = np.random.default_rng(seed)
    n, m = 150, 140
    pts_r = rng.random((n, 2)) * [1.0, 1.0]
    pts_c = rng.random((m, 2)) * [1.0, 1.0]
    pts_r[:40, 0] *= 0.2  # crowd rows on the left
    d = np.hypot(*(pts_r[:, None, :] - pts_c[None, :, :]).transpose(2, 0, 1))
    cost = np.where(d < 0.15, d * math.e, np.inf)
    ref = solve(cost, backend="scipy")
    got = solve(cost, backend="numba")
    check_valid(got, cost)
    assert got.n_matched == ref.n_matched
    assert got.total_cost == pytest.approx(ref.total_cost, rel=1e-12)
    assert got.cost_scale is None


@pytest.mark.parametrize("seed", range(8))
def test_a_pair_list_solves_as_its_sparse_matrix(seed):
    """The cost model hands its sorted pairs over as a PairList (no CSR in between): same
    result as the sparse matrix of the same pairs, explicit zeros and inf included."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(5, 40)), int(rng.integers(5, 40))
    mask = rng.random((n, m)) < 0.4
    rows, cols = np.nonzero(mask)
    cost = np.round(rng.uniform(0, 20, rows.size), 3)
    cost[rng.random(rows.size) < 0.05] = 0.0
    cost[rng.random(rows.size) < 0.05] = np.inf
    ok = np.isfinite(cost)
    matrix = sparse.coo_matrix((cost[ok], (rows[ok], cols[ok])), shape=(n, m)).tocsr()
    listed = solver.PairList(rows, cols, cost, (n, m))
    for backend in ["scipy"] + (["numba"] if HAVE_NUMBA else []):
        a = solver.solve(matrix, backend=backend)
        b = solver.solve(listed, backend=backend)
        assert a.pairs == b.pairs and a.total_cost == b.total_cost
        assert a.n_candidates == b.n_candidates


def test_a_pair_list_out_of_order_or_range_is_refused():
    with pytest.raises(ValueError, match="sorted"):
        solver.solve(solver.PairList(np.array([1, 0]), np.array([0, 0]), np.ones(2), (2, 2)))
    with pytest.raises(ValueError, match="sorted"):
        solver.solve(solver.PairList(np.array([0, 0]), np.array([1, 1]), np.ones(2), (2, 2)))
    with pytest.raises(ValueError, match="outside"):
        solver.solve(solver.PairList(np.array([0, 2]), np.array([0, 0]), np.ones(2), (2, 2)))
    with pytest.raises(ValueError, match="one length"):
        solver.solve(solver.PairList(np.array([0]), np.array([0, 1]), np.ones(2), (2, 2)))
