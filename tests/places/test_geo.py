"""The pure helpers in places.geo: normalisation, distances, provinces."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.spatial import cKDTree

from places.builtin import BuiltinGeocoder
from places.geo import (
    PROVINCES,
    Geocoder,
    InvalidPostcode,
    UnknownPostcode,
    canonical_province,
    chord_for_km,
    haversine_km,
    km_for_chord,
    normalize_pc4,
    normalize_postcode,
    unit_vectors,
)

AMSTERDAM = (52.3731, 4.8922)  # Dam
ROTTERDAM = (51.9225, 4.4792)  # Stadhuis
GRONINGEN = (53.2194, 6.5665)


@pytest.mark.parametrize(
    "value",
    ["1234", "1234AB", "1234 ab", " 1234-AB ", "1234  AB", "1234\tab", "1234.AB", "1234 Ab"],
)
def test_normalize_pc4_accepts_common_spellings(value):
    assert normalize_pc4(value) == "1234"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1234ab", "1234 AB"), (" 1234-AB ", "1234 AB"), ("1234", "1234"), ("9999 zz", "9999 ZZ")],
)
def test_normalize_postcode(value, expected):
    assert normalize_postcode(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "12AB",
        "123",
        "12345",
        "0123",
        "0999 AB",
        "1234 A",
        "1234 ABC",
        "AB 1234",
        "12 34",
    ],
)
def test_invalid_postcodes_raise_with_dutch_message(value):
    with pytest.raises(InvalidPostcode) as exc:
        normalize_pc4(value)
    assert "is geen geldige Nederlandse postcode (verwacht: 1234 AB)" in str(exc.value)
    with pytest.raises(InvalidPostcode):
        normalize_postcode(value)


def test_invalid_postcode_message_quotes_the_input():
    with pytest.raises(ValueError, match="‘12AB’ is geen geldige Nederlandse postcode"):
        normalize_pc4(" 12AB ")


@pytest.mark.parametrize("value", [None, 1234, 12.5])
def test_non_strings_are_invalid(value):
    with pytest.raises(InvalidPostcode):
        normalize_pc4(value)


@given(
    number=st.integers(1000, 9999),
    letters=st.one_of(st.just(""), st.text("ABCDEFGHJKLMNPRSTUVWXYZabcz", min_size=2, max_size=2)),
    sep=st.sampled_from(["", " ", "-", "  "]),
)
def test_normalize_roundtrip(number, letters, sep):
    raw = f"{number}{sep if letters else ''}{letters}"
    assert normalize_pc4(raw) == str(number)
    assert normalize_postcode(normalize_postcode(raw)) == normalize_postcode(raw)


def test_unknown_postcode_message():
    err = UnknownPostcode("1234")
    assert isinstance(err, LookupError)
    assert str(err) == "Postcode 1234 kennen we niet. Controleer de cijfers."


def test_haversine_known_distances():
    assert haversine_km(*AMSTERDAM, *ROTTERDAM) == pytest.approx(57.0, abs=1.5)
    # one degree along a meridian is pi * R / 180 exactly
    assert haversine_km(52.0, 5.0, 53.0, 5.0) == pytest.approx(111.19508, abs=1e-4)
    # a quarter of the equator
    assert haversine_km(0.0, 0.0, 0.0, 90.0) == pytest.approx(10007.557, abs=1e-2)
    assert haversine_km(*AMSTERDAM, *AMSTERDAM) == 0.0
    assert isinstance(haversine_km(*AMSTERDAM, *ROTTERDAM), float)


def test_haversine_is_vectorised():
    lats = np.array([AMSTERDAM[0], GRONINGEN[0]])
    lons = np.array([AMSTERDAM[1], GRONINGEN[1]])
    d = haversine_km(lats, lons, ROTTERDAM[0], ROTTERDAM[1])
    assert d.shape == (2,)
    assert d[0] == pytest.approx(haversine_km(*AMSTERDAM, *ROTTERDAM))
    # full matrix by broadcasting
    m = haversine_km(lats[:, None], lons[:, None], lats[None, :], lons[None, :])
    assert m.shape == (2, 2)
    assert m[0, 1] == pytest.approx(m[1, 0])
    assert np.allclose(np.diag(m), 0.0)


def test_unit_vectors_and_kdtree_radius_query_match_haversine():
    rng = np.random.default_rng(7)
    lat = rng.uniform(50.8, 53.4, 500)
    lon = rng.uniform(3.4, 7.1, 500)
    xyz = unit_vectors(lat, lon)
    assert xyz.shape == (500, 3)
    assert np.allclose(np.linalg.norm(xyz, axis=1), 1.0)
    tree = cKDTree(xyz)
    centre = unit_vectors(AMSTERDAM[0], AMSTERDAM[1])[0]
    found = sorted(tree.query_ball_point(centre, chord_for_km(40.0)))
    expected = sorted(np.flatnonzero(haversine_km(lat, lon, *AMSTERDAM) <= 40.0).tolist())
    assert found == expected


def test_chord_roundtrip():
    for km in (0.0, 1.0, 57.0, 300.0):
        assert km_for_chord(chord_for_km(km)) == pytest.approx(km, abs=1e-9)
    assert np.allclose(km_for_chord(chord_for_km(np.array([1.0, 2.0]))), [1.0, 2.0])


def test_twelve_canonical_provinces():
    assert len(PROVINCES) == 12
    for name in PROVINCES:
        assert canonical_province(name) == name


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("Friesland", "Fryslân"),
        ("fryslan", "Fryslân"),
        ("FR", "Fryslân"),
        ("North Brabant", "Noord-Brabant"),
        ("Noord Brabant", "Noord-Brabant"),
        ("noord-brabant", "Noord-Brabant"),
        ("NL-NB", "Noord-Brabant"),
        ("06", "Noord-Brabant"),
        ("NL.07", "Noord-Holland"),
        ("7", "Noord-Holland"),
        ("South Holland", "Zuid-Holland"),
        ("ZH", "Zuid-Holland"),
        ("Zealand", "Zeeland"),
        ("Guelders", "Gelderland"),
        ("GLD", "Gelderland"),
        ("15", "Overijssel"),
        ("16", "Flevoland"),
        ("01", "Drenthe"),
        ("04", "Groningen"),
        ("05", "Limburg"),
        ("09", "Utrecht"),
        ("10", "Zeeland"),
        (" limburg ", "Limburg"),
    ],
)
def test_canonical_province_variants(variant, expected):
    assert canonical_province(variant) == expected


@pytest.mark.parametrize("bad", ["", "Vlaanderen", "08", "Holland", "NL-XX"])
def test_canonical_province_unknown(bad):
    with pytest.raises(ValueError, match="Onbekende provincie"):
        canonical_province(bad)


def test_builtin_geocoder_satisfies_protocol():
    geocoder = BuiltinGeocoder()
    assert isinstance(geocoder, Geocoder)
    place = geocoder.lookup("1012 AB")
    assert place.place == "Amsterdam"
    assert place.province == "Noord-Holland"
    with pytest.raises(UnknownPostcode, match="Postcode 1000 kennen we niet."):
        geocoder.lookup("1000")
    with pytest.raises(InvalidPostcode):
        geocoder.lookup("10")
    many = geocoder.lookup_many(["3011", "3011 AA", "1000"])
    assert list(many) == ["3011"]
