"""Read an uploaded CSV or XLSX file into a table of text cells with file line numbers.

No database access here: the caller maps the header and validates the rows. Every problem
that makes the whole file unreadable is raised as ``FileProblem`` with a Dutch message.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 60
#: An XLSX is a zip: refuse one that expands beyond this before openpyxl reads it (a 1.2 MB
#: file expanding to 287 MB took half a minute and half a gigabyte per preview).
MAX_UNCOMPRESSED = 60 * 1024 * 1024
# The header may sit below a title line or two (DUO and spreadsheet exports often have one).
HEADER_SEARCH_ROWS = 10
DELIMITERS = (";", ",", "\t")

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


class FileProblem(Exception):
    """The file as a whole cannot be used; ``message`` is shown to staff.

    Kept as the untranslated text and its values, so a problem found once at upload can be
    stored with the run and shown later in whatever language the reader has chosen.
    """

    def __init__(self, msgid: str, params: dict | None = None) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params or {}

    @property
    def message(self) -> str:
        text = _(self.msgid)
        return text % self.params if self.params else text

    def to_json(self) -> dict:
        return {"msgid": self.msgid, "params": self.params}

    @classmethod
    def from_json(cls, data: dict) -> FileProblem:
        return cls(data["msgid"], data.get("params") or {})


@dataclass
class Table:
    """The header and the non-empty rows of a file; line numbers are as staff see them."""

    headers: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]
    file_format: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""

    def to_json(self) -> dict:
        """A plain form to keep with the upload, so its preview never parses the file again."""
        return {
            "headers": self.headers,
            "header_line": self.header_line,
            "rows": [[line, cells] for line, cells in self.rows],
            "file_format": self.file_format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
        }

    @classmethod
    def from_json(cls, data: dict) -> Table:
        return cls(
            headers=list(data["headers"]),
            header_line=int(data["header_line"]),
            rows=[(int(line), list(cells)) for line, cells in data["rows"]],
            file_format=data["file_format"],
            encoding=data.get("encoding", ""),
            delimiter=data.get("delimiter", ""),
        )


def read_table(content: bytes, *, is_header: Callable[[list[str]], bool]) -> Table:
    """Parse ``content`` (CSV in any usual encoding and delimiter, or XLSX).

    ``is_header(cells)`` says whether a row looks like the header (knows two column names);
    the first such row among the first few is the header, else the first non-empty row.
    """
    if not content:
        raise FileProblem(gettext_noop("Het bestand is leeg."))
    if len(content) > MAX_BYTES:
        raise FileProblem(
            gettext_noop("Het bestand is groter dan 10 MB. Splits het in kleinere bestanden.")
        )
    if content.startswith(XLS_MAGIC):
        raise FileProblem(
            gettext_noop(
                "Oude Excel-bestanden (.xls) worden niet ondersteund. Sla het bestand op als "
                "Excel-werkmap (.xlsx) of als CSV en probeer het opnieuw."
            )
        )
    if content.startswith(XLSX_MAGIC):
        _check_xlsx_size(content)
        return _with_header(_xlsx_rows(content), is_header, "xlsx")
    text, encoding = decode_text(content)
    delimiter = sniff_delimiter(text)
    table = _with_header(_csv_rows(text, delimiter), is_header, "csv")
    table.encoding = encoding
    table.delimiter = delimiter
    return table


def _too_big() -> FileProblem:
    return FileProblem(
        gettext_noop(
            "Het bestand is uitgepakt groter dan %(max)s MB of heeft meer dan %(rows)s regels. "
            "Splits het in kleinere bestanden."
        ),
        {"max": MAX_UNCOMPRESSED // (1024 * 1024), "rows": f"{MAX_ROWS:,}".replace(",", ".")},
    )


def _check_xlsx_size(content: bytes) -> None:
    """Refuse a zip bomb from its directory alone, before anything is decompressed."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            total = sum(max(info.file_size, 0) for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileProblem(
            gettext_noop("Het bestand kon niet als Excel-werkmap (.xlsx) worden gelezen.")
        ) from None
    if total > MAX_UNCOMPRESSED:
        raise _too_big()


