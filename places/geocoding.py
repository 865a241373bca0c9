"""Django side of PC4 geocoding: the database-backed geocoder and convenience functions.

Other apps call ``get_geocoder()``, ``coordinates()`` and ``distance_km()``; they never query
``Postcode`` directly, so a deployment can switch to another geocoder (e.g. PDOK
Locatieserver) with ``settings.PLACES_GEOCODER``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from numpy.typing import NDArray

from places.geo import (
    Geocoder,
    InvalidPostcode,
    Place,
    UnknownPostcode,
    haversine_km,
    normalize_pc4,
    normalize_postcode,
)

DEFAULT_GEOCODER = "places.geocoding.DatabaseGeocoder"

# Other processes (web workers) don't see invalidate_cache() calls made by a management
# command, so a snapshot also expires after this many seconds. Reloading ~4,000 rows takes
# a few milliseconds, so this can be short without cost.
DEFAULT_CACHE_SECONDS = 600


def invalid_postcode_message(value: object) -> str:
    """The one Dutch message (active language) for a malformed postcode."""
    return gettext("‘%(value)s’ is geen geldige Nederlandse postcode (verwacht: 1234 AB).") % {
        "value": str(value).strip()
    }


def unknown_postcode_message(pc4: str) -> str:
    """The one Dutch message (active language) for a well-formed postcode we do not know."""
    return gettext("Postcode %(value)s kennen we niet. Controleer de cijfers.") % {"value": pc4}


def _invalid(value: object) -> InvalidPostcode:
    err = InvalidPostcode(value)
    err.args = (invalid_postcode_message(value),)
    return err


def _unknown(pc4: str) -> UnknownPostcode:
    err = UnknownPostcode(pc4)
    err.args = (unknown_postcode_message(pc4),)
    return err


def check_postcode(value: str) -> tuple[str, str]:
    """The one postcode check of every form and import: ("1234 AB", "1234") for a valid,
    known Dutch postcode; otherwise InvalidPostcode or UnknownPostcode with the Dutch
    message (in the active language) as its text."""
    try:
        postcode = normalize_postcode(value)
    except InvalidPostcode:
        raise _invalid(value) from None
    pc4 = postcode[:4]
    get_geocoder().lookup(pc4)
    return postcode, pc4


def _pc4(value: str) -> str:
    try:
        return normalize_pc4(value)
    except InvalidPostcode:
        raise _invalid(value) from None


@dataclass(frozen=True)
class _Snapshot:
    """All postcode rows, immutable, swapped atomically on reload."""

    places: dict[str, Place]
    # (10000, 2) array indexed by int(pc4): lat, lon; NaN where the code is unknown.
    table: NDArray[np.float64]
    loaded_at: float


_lock = threading.Lock()
_snapshot: _Snapshot | None = None


def _load_snapshot() -> _Snapshot:
    from places.models import Postcode

    places: dict[str, Place] = {}
    table = np.full((10000, 2), np.nan)
    for row in Postcode.objects.order_by("pc4").iterator(chunk_size=2000):
        place = row.as_place()
        places[place.pc4] = place
        table[int(place.pc4)] = (place.lat, place.lon)
    table.flags.writeable = False
    return _Snapshot(places=places, table=table, loaded_at=time.monotonic())


def _current() -> _Snapshot:
    global _snapshot
    snap = _snapshot
    ttl = getattr(settings, "PLACES_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)
    if snap is None or time.monotonic() - snap.loaded_at > ttl:
        with _lock:
            snap = _snapshot
            if snap is None or time.monotonic() - snap.loaded_at > ttl:
                snap = _snapshot = _load_snapshot()
    return snap


def invalidate_cache() -> None:
    """Forget the cached postcode table; the next lookup reloads it from the database."""
    global _snapshot
    _snapshot = None


class DatabaseGeocoder:
    """Geocoder over the ``places.Postcode`` table, cached per process."""

    def lookup(self, pc4: str) -> Place:
        """Return the place for ``pc4``; raises InvalidPostcode / UnknownPostcode."""
        code = _pc4(pc4)
        try:
            return _current().places[code]
        except KeyError:
            raise _unknown(code) from None

    def lookup_many(self, pc4s: Iterable[str]) -> dict[str, Place]:
        """Return ``{pc4: Place}`` for the known codes; raises InvalidPostcode if malformed."""
        places = _current().places
        codes = {_pc4(p) for p in pc4s}
        return {c: places[c] for c in sorted(codes) if c in places}

    def coordinates(self, pc4s: Sequence[str], *, strict: bool = True) -> NDArray[np.float64]:
        """Vectorised fast path for ``places.geocoding.coordinates``."""
        table = _current().table
        idx = np.fromiter((int(_pc4(p)) for p in pc4s), dtype=np.intp, count=len(pc4s))
        out = table[idx]
        if strict:
            missing = np.flatnonzero(np.isnan(out[:, 0]))
            if missing.size:
                raise _unknown(f"{idx[missing[0]]:04d}")
        return out


@cache
def _geocoder_for(path: str) -> Geocoder:
    return import_string(path)()


def get_geocoder() -> Geocoder:
    """Return the geocoder named by ``settings.PLACES_GEOCODER`` (a dotted class path).

    Defaults to ``DatabaseGeocoder``. One instance per class per process.
    """
    return _geocoder_for(getattr(settings, "PLACES_GEOCODER", DEFAULT_GEOCODER))


def lookup(pc4: str) -> Place:
    """Shortcut for ``get_geocoder().lookup(pc4)``."""
    return get_geocoder().lookup(pc4)


def coordinates(pc4s: Sequence[str], *, strict: bool = True) -> NDArray[np.float64]:
    """Return an (n, 2) float array of (lat, lon) for ``pc4s``, in input order.

    Any accepted postcode spelling works ("1234", "1234 AB"). Raises InvalidPostcode for
    malformed input; raises UnknownPostcode for an unknown code unless ``strict=False``,
    in which case that row is NaN. Fast for tens of thousands of items with the database
    geocoder (one array indexing step; no per-item database work).
    """
    geocoder = get_geocoder()
    fast = getattr(geocoder, "coordinates", None)
    if fast is not None:
        return fast(pc4s, strict=strict)
    # Generic path for geocoders that only implement the protocol.
    codes = [_pc4(p) for p in pc4s]
    found = geocoder.lookup_many(codes)
    out = np.full((len(codes), 2), np.nan)
    for i, code in enumerate(codes):
        place = found.get(code)
        if place is not None:
            out[i] = (place.lat, place.lon)
        elif strict:
            raise _unknown(code)
    return out


def distance_km(pc4_a: str, pc4_b: str) -> float:
    """Great-circle distance in km between the centres of two postcode areas."""
    (lat1, lon1), (lat2, lon2) = coordinates([pc4_a, pc4_b])
    return float(haversine_km(lat1, lon1, lat2, lon2))
