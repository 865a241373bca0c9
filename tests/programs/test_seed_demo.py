"""The demo command builds a working program through the apps' own services."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from mentoring.pairs.models import CoachAssignment, Pair
from people.models import User
from programs.models import ProgramYear

LOGINS = [
    "staf@demo.leerkracht.example",
    "mentor@demo.leerkracht.example",
    "schoolleider@demo.leerkracht.example",
    "coach@demo.leerkracht.example",
]


@pytest.mark.django_db
def test_demo_builds_a_working_program_once(client):
    # One build for every check: seeding runs the real matching and planning services.
    out = io.StringIO()
    call_command("seed_demo", schools=40, mentors=36, coach_schools=24, coaches=4, stdout=out)
    printed = out.getvalue()

    mentoring = ProgramYear.objects.get(kind="mentor_leader")
    assert Pair.objects.filter(program=mentoring).count() > 20
    assert Pair.objects.filter(
        mentor__user__email="mentor@demo.leerkracht.example",
        schoolleider__user__email="schoolleider@demo.leerkracht.example",
    ).exists()
    assert CoachAssignment.objects.filter(
        coach__user__email="coach@demo.leerkracht.example"
    ).exists()

    for email in LOGINS:
        assert email in printed
        user = User.objects.get(email=email)
        assert user.check_password("demo-wachtwoord-2026")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        program = user.roles.first().program
        assert client.get(reverse("program_home", args=[program.pk])).status_code == 200, email

    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert "exists already" in again.getvalue()
    assert ProgramYear.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("today", ["2026-09-10", "2027-02-01", "2027-06-15"])
def test_the_demo_is_in_progress_on_any_day_of_the_year(today):
    """Whatever today is, the demo's matching lies behind and its meetings are under way, on
    schools with a municipality and their official holiday region."""
    import datetime as dt

    import time_machine

    from mentoring.meetings.models import Meeting
    from places.holidays import region_for

    day = dt.date.fromisoformat(today)
    with time_machine.travel(dt.datetime.combine(day, dt.time(9)), tick=False):
        call_command(
            "seed_demo", schools=16, mentors=14, coach_schools=6, coaches=2, stdout=io.StringIO()
        )
        for program in ProgramYear.objects.all():
            program.full_clean()
            assert program.matching_date < day <= program.meetings_end, program
            assert Pair.objects.filter(program=program).exists() or program.kind != "mentor_leader"
        mentoring = ProgramYear.objects.get(kind="mentor_leader")
        assert mentoring.closing_date > mentoring.meetings_end
        assert Meeting.objects.filter(pair__program=mentoring, status="held").exists()
        assert Pair.objects.filter(program=mentoring, first_contact_at__isnull=False).exists()
        schools = [
            p.school for p in Pair.objects.filter(program=mentoring).select_related("school")
        ]
        for school in schools:
            assert school.municipality, school
            assert school.holiday_region == region_for(
                school.province, school.municipality, school.pc4
            )
