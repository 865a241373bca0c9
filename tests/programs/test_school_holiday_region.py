"""Every school page shows its holiday region; foundation staff may override it with a reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentoring.meetings import planning
from programs.models import School
from tests import factories as f

pytestmark = pytest.mark.django_db


def _url(program, school):
    return reverse("programs:school_holiday_region", args=[program.pk, school.pk])


def test_school_list_shows_each_schools_official_holiday_region(client_for, staff, program):
    f.make_school(city="eindhoven", program=program, name="De Kempen")
    f.make_school(city="groningen", program=program, name="De Wierde")
    html = client_for(staff).get(reverse("programs:school_list", args=[program.pk])).content
    html = html.decode()
    assert "Vakantieregio" in html
    row_kempen = next(r for r in html.split("<tr>") if "De Kempen" in r)
    row_wierde = next(r for r in html.split("<tr>") if "De Wierde" in r)
    assert ">zuid</a>" in row_kempen and ">noord</a>" in row_wierde


def test_a_school_without_municipality_takes_its_pc4s(program):
    school = f.make_school(city="utrecht", program=program, municipality="")
    School.objects.filter(pk=school.pk).update(pc4="6941", province="Gelderland")  # Didam
    assert School.objects.get(pk=school.pk).official_holiday_region == "zuid"


def test_foundation_staff_override_with_a_reason_and_the_rules_follow(
    client_for, foundation_staff, program, schoolleider
):
    pair = f.make_pair(program, schoolleider=schoolleider)
    school = pair.school
    assert school.holiday_region == "midden"  # Utrecht
    client = client_for(foundation_staff)
    response = client.post(_url(program, school), {"region": "zuid", "reason": ""})
    assert response.status_code == 200
    assert "Zeg waarom" in response.content.decode()
    assert School.objects.get(pk=school.pk).holiday_region_override == ""
    response = client.post(
        _url(program, school),
        {"region": "zuid", "reason": "Volgt de vakanties van de moederschool"},
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.holiday_region == "zuid" and school.official_holiday_region == "midden"
    pair.refresh_from_db()
    assert planning.school_region(pair) == "zuid"
    page = client.get(_url(program, school)).content.decode()
    assert "Volgt de vakanties van de moederschool" in page
    client.post(_url(program, school), {"region": "", "reason": "weg"})
    school.refresh_from_db()
    assert (school.holiday_region_override, school.holiday_region_reason) == ("", "")


def test_program_staff_see_the_region_but_cannot_change_it(client_for, staff, program):
    school = f.make_school(program=program)
    client = client_for(staff)
    page = client.get(_url(program, school))
    assert (
        page.status_code == 200 and "Alleen medewerkers van de stichting" in page.content.decode()
    )
    response = client.post(_url(program, school), {"region": "zuid", "reason": "x"})
    assert response.status_code == 403
    assert School.objects.get(pk=school.pk).holiday_region_override == ""


def test_a_school_of_another_program_is_404(client_for, staff, program, coach_program):
    other = f.make_school(program=coach_program)
    assert client_for(staff).get(_url(program, other)).status_code == 404
