"""``manage.py load_postcodes FILE``: replace built-in PC4 values with exact GeoNames data.

Accepts the GeoNames postal-code export for NL (``NL.txt`` from the GeoNames postal code
dump: tab-separated, no header) and a CSV variant with a header row containing at least
``pc4, place, province, lat, lon`` (optionally ``municipality``, ``province_code``).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext

from places.build_geonames import MERGED, PROVINCE_OF, SPLIT, STRAYS
from places.geo import InvalidPostcode, Place, canonical_province, in_netherlands, normalize_pc4
from places.geocoding import invalid_postcode_message, invalidate_cache
from places.models import Postcode

# Column positions in the GeoNames postal-code format.
_GN_COUNTRY, _GN_CODE, _GN_PLACE, _GN_PROVINCE, _GN_PROVINCE_CODE, _GN_MUNICIPALITY = range(6)
_GN_LAT, _GN_LON = 9, 10
_CSV_REQUIRED = ("pc4", "place", "province", "lat", "lon")
_FIELDS = ("place", "municipality", "province", "lat", "lon", "source")


class PostcodeFileError(ValueError):
    """A line of a postcode file could not be used."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


@dataclass
class _Acc:
    """Rows of one PC4, in file order."""

    places: Counter[str] = field(default_factory=Counter)
    municipalities: Counter[str] = field(default_factory=Counter)
    provinces: Counter[str] = field(default_factory=Counter)
    lats: list[float] = field(default_factory=list)
    lons: list[float] = field(default_factory=list)


def _float(text: str, is_lat: bool, line: int) -> float:
    try:
        return float(text)
    except ValueError:
        what = gettext("breedtegraad") if is_lat else gettext("lengtegraad")
        raise PostcodeFileError(
            line,
            gettext("%(what)s ‘%(value)s’ is geen getal.") % {"what": what, "value": text.strip()},
        ) from None


# A file repeats the same dozen province spellings thousands of times.
_province = lru_cache(maxsize=256)(canonical_province)


def _add(
    acc: dict[str, _Acc],
    line: int,
    code: str,
    place: str,
    municipality: str,
    province: str,
    province_code: str,
    lat_text: str,
    lon_text: str,
) -> None:
    try:
        pc4 = normalize_pc4(code)
    except InvalidPostcode:
        raise PostcodeFileError(
            line,
            invalid_postcode_message(code),
        ) from None
    place = place.strip()
    if not place:
        raise PostcodeFileError(line, gettext("de plaatsnaam ontbreekt."))
    try:
        prov = _province(province)
    except ValueError:
        try:
            prov = _province(province_code)
        except ValueError:
            raise PostcodeFileError(
                line, gettext("onbekende provincie ‘%(value)s’.") % {"value": province.strip()}
            ) from None
    lat = _float(lat_text, True, line)
    lon = _float(lon_text, False, line)
    if not in_netherlands(lat, lon):
        raise PostcodeFileError(
            line,
            gettext("de coördinaten (%(lat)s, %(lon)s) liggen niet in Nederland.")
            % {"lat": lat_text.strip(), "lon": lon_text.strip()},
        )
    if STRAYS.get(pc4) == place:
        return  # a GeoNames row filed under a wrong PC4 (places.build_geonames.STRAYS)
    # GeoNames' municipalities date from about 2017: today's name after the mergers, the
    # villages of a split municipality by PC4 (as in the shipped table).
    municipality = SPLIT.get(pc4) or MERGED.get(municipality.strip(), municipality.strip())
    prov = PROVINCE_OF.get(municipality, prov)
    a = acc[pc4]
    a.places[place] += 1
    if municipality:
        a.municipalities[municipality] += 1
    a.provinces[prov] += 1
    a.lats.append(lat)
    a.lons.append(lon)


def _parse_geonames(lines: list[str], acc: dict[str, _Acc]) -> None:
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        cols = raw.rstrip("\r\n").split("\t")
        if len(cols) < 11:
            raise PostcodeFileError(
                number,
                gettext(
                    "verwacht 11 kolommen gescheiden door tabs (GeoNames-formaat), "
                    "gevonden: %(count)d."
                )
                % {"count": len(cols)},
            )
        if cols[_GN_COUNTRY].strip().upper() != "NL":
            raise PostcodeFileError(
                number,
                gettext("landcode ‘%(value)s’ is niet NL.") % {"value": cols[_GN_COUNTRY]},
            )
        _add(
            acc,
            number,
            cols[_GN_CODE],
            cols[_GN_PLACE],
            cols[_GN_MUNICIPALITY],
            cols[_GN_PROVINCE],
            cols[_GN_PROVINCE_CODE],
            cols[_GN_LAT],
            cols[_GN_LON],
        )


def _parse_csv(text: str, acc: dict[str, _Acc]) -> None:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or ()]
    missing = [c for c in _CSV_REQUIRED if c not in header]
    if missing:
        raise PostcodeFileError(
            1,
            gettext("kolom(men) ontbreken in de kopregel: %(columns)s.")
            % {"columns": ", ".join(missing)},
        )
    reader.fieldnames = header
    for row in reader:
        number = reader.line_num
        if not any((v or "").strip() for v in row.values()):
            continue
        if None in row or any(row.get(c) is None for c in _CSV_REQUIRED):
            raise PostcodeFileError(
                number,
                gettext("aantal kolommen klopt niet met de kopregel."),
            )
        _add(
            acc,
            number,
            row["pc4"],
            row["place"],
            row.get("municipality") or "",
            row["province"],
            row.get("province_code") or "",
            row["lat"],
            row["lon"],
        )


