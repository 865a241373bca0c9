"""Dutch school holidays per region (noord, midden, zuid), loaded from data files.

Pure module: no Django. The official dates live in ``data/holidays/<school year>.json``
(one file per school year, source named inside), the region of each province and the
municipalities that differ from their province in ``data/holiday_regions.json``. Adding a
school year is dropping in one more JSON file; no code changes.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS = ("noord", "midden", "zuid")


@dataclass(frozen=True)
class Holiday:
    name: str
    region: str
    start: dt.date  # first day off
    end: dt.date  # last day off (inclusive)
    school_year: str
    source: str

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class HolidayDataError(ValueError):
    """A holiday data file is malformed; raised at load time, never silently skipped."""


def _parse_file(path: Path) -> list[Holiday]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    school_year = raw.get("school_year") or path.stem
    source = raw.get("source", "")
    if not source:
        raise HolidayDataError(f"{path.name}: the source of the dates must be named")
    result = []
    for item in raw.get("holidays", []):
        region = item.get("region")
        if region not in REGIONS:
            raise HolidayDataError(f"{path.name}: unknown region {region!r}")
        start, end = dt.date.fromisoformat(item["start"]), dt.date.fromisoformat(item["end"])
        if end < start:
            raise HolidayDataError(f"{path.name}: {item['name']} ends before it starts")
        result.append(Holiday(item["name"], region, start, end, school_year, source))
    return result


@functools.cache
def all_holidays(data_dir: Path = DATA_DIR) -> tuple[Holiday, ...]:
    """Every holiday in every school-year file, sorted by start date."""
    holidays: list[Holiday] = []
    for path in sorted((data_dir / "holidays").glob("*.json")):
        holidays.extend(_parse_file(path))
    return tuple(sorted(holidays, key=lambda h: (h.start, h.region)))


def school_years(data_dir: Path = DATA_DIR) -> list[str]:
    """The school years for which holiday dates are shipped."""
    return sorted({h.school_year for h in all_holidays(data_dir)})


def covered(day: dt.date, data_dir: Path = DATA_DIR) -> bool:
    """Whether ``day`` falls in a school year we have holiday data for."""
    for year in school_years(data_dir):
        start = int(year[:4])
        if dt.date(start, 8, 1) <= day <= dt.date(start + 1, 7, 31):
            return True
    return False


def holiday_on(day: dt.date, region: str, data_dir: Path = DATA_DIR) -> Holiday | None:
    """The school holiday of ``region`` that ``day`` falls in, or None."""
    for holiday in all_holidays(data_dir):
        if holiday.region == region and holiday.covers(day):
            return holiday
        if holiday.start > day:
            # Sorted by start: nothing later can cover ``day``.
            break
    return None


@functools.cache
def _region_table(
    data_dir: Path = DATA_DIR,
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    raw = json.loads((data_dir / "holiday_regions.json").read_text(encoding="utf-8"))
    provinces = {k.strip().lower(): v for k, v in raw["provinces"].items()}
    municipalities = {k.strip().lower(): v for k, v in raw["municipalities"].items()}
    by_pc4 = {k.strip(): v for k, v in raw.get("pc4", {}).items()}
    for value in (*provinces.values(), *municipalities.values(), *by_pc4.values()):
        if value not in REGIONS:
            raise HolidayDataError(f"holiday_regions.json: unknown region {value!r}")
    return provinces, municipalities, by_pc4


def region_for(
    province: str, municipality: str = "", pc4: str = "", data_dir: Path = DATA_DIR
) -> str | None:
    """The holiday region of a school: from its PC4 (villages of split municipalities), its
    municipality (if listed) or its province."""
    provinces, municipalities, by_pc4 = _region_table(data_dir)
    if pc4 and pc4.strip()[:4] in by_pc4:
        return by_pc4[pc4.strip()[:4]]
    if municipality and municipality.strip().lower() in municipalities:
        return municipalities[municipality.strip().lower()]
    return provinces.get((province or "").strip().lower())
