"""The per-PC4 table (issue 11): its own position for every PC4, rebuilt exactly from the
GeoNames postal-code export, and the figures of docs/geocoding.md.

Two references, both in the shared data (tests skip without it):

* ``pc4_geonames.csv`` / ``geonames_NL_postalcodes.txt``: GeoNames' postal-code export, which
  the table is built from, so its agreement checks that the build carries it over intact
  (positions, provinces, municipalities after today's mergers).
* DUO's school registers (``schools_po_duo.csv``, ``schools_vo_duo_derived.csv``): every
  school's own municipality and province as DUO records them, a source the table is *not*
  built from; they measure the municipality and holiday region a school gets from its PC4.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter

import pytest

from places.accuracy import measure, read_reference
from places.build_geonames import overlay
from places.builtin import BUILTIN_CSV, builtin_places
from places.holidays import region_for
from tests.places.test_municipalities import OFFICIAL


def test_no_two_pc4s_share_a_coordinate():
    places = builtin_places()
    counts = Counter((p.lat, p.lon) for p in places.values())
    assert len(places) == 4075
    assert [pc4 for pc4, p in places.items() if counts[(p.lat, p.lon)] > 1] == []


def test_every_pc4_geonames_lists_comes_from_the_export_the_rest_is_named():
    with BUILTIN_CSV.open(encoding="utf-8", newline="") as fh:
        methods = Counter(row["method"] for row in csv.DictReader(fh))
    assert methods["geonames"] == 4064 and sum(methods.values()) == 4075
    without = sorted(pc4 for pc4, p in builtin_places().items() if not p.municipality)
    # GeoNames does not list these 11; they keep the package-based row (docs/geocoding.md).
    assert without == [
        "1364",
        "2236",
        "2765",
        "5156",
        "5157",
        "5158",
        "5255",
        "5257",
        "5722",
        "8269",
        "8323",
    ]


def test_the_shipped_table_is_exactly_the_export_laid_over_it(shared_file):
    """``python -m places.build_geonames NL.txt`` on the shipped table changes nothing."""
    export = shared_file("geonames_NL_postalcodes.txt")
    shipped = BUILTIN_CSV.read_text(encoding="utf-8")
    text, from_geonames, kept = overlay(shipped, export)
    assert (from_geonames, kept) == (4064, 11)
    assert text == shipped


def test_position_error_against_the_export_is_the_documented_one(shared_file):
    # docs/geocoding.md: median 0.00 km, p99 0.00 km, every GeoNames PC4 present.
    accuracy = measure(read_reference(shared_file("pc4_geonames.csv")))
    assert accuracy.coverage == 1.0
    assert accuracy.median < 0.005 and accuracy.p99 < 0.005 and accuracy.max < 0.01


def _name(text: str) -> str:
    """DUO writes municipalities in capitals without accents or apostrophes."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    text = re.sub(r"[^A-Z]+", " ", text).strip()
    return {"NUENEN CA": "NUENEN GERWEN EN NEDERWETTEN", "BERGEN LB": "BERGEN L"}.get(text, text)


@pytest.mark.parametrize(
    ("filename", "column", "municipality_share", "region_share"),
    [
        # docs/geocoding.md: 99.25 % / 99.95 % of 6,120 primary schools (2 have no
        # municipality in the file), 99.44 % / 99.94 % of 1,620 secondary schools.
        ("schools_po_duo.csv", "gemeentenaam", 0.9925, 0.9995),
        ("schools_vo_duo_derived.csv", "municipality", 0.9944, 0.9993),
    ],
)
def test_schools_municipality_and_holiday_region_agree_with_duo(
    shared_file, filename, column, municipality_share, region_share
):
    official = {_name(name): (name, province) for name, province, _ in OFFICIAL}
    places = builtin_places()
    same_municipality = same_region = compared = 0
    with shared_file(filename).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            known = official.get(_name(row[column]))
            if known is None:
                continue  # no municipality in DUO's row
            pc4 = row["pc4"].strip()[:4]
            place = places[pc4]
            compared += 1
            same_municipality += place.municipality == known[0]
            same_region += region_for(place.province, place.municipality, pc4) == region_for(
                known[1], known[0], pc4
            )
    assert compared > 1500
    assert same_municipality / compared >= municipality_share - 0.0005
    assert same_region / compared >= region_share - 0.0005
