"""Program years, schools list and regions."""

from __future__ import annotations

from django.urls import reverse

from programs.enums import ProgramKind, Sector
from programs.models import ProgramYear, Region, School
from programs.views import reassign_school_regions
from tests import factories as f

VALID_PROGRAM = {
    "name": "Mentoring",
    "kind": ProgramKind.MENTOR_LEADER,
    "school_year": "2027-2028",
    "registration_opens": "2027-09-01",
    "registration_closes": "2027-10-15",
    "webinar_start": "2027-10-01",
    "webinar_end": "2027-10-31",
    "matching_date": "2027-11-10",
    "meetings_start": "2027-11-15",
    "meetings_end": "2028-03-31",
}


def test_foundation_staff_creates_program(client_for, foundation_staff):
    response = client_for(foundation_staff).post(reverse("programs:program_create"), VALID_PROGRAM)
    assert response.status_code == 302
    assert ProgramYear.objects.get(school_year="2027-2028").kind == ProgramKind.MENTOR_LEADER


def test_program_dates_are_checked_in_dutch(client_for, foundation_staff):
    data = {**VALID_PROGRAM, "school_year": "2027/28", "meetings_end": "2027-11-01"}
    response = client_for(foundation_staff).post(reverse("programs:program_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "2026-2027" in errors["school_year"][0]
    assert "voor de begindatum" in errors["meetings_end"][0]
    assert not ProgramYear.objects.filter(name="Mentoring", school_year__startswith="2027").exists()


def test_program_staff_cannot_create_programs(client_for, staff):
    assert (
        client_for(staff).post(reverse("programs:program_create"), VALID_PROGRAM).status_code == 403
    )
    assert not ProgramYear.objects.filter(school_year="2027-2028").exists()


def test_school_list_filters_and_shows_leaders(client_for, staff, program):
    leader = f.make_schoolleider(program, city="groningen")
    f.make_school(city="amsterdam", sector=Sector.VO, program=program, name="Stedelijk Lyceum")
    f.make_school(city="amsterdam", name="Niet in dit programma")
    client = client_for(staff)
    body = client.get(reverse("programs:school_list", args=[program.pk])).content.decode()
    assert "Stedelijk Lyceum" in body and leader.email in body
    assert "Niet in dit programma" not in body
    body = client.get(
        reverse("programs:school_list", args=[program.pk]), {"sector": "vo"}
    ).content.decode()
    assert "Stedelijk Lyceum" in body and leader.email not in body


def test_school_list_constant_queries(client_for, staff, program, django_assert_max_num_queries):
    client = client_for(staff)
    url = reverse("programs:school_list", args=[program.pk])
    f.make_schoolleider(program)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for city in ["amsterdam", "rotterdam", "eindhoven", "groningen", "denhaag"]:
        f.make_schoolleider(program, city=city)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_default_regions_are_the_twelve_provinces(db):
    assert Region.objects.count() == 12
    assert Region.objects.get(name="Fryslân").provinces == ["Fryslân"]


def test_municipality_region_takes_precedence(client_for, foundation_staff, program):
    school = f.make_school(city="rotterdam", program=program, municipality="Rotterdam")
    response = client_for(foundation_staff).post(
        reverse("programs:region_create", args=[program.pk]),
        {
            "name": "Rijnmond",
            "provinces": [],
            "municipalities_text": "Rotterdam\nSchiedam",
            "sort_order": 20,
        },
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.region.name == "Rijnmond"
    other = f.make_school(city="denhaag", program=program)
    assert reassign_school_regions() == 0
    other.refresh_from_db()
    assert other.region.name == "Zuid-Holland"


def test_region_needs_provinces_or_municipalities(client_for, foundation_staff, program):
    response = client_for(foundation_staff).post(
        reverse("programs:region_create", args=[program.pk]), {"name": "Leeg", "sort_order": 1}
    )
    assert response.status_code == 200
    assert "minstens één provincie" in response.content.decode()
    assert not Region.objects.filter(name="Leeg").exists()


def test_mentor_cannot_see_schools(client_for, mentor, program):
    assert (
        client_for(mentor).get(reverse("programs:school_list", args=[program.pk])).status_code
        == 403
    )


def test_school_code(db):
    school = School(brin="12AB", vestiging="03")
    assert school.code == "12AB03"
