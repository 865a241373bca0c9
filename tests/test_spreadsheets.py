"""Exports that open in Dutch Excel: read the files back as a spreadsheet would."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mentoring import spreadsheets
from tests import factories as f
from tests.matching.matching_helpers import make_round, solve


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def dutch_number(cell: str) -> float:
    """How Excel with Dutch settings reads a cell: comma decimal, no point allowed."""
    assert "." not in cell, cell
    return float(cell.replace(",", "."))


def test_csv_writes_decimal_commas_dates_and_neutralised_formulas():
    when = dt.datetime(2026, 12, 1, 14, 30, tzinfo=dt.UTC)
    content = spreadsheets.csv_bytes(
        ["Naam", "Kosten", "Precies", "Aantal", "Datum", "Tijd", "Leeg"],
        [["Café =x", 12.3, Decimal("12.310"), 7, dt.date(2026, 11, 5), when, None]],
    )
    header, row = read_csv(content)
    assert header[0] == "Naam" and row[0] == "Café =x"
    assert row[1:4] == ["12,3", "12,31", "7"]
    assert dutch_number(row[1]) == 12.3 and dutch_number(row[2]) == 12.31
    assert row[4] == "05-11-2026" and row[5] == "01-12-2026 15:30"  # Amsterdam time
    assert row[6] == ""
    [[formula]] = read_csv(spreadsheets.csv_bytes(["x"], [["=SOM(A1)"]]))[1:]
    assert formula == "'=SOM(A1)"


@pytest.mark.parametrize("value,text", [(1e-7, "0,0000001"), (-2.5, "-2,5"), (3.0, "3")])
def test_csv_numbers_stay_numbers(value, text):
    [_h, [cell]] = read_csv(spreadsheets.csv_bytes(["x"], [[value]]))
    assert cell == text


def test_xlsx_keeps_cells_typed():
    when = dt.datetime(2026, 12, 1, 14, 30, tzinfo=dt.UTC)
    content = spreadsheets.xlsx_bytes(
        {
            "Tabel": (
                ["Naam", "Kosten", "Aantal", "Datum", "Tijd"],
                [["=x", 12.31, 7, dt.date(2026, 11, 5), when]],
            )
        }
    )
    sheet = load_workbook(io.BytesIO(content))["Tabel"]
    name, cost, count, day, moment = (c.value for c in sheet[2])
    assert name == "'=x"
    assert isinstance(cost, float) and cost == 12.31
    assert isinstance(count, int) and count == 7
    assert day.date() == dt.date(2026, 11, 5)
    assert moment == dt.datetime(2026, 12, 1, 15, 30)  # Amsterdam wall-clock time
    assert sheet["A1"].font.bold


def test_matching_export_reads_back_as_dutch_numbers(program, staff, client_for):
    for city in ("utrecht", "rotterdam"):
        f.make_mentor(program, city=city)
        f.make_schoolleider(program, city=city)
    rnd = make_round(program, staff)
    solution = solve(rnd, staff)
    client = client_for(staff)
    response = client.get(reverse("matching:round_export", args=[program.pk, rnd.pk, "csv"]))
    header, *rows = read_csv(response.content)
    total = header.index("Totaal")
    assert len(rows) == solution.matched
    for row in rows:
        dutch_number(row[total])  # a number, written with a comma
    assert any("," in row[total] for row in rows) or all(
        float(row[total].replace(",", ".")).is_integer() for row in rows
    )
    response = client.get(reverse("matching:round_export", args=[program.pk, rnd.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    column = [c.value for c in sheet[1]].index("Totaal")
    assert all(isinstance(r[column].value, int | float) for r in sheet.iter_rows(min_row=2))


def test_report_export_reads_back(program, staff, client_for):
    from tests.factories import make_pair

    make_pair(program)
    client = client_for(staff)
    response = client.get(f"/programma/{program.pk}/staf/rapport/export.csv?tabel=koppels")
    header, *rows = read_csv(response.content)
    assert len(rows) == 1 and len(rows[0]) == len(header)
    response = client.get(f"/programma/{program.pk}/staf/rapport/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["koppels"]
    held = [c.value for c in sheet[1]].index(header[6])
    assert isinstance(sheet.cell(row=2, column=held + 1).value, int)


def test_csv_of_an_amsterdam_time_in_summer():
    summer = dt.datetime(2027, 6, 1, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    [_h, [cell]] = read_csv(spreadsheets.csv_bytes(["t"], [[summer]]))
    assert cell == "01-06-2027 10:00"
