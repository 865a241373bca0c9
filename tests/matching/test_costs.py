"""The cost model, part by part, and the hard rules, on plain arrays (no database)."""

from __future__ import annotations

import numpy as np
import pytest

from matching import costs

UTRECHT = (52.0907, 5.1214)
AMERSFOORT = (52.1561, 5.3878)  # ~20 km from Utrecht
ROTTERDAM = (51.9225, 4.4792)  # ~47 km from Utrecht
GRONINGEN = (53.2194, 6.5665)

WEIGHTS = {
    "w_distance": 1.0,
    "w_region": 25.0,
    "w_sector": 15.0,
    "w_method": 10.0,
    "w_history": 150.0,
    "w_load": 20.0,
}


def people(rows, cols, *, kind="mentor", **over) -> costs.Participants:
    """Participants from lists of row/col dicts with defaults."""
    n, m = len(rows), len(cols)

    def col(name, default, dtype):
        return np.array([c.get(name, default) for c in cols], dtype=dtype)

    def row(name, default, dtype):
        return np.array([r.get(name, default) for r in rows], dtype=dtype)

    p = costs.Participants(
        kind=kind,
        row_keys=np.arange(1, n + 1, dtype=np.int64),
        row_school=np.arange(101, 101 + n, dtype=np.int64),
        row_user=np.arange(1001, 1001 + n, dtype=np.int64),
        row_latlon=np.array([r["at"] for r in rows], dtype=float).reshape(-1, 2),
        row_region=row("region", -1, np.int64),
        row_sector=row("sector", 0, np.int64),
        row_phase=row("phase", 0, np.int64),
        row_methods=row("wants", 0, np.int64),
        row_continuity=row("last_coach", -1, np.int64),
        col_keys=np.arange(1, m + 1, dtype=np.int64),
        col_user=np.arange(2001, 2001 + m, dtype=np.int64),
        col_latlon=np.array([c["at"] for c in cols], dtype=float).reshape(-1, 2),
        col_max_km=col("max_km", 40.0, float),
        col_online=col("online", False, bool),
        col_region=col("region", -1, np.int64),
        col_sectors=col("sectors", 0, np.int64),
        col_methods=col("methods", 0, np.int64),
        col_available=col("available", True, bool),
        col_capacity=col("capacity", 1, np.int64),
    )
    for key, value in over.items():
        setattr(p, key, value)
    return p


def build(p, forbidden=(), exclude_other_region=False, default_max_km=30):
    return costs.build_candidates(
        p,
        default_max_km=default_max_km,
        exclude_other_region=exclude_other_region,
        forbidden=np.array(forbidden, dtype=np.int64).reshape(-1, 2),
    )


def solve(p, cand, weights=WEIGHTS, locks=()):
    locks = np.array(locks, dtype=np.int64).reshape(-1, 2)
    return costs.solve_candidates(p, cand, weights, lock_rows=locks[:, 0], lock_cols=locks[:, 1])


def test_distance_part_is_great_circle_km_and_zero_online():
    p = people(
        [{"at": UTRECHT}], [{"at": AMERSFOORT}, {"at": GRONINGEN, "online": True, "max_km": np.inf}]
    )
    cand = build(p)
    by_col = dict(zip(cand.cols.tolist(), cand.parts["distance"].tolist(), strict=True))
    assert 19 < by_col[0] < 21
    assert by_col[1] == 0.0  # online-only mentor, far away: meets online, no travel


def test_travel_limit_is_hard_and_default_applies_without_own_limit():
    p = people(
        [{"at": UTRECHT}], [{"at": ROTTERDAM, "max_km": 40.0}, {"at": AMERSFOORT, "max_km": np.nan}]
    )
    cand = build(p, default_max_km=30)
    assert cand.cols.tolist() == [
        1
    ]  # Rotterdam is ~47 km > 40; Amersfoort within the 30 km default
    cand = build(p, default_max_km=10)
    assert cand.cols.tolist() == []