def decode_text(content: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 with or without BOM, UTF-16 (Excel "Unicode text"), else
    Windows-1252 (DUO's raw export and Excel's default "CSV" on Dutch Windows)."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise FileProblem(
                gettext_noop("Het bestand kon niet als tekst worden gelezen.")
            ) from None
    if b"\x00" in content[:4096]:
        raise FileProblem(
            gettext_noop("Dit lijkt geen CSV- of Excel-bestand. Kies een .csv- of .xlsx-bestand.")
        )
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte, so nothing is lost.
        try:
            return content.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return content.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the first non-empty lines into the most columns."""
    lines = [line for line in text.splitlines()[: HEADER_SEARCH_ROWS + 5] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:  # e.g. a cell over the csv module's field limit: not this one
            continue
        # Most columns in the widest line first; consistent widths break ties.
        score = (max(widths), -len(set(widths)))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            # line_num counts physical lines, so a quoted cell with a newline keeps numbers right.
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise FileProblem(
                gettext_noop(
                    "Regel %(line)s heeft een cel van meer dan 128 kB; zo groot is geen gegeven."
                ),
                {"line": reader.line_num},
            ) from None
        raise FileProblem(
            gettext_noop("Regel %(line)s van het bestand is geen geldige CSV (%(error)s)."),
            {"line": reader.line_num, "error": str(exc)},
        ) from None


def _xlsx_rows(content: bytes) -> Iterable[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (openpyxl raises many kinds for a damaged file)
        raise FileProblem(
            gettext_noop("Het bestand kon niet als Excel-werkmap (.xlsx) worden gelezen.")
        ) from None
    try:
        if not workbook.worksheets:
            raise FileProblem(gettext_noop("De Excel-werkmap heeft geen werkblad."))
        sheet = workbook.worksheets[0]
        declared = getattr(sheet, "max_row", None)  # from the sheet's <dimension>, unread
        if isinstance(declared, int) and declared > MAX_ROWS + HEADER_SEARCH_ROWS + 1:
            raise _too_big()
        for number, values in enumerate(
            sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1
        ):
            yield number, [_cell_text(v) for v in values]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        # Excel stores 1234 and 0 typed into a cell as floats; "1234.0" is not a postcode.
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _with_header(
    rows: Iterable[tuple[int, list[str]]], is_header: Callable[[list[str]], bool], file_format: str
) -> Table:
    header: tuple[int, list[str]] | None = None
    candidates: list[tuple[int, list[str]]] = []
    body: list[tuple[int, list[str]]] = []
    for line, raw in rows:
        cells = [c.strip() for c in raw]
        if not any(cells):
            continue
        if header is None:
            candidates.append((line, cells))
            if is_header(cells):
                header = (line, cells)
            elif len(candidates) >= HEADER_SEARCH_ROWS:
                header = candidates[0]
                body.extend(candidates[1:])
            continue
        body.append((line, cells))
        if len(body) > MAX_ROWS:
            raise FileProblem(
                gettext_noop(
                    "Het bestand heeft meer dan %(max)s regels. Splits het in kleinere bestanden."
                ),
                {"max": f"{MAX_ROWS:,}".replace(",", ".")},
            )
    if header is None:
        if not candidates:
            raise FileProblem(gettext_noop("Het bestand is leeg."))
        header = candidates[0]
        body = candidates[1:] + body
    line, headers = header
    width = len(headers)
    while width and not headers[width - 1]:
        width -= 1
    headers = headers[:width]
    padded = [(n, (cells + [""] * width)[:width]) for n, cells in body]
    padded = [(n, cells) for n, cells in padded if any(cells)]
    return Table(headers=headers, header_line=line, rows=padded, file_format=file_format)
