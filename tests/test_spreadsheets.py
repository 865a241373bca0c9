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


def test_xlsx_parts_are_well_formed_xml_with_the_content_types_excel_needs():
    import zipfile
    from xml.etree import ElementTree

    content = spreadsheets.xlsx_bytes({"Een": (["a"], [[1]]), "Twee": (["b"], [])})
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/styles.xml"} <= names
        assert {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} <= names
        for name in names:
            ElementTree.fromstring(archive.read(name))  # noqa: S314 - our own output; raises if malformed
        types = archive.read("[Content_Types].xml").decode()
    assert "spreadsheetml.sheet.main+xml" in types and types.count("worksheet+xml") == 2


def test_xlsx_text_is_escaped_kept_and_typed_as_excel_reads_it():
    content = spreadsheets.xlsx_bytes(
        {
            "Koppels: [x]": (
                ["Naam", "Postcode", "Ja", "Precies", "Leeg", "Niet eindig"],
                [
                    [" Café & <b> ", "0123", True, Decimal("3.10"), None, float("nan")],
                    ["tab\tbel\x07", 1234, False, Decimal("1E+2"), "", Decimal("NaN")],
                ],
            ),
            "koppels: [x]": (["y"], [["z"]]),
        },
        text_columns=(1,),
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Koppels   x ", "koppels   x  2"]  # Excel's forbidden [ ] :
    sheet = book.worksheets[0]
    first, second = ([c.value for c in row] for row in sheet.iter_rows(min_row=2))
    assert first[:4] == [" Café & <b> ", "0123", True, 3.1]  # spaces, markup and zero kept
    assert first[4] is None and first[5] == "nan"
    assert second[:4] == ["tab\tbel", 1234, False, 100]  # a control character is dropped
    assert second[5] == "NaN"
    assert sheet["B2"].number_format == "@" and sheet["B3"].number_format == "@"
    assert [c.font.bold for c in sheet[1]] == [True] * 6
    assert sheet.column_dimensions["A"].width == 14  # longest value plus two
    assert book.worksheets[1]["A2"].value == "z"


def test_xlsx_of_a_national_export_is_a_second_not_minutes():
    """Not a timing test: 150,000 cells must come out whole and in order."""
    rows = [[f"Naam {i}", i, i / 3, dt.date(2027, 1, 1 + i % 28)] for i in range(40_000)]
    sheet = load_workbook(io.BytesIO(spreadsheets.xlsx_bytes({"T": (["a", "b", "c", "d"], rows)})))[
        "T"
    ]
    assert sheet.max_row == 40_001
    assert [c.value for c in sheet[40_001]][:2] == ["Naam 39999", 39_999]
    assert sheet["D40001"].value.date() == dt.date(2027, 1, 1 + 39_999 % 28)