def test_region_part_and_region_exclusion():
    p = people(
        [{"at": UTRECHT, "region": 7}],
        [
            {"at": AMERSFOORT, "region": 7},
            {"at": UTRECHT, "region": 8},
            {"at": UTRECHT, "region": -1},
        ],
    )
    cand = build(p)
    assert cand.parts["region"].tolist() == [0.0, 1.0, 0.0]  # unknown region is not penalised
    assert build(p, exclude_other_region=True).cols.tolist() == [0, 2]


def test_coach_region_part_uses_the_regions_a_coach_serves():
    p = people(
        [{"at": UTRECHT, "region": 7}],
        [
            {"at": UTRECHT, "capacity": 2},
            {"at": UTRECHT, "capacity": 2},
            {"at": UTRECHT, "capacity": 2},
        ],
        kind="coach",
        col_region_pairs=np.array([[0, 7], [1, 8]], dtype=np.int64),
    )
    cand = build(p)
    assert cand.parts["region"].tolist() == [0.0, 1.0, 0.0]  # coach 2 names no regions


def test_sector_part_only_when_mentor_has_a_preference_that_misses():
    vo = costs.SECTORS.index("vo")
    p = people(
        [{"at": UTRECHT, "sector": vo}],
        [
            {"at": UTRECHT, "sectors": 0},
            {"at": UTRECHT, "sectors": costs.sector_mask(["vo", "mbo"])},
            {"at": UTRECHT, "sectors": costs.sector_mask(["po"])},
        ],
    )
    assert build(p).parts["sector"].tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize(
    ("phase", "methods", "misfit"),
    [
        ("start", ["lean"], 0.0),
        ("start", ["six_sigma"], 0.7),
        ("start", ["six_sigma", "agile"], 0.0),  # the best method counts
        ("verdieping", ["agile"], 0.2),
        ("continu", ["kaizen"], 0.0),
        ("training", [], 0.5),  # no methods named: neutral
    ],
)
def test_method_part_follows_the_fit_table(phase, methods, misfit):
    p = people(
        [{"at": UTRECHT, "phase": costs.PHASES.index(phase)}],
        [{"at": UTRECHT, "methods": costs.method_mask(methods)}],
    )
    assert build(p).parts["method"][0] == pytest.approx(misfit)


def test_method_the_schoolleider_asked_for_fits_perfectly():
    p = people(
        [
            {
                "at": UTRECHT,
                "phase": costs.PHASES.index("start"),
                "wants": costs.method_mask(["six_sigma"]),
            }
        ],
        [{"at": UTRECHT, "methods": costs.method_mask(["six_sigma"])}],
    )
    assert build(p).parts["method"][0] == 0.0


def test_unavailable_mentor_gets_no_candidates_and_a_reason():
    p = people([{"at": UTRECHT}], [{"at": UTRECHT, "available": False}, {"at": AMERSFOORT}])
    cand = build(p)
    assert cand.cols.tolist() == [1]
    out = solve(p, cand)
    assert out.cols.tolist() == [1]
    assert out.col_reasons == {0: "not_available"}


def test_forbidden_and_earlier_year_pairs_are_never_candidates():
    p = people([{"at": UTRECHT}, {"at": UTRECHT}], [{"at": UTRECHT}, {"at": AMERSFOORT}])
    p.history_pairs = np.array(
        [[1001, 2001]], dtype=np.int64
    )  # row 0's user met col 0's user before
    cand = build(p, forbidden=[(1, 1)])
    assert list(zip(cand.rows.tolist(), cand.cols.tolist(), strict=True)) == [(0, 1), (1, 0)]


def test_solver_prefers_cheaper_total_and_reports_unmatched_reasons():
    p = people(
        [{"at": UTRECHT}, {"at": AMERSFOORT}, {"at": GRONINGEN}],
        [{"at": UTRECHT}, {"at": AMERSFOORT}],
    )
    out = solve(p, build(p))
    assert list(zip(out.rows.tolist(), out.cols.tolist(), strict=True)) == [(0, 0), (1, 1)]
    assert out.row_reasons == {2: "no_candidate"}
    # Same place, so no travel; only the neutral method part (0.5 × 10) for each pair.
    assert out.total_cost == pytest.approx(10.0)


