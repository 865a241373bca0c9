"""School holidays as data: three regions, three school years, sources named."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mentoring.meetings import holidays


def test_holiday_data_covers_three_school_years_for_every_region():
    assert holidays.school_years()[:3] == ["2025-2026", "2026-2027", "2027-2028"]
    for year in ("2025-2026", "2026-2027", "2027-2028"):
        rows = [x for x in holidays.all_holidays() if x.school_year == year]
        for region in holidays.REGIONS:
            names = {x.name for x in rows if x.region == region}
            assert names == {
                "Herfstvakantie",
                "Kerstvakantie",
                "Voorjaarsvakantie",
                "Meivakantie",
                "Zomervakantie",
            }
        assert all("Rijksoverheid" in x.source for x in rows)


def test_holiday_on_knows_regional_differences():
    # Voorjaarsvakantie 2026: noord 21 Feb - 1 Mar, midden and zuid 14 - 22 Feb.
    assert holidays.holiday_on(dt.date(2026, 2, 16), "midden").name == "Voorjaarsvakantie"
    assert holidays.holiday_on(dt.date(2026, 2, 16), "noord") is None
    assert holidays.holiday_on(dt.date(2026, 2, 26), "noord").name == "Voorjaarsvakantie"
    assert holidays.holiday_on(dt.date(2026, 12, 21), "zuid").name == "Kerstvakantie"
    assert holidays.holiday_on(dt.date(2026, 12, 18), "zuid") is None


def test_region_for_uses_municipality_before_province():
    assert holidays.region_for("Utrecht") == "midden"
    assert holidays.region_for("Noord-Holland") == "noord"
    assert holidays.region_for("Limburg") == "zuid"
    assert holidays.region_for("Gelderland", "Nijmegen") == "zuid"
    assert holidays.region_for("Gelderland", "Arnhem") == "zuid"  # official: Arnhem is zuid
    assert holidays.region_for("") is None


def test_adding_a_school_year_is_a_data_change(tmp_path):
    (tmp_path / "holidays").mkdir()
    (tmp_path / "holiday_regions.json").write_text(
        (holidays.DATA_DIR / "holiday_regions.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "holidays" / "2030-2031.json").write_text(
        json.dumps(
            {
                "source": "Rijksoverheid",
                "school_year": "2030-2031",
                "holidays": [
                    {
                        "name": "Kerstvakantie",
                        "region": "noord",
                        "start": "2030-12-21",
                        "end": "2031-01-05",
                    }
                ],
            }
        )
    )
    assert holidays.school_years(tmp_path) == ["2030-2031"]
    assert holidays.holiday_on(dt.date(2031, 1, 2), "noord", tmp_path).name == "Kerstvakantie"
    assert holidays.covered(dt.date(2031, 3, 1), tmp_path)
    assert not holidays.covered(dt.date(2032, 3, 1), tmp_path)


def test_a_malformed_file_is_refused_not_skipped(tmp_path):
    (tmp_path / "holidays").mkdir()
    (tmp_path / "holidays" / "2030-2031.json").write_text(
        json.dumps(
            {
                "source": "x",
                "holidays": [
                    {"name": "X", "region": "oost", "start": "2030-12-21", "end": "2031-01-05"}
                ],
            }
        )
    )
    with pytest.raises(holidays.HolidayDataError, match="oost"):
        holidays.all_holidays(tmp_path)


# The official mei- and zomervakantie per region (Rijksoverheid, 'Schoolvakanties
# per schooljaar'; Regeling vaststelling schoolvakanties), first and last day off.
OFFICIAL_MEI_ZOMER = [
    ("2025-2026", "Meivakantie", "noord", "2026-04-25", "2026-05-03"),
    ("2025-2026", "Meivakantie", "midden", "2026-04-25", "2026-05-03"),
    ("2025-2026", "Meivakantie", "zuid", "2026-04-25", "2026-05-03"),
    ("2025-2026", "Zomervakantie", "noord", "2026-07-04", "2026-08-16"),
    ("2025-2026", "Zomervakantie", "midden", "2026-07-18", "2026-08-30"),
    ("2025-2026", "Zomervakantie", "zuid", "2026-07-11", "2026-08-23"),
    ("2026-2027", "Meivakantie", "noord", "2027-04-24", "2027-05-02"),
    ("2026-2027", "Meivakantie", "midden", "2027-04-24", "2027-05-02"),
    ("2026-2027", "Meivakantie", "zuid", "2027-04-24", "2027-05-02"),
    ("2026-2027", "Zomervakantie", "noord", "2027-07-10", "2027-08-22"),
    ("2026-2027", "Zomervakantie", "midden", "2027-07-03", "2027-08-15"),
    ("2026-2027", "Zomervakantie", "zuid", "2027-07-17", "2027-08-29"),
]


@pytest.mark.parametrize(("year", "name", "region", "start", "end"), OFFICIAL_MEI_ZOMER)
def test_mei_and_zomer_dates_are_the_official_ones(year, name, region, start, end):
    (row,) = [
        x
        for x in holidays.all_holidays()
        if x.school_year == year and x.name == name and x.region == region
    ]
    assert (row.start.isoformat(), row.end.isoformat()) == (start, end)
    # The first and last day are holidays, the days either side are not.
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    assert holidays.holiday_on(first, region).name == name
    assert holidays.holiday_on(last, region).name == name
    assert holidays.holiday_on(last + dt.timedelta(days=1), region) is None


def test_a_zuid_school_is_in_class_in_the_first_half_of_july_2027():
    # A zuid school's own calendar gives the summer of 2027 as 17 July - 29 August.
    assert holidays.holiday_on(dt.date(2027, 7, 5), "zuid") is None
    assert holidays.holiday_on(dt.date(2027, 7, 19), "zuid").name == "Zomervakantie"


def test_midden_and_zuid_summers_2027_are_not_swapped():
    # Official: midden 3 July - 15 August 2027, zuid 17 July - 29 August 2027.
    assert holidays.holiday_on(dt.date(2027, 7, 5), "midden").name == "Zomervakantie"
    assert holidays.holiday_on(dt.date(2027, 8, 16), "midden") is None
    assert holidays.holiday_on(dt.date(2027, 8, 16), "zuid").name == "Zomervakantie"
