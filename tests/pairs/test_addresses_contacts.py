"""Addresses and contacts: street and number from the DUO files, shown and used as the
meeting's LOCATION; the expertcoach's schools with phones and a CSV/XLSX export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from matching import services as matching_services
from people.models import User
from programs.enums import ProgramKind
from programs.importing.enums import ImportKind
from programs.importing.services import import_run_commit, import_run_create
from programs.models import School
from tests import factories as f
from tests.matching.matching_helpers import make_round, solve
from tests.matching.test_publish import run_on_commit

DUO = (
    "INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;STRAATNAAM;HUISNUMMER-TOEVOEGING;"
    "POSTCODE;PLAATSNAAM;GEMEENTENAAM;PROVINCIE\r\n"
    "12XA;00;OBS DE REGENBOOG;KERKSTRAAT;12 a;3581 KP;UTRECHT;UTRECHT;Utrecht\r\n"
)


def _import(program, content: str):
    run = import_run_create(
        program=program,
        kind=ImportKind.SCHOOLS,
        content=content.encode("cp1252"),
        file_name="duo.csv",
        user=None,
        sector="po",
    )
    return import_run_commit(run=run)


@pytest.mark.django_db
def test_duo_street_and_number_are_imported_and_kept_when_a_file_lacks_them(program):
    _import(program, DUO)
    school = School.objects.get(brin="12XA")
    assert (school.street, school.house_number) == ("Kerkstraat", "12 a")
    assert school.address == "Kerkstraat 12 a, 3581 KP Utrecht"
    without = "brin;vestiging;naam;postcode\r\n12XA;00;OBS De Regenboog;3581 KP\r\n"
    _import(program, without)
    school.refresh_from_db()
    assert school.street == "Kerkstraat"  # a file without the column leaves it alone


@pytest.fixture
def coach_with_school(coach_program):
    staff = f.make_staff(coach_program)
    coach = f.make_expertcoach(coach_program, email="coach@leerkracht.example", capacity=1)
    school = f.make_school(
        program=coach_program, name="OBS De Klimop", street="Dorpsweg", house_number="3"
    )
    leader = f.make_schoolleider(coach_program, school=school, email="leider@klimop.example")
    User.objects.filter(pk=leader.pk).update(phone="030 123 4567")
    rnd = make_round(coach_program, staff)
    matching_services.round_publish(rnd=rnd, solution=solve(rnd, staff), user=staff)
    run_on_commit()
    return coach, school


def test_coach_sees_contacts_phones_and_the_address(client_for, coach_program, coach_with_school):
    coach, _school = coach_with_school
    page = client_for(coach).get(reverse("pairs:coach_schools", args=[coach_program.pk]))
    text = page.content.decode()
    assert "030 123 4567" in text and 'href="tel:0301234567"' in text
    assert "Dorpsweg 3" in text


def test_coach_export_csv_and_xlsx_read_back(client_for, coach_program, coach_with_school):
    coach, _school = coach_with_school
    client = client_for(coach)
    response = client.get(reverse("pairs:coach_schools_export", args=[coach_program.pk, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-1] == "Telefoon"
    assert rows[1][0] == "OBS De Klimop" and rows[1][2] == "Dorpsweg 3"
    assert rows[1][-2:] == ["leider@klimop.example", "030 123 4567"]
    response = client.get(reverse("pairs:coach_schools_export", args=[coach_program.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][-1] == "030 123 4567"
    assert sheet.max_row == 2


def test_coach_export_refuses_other_roles_and_formats(
    client_for, coach_program, coach_with_school, mentor
):
    url = reverse("pairs:coach_schools_export", args=[coach_program.pk, "csv"])
    assert client_for(mentor).get(url).status_code == 403
    assert client_for(f.make_staff(coach_program)).get(url).status_code == 403
    other = f.make_expertcoach(f.make_program(ProgramKind.COACH_SCHOOL, school_year="2027-2028"))
    assert client_for(other).get(url).status_code == 403
    coach, _ = coach_with_school
    bad = reverse("pairs:coach_schools_export", args=[coach_program.pk, "pdf"])
    assert client_for(coach).get(bad).status_code == 404


def test_other_coachs_schools_are_not_in_my_export(client_for, coach_program, coach_with_school):
    lonely = f.make_expertcoach(coach_program, city="groningen", capacity=1)
    url = reverse("pairs:coach_schools_export", args=[coach_program.pk, "csv"])
    body = client_for(lonely).get(url).content.decode("utf-8-sig")
    assert "Klimop" not in body
