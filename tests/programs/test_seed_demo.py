"""The demo command builds a working program through the apps' own services."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

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
@pytest.mark.parametrize(
    "today", ["2026-09-10", "2026-12-07", "2027-02-01", "2027-05-20", "2027-06-15"]
)
def test_the_demo_is_in_progress_on_any_day_of_the_year(today):
    """Whatever today is, the demo's matching lies behind and its meetings are under way, on
    schools with a municipality and their official holiday region."""
    import datetime as dt

    import time_machine

    from mentoring.meetings.models import Meeting
    from places.holidays import region_for
    from programs.models import School

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
        # The round pairs most schools on every day, not only the demo login's locked pair:
        # the mentors are available in the months of the meetings, whichever they are.
        assert Pair.objects.filter(program=mentoring).count() >= 8  # of 13 approved mentors
        assert Meeting.objects.filter(pair__program=mentoring, status="held").exists()
        assert Pair.objects.filter(program=mentoring, first_contact_at__isnull=False).exists()
        for school in School.objects.all():
            assert school.municipality, school
            assert school.holiday_region == region_for(
                school.province, school.municipality, school.pc4
            )


def _real_program_year(**extra) -> ProgramYear:
    import datetime as dt

    values = {
        "name": "Mentoring schoolleiders",  # the demo's name: the name does not mark the demo
        "kind": "mentor_leader",
        "school_year": "2019-2020",
        "registration_opens": dt.date(2019, 9, 1),
        "registration_closes": dt.date(2019, 10, 1),
        "webinar_start": dt.date(2019, 9, 10),
        "webinar_end": dt.date(2019, 10, 20),
        "matching_date": dt.date(2019, 11, 1),
        "meetings_start": dt.date(2019, 11, 5),
        "meetings_end": dt.date(2020, 3, 1),
    }
    return ProgramYear.objects.create(**{**values, **extra})


@pytest.mark.django_db
def test_force_replaces_the_demo_and_nothing_else():
    from people.models import Role, SchoolleiderProfile
    from programs.models import Enrollment, School

    real = _real_program_year()
    school = School.objects.create(
        brin="99ZZ",
        vestiging="00",
        name="Echte school",
        sector="po",
        postcode="3511 AB",
        pc4="3511",
    )
    Enrollment.objects.create(program=real, school=school)
    person = User.objects.create_user("directie@echteschool.nl", "geheim-en-lang-genoeg")
    role = Role.objects.create(user=person, program=real, kind="schoolleider")
    SchoolleiderProfile.objects.create(role=role, school=school)
    small = {"schools": 10, "mentors": 9, "coach_schools": 4, "coaches": 2}

    call_command("seed_demo", **small, stdout=io.StringIO())
    first = set(ProgramYear.objects.exclude(pk=real.pk).values_list("pk", flat=True))
    assert len(first) == 2
    demo_schools = set(School.objects.exclude(pk=school.pk).values_list("pk", flat=True))
    assert len(demo_schools) == 14
    counts = (ProgramYear.objects.count(), School.objects.count(), User.objects.count())

    # Without --force a second run builds nothing.
    again = io.StringIO()
    call_command("seed_demo", **small, stdout=again)
    assert "exists already" in again.getvalue()
    assert (ProgramYear.objects.count(), School.objects.count(), User.objects.count()) == counts

    call_command("seed_demo", **small, force=True, stdout=io.StringIO())
    # The real program year, its school, person and role are untouched ...
    real.refresh_from_db()
    assert Role.objects.filter(pk=role.pk, program=real, user=person).exists()
    assert SchoolleiderProfile.objects.filter(role=role, school=school).exists()
    assert Enrollment.objects.filter(program=real, school=school).exists()
    # ... and the demo is replaced, not added to.
    second = set(ProgramYear.objects.exclude(pk=real.pk).values_list("pk", flat=True))
    assert len(second) == 2 and not first & second
    assert not School.objects.filter(pk__in=demo_schools).exists()
    assert (ProgramYear.objects.count(), School.objects.count(), User.objects.count()) == counts
    assert Pair.objects.filter(program_id__in=second).exists()
    assert not Pair.objects.exclude(program_id__in=second).exists()


@pytest.mark.django_db
def test_the_demo_refuses_to_overwrite_a_real_program_year_of_its_year():
    """One program year per kind and school year: a real one in the demo's year stays, and
    the demo says why it cannot be built."""
    from django.core.management.base import CommandError

    from programs.demo import timelines

    year = timelines(timezone.localdate())[0]["school_year"]
    real = _real_program_year(school_year=year)
    with pytest.raises(CommandError, match=year):
        call_command("seed_demo", schools=4, mentors=4, coach_schools=2, coaches=1, force=True)
    assert list(ProgramYear.objects.all()) == [real]
    assert not User.objects.exists()
