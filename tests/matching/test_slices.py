"""matching.slices and the compiled loops that use it: the same answer as the numpy path."""

from __future__ import annotations

import numpy as np
import pytest

from matching import certify, costs, slices


@pytest.mark.parametrize("n", [0, 1, 5000, 100_003])
def test_over_slices_covers_the_range_once_in_order(n, monkeypatch):
    monkeypatch.setattr(slices.os, "cpu_count", lambda: 4)
    got = slices.over_slices(lambda lo, hi: (lo, hi), n, min_per_thread=1000)
    assert got[0][0] == 0 and got[-1][1] == n
    assert all(a[1] == b[0] for a, b in zip(got, got[1:], strict=False))
    assert len(got) == max(1, min(4, n // 1000))


def test_in_slices_writes_every_element_once():
    def kernel(out, lo, hi):
        out[lo:hi] += 1

    out = np.zeros(50_000, dtype=np.int64)
    slices.in_slices(kernel, out.size, out, min_per_thread=1000)
    assert (out == 1).all()


def test_compiled_lookup_equals_the_numpy_lookup(monkeypatch):
    rng = np.random.default_rng(3)
    n_rows, n_cols, n_pairs = 300, 200, 1_200_000
    row_code = rng.integers(0, 8, n_rows)
    col_code = rng.integers(0, 16, n_cols)
    rows = np.sort(rng.integers(0, n_rows, n_pairs))
    cols = rng.integers(0, n_cols, n_pairs)
    for table in (rng.random((8, 16)), rng.random((8, 16)) < 0.5):
        fast = costs._lookup(table, row_code, col_code, rows, cols)
        monkeypatch.setattr(costs, "_COMPILED_FROM", 10**12)
        plain = costs._lookup(table, row_code, col_code, rows, cols)
        monkeypatch.undo()
        assert fast is not None and plain is not None
        assert fast.dtype == table.dtype
        assert np.array_equal(fast, plain)
        assert np.array_equal(fast, table[row_code[rows], col_code[cols]])


def test_violating_arcs_are_the_same_in_slices_and_in_one_pass(monkeypatch):
    """The proof's scan for violating arcs, over row slices on threads, finds exactly the
    arcs (in order) that the plain vectorised scan finds."""
    rng = np.random.default_rng(5)
    n, m, per_row = 4000, 3000, 600
    rows = np.repeat(np.arange(n), per_row)
    cols = np.sort(rng.integers(0, m, (n, per_row)), axis=1).ravel()
    w = rng.integers(0, 1000, rows.size).astype(float)
    in_p = rng.random(rows.size) < 0.3
    dist = rng.integers(-500, 500, n + m).astype(float)
    monkeypatch.setattr(slices.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(certify, "SLICE_ARCS", 500_000)  # four slices of 600,000 arcs
    calls = []
    real = slices.over_slices
    monkeypatch.setattr(
        certify, "over_slices", lambda fn, n, **kw: calls.append(real(fn, n, **kw)) or calls[-1]
    )
    idx, rc = certify.violating(rows, cols, w, in_p, dist, n, 3.0)
    expect_rc = w - 3.0 + dist[rows] - dist[n + cols]
    expect = np.flatnonzero((expect_rc < 0) & ~in_p)
    assert expect.size > 1000 and len(calls[0]) == 4
    assert np.array_equal(idx, expect)
    assert np.array_equal(rc, expect_rc[expect])
