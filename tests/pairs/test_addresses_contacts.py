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


def test_schoolleider_keeps_schoolcoaches_and_the_expertcoach_sees_them(
    client_for, coach_program, coach_with_school
):
    coach, school = coach_with_school
    leader = User.objects.get(email="leider@klimop.example")
    url = reverse("pairs:schoolcoaches", args=[coach_program.pk])
    client = client_for(leader)
    assert (
        "Schoolcoaches beheren"
        in client.get(reverse("program_home", args=[coach_program.pk])).content.decode()
    )
    bad = client.post(url, {"name": "", "phone": "bel me"})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "Vul de naam van de schoolcoach in." in text and "Schrijf het telefoonnummer" in text
    ok = client.post(
        url,
        {"name": "Fatima el Amrani", "email": "f.elamrani@klimop.example", "phone": "06 1234 5678"},
    )
    assert ok.status_code == 302
    page = client_for(coach).get(reverse("pairs:coach_schools", args=[coach_program.pk]))
    html = page.content.decode()
    assert "Fatima el Amrani" in html and "06 1234 5678" in html and "schoolcoach" in html
    export = client_for(coach).get(
        reverse("pairs:coach_schools_export", args=[coach_program.pk, "csv"])
    )
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert any("Fatima el Amrani" in row and "Schoolcoach" in row for row in rows)
    # Removing it takes it off the coach's page.
    from programs.models import SchoolCoach

    sc = SchoolCoach.objects.get(school=school)
    removed = client_for(leader).post(url, {"remove": str(sc.pk)})
    assert removed.status_code == 302, removed.content.decode()[-1500:]
    assert not SchoolCoach.objects.filter(pk=sc.pk).exists()


def test_schoolcoaches_page_is_the_schoolleiders_own(
    client_for, coach_program, coach_with_school, program, schoolleider, mentor
):
    from programs.models import SchoolCoach

    coach, school = coach_with_school
    url = reverse("pairs:schoolcoaches", args=[coach_program.pk])
    # The expertcoach, staff and people of another program may not keep them.
    assert client_for(coach).get(url).status_code == 403
    assert client_for(f.make_staff(coach_program)).get(url).status_code == 403
    assert client_for(mentor).post(url, {"name": "X"}).status_code in (403, 404)
    # A schoolleider of another school in the same program keeps only their own school's.
    other_school = f.make_school(program=coach_program, name="CBS De Eik")
    other = f.make_schoolleider(coach_program, school=other_school, email="eik@example.org")
    sc = SchoolCoach.objects.create(program=coach_program, school=school, name="Jan Smit")
    client_for(other).post(url, {"remove": str(sc.pk)})
    assert SchoolCoach.objects.filter(pk=sc.pk).exists()
    client_for(other).post(url, {"name": "Eik-coach"})
    assert SchoolCoach.objects.get(name="Eik-coach").school == other_school
    # The mentoring program has no schoolcoaches.
    mentoring_url = reverse("pairs:schoolcoaches", args=[program.pk])
    assert client_for(schoolleider).get(mentoring_url).status_code == 404


def test_schoolleider_sees_the_schools_expertcoach_and_nobody_elses(
    client_for, coach_program, coach_with_school, program, schoolleider
):
    coach, _school = coach_with_school
    User.objects.filter(pk=coach.pk).update(first_name="Eva", last_name="Coach", phone="06 9876")
    leader = User.objects.get(email="leider@klimop.example")
    home = reverse("program_home", args=[coach_program.pk])
    text = client_for(leader).get(home).content.decode()
    assert "Uw expertcoach" in text and "Eva Coach" in text
    assert "mailto:coach@leerkracht.example" in text and "06 9876" in text
    # A schoolleider of another school in the same program does not see this coach.
    other = f.make_schoolleider(
        coach_program, school=f.make_school(program=coach_program, name="CBS De Eik")
    )
    text = client_for(other).get(home).content.decode()
    assert "Uw expertcoach" not in text and "Eva Coach" not in text
    # Nor does a schoolleider of the mentoring program on their own home.
    text = client_for(schoolleider).get(reverse("program_home", args=[program.pk])).content
    assert b"Uw expertcoach" not in text
    # An ended assignment is no longer shown.
    from mentoring.pairs.models import CoachAssignment

    CoachAssignment.objects.update(status="ended")
    assert "Eva Coach" not in client_for(leader).get(home).content.decode()
