"""Rebuild ``places/data/pc4_builtin.csv`` with GeoNames' own position, province and
municipality for every PC4 it lists.

Run::

    python -m places.build_geonames NL.txt

``NL.txt`` is GeoNames' postal-code export for the Netherlands (tab-separated, no header:
country, PC4, place, province, province code, municipality, municipality code, -, -, lat,
lon), from https://download.geonames.org/export/zip/NL.zip. Licence: CC BY 4.0 — contains data
from GeoNames (geonames.org).

Per PC4 (GeoNames may list one row per place): the position is the mean of its rows, the
province and the municipality are those of most rows (ties: the first row), the place is the
first row's. GeoNames' municipality names date from before the mergers of 2018-2023; they are
renamed to today's municipality with ``MERGED`` (source: CBS, "Gemeentelijke indeling" and
its list of municipal reorganisations 2018-2023; Haaren, split in 2021, by PC4 with
``SPLIT``). PC4s that GeoNames does not list keep the row
the package-based builder (``places.build_builtin``) gave them, without a municipality.
Deterministic: the same export always gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import Counter, defaultdict
from pathlib import Path

from places.builtin import BUILTIN_CSV as DATA_PATH
from places.builtin import COLUMNS

#: Former municipality (as GeoNames names it) -> the municipality it is part of today
#: (CBS, municipal reorganisations 1 January 2018 - 1 January 2023).
MERGED = {
    # 2018
    "Leeuwarderadeel": "Leeuwarden",
    "Franekeradeel": "Waadhoeke",
    "het Bildt": "Waadhoeke",
    "Het Bildt": "Waadhoeke",
    "Menameradiel": "Waadhoeke",
    "Littenseradiel": "Leeuwarden",
    "Hoogezand-Sappemeer": "Midden-Groningen",
    "Menterwolde": "Midden-Groningen",
    "Slochteren": "Midden-Groningen",
    "Bellingwedde": "Westerwolde",
    "Vlagtwedde": "Westerwolde",
    "Rijnwaarden": "Zevenaar",
    # 2019
    "Haren": "Groningen",
    "Ten Boer": "Groningen",
    "Bedum": "Het Hogeland",
    "De Marne": "Het Hogeland",
    "Eemsmond": "Het Hogeland",
    "Winsum": "Het Hogeland",
    "Grootegast": "Westerkwartier",
    "Leek": "Westerkwartier",
    "Marum": "Westerkwartier",
    "Zuidhorn": "Westerkwartier",
    "Dongeradeel": "Noardeast-Fryslân",
    "Ferwerderadiel": "Noardeast-Fryslân",
    "Kollumerland en Nieuwkruisland": "Noardeast-Fryslân",
    "Giessenlanden": "Molenlanden",
    "Molenwaard": "Molenlanden",
    "Binnenmaas": "Hoeksche Waard",
    "Cromstrijen": "Hoeksche Waard",
    "Korendijk": "Hoeksche Waard",
    "Oud-Beijerland": "Hoeksche Waard",
    "Strijen": "Hoeksche Waard",
    "Aalburg": "Altena",
    "Werkendam": "Altena",
    "Woudrichem": "Altena",
    "Nuth": "Beekdaelen",
    "Onderbanken": "Beekdaelen",
    "Schinnen": "Beekdaelen",
    "Geldermalsen": "West Betuwe",
    "Lingewaal": "West Betuwe",
    "Neerijnen": "West Betuwe",
    "Leerdam": "Vijfheerenlanden",
    "Zederik": "Vijfheerenlanden",
    "Vianen": "Vijfheerenlanden",
    "Haarlemmerliede en Spaarnwoude": "Haarlemmermeer",
    "Noordwijkerhout": "Noordwijk",
    # 2021
    "Appingedam": "Eemsdelta",
    "Delfzijl": "Eemsdelta",
    "Loppersum": "Eemsdelta",
    # 2022
    "Boxmeer": "Land van Cuijk",
    "Cuijk": "Land van Cuijk",
    "Grave": "Land van Cuijk",
    "Mill en Sint Hubert": "Land van Cuijk",
    "Sint Anthonis": "Land van Cuijk",
    "Landerd": "Maashorst",
    "Uden": "Maashorst",
    "Heerhugowaard": "Dijk en Waard",
    "Langedijk": "Dijk en Waard",
    "Beemster": "Purmerend",
    "Weesp": "Amsterdam",
    # 2023
    "Brielle": "Voorne aan Zee",
    "Hellevoetsluis": "Voorne aan Zee",
    "Westvoorne": "Voorne aan Zee",
}
#: Municipalities that were split rather than merged, by PC4 (CBS: Haaren was divided on
#: 1 January 2021 between Boxtel, Oisterwijk, Tilburg and Vught).
SPLIT = {
    "5074": "Tilburg",  # Biezenmortel
    "5076": "Oisterwijk",  # Haaren
    "5268": "Vught",  # Helvoirt
    "5296": "Vught",  # Esch
}
#: Municipalities that moved province with their merger (Vijfheerenlanden joined Utrecht).
PROVINCE_OF = {"Vijfheerenlanden": "Utrecht"}
#: GeoNames' province names -> the names used everywhere else in the product.
PROVINCE_NAME = {"Friesland": "Fryslân"}


def read_export(path: Path) -> dict[str, dict[str, str]]:
    """``{pc4: row}`` aggregated from a GeoNames NL postal-code export."""
    rows: dict[str, list[list[str]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for fields in csv.reader(fh, delimiter="\t"):
            if len(fields) < 11 or fields[0] != "NL" or not fields[1][:4].isdigit():
                continue
            rows[fields[1][:4]].append(fields)
    out: dict[str, dict[str, str]] = {}
    for pc4, group in sorted(_without_strays(rows).items()):
        municipality = SPLIT.get(pc4) or _most_common([MERGED.get(g[5], g[5]) for g in group])
        province = _most_common([g[3] for g in group])
        province = PROVINCE_OF.get(municipality, PROVINCE_NAME.get(province, province))
        lat = sum(float(g[9]) for g in group) / len(group)
        lon = sum(float(g[10]) for g in group) / len(group)
        out[pc4] = {
            "pc4": pc4,
            "place": group[0][2],
            "municipality": municipality,
            "province": province,
            "lat": f"{lat:.5f}",
            "lon": f"{lon:.5f}",
            "method": "geonames",
        }
    return out


#: GeoNames rows filed under a wrong PC4 beside the PC4's own place, in another municipality,
#: and listed by the same export under their real PC4 too (in brackets): dropped, so that the
#: PC4 gets its own place's position, municipality and province. Without this 2163 (Lisse,
#: midden) took Zwaanshoek's Haarlemmermeer (noord), 2451 Leimuiden (midden) De Kwakel's
#: Uithoorn (noord), 3744 Baarn (midden) Laren (noord), and 5591 Heeze was put in Limburg.
STRAYS = {
    "2163": "Zwaanshoek",  # (2136) beside Lisse
    "2451": "De Kwakel",  # (1424) beside Leimuiden
    "3744": "Laren",  # (1251, 1252) beside Baarn
    "2811": "Moordrecht",  # (2841) beside Reeuwijk
    "3181": "Numansdorp",  # (3281) beside Rozenburg
    "5563": "Geldrop",  # (5663) beside Westerhoven
    "5591": "Baarlo",  # (5991) beside Heeze
    "6961": "Rozendaal",  # (6891) beside Eerbeek
    "7881": "Dwingeloo",  # (7991) beside Emmer-Compascuum and Nieuw-Weerdinge
    "8461": "Epe",  # (8161) beside Rottum
    "8842": "Heerenveen",  # (8442) beside Wjelsryp
}


def _without_strays(rows: dict[str, list[list[str]]]) -> dict[str, list[list[str]]]:
    return {
        pc4: [g for g in group if STRAYS.get(pc4) != g[2]] or group for pc4, group in rows.items()
    }


def _most_common(values: list[str]) -> str:
    counts = Counter(values)
    best = max(counts.values())
    return next(v for v in values if counts[v] == best)


def rebuild(export: Path, target: Path = DATA_PATH) -> tuple[int, int]:
    """Write the merged table; returns (rows from GeoNames, rows kept from before)."""
    text, from_geonames, kept = overlay(target.read_text(encoding="utf-8"), export)
    target.write_text(text, encoding="utf-8", newline="")
    return from_geonames, kept


def overlay(table: str, export: Path) -> tuple[str, int, int]:
    """``table`` (CSV text in the shipped format) with every PC4 of the GeoNames ``export``
    replaced or added: (the new text, rows from GeoNames, rows kept from ``table``)."""
    geonames = read_export(export)
    before = {row["pc4"]: row for row in csv.DictReader(io.StringIO(table))}
    merged = {**before, **geonames}
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for pc4 in sorted(merged):
        writer.writerow({k: merged[pc4][k] for k in COLUMNS})
    return buf.getvalue(), len(geonames), len(set(before) - set(geonames))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path, help="GeoNames NL.txt (postal codes)")
    parser.add_argument("--target", type=Path, default=DATA_PATH)
    args = parser.parse_args(argv)
    from_geonames, kept = rebuild(args.export, args.target)
    print(f"{from_geonames} PC4s from GeoNames, {kept} kept from the package-based table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
