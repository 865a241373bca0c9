"""Reading files and validating rows: every problem is found, in Dutch, and nothing is written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.utils import translation

from people.models import Role
from programs.importing.cleaning import tidy_name
from programs.importing.columns import SCHOOL_COLUMNS, looks_like_header
from programs.importing.enums import ImportKind, RowStatus
from programs.importing.planning import plan_import
from programs.importing.reading import FileProblem, read_table
from programs.models import School
from tests import factories as f

HEADER = "brin,vestiging,naam,sector,postcode,plaats,schoolleider_voornaam,schoolleider_achternaam,schoolleider_email"
DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture(autouse=True)
def _dutch():
    """Messages are asserted in Dutch whatever language an earlier test left active."""
    with translation.override("nl"):
        yield


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def plan(program, content: bytes, *, kind=ImportKind.SCHOOLS, sector=""):
    return plan_import(content=content, kind=kind, program=program, sector=sector)


def errors_of(result, line: int) -> str:
    row = next(r for r in result.rows if r.line == line)
    return " | ".join(row.errors)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading ------------------------------------------------------------------------------


def read(content: bytes):
    return read_table(content, is_header=looks_like_header(SCHOOL_COLUMNS))


def test_reading_cp1252_semicolon_csv_keeps_accents_and_line_numbers():
    content = "brin;naam;postcode\r\n12XA;Basisschool Het Fundament;3511 AB\r\n\r\n34CD;Cbs De Schakel – Oosterwolde;8431 AA\r\n".encode(
        "cp1252"
    )
    table = read(content)
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert table.rows == [
        (2, ["12XA", "Basisschool Het Fundament", "3511 AB"]),
        (4, ["34CD", "Cbs De Schakel – Oosterwolde", "8431 AA"]),
    ]


def test_reading_utf8_bom_and_tab_delimiter():
    content = "\ufeffBRIN\tNaam\tPostcode\n12XA\tDe Fryske Skoalle\t8911 AA\n".encode()
    table = read(content)
    assert table.headers == ["BRIN", "Naam", "Postcode"]
    assert table.delimiter == "\t"
    assert table.rows[0][1][1] == "De Fryske Skoalle"


def test_reading_finds_the_header_below_a_title_line_and_counts_quoted_newlines():
    content = b'Export scholen 2026\n\nbrin,naam,postcode\n12XA,"School\nmet twee regels",3511 AB\n34CD,Tweede,3511 AB\n'
    table = read(content)
    assert table.header_line == 3
    assert [n for n, _ in table.rows] == [4, 6]


def test_reading_xlsx_turns_numbers_into_text():
    content = xlsx_bytes([["brin", "vestiging", "naam", "postcode"], ["12XA", 0, "Een", 3511.0]])
    table = read(content)
    assert table.file_format == "xlsx"
    assert table.rows == [(2, ["12XA", "0", "Een", "3511"])]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "leeg"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", ".xls"),
        (b"PK\x03\x04not really a zip", "Excel-werkmap"),
    ],
)
def test_reading_refuses_unusable_files_with_a_dutch_message(content, message):
    with pytest.raises(FileProblem) as problem:
        read(content)
    assert message in problem.value.message


def test_tidy_name_title_cases_duo_capitals():
    assert tidy_name("CAPELLE AAN DEN IJSSEL") == "Capelle aan den IJssel"
    assert tidy_name("'S-GRAVENHAGE") == "'s-Gravenhage"
    assert tidy_name("BERGEN OP ZOOM") == "Bergen op Zoom"
    assert tidy_name("De Bilt") == "De Bilt"


# --- validation: every error kind ---------------------------------------------------------


@pytest.mark.django_db
def test_plan_reports_a_missing_column_once_naming_the_expected_columns(program):
    result = plan(program, b"brin,naam\n12XA,De Linde\n")
    assert len(result.file_errors) == 1
    message = result.file_errors[0]
    assert "Kolom ontbreekt: sector, postcode" in message
    assert "schoolleider_email" in message  # the expected columns are listed
    assert result.rows == []


@pytest.mark.django_db
def test_plan_sector_chosen_for_the_whole_file_replaces_the_column(program):
    result = plan(program, b"brin,naam,postcode\n12XA,De Linde,3511 AB\n", sector="po")
    assert not result.has_errors
    assert result.rows[0].write.values.sector == "po"


@pytest.mark.django_db
def test_plan_reports_each_row_problem_in_dutch_with_file_line_numbers(program):
    content = csv_file(
        "12XA,00,De Linde,po,3511 AB,Utrecht,,,",  # 2: fine
        "12XA,00,De Linde bis,po,3511 AB,Utrecht,,,",  # 3: duplicate of 2
        "34CD,00,De Eik,xx,3511 AB,Utrecht,,,",  # 4: unknown sector
        "56EF,00,De Beuk,po,ABCD,Utrecht,,,",  # 5: bad postcode
        "78GH,00,De Es,po,0999 AB,Utrecht,,,",  # 6: bad postcode (PC4 < 1000)
        "90IJ,00,De Wilg,vo,1099 ZZ,Nergens,,,",  # 7: unknown postcode
        ",00,Zonder Brin,po,3511 AB,Utrecht,,,",  # 8: empty required field
        "11KL,00,,po,3511 AB,Utrecht,,,",  # 9: empty name
        "22MN,00,De Populier,po,3511 AB,Utrecht,Anna,Jansen,anna@@school",  # 10: invalid email
        "33OP,00,De Hazelaar,po,3511 AB,Utrecht,Anna,,",  # 11: name without email
        "XYZ,00,Rare Brin,po,3511 AB,Utrecht,,,",  # 12: malformed BRIN
    )
    result = plan(program, content)
    assert result.has_errors
    assert (
        errors_of(result, 2) == "School 12XA00 staat meer dan eens in het bestand (ook op regel 3)."
    )
    assert "ook op regel 2" in errors_of(result, 3)
    assert "Onbekende sector ‘xx’" in errors_of(result, 4)
    assert "‘ABCD’ is geen geldige Nederlandse postcode" in errors_of(result, 5)
    assert "‘0999 AB’ is geen geldige Nederlandse postcode" in errors_of(result, 6)
    assert "Postcode 1099 kennen we niet. Controleer de cijfers." in errors_of(result, 7)
    assert "De BRIN-code ontbreekt." in errors_of(result, 8)
    assert "De naam van de school ontbreekt." in errors_of(result, 9)
    assert "‘anna@@school’ is geen geldig e-mailadres" in errors_of(result, 10)
    assert "Het e-mailadres van de schoolleider ontbreekt." in errors_of(result, 11)
    assert "geen geldige BRIN-code" in errors_of(result, 12)
    assert result.counts["errors"] == 11
    assert School.objects.count() == 0


@pytest.mark.django_db
def test_plan_unknown_phase_province_and_year_are_errors(program):
    header = "brin,naam,sector,postcode,provincie,fase,jaar_deelname"
    content = csv_file(
        "12XA,De Linde,po,3511 AB,Utrecht,training,2024",
        "34CD,De Eik,po,3511 AB,Atlantis,halverwege,1850",
        header=header,
    )
    result = plan(program, content)
    assert errors_of(result, 2) == ""
    problems = errors_of(result, 3)
    assert "Onbekende provincie ‘Atlantis’" in problems
    assert "Onbekende fase ‘halverwege’" in problems
    assert "Jaar van deelname 1850 ligt niet tussen" in problems


@pytest.mark.django_db
def test_plan_schoolleider_already_at_another_school_in_this_program_is_an_error(program):
    f.make_schoolleider(program, email="leider@school.example")
    content = csv_file("12XA,00,De Linde,po,3511 AB,Utrecht,Lea,Leider,Leider@School.example")
    result = plan(program, content)
    assert (
        "leider@school.example is in dit programma al schoolleider van een andere school"
        in errors_of(result, 2)
    )


@pytest.mark.django_db
def test_plan_same_schoolleider_on_two_schools_in_the_file_is_an_error(program):
    content = csv_file(
        "12XA,00,De Linde,po,3511 AB,Utrecht,Lea,Leider,lea@school.example",
        "34CD,00,De Eik,po,3511 AB,Utrecht,Lea,Leider,lea@school.example",
    )
    result = plan(program, content)
    assert "staat ook bij een andere school in dit bestand (regel 3)" in errors_of(result, 2)
    assert "(regel 2)" in errors_of(result, 3)


@pytest.mark.django_db
def test_plan_a_mentor_of_this_program_cannot_be_imported_as_schoolleider(program, mentor):
    content = csv_file("12XA,00,De Linde,po,3511 AB,Utrecht,Men,Tor,mentor@bedrijf.example")
    assert "is in dit programma mentor" in errors_of(plan(program, content), 2)


@pytest.mark.django_db
def test_plan_schoolleider_of_another_program_is_fine(program, coach_program):
    f.make_schoolleider(coach_program, email="leider@school.example")
    content = csv_file("12XA,00,De Linde,po,3511 AB,Utrecht,Lea,Leider,leider@school.example")
    result = plan(program, content)
    assert not result.has_errors
    assert result.rows[0].status == RowStatus.NEW
    assert result.counts["invitations"] == 0  # an existing account gets the role only


@pytest.mark.django_db
def test_plan_statuses_new_updated_unchanged_by_brin_and_vestiging(program):
    school = f.make_school(brin="12XA", vestiging="00", name="De Linde", program=program)
    f.make_school(brin="12XA", vestiging="01", name="De Linde dependance", program=program)
    header = "brin,vestiging,naam,sector,postcode,plaats,provincie"
    content = csv_file(
        f"12XA,00,De Linde,po,{school.postcode},{school.place},{school.province}",
        "12XA,1,Dependance De Linde,po,3511 AB,Utrecht,Utrecht",
        "12XA,02,Nieuwe vestiging,po,3511 AB,Utrecht,Utrecht",
        header=header,
    )
    result = plan(program, content)
    assert [r.status for r in result.rows] == [
        RowStatus.UNCHANGED,
        RowStatus.UPDATED,
        RowStatus.NEW,
    ]
    assert any("Dependance De Linde" in c for c in result.rows[1].changes)
    assert result.counts == {
        "rows": 3,
        "new": 1,
        "updated": 1,
        "unchanged": 1,
        "errors": 0,
        "warnings": 0,
        "invitations": 0,
    }


@pytest.mark.django_db
def test_plan_duo_vestigingscode_with_brin_prefix_and_duo_headers(program):
    header = "instellingscode,vestigingscode,vestigingsnaam,postcode,plaatsnaam,gemeentenaam,provincie,denominatie"
    content = csv_file(
        "32JK,32JK01,BBS DE VERWONDERING,9306 TC,ALTEVEER GEM NOORDENVELD,NOORDENVELD,Friesland,Algemeen",
        "32JK,99XX01,Verkeerd,9306 TC,ALTEVEER,NOORDENVELD,Drenthe,Algemeen",
        header=header,
    )
    result = plan(program, content, sector="po")
    row = result.rows[0]
    assert not row.errors
    assert (row.write.row.brin, row.write.row.vestiging) == ("32JK", "01")
    assert row.write.values.municipality == "Noordenveld"
    assert row.write.values.province == "Fryslân"  # canonicalised
    assert "hoort niet bij BRIN 32JK" in errors_of(result, 3)
    assert result.header_map.ignored == ["denominatie"]


@pytest.mark.django_db
def test_plan_runs_a_constant_number_of_queries(program, django_assert_max_num_queries):
    lines = [
        f"{n:02d}AB,00,School {n},po,3511 AB,Utrecht,Voor,Naam,leider{n}@school.example"
        for n in range(10, 60)
    ]
    with django_assert_max_num_queries(10):
        result = plan(program, csv_file(*lines))
    assert result.counts["new"] == 50


# --- expertcoaches ------------------------------------------------------------------------

COACH_HEADER = "voornaam,achternaam,email,postcode,capaciteit,regio's,max_reisafstand"


@pytest.mark.django_db
def test_plan_coaches_reports_every_problem(coach_program):
    content = csv_file(
        'Jan,Jansen,jan@example.org,3511 AB,4,"Utrecht; Noord-Holland",60',
        "Piet,,piet@example,3511 AB,veel,Atlantis,-5",
        "Kees,Kok,jan@example.org,1099 ZZ,3,,",
        header=COACH_HEADER,
    )
    result = plan(coach_program, content, kind=ImportKind.COACHES)
    assert "jan@example.org staat meer dan eens" in errors_of(result, 2)
    problems = errors_of(result, 3)
    assert "De achternaam ontbreekt." in problems
    assert "‘piet@example’ is geen geldig e-mailadres" in problems
    assert "De capaciteit ‘veel’ is geen heel getal." in problems
    assert "Onbekende regio ‘Atlantis’" in problems
    assert "De maximale reisafstand ‘-5’ is geen heel getal." in problems
    assert "Postcode 1099 kennen we niet. Controleer de cijfers." in errors_of(result, 4)


@pytest.mark.django_db
def test_plan_coaches_missing_column_is_one_file_error(coach_program):
    result = plan(coach_program, b"voornaam,achternaam\nJan,Jansen\n", kind=ImportKind.COACHES)
    assert result.file_errors and "Kolom ontbreekt: email, postcode" in result.file_errors[0]


# --- the real DUO files -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.skipif(not DATA.exists(), reason="../shared/data is not available")
@pytest.mark.parametrize(
    ("name", "sector", "rows"),
    [("schools_po_duo.csv", "po", 6122), ("schools_vo_duo_derived.csv", "vo", 1620)],
)
def test_plan_reads_the_duo_files_without_errors(program, name, sector, rows):
    result = plan(program, (DATA / name).read_bytes(), sector=sector)
    assert result.file_errors == []
    assert result.counts["errors"] == 0, [r.errors for r in result.rows if r.errors][:3]
    assert result.counts["new"] == rows
    first = result.rows[0]
    assert len(first.write.row.brin) == 4 and len(first.write.row.vestiging) == 2
    assert first.write.values.province and first.write.values.region_id
    assert Role.objects.count() == 0 and School.objects.count() == 0


def test_reading_utf16_tab_file_from_excel_unicode_text():
    content = "brin\tnaam\tpostcode\r\n12XA\tDe Fryske Skoalle\t8911 AA\r\n".encode("utf-16")
    table = read(content)
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.rows == [(2, ["12XA", "De Fryske Skoalle", "8911 AA"])]
