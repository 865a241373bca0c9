"""The built-in PC4 table shipped with the code (no Django imports).

``places/data/pc4_builtin.csv`` is produced by ``python -m places.build_builtin``; this module
only reads it. ``BuiltinGeocoder`` answers lookups straight from the file, which is handy for
scripts and tests that have no database; the application itself uses
``places.geocoding.DatabaseGeocoder`` so that a loaded GeoNames export takes precedence.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from places.geo import Place, UnknownPostcode, normalize_pc4

BUILTIN_CSV = Path(__file__).resolve().parent / "data" / "pc4_builtin.csv"
#: The columns of the shipped table, in order.
COLUMNS = ("pc4", "place", "municipality", "province", "lat", "lon", "method")


def read_builtin(path: Path = BUILTIN_CSV) -> list[dict[str, str]]:
    """Return the rows of the built-in CSV as dicts (pc4, place, municipality, province,
    lat, lon, method), in file order (sorted by pc4)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def builtin_places() -> dict[str, Place]:
    """Return ``{pc4: Place}`` for every row of the built-in table (parsed once)."""
    return {
        row["pc4"]: Place(
            pc4=row["pc4"],
            place=row["place"],
            municipality=row["municipality"],
            province=row["province"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
        )
        for row in read_builtin()
    }


class BuiltinGeocoder:
    """Geocoder over the shipped CSV only (no database, no GeoNames overrides)."""

    def lookup(self, pc4: str) -> Place:
        """Return the place for ``pc4``; raises InvalidPostcode / UnknownPostcode."""
        code = normalize_pc4(pc4)
        try:
            return builtin_places()[code]
        except KeyError:
            raise UnknownPostcode(code) from None

    def lookup_many(self, pc4s: Iterable[str]) -> dict[str, Place]:
        """Return ``{pc4: Place}`` for the known codes among ``pc4s``."""
        table = builtin_places()
        codes = {normalize_pc4(p) for p in pc4s}
        return {c: table[c] for c in sorted(codes) if c in table}