def test_lock_overrides_travel_range_and_is_kept():
    p = people([{"at": GRONINGEN}, {"at": UTRECHT}], [{"at": UTRECHT}, {"at": UTRECHT}])
    out = solve(p, build(p), locks=[(0, 1)])
    got = dict(zip(out.rows.tolist(), out.cols.tolist(), strict=True))
    assert got == {0: 1, 1: 0}
    assert out.locked.tolist() == [True, False]
    assert out.parts["distance"][0] > 150  # the locked pair's real distance is shown


def test_coach_capacity_is_never_exceeded_and_load_is_spread():
    schools = [{"at": UTRECHT}] * 4
    near = (52.12, 5.1214)  # ~3.3 km north of the schools
    p = people(schools, [{"at": UTRECHT, "capacity": 3}, {"at": near, "capacity": 3}], kind="coach")
    out = solve(p, build(p))
    load = np.bincount(out.cols, minlength=2)
    assert load.max() <= 3
    assert load.tolist() == [2, 2]  # a fair spread is worth a few km with the default weights
    far = people(
        schools, [{"at": UTRECHT, "capacity": 3}, {"at": AMERSFOORT, "capacity": 3}], kind="coach"
    )
    assert np.bincount(solve(far, build(far)).cols, minlength=2).tolist() == [3, 1]  # but not 20 km
    no_spread = solve(p, build(p), weights={**WEIGHTS, "w_load": 0.0})
    assert np.bincount(no_spread.cols, minlength=2).tolist() == [3, 1]  # capacity, then distance


def test_continuity_with_last_years_coach_is_strongly_preferred_while_in_range():
    p = people(
        [{"at": UTRECHT, "last_coach": 1}, {"at": UTRECHT, "last_coach": 1}],
        [{"at": UTRECHT, "capacity": 2}, {"at": AMERSFOORT, "capacity": 2}],
        kind="coach",
    )
    cand = build(p)
    assert cand.parts["history"].tolist() == [1.0, 0.0, 1.0, 0.0]
    out = solve(p, cand)
    assert out.cols.tolist() == [1, 1]  # 20 km further, but last year's coach
    p.col_max_km = np.array([40.0, 5.0])  # last year's coach out of range: no penalty for anyone
    assert build(p).parts["history"].tolist() == [0.0, 0.0]


def test_quality_counts_top3_and_finds_blocking_pairs():
    p = people([{"at": UTRECHT}, {"at": AMERSFOORT}], [{"at": UTRECHT}, {"at": AMERSFOORT}])
    cand = build(p)
    out = solve(p, cand, locks=[(0, 1), (1, 0)])  # staff locked the crossed pairs
    stats = costs.quality(p, cand, out, WEIGHTS)
    assert stats["rows_top3"] == 2
    assert stats["blocking_count"] == 0  # locked rows are staff decisions, not audited
    out = costs.Outcome(  # an unlocked crossed assignment: both pairs would rather swap
        rows=out.rows,
        cols=out.cols,
        km=out.km,
        parts=out.parts,
        total=out.total,
        locked=np.zeros(2, bool),
        row_reasons={},
        col_reasons={},
        solve_seconds=0,
        backend="",
    )
    stats = costs.quality(p, cand, out, WEIGHTS)
    assert stats["blocking_count"] == 2


def test_snapshot_pack_unpack_round_trip_solves_the_same():
    """A snapshot keeps the inputs, not the pairs: rebuilt from people, rules and settings,
    the candidates are identical and so is the solve."""
    p = people(
        [{"at": UTRECHT}, {"at": AMERSFOORT}, {"at": ROTTERDAM}, {"at": GRONINGEN}],
        [{"at": UTRECHT}, {"at": AMERSFOORT, "max_km": np.nan}, {"at": ROTTERDAM}],
    )
    forbidden = np.array([[1, 0]], dtype=np.int64)
    cand = build(p, forbidden=forbidden, default_max_km=25)
    blob = costs.pack(p, [2], [2], forbidden, default_max_km=25, exclude_other_region=False)
    snap = costs.unpack("mentor", blob)
    assert snap.stored is None and snap.default_max_km == 25.0
    again = snap.candidates()
    assert again.rows.tolist() == cand.rows.tolist()
    assert again.cols.tolist() == cand.cols.tolist()
    for part in costs.PARTS:
        assert again.parts[part].tolist() == cand.parts[part].tolist()
    a = solve(p, cand, locks=[(2, 2)])
    b = costs.solve_candidates(
        snap.p, again, WEIGHTS, lock_rows=snap.lock_rows, lock_cols=snap.lock_cols
    )
    assert a.rows.tolist() == b.rows.tolist() and a.cols.tolist() == b.cols.tolist()
    assert a.total_cost == b.total_cost
    assert len(blob) < 10_000