def parse_postcode_file(path: Path) -> dict[str, Place]:
    """Parse a GeoNames NL postal-code file (TSV or CSV with header) into ``{pc4: Place}``.

    PC4s with several rows (one per place) get the mean coordinates and the most common
    place, municipality and province (ties: the first in the file). Raises
    ``PostcodeFileError`` (with ``.line``) on the first unusable line.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PostcodeFileError(
            text_line_of(path.read_bytes(), exc.start),
            gettext("het bestand is geen UTF-8-tekst."),
        ) from None
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    acc: dict[str, _Acc] = defaultdict(_Acc)
    if "\t" not in first and first.lower().replace(" ", "").startswith("pc4,"):
        _parse_csv(text, acc)
    else:
        _parse_geonames(lines, acc)
    if not acc:
        raise PostcodeFileError(1, gettext("het bestand bevat geen postcodes."))
    result = {}
    for pc4 in sorted(acc):
        a = acc[pc4]
        result[pc4] = Place(
            pc4=pc4,
            place=a.places.most_common(1)[0][0],
            municipality=a.municipalities.most_common(1)[0][0] if a.municipalities else "",
            province=a.provinces.most_common(1)[0][0],
            lat=round(sum(a.lats) / len(a.lats), 6),
            lon=round(sum(a.lons) / len(a.lons), 6),
        )
    return result


def text_line_of(data: bytes, offset: int) -> int:
    """1-based line number of byte ``offset`` in ``data``."""
    return data.count(b"\n", 0, offset) + 1


class Command(BaseCommand):
    help = (
        "Vervangt de ingebouwde postcodecoördinaten door de exacte GeoNames-gegevens "
        "(NL.txt of een CSV met kopregel pc4,place,province,lat,lon). Alles of niets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="GeoNames-bestand (NL.txt/CSV)")
        parser.add_argument(
            "--builtin",
            action="store_true",
            help="Herlaad de ingebouwde tabel: ververst rijen met bron 'builtin' en voegt "
            "ontbrekende postcodes toe; GeoNames-rijen blijven staan.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Alleen controleren, niets opslaan."
        )

    def handle(self, *args, **options) -> None:
        path: Path | None = options["file"]
        if options["builtin"]:
            if path is not None:
                raise CommandError(gettext("Geef óf een bestand óf --builtin, niet allebei."))
            self._load_builtin(options["dry_run"])
            return
        if path is None:
            raise CommandError(gettext("Geef het GeoNames-bestand op (of --builtin)."))
        if not path.is_file():
            raise CommandError(gettext("Bestand %(file)s bestaat niet.") % {"file": path})
        try:
            places = parse_postcode_file(path)
        except PostcodeFileError as exc:
            raise CommandError(
                gettext("%(file)s, regel %(line)d: %(error)s")
                % {"file": path.name, "line": exc.line, "error": exc}
            ) from None
        replaced, added = self._write(places, Postcode.Source.GEONAMES, options["dry_run"])
        kept = Postcode.objects.filter(source=Postcode.Source.BUILTIN).count()
        prefix = gettext("Controle zonder opslaan: ") if options["dry_run"] else ""
        self.stdout.write(
            self.style.SUCCESS(
                prefix
                + gettext(
                    "%(total)d postcodes uit %(file)s geladen: %(replaced)d vervangen, "
                    "%(added)d toegevoegd; %(kept)d postcodes houden de ingebouwde waarden."
                )
                % {
                    "total": len(places),
                    "file": path.name,
                    "replaced": replaced,
                    "added": added,
                    "kept": kept,
                }
            )
        )

    def _load_builtin(self, dry_run: bool) -> None:
        from places.builtin import read_builtin

        geonames = set(
            Postcode.objects.filter(source=Postcode.Source.GEONAMES).values_list("pc4", flat=True)
        )
        places = {
            row["pc4"]: Place(
                pc4=row["pc4"],
                place=row["place"],
                municipality=row["municipality"],
                province=row["province"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
            )
            for row in read_builtin()
            if row["pc4"] not in geonames
        }
        replaced, added = self._write(places, Postcode.Source.BUILTIN, dry_run)
        self.stdout.write(
            self.style.SUCCESS(
                gettext(
                    "Ingebouwde tabel: %(replaced)d postcodes ververst, %(added)d toegevoegd; "
                    "%(kept)d GeoNames-postcodes ongemoeid gelaten."
                )
                % {"replaced": replaced, "added": added, "kept": len(geonames)}
            )
        )

    def _write(self, places: dict[str, Place], source: str, dry_run: bool) -> tuple[int, int]:
        """Upsert ``places`` in one transaction; returns (replaced, added)."""
        with transaction.atomic():
            existing = set(Postcode.objects.values_list("pc4", flat=True))
            rows = [
                Postcode(
                    pc4=pc4,
                    place=place.place,
                    municipality=place.municipality,
                    province=place.province,
                    lat=place.lat,
                    lon=place.lon,
                    source=source,
                )
                for pc4, place in places.items()
            ]
            if not dry_run:
                # An upsert (INSERT ... ON CONFLICT DO UPDATE) rather than delete + create,
                # which would cascade to rows in other tables that point at a postcode, and
                # rather than bulk_update, whose CASE WHEN statements take seconds here.
                Postcode.objects.bulk_create(
                    rows,
                    update_conflicts=True,
                    unique_fields=["pc4"],
                    update_fields=list(_FIELDS),
                    batch_size=500,
                )
            # Bulk operations send no signals, so drop the cache explicitly: now for this
            # connection, and again after commit in case another thread re-cached the old
            # committed state in between.
            invalidate_cache()
            transaction.on_commit(invalidate_cache)
        replaced = sum(1 for pc4 in places if pc4 in existing)
        return replaced, len(places) - replaced
