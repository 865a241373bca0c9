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