def test_a_snapshot_of_the_first_format_with_stored_pairs_still_solves():
    import io

    p = people([{"at": UTRECHT}, {"at": AMERSFOORT}], [{"at": UTRECHT}, {"at": AMERSFOORT}])
    cand = build(p)
    buf = io.BytesIO()  # what format 1 wrote: participants, every pair with its parts, rules
    arrays = {f"p_{k}": v for k, v in p.arrays().items()}
    arrays.update({"c_rows": cand.rows, "c_cols": cand.cols})
    arrays.update({f"c_{k}": v for k, v in cand.parts.items()})
    empty = np.zeros(0, np.int64)
    np.savez_compressed(
        buf, **arrays, lock_rows=empty, lock_cols=empty, forbidden=empty.reshape(0, 2)
    )
    snap = costs.unpack("mentor", buf.getvalue(), {"default_max_km": 30})
    assert snap.stored is not None
    assert snap.candidates().rows.tolist() == cand.rows.tolist()
    assert snap.candidates(only=("col", 1)).rows.tolist() == cand.rows[cand.cols == 1].tolist()


@pytest.mark.parametrize("kind", ["mentor", "coach"])
@pytest.mark.parametrize("seed", range(6))
def test_one_persons_candidates_are_exactly_their_pairs_of_the_whole_build(kind, seed):
    """ "Why this pair" and re-matching build one person's pairs only: the same pairs, order
    and parts as the whole build has for them (hard rules, online columns, unknown
    postcodes, forbidden and earlier-year pairs, other regions, continuity)."""
    rng = np.random.default_rng(seed)
    n, m = 40, 25
    rows = [
        {
            "at": (np.nan, np.nan)
            if i == 3
            else (52 + rng.uniform(-0.4, 0.4), 5 + rng.uniform(-0.6, 0.6)),
            "region": int(rng.integers(-1, 3)),
            "sector": int(rng.integers(0, 4)),
            "phase": int(rng.integers(0, 4)),
            "last_coach": int(rng.integers(-1, m)) if kind == "coach" else -1,
        }
        for i in range(n)
    ]
    cols = [
        {
            "at": (52 + rng.uniform(-0.4, 0.4), 5 + rng.uniform(-0.6, 0.6)),
            "max_km": float(rng.choice([15, 25, 40, np.nan])),
            "online": bool(rng.random() < 0.15),
            "region": int(rng.integers(-1, 3)),
            "sectors": int(rng.integers(0, 16)),
            "methods": int(rng.integers(0, 32)),
            "available": bool(rng.random() < 0.9),
            "capacity": int(rng.integers(1, 4)) if kind == "coach" else 1,
        }
        for _ in range(m)
    ]
    p = people(rows, cols, kind=kind)
    p.history_pairs = np.array([[1001, 2001], [1005, 2003]], dtype=np.int64)
    if kind == "coach":
        p.col_region_pairs = np.array([[0, 1], [2, 2], [3, 0]], dtype=np.int64)
    forbidden = np.array([[2, 4], [7, 1]], dtype=np.int64)
    for other_region in (False, True):
        whole = build(p, forbidden, exclude_other_region=other_region, default_max_km=30)
        for side, count in (("row", n), ("col", m)):
            for index in range(count):
                one = costs.build_candidates(
                    p,
                    default_max_km=30,
                    exclude_other_region=other_region,
                    forbidden=forbidden,
                    only=(side, index),
                )
                mine = (whole.rows if side == "row" else whole.cols) == index
                assert one.rows.tolist() == whole.rows[mine].tolist()
                assert one.cols.tolist() == whole.cols[mine].tolist()
                for part in costs.PARTS:
                    assert one.parts[part].tolist() == whole.parts[part][mine].tolist()
        assert len(whole) > 0
