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
