"""Holiday regions by the official division (Regeling vaststelling schoolvakanties, bijlage;
Rijksoverheid "Regio-indeling schoolvakanties"), and every PC4's municipality from GeoNames.

Official values: Noord-Holland, Groningen, Fryslân, Drenthe, Overijssel and Flevoland are
noord, except Zeewolde (midden); Hattem (Gelderland) and Eemnes (Utrecht) are noord. Utrecht,
Zuid-Holland (all of it) and Gelderland are midden, except the Gelderland municipalities in
``GELDERLAND_ZUID`` and the former Didam (Montferland) and Dodewaard (Neder-Betuwe), which are
zuid. Noord-Brabant, Limburg and Zeeland are zuid, except Altena (midden).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mentoring.meetings import holidays
from places.builtin import builtin_places

GELDERLAND_ZUID = [
    "Arnhem",
    "Nijmegen",
    "Berg en Dal",
    "Beuningen",
    "Doesburg",
    "Druten",
    "Duiven",
    "Heumen",
    "Lingewaard",
    "Maasdriel",
    "Overbetuwe",
    "Renkum",
    "Rheden",
    "Rozendaal",
    "Westervoort",
    "West Maas en Waal",
    "Wijchen",
    "Zaltbommel",
    "Zevenaar",
]
GELDERLAND_MIDDEN = [
    "Tiel",
    "Culemborg",
    "Buren",
    "West Betuwe",
    "Apeldoorn",
    "Ede",
    "Wageningen",
    "Barneveld",
    "Doetinchem",
    "Zutphen",
    "Harderwijk",
    "Nijkerk",
]


@pytest.mark.parametrize("municipality", GELDERLAND_ZUID)
def test_gelderland_zuid(municipality):
    assert holidays.region_for("Gelderland", municipality) == "zuid"


@pytest.mark.parametrize("municipality", GELDERLAND_MIDDEN)
def test_the_rest_of_gelderland_is_midden(municipality):
    assert holidays.region_for("Gelderland", municipality) == "midden"


@pytest.mark.parametrize(
    ("province", "municipality", "region"),
    [
        ("Gelderland", "Hattem", "noord"),
        ("Utrecht", "Eemnes", "noord"),
        ("Utrecht", "Utrecht", "midden"),
        ("Flevoland", "Zeewolde", "midden"),
        ("Flevoland", "Almere", "noord"),
        ("Noord-Brabant", "Altena", "midden"),
        ("Noord-Brabant", "Eindhoven", "zuid"),
        ("Zuid-Holland", "Goeree-Overflakkee", "midden"),
        ("Zuid-Holland", "Rotterdam", "midden"),
        ("Noord-Holland", "Amsterdam", "noord"),
        ("Overijssel", "Dalfsen", "noord"),
        ("Limburg", "Maastricht", "zuid"),
        ("Zeeland", "Middelburg", "zuid"),
        ("Fryslân", "Leeuwarden", "noord"),
        ("Groningen", "Groningen", "noord"),
        ("Drenthe", "Assen", "noord"),
    ],
)
def test_official_exceptions_and_province_defaults(province, municipality, region):
    assert holidays.region_for(province, municipality) == region


@pytest.mark.parametrize(
    ("pc4", "municipality", "region"),
    [
        ("6941", "Montferland", "zuid"),  # Didam
        ("6942", "Montferland", "zuid"),  # Didam
        ("7041", "Montferland", "midden"),  # 's-Heerenberg
        ("6669", "Neder-Betuwe", "zuid"),  # Dodewaard
        ("4041", "Neder-Betuwe", "midden"),  # Kesteren
    ],
)
def test_villages_of_split_municipalities_resolve_by_pc4(pc4, municipality, region):
    place = builtin_places()[pc4]
    assert place.municipality == municipality
    assert holidays.region_for(place.province, place.municipality, pc4) == region


def test_every_pc4_has_its_municipality_and_own_position():
    places = builtin_places()
    with_municipality = sum(1 for p in places.values() if p.municipality)
    assert with_municipality / len(places) >= 0.99
    lemelerveld = places["8151"]
    assert (lemelerveld.province, lemelerveld.municipality) == ("Overijssel", "Dalfsen")
    assert holidays.region_for(lemelerveld.province, lemelerveld.municipality, "8151") == "noord"
    utrecht = {(p.lat, p.lon) for p in places.values() if p.municipality == "Utrecht"}
    utrecht_pc4s = [p for p in places.values() if p.municipality == "Utrecht"]
    assert len(utrecht) == len(utrecht_pc4s) > 20  # no two Utrecht PC4s share a point


def test_merged_municipalities_carry_todays_name():
    places = builtin_places()
    assert {places[pc].municipality for pc in ("4251", "4281")} == {"Altena"}  # Werkendam, Andel
    assert holidays.region_for("Noord-Brabant", places["4251"].municipality) == "midden"


GEONAMES = Path("/work/shared/data/pc4_geonames.csv")


@pytest.mark.skipif(not GEONAMES.exists(), reason="GeoNames reference export not present")
def test_agreement_with_the_geonames_export():
    """Measured against the reference export (without its rows filed under a wrong PC4,
    ``STRAYS``): province agreement 100 %, municipality (after today's mergers) at least 99 %
    of the PC4s, position within 0.5 km for every PC4."""
    import csv

    from places.build_geonames import MERGED, PROVINCE_NAME, PROVINCE_OF, SPLIT, STRAYS
    from places.geo import haversine_km

    places = builtin_places()
    ref: dict[str, list[dict]] = {}
    with GEONAMES.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if STRAYS.get(row["pc4"]) != row["place"]:  # rows filed under a wrong PC4
                ref.setdefault(row["pc4"], []).append(row)
    province_ok = municipality_ok = far = 0
    for pc4, rows in ref.items():
        place = places[pc4]
        municipalities = {
            SPLIT.get(pc4) or MERGED.get(r["municipality"], r["municipality"]) for r in rows
        }
        provinces = {
            PROVINCE_OF.get(m, PROVINCE_NAME.get(r["province"], r["province"]))
            for r in rows
            for m in [MERGED.get(r["municipality"], r["municipality"])]
        }
        province_ok += place.province in provinces
        municipality_ok += place.municipality in municipalities
        lat = sum(float(r["lat"]) for r in rows) / len(rows)
        lon = sum(float(r["lon"]) for r in rows) / len(rows)
        far += haversine_km(place.lat, place.lon, lat, lon) > 0.5
    assert province_ok == len(ref)
    assert municipality_ok >= 0.99 * len(ref)
    assert far == 0
