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
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

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


# --- XLSX: the Office Open XML parts, written directly -----------------------------------
# A national program's export has 150,000+ cells; openpyxl (even write-only, without lxml)
# spends about 30 µs a cell building XML elements, this writer about 1 µs formatting text.
# The file is what Excel itself writes at its simplest: inline strings, one style sheet with
# a bold header, a text, a date and a date-time format; openpyxl reads it back in the tests.

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_QUOTE = {'"': "&quot;"}
_BAD_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - Excel's day 0 (1900 date system), naive
# Cell styles (cellXfs): 0 plain, 1 bold header, 2 text, 3 date, 4 date and time.
_BOLD, _TEXT, _DATE, _DATETIME = 1, 2, 3, 4
_STYLES = (
    _XML + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd-mm-yyyy"/>'
    '<numFmt numFmtId="165" formatCode="dd-mm-yyyy hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _escape(text: str, entities: dict[str, str] | None = None) -> str:
    """Text as XML data (``entities`` adds the quote for an attribute), without the control
    characters XML cannot hold."""
    return escape(_ILLEGAL_XML.sub("", text), entities or {})


def _xlsx_cell(ref: str, value: Any, style: int) -> str:
    """One ``<c>`` element; ``style`` is the cell's own (text columns, the header)."""
    s = f' s="{style}"' if style else ""
    if value is None:
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int) or (isinstance(value, float | Decimal) and math.isfinite(value)):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, dt.datetime):
        serial = (value - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{style or _DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, dt.date):
        serial = (value - _EPOCH.date()).days
        return f'<c r="{ref}" s="{style or _DATE}"><v>{serial}</v></c>'
    text = _escape(str(value))
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _sheet_xml(header: Sequence[Any], rows: Iterable[Sequence[Any]], text: set[int]) -> str:
    from openpyxl.utils import get_column_letter  # lazy: openpyxl is slow to import

    head = [safe_text(str(h)) for h in header]
    body = [[xlsx_cell(v) for v in row] for row in rows]
    columns = max([len(head), *(len(row) for row in body)])
    letters = [get_column_letter(i + 1) for i in range(columns)]
    widths = [_width(row[i] for row in (head, *body) if i < len(row)) for i in range(columns)]
    parts = [
        _XML,
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">',
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        if body
        else "",
        '<sheetFormatPr defaultRowHeight="15"/>',
    ]
    if columns:
        parts.append("<cols>")
        parts += [
            f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"'
            + (f' style="{_TEXT}"' if i in text else "")
            + "/>"
            for i, w in enumerate(widths)
        ]
        parts.append("</cols>")
    parts.append("<sheetData>")
    parts.append('<row r="1">')
    parts += [_xlsx_cell(f"{letters[i]}1", h, _BOLD) for i, h in enumerate(head)]
    parts.append("</row>")
    for number, row in enumerate(body, start=2):
        parts.append(f'<row r="{number}">')
        parts += [
            _xlsx_cell(f"{letters[i]}{number}", v, _TEXT if i in text else 0)
            for i, v in enumerate(row)
        ]
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def xlsx_bytes(sheets: Mapping[str, Table], *, text_columns: Sequence[int] = ()) -> bytes:
    """A workbook with one sheet per table (sheet names cut to Excel's 31 characters).

    ``text_columns`` (0-based) are formatted as text, so a postcode or "00" stays as typed.
    """
    text = set(text_columns)
    names: list[str] = []
    for name in sheets:
        clean = _BAD_SHEET_NAME.sub(" ", str(name))[:31].strip("'") or "Blad"  # no edge quote
        while clean.casefold() in (n.casefold() for n in names):  # Excel: one name, one sheet
            clean = f"{clean[:28]} {len(names) + 1}"
        names.append(clean)
    count = len(names)
    content_types = (
        _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, count + 1)
        )
        + "</Types>"
    )
    package_rels = (
        _XML + f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        _XML
        + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        + '<bookViews><workbookView activeTab="0"/></bookViews><sheets>'
        + "".join(
            f'<sheet name="{_escape(name, _QUOTE)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(names, start=1)
        )
        + "</sheets></workbook>"
    )
    workbook_rels = (
        _XML
        + f'<Relationships xmlns="{_PKG_REL}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        + f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/styles.xml", _STYLES)
        for i, (header, rows) in enumerate(sheets.values(), start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", _sheet_xml(header, rows, text))
    return buffer.getvalue()


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]):
    return _download(csv_bytes(header, rows), CSV_MIMETYPE, filename)


def xlsx_response(filename: str, sheets: Mapping[str, Table], **options) -> HttpResponse:
    return _download(xlsx_bytes(sheets, **options), XLSX_MIMETYPE, filename)
