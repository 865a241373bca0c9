"""The downloadable template files (CSV and XLSX) with our column names and an example row."""

from __future__ import annotations

import io

from mentoring import spreadsheets

from .columns import columns_for
from .enums import ImportKind

EXAMPLES: dict[str, list[list[str]]] = {
    ImportKind.SCHOOLS: [
        [
            "12AB",
            "00",
            "Basisschool De Linde",
            "po",
            "3511 AB",
            "Lindelaan",
            "12",
            "Utrecht",
            "Utrecht",
            "Utrecht",
            "start",
            "2026",
            "Anna",
            "de Vries",
            "a.devries@delinde.example",
        ],
    ],
    ImportKind.COACHES: [
        ["Jan", "Jansen", "jan.jansen@example.org", "3511 AB", "5", "Utrecht; Noord-Holland", "60"],
    ],
}


def template_rows(kind: str) -> list[list[str]]:
    return [[c.header for c in columns_for(kind)], *EXAMPLES[kind]]


def template_csv(kind: str) -> bytes:
    """UTF-8 with BOM and ';' so Excel on a Dutch Windows opens it in columns."""
    header, *rows = template_rows(kind)
    return spreadsheets.csv_bytes(header, rows)


def template_xlsx(kind: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Scholen" if kind == ImportKind.SCHOOLS else "Expertcoaches"
    for row in template_rows(kind):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # Text format keeps "00" and postcodes from being turned into numbers by Excel.
    for column in sheet.iter_cols(min_row=2, max_row=500):
        for cell in column:
            cell.number_format = "@"
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = max(
            12, len(str(column[0].value)) + 4
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
