"""Import limits: a zip bomb, a sheet declaring too many rows and a huge CSV cell are refused
with a clear Dutch message before parsing — never a 500."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import translation

from programs.importing import reading
from programs.importing.reading import FileProblem, read_table
from tests.programs.test_import_planning import xlsx_bytes


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def is_header(cells):
    return "brin" in [c.lower() for c in cells]


def bomb(size: int) -> bytes:
    """A valid-looking XLSX whose sheet expands to ``size`` bytes (compresses to almost nothing)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * size)
    return buffer.getvalue()


def test_xlsx_expanding_beyond_the_cap_is_refused_before_parsing(monkeypatch):
    content = bomb(reading.MAX_UNCOMPRESSED + 1)
    assert len(content) < 1024 * 1024  # small on disk
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("parsed a zip bomb"))
    with pytest.raises(FileProblem) as problem:
        read_table(content, is_header=is_header)
    assert "uitgepakt groter dan" in str(problem.value)


def test_xlsx_declaring_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 5)
    content = xlsx_bytes([["brin", "naam"]] + [[f"{n:02d}AB", "x"] for n in range(40)])
    with pytest.raises(FileProblem) as problem:
        read_table(content, is_header=is_header)
    assert "regels" in str(problem.value)


def test_csv_cell_over_128kb_is_a_clear_error():
    content = b"brin,naam\n12XA," + b"x" * (200 * 1024) + b"\n"
    with pytest.raises(FileProblem) as problem:
        read_table(content, is_header=is_header)
    assert "128 kB" in str(problem.value)


def test_huge_cell_upload_is_a_form_error_not_a_500(client_for, program, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    c = client_for(staff)
    response = c.post(
        reverse("imports:upload", args=[program.pk]),
        {
            "kind": "schools",
            "sector": "",
            "file": SimpleUploadedFile("s.csv", b"brin,naam\n12XA," + b"x" * 200_000 + b"\n"),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "128 kB" in response.content.decode()
