"""manage.py load_postcodes: GeoNames export replaces built-in values, all or nothing."""

from __future__ import annotations

import csv
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from places.geo import canonical_province
from places.geocoding import lookup
from places.models import Postcode

pytestmark = pytest.mark.django_db

GN_ROWS = [
    # country, pc4, place, province, province code, municipality, municipality code, -, -, lat, lon
    "NL\t1012\tAmsterdam\tNoord-Holland\t07\tAmsterdam\t0363\t\t\t52.3735\t4.8951",
    "NL\t9298\tTriemen\tFriesland\t02\tKollumerland\t0059\t\t\t53.3000\t6.1000",
    "NL\t9298\tKollumerzwaag\tFriesland\t02\tKollumerland\t0059\t\t\t53.2800\t6.0800",
    "NL\t9298\tKollumerzwaag\tFriesland\t02\tKollumerland\t0059\t\t\t53.2900\t6.0900",
    "NL\t1000\tAmsterdam\tNoord-Holland\t07\tAmsterdam\t0363\t\t\t52.3700\t4.9000",
]


def _run(*args) -> str:
    out = StringIO()
    call_command("load_postcodes", *map(str, args), stdout=out)
    return out.getvalue()


def _snapshot():
    return list(Postcode.objects.order_by("pc4").values_list())


def test_small_geonames_file_replaces_and_adds(tmp_path):
    path = tmp_path / "NL.txt"
    path.write_text("\n".join(GN_ROWS) + "\n", encoding="utf-8")
    before = Postcode.objects.count()
    out = _run(path)
    assert "3 postcodes" in out and "2 vervangen" in out and "1 toegevoegd" in out
    assert Postcode.objects.count() == before + 1
    ams = Postcode.objects.get(pk="1012")
    assert (ams.source, ams.municipality, ams.lat, ams.lon) == (
        "geonames",
        "Amsterdam",
        52.3735,
        4.8951,
    )
    # several rows: mean coordinates, most common place, canonical province
    multi = Postcode.objects.get(pk="9298")
    assert multi.place == "Kollumerzwaag"
    assert multi.province == "Fryslân"
    assert multi.lat == pytest.approx(53.29)
    assert multi.lon == pytest.approx(6.09)
    # rows not in the file keep the built-in values
    assert Postcode.objects.get(pk="3011").source == "builtin"
    # the geocoder sees the new values at once
    assert lookup("1000 AA").place == "Amsterdam"


def test_a_geonames_file_gets_todays_municipalities_and_loses_its_stray_rows(tmp_path):
    path = tmp_path / "NL.txt"
    rows = [
        "NL\t4251\tWerkendam\tNoord-Brabant\t06\tWerkendam\t0870\t\t\t51.8100\t4.8900",
        "NL\t5076\tHaaren\tNoord-Brabant\t06\tHaaren\t0788\t\t\t51.6000\t5.2200",
        "NL\t4141\tLeerdam\tZuid-Holland\t11\tLeerdam\t0545\t\t\t51.8900\t5.0900",
        "NL\t5591\tBaarlo\tLimburg\t05\tPeel en Maas\t1894\t\t\t51.3319\t6.0817",
        "NL\t5591\tHeeze\tNoord-Brabant\t06\tHeeze-Leende\t1658\t\t\t51.3816\t5.5722",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _run(path)
    got = {p.pc4: p for p in Postcode.objects.filter(pc4__in=["4251", "5076", "4141", "5591"])}
    assert got["4251"].municipality == "Altena"
    assert got["5076"].municipality == "Oisterwijk"
    assert (got["4141"].municipality, got["4141"].province) == ("Vijfheerenlanden", "Utrecht")
    heeze = got["5591"]
    assert (heeze.place, heeze.municipality, heeze.province) == (
        "Heeze",
        "Heeze-Leende",
        "Noord-Brabant",
    )
    assert (heeze.lat, heeze.lon) == (51.3816, 5.5722)


def test_dry_run_changes_nothing(tmp_path):
    path = tmp_path / "NL.txt"
    path.write_text("\n".join(GN_ROWS), encoding="utf-8")
    before = _snapshot()
    out = _run(path, "--dry-run")
    assert "Controle zonder opslaan" in out
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "NL\t1012\tAmsterdam\tNoord-Holland\t07\tAmsterdam\t0363\t\t\tabc\t4.89",
            "breedtegraad ‘abc’ is geen getal",
        ),
        (
            "NL\t12AB\tAmsterdam\tNoord-Holland\t07\tAmsterdam\t0363\t\t\t52.3\t4.89",
            "‘12AB’ is geen geldige Nederlandse postcode",
        ),
        (
            "BE\t1012\tBrussel\tBrussel\tBRU\tBrussel\t21004\t\t\t50.8\t4.35",
            "landcode ‘BE’ is niet NL",
        ),
        (
            "NL\t1012\tAmsterdam\tAtlantis\t99\tAmsterdam\t0363\t\t\t52.3\t4.89",
            "onbekende provincie ‘Atlantis’",
        ),
        (
            "NL\t1012\tAmsterdam\tNoord-Holland\t07\tAmsterdam\t0363\t\t\t48.85\t2.35",
            "liggen niet in Nederland",
        ),
        ("NL\t1012\t\tNoord-Holland\t07\tAmsterdam\t0363\t\t\t52.3\t4.89", "plaatsnaam ontbreekt"),
        ("NL,1012,Amsterdam,Noord-Holland,07,Amsterdam,0363,,,52.3,4.89", "verwacht 11 kolommen"),
    ],
)
def test_broken_file_names_the_line_and_changes_nothing(tmp_path, line, message):
    path = tmp_path / "NL.txt"
    path.write_text("\n".join([GN_ROWS[0], GN_ROWS[1], line, GN_ROWS[2]]) + "\n", encoding="utf-8")
    before = _snapshot()
    with pytest.raises(CommandError) as exc:
        _run(path)
    assert "NL.txt, regel 3:" in str(exc.value)
    assert message in str(exc.value)
    assert _snapshot() == before


