"""The database-backed geocoder and the convenience functions other apps call."""

from __future__ import annotations

import time

import numpy as np
import pytest

from places import geocoding
from places.builtin import read_builtin
from places.geo import Geocoder, InvalidPostcode, UnknownPostcode
from places.geocoding import (
    DatabaseGeocoder,
    coordinates,
    distance_km,
    get_geocoder,
    invalidate_cache,
    lookup,
)
from places.models import Postcode

pytestmark = pytest.mark.django_db


def test_data_migration_loaded_the_builtin_table():
    rows = read_builtin()
    assert Postcode.objects.count() == len(rows)
    assert Postcode.objects.exclude(source=Postcode.Source.BUILTIN).count() == 0
    first = Postcode.objects.get(pk=rows[0]["pc4"])
    assert first.place == rows[0]["place"]
    assert first.lat == pytest.approx(float(rows[0]["lat"]))


def test_default_geocoder_is_the_database():
    geocoder = get_geocoder()
    assert isinstance(geocoder, DatabaseGeocoder)
    assert isinstance(geocoder, Geocoder)


def test_geocoder_is_configurable(settings):
    settings.PLACES_GEOCODER = "places.builtin.BuiltinGeocoder"
    assert type(get_geocoder()).__name__ == "BuiltinGeocoder"
    # the generic (protocol-only) path of coordinates() works too
    out = coordinates(["1012", "3011 AB"])
    assert out.shape == (2, 2)
    assert distance_km("1012", "3011") == pytest.approx(57, abs=5)


def test_lookup_accepts_full_postcodes():
    place = lookup("1012 AB")
    assert (place.pc4, place.place, place.province) == ("1012", "Amsterdam", "Noord-Holland")


def test_lookup_unknown_and_invalid():
    with pytest.raises(UnknownPostcode, match="Postcode 1000 kennen we niet."):
        lookup("1000")
    with pytest.raises(InvalidPostcode, match="‘12AB’ is geen geldige Nederlandse postcode"):
        lookup("12AB")


def test_lookup_many_skips_unknown_and_deduplicates():
    found = get_geocoder().lookup_many(["1012 AB", "1012", "3011", "1000"])
    assert sorted(found) == ["1012", "3011"]
    with pytest.raises(InvalidPostcode):
        get_geocoder().lookup_many(["1012", "nope"])


def test_coordinates_order_strict_and_lenient():
    out = coordinates(["3011", "1012 ab", "3011"])
    assert out.shape == (3, 2)
    assert np.array_equal(out[0], out[2])
    assert out[1][0] > out[0][0]  # Amsterdam is north of Rotterdam
    with pytest.raises(UnknownPostcode, match="1000"):
        coordinates(["1012", "1000"])
    lenient = coordinates(["1012", "1000"], strict=False)
    assert np.isnan(lenient[1]).all() and not np.isnan(lenient[0]).any()
    assert coordinates([]).shape == (0, 2)


def test_coordinates_is_fast_for_many_items():
    codes = [r["pc4"] for r in read_builtin()]
    many = (codes * 4)[:15000]
    coordinates(many[:10])  # warm the cache
    start = time.perf_counter()
    out = coordinates(many)
    elapsed = time.perf_counter() - start
    assert out.shape == (15000, 2)
    assert not np.isnan(out).any()
    assert elapsed < 0.5


def test_distance_amsterdam_rotterdam():
    assert distance_km("1012", "3011") == pytest.approx(57, abs=5)
    assert distance_km("1012 AB", "1012 CD") == 0.0


def test_cache_follows_orm_changes():
    assert lookup("1012").place == "Amsterdam"
    Postcode.objects.filter(pk="1012").update(place="Mokum")  # no signal: still cached
    assert lookup("1012").place == "Amsterdam"
    invalidate_cache()
    assert lookup("1012").place == "Mokum"
    row = Postcode.objects.get(pk="1012")
    row.place = "Amsterdam-Centrum"
    row.save()  # post_save invalidates
    assert lookup("1012").place == "Amsterdam-Centrum"
    Postcode.objects.create(
        pc4="1000", place="Amsterdam", province="Noord-Holland", lat=52.37, lon=4.89
    )
    assert lookup("1000").place == "Amsterdam"


def test_cache_expires(settings, monkeypatch):
    settings.PLACES_CACHE_SECONDS = 60
    lookup("1012")
    Postcode.objects.filter(pk="1012").update(place="Later")
    now = time.monotonic()
    monkeypatch.setattr(geocoding.time, "monotonic", lambda: now + 61)
    assert lookup("1012").place == "Later"
