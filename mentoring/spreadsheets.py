"""One writer for every CSV and XLSX the platform hands out, made for Dutch Excel.

CSV: columns separated by ``;``, decimals with a comma (``12,31``), dates as ``dd-mm-jjjj``,
UTF-8 with a BOM and CRLF line ends: Excel with Dutch regional settings opens it in columns,
with accents intact, and reads numbers as numbers. XLSX: cells keep their type (numbers are
numbers, dates are dates), the header is bold. In both, text that a spreadsheet would run
as a formula is neutralised with a leading apostrophe (CSV/XLSX injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Table = tuple[Sequence[Any], Iterable[Sequence[Any]]]


def safe_text(value: str) -> str:
    """A text cell that no spreadsheet runs as a formula."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def _local(value: dt.datetime) -> dt.datetime:
    """Amsterdam wall-clock time, naive (what a spreadsheet shows and openpyxl accepts)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _decimal_comma(value: float | Decimal) -> str:
    text = format(value, "f") if isinstance(value, Decimal) else repr(float(value))
    if "e" in text or "E" in text:  # very small or large floats
        text = format(Decimal(str(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def csv_cell(value: Any) -> str:
    """One value as Dutch Excel reads it from a ``;`` CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return _decimal_comma(value)
    if isinstance(value, dt.datetime):
        return _local(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return safe_text(str(value))


def xlsx_cell(value: Any) -> Any:
    """One value as a typed XLSX cell."""
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date):
        if isinstance(value, dt.datetime):
            return _local(value)
        return value
    return safe_text(str(value))


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_text(str(h)) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _width(values: Iterable[Any]) -> float:
    """A column's width: its longest value, between 10 and 60 characters."""
    longest = max((len(str(v)) for v in values if v is not None), default=6)
    return min(60, max(10, longest + 2))


def xlsx_bytes(sheets: Mapping[str, Table], *, text_columns: Sequence[int] = ()) -> bytes:
    """A workbook with one sheet per table (sheet names cut to Excel's 31 characters).

    ``text_columns`` (0-based) are formatted as text, so a postcode or "00" stays as typed.
    Written in openpyxl's write-only mode: rows stream to the file instead of living as cell
    objects, which makes a national program's export several times faster.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    text = set(text_columns)
    for name, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title=str(name)[:31])
        head = [safe_text(str(h)) for h in header]
        body = [[xlsx_cell(v) for v in row] for row in rows]
        columns = max([len(head), *(len(row) for row in body)])
        for i in range(columns):  # widths must be known before the first row is written
            values = [row[i] for row in (head, *body) if i < len(row)]
            sheet.column_dimensions[get_column_letter(i + 1)].width = _width(values)

        def cell(value: Any, i: int) -> Any:
            if i in text:
                fmt = "@"
            elif isinstance(value, dt.datetime):
                fmt = "dd-mm-yyyy hh:mm"
            elif isinstance(value, dt.date):
                fmt = "dd-mm-yyyy"
            else:
                return value
            written = WriteOnlyCell(sheet, value=value)  # noqa: B023 - used in this pass only
            written.number_format = fmt
            return written

        header_row = []
        for h in head:
            written = WriteOnlyCell(sheet, value=h)
            written.font = bold
            header_row.append(written)
        sheet.append(header_row)
        for row in body:
            sheet.append([cell(v, i) for i, v in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]):
    return _download(csv_bytes(header, rows), CSV_MIMETYPE, filename)


def xlsx_response(filename: str, sheets: Mapping[str, Table], **options) -> HttpResponse:
    return _download(xlsx_bytes(sheets, **options), XLSX_MIMETYPE, filename)
