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


# --- parse once (issue 9 item 10) ---------------------------------------------------------


def _upload(c, program, name, content) -> str:
    """Upload through the form (tests.programs.test_import_views); the preview's URL."""
    from tests.programs.test_import_views import post_file

    response = post_file(c, program, content, name, sector="po")
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_an_upload_is_parsed_once_not_on_every_view_of_its_preview(
    client_for, program, staff, monkeypatch
):
    from programs.importing import planning
    from programs.models import ImportRun, School

    content = xlsx_bytes(
        [["BRIN", "Naam", "Postcode", "Plaats"], ["12XA", "De Linde", "3511 AB", "Utrecht"]]
    )
    c = client_for(staff)
    preview_url = _upload(c, program, "scholen.xlsx", content)
    run = ImportRun.objects.get(program=program)
    assert run.parsed["table"]["rows"][0][1][:2] == ["12XA", "De Linde"]

    def no_parse(*args, **kwargs):
        pytest.fail("the stored upload was parsed again")

    monkeypatch.setattr("openpyxl.load_workbook", no_parse)
    monkeypatch.setattr(planning, "read_table", no_parse)
    for query in ("", "?toon=nieuw", "?page=2"):
        response = c.get(preview_url + query)
        assert response.status_code == 200
        assert "De Linde" in response.content.decode()
    digest = response.context["plan"].digest
    from django.urls import reverse

    response = c.post(reverse("imports:commit", args=[program.pk, run.pk]), {"digest": digest})
    assert response.status_code == 302
    assert School.objects.filter(name="De Linde").exists()
    run.refresh_from_db()
    assert run.parsed is None and bytes(run.content) == b""  # personal data gone after commit


def test_a_file_problem_is_stored_once_and_shown_in_the_readers_language(
    client_for, program, staff, monkeypatch
):
    from programs.importing import planning
    from programs.models import ImportRun

    c = client_for(staff)
    preview_url = _upload(c, program, "s.csv", b"brin,naam\n12XA," + b"x" * 200_000 + b"\n")
    run = ImportRun.objects.get(program=program)
    assert "problem" in run.parsed
    monkeypatch.setattr(planning, "read_table", lambda *a, **k: pytest.fail("parsed again"))
    dutch = c.get(preview_url).content.decode()
    assert "Regel 2 heeft een cel van meer dan 128 kB" in dutch
    c.cookies["django_language"] = "en"
    english = c.get(preview_url).content.decode()
    assert "heeft een cel van meer dan" not in english
    assert "Line 2" in english and "128 kB" in english


def test_a_run_stored_before_parsing_was_kept_is_read_once(client_for, program, staff, monkeypatch):
    from programs.importing import services
    from programs.models import ImportRun

    c = client_for(staff)
    preview_url = _upload(
        c, program, "s.csv", b"brin;naam;postcode;plaats\n12XA;De Linde;3511 AB;Utrecht\n"
    )
    ImportRun.objects.update(parsed=None)
    calls = []
    real = services.parse_upload
    monkeypatch.setattr(services, "parse_upload", lambda *a: calls.append(1) or real(*a))
    for _ in range(3):
        assert "De Linde" in c.get(preview_url).content.decode()
    assert calls == [1]