def test_csv_with_missing_column_and_empty_file(tmp_path):
    bad = tmp_path / "pc4.csv"
    bad.write_text("pc4,place,lat,lon\n1012,Amsterdam,52.3,4.9\n", encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"regel 1: kolom\(men\) ontbreken in de kopregel: province"
    ):
        _run(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(CommandError, match="bevat geen postcodes"):
        _run(empty)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(
        (
            "\n".join(GN_ROWS[:2])
            + "\nNL\t1013\tZ\u00fcrich\tNoord-Holland\t07\tA\t1\t\t\t52.3\t4.9\n"
        ).encode("latin-1")
    )
    with pytest.raises(CommandError, match="regel 3: het bestand is geen UTF-8-tekst"):
        _run(latin)
    with pytest.raises(CommandError, match="bestaat niet"):
        _run(tmp_path / "missing.txt")


def test_builtin_option_restores_only_builtin_rows(tmp_path):
    path = tmp_path / "NL.txt"
    path.write_text("\n".join(GN_ROWS), encoding="utf-8")
    _run(path)
    Postcode.objects.filter(pk="3011").update(lat=52.0)
    out = _run("--builtin")
    assert "GeoNames-postcodes ongemoeid" in out
    assert Postcode.objects.get(pk="3011").lat != 52.0
    assert Postcode.objects.get(pk="1012").source == "geonames"


def _expected(path):
    """Mean coordinates per PC4 from the shared CSV, computed independently (without the
    rows GeoNames filed under a wrong PC4, ``places.build_geonames.STRAYS``)."""
    from places.build_geonames import STRAYS

    acc = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if STRAYS.get(row["pc4"]) != row["place"]:
                acc[row["pc4"]].append(row)
    return acc


@pytest.mark.parametrize("name", ["geonames_NL_postalcodes.txt", "pc4_geonames.csv"])
def test_real_geonames_export(shared_file, name):
    path = shared_file(name)
    expected = _expected(shared_file("pc4_geonames.csv"))
    builtin_codes = set(Postcode.objects.values_list("pc4", flat=True))
    added = len(set(expected) - builtin_codes)
    out = _run(path)
    assert f"{len(expected)} postcodes uit {name} geladen" in out
    assert f"{len(expected) - added} vervangen, {added} toegevoegd" in out
    assert Postcode.objects.count() == len(builtin_codes) + added
    assert Postcode.objects.filter(source="geonames").count() == len(expected)
    # built-in codes that the export lacks keep their values
    assert Postcode.objects.filter(source="builtin").count() == len(builtin_codes - set(expected))
    stored = Postcode.objects.in_bulk()
    for pc4, rows in expected.items():
        if len(rows) > 1 or pc4 in ("1012", "9401", "6211"):
            row = stored[pc4]
            assert row.lat == pytest.approx(
                sum(float(r["lat"]) for r in rows) / len(rows), abs=1e-6
            )
            assert row.lon == pytest.approx(
                sum(float(r["lon"]) for r in rows) / len(rows), abs=1e-6
            )
            assert row.province == canonical_province(rows[0]["province"]) or (
                row.municipality == "Vijfheerenlanden" and row.province == "Utrecht"
            )
            assert row.place in {r["place"] for r in rows}
    assert Postcode.objects.get(pk="1012").municipality == "Amsterdam"
    # Today's municipalities and the official holiday regions, exactly as the shipped table.
    from places.builtin import builtin_places
    from places.holidays import region_for

    shipped = builtin_places()
    for pc4, row in stored.items():
        if pc4 in expected:
            place = shipped[pc4]
            assert (row.municipality, row.province) == (place.municipality, place.province)
            assert region_for(row.province, row.municipality, pc4) == region_for(
                place.province, place.municipality, pc4
            )
    assert stored["4251"].municipality == "Altena"  # Werkendam in the 2017 export
    # a second load is idempotent
    before = _snapshot()
    assert f"{len(expected)} vervangen, 0 toegevoegd" in _run(path)
    assert _snapshot() == before


def test_real_export_with_one_broken_line_changes_nothing(shared_file, tmp_path):
    lines = shared_file("geonames_NL_postalcodes.txt").read_text(encoding="utf-8").splitlines()
    cols = lines[2000].split("\t")
    cols[9] = "noord"
    lines[2000] = "\t".join(cols)
    broken = tmp_path / "NL.txt"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = _snapshot()
    with pytest.raises(CommandError, match="regel 2001: breedtegraad ‘noord’ is geen getal"):
        _run(broken)
    assert _snapshot() == before
