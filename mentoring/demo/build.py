"""Building the demo: two program years, hundreds of schools on real postcodes, people, and a
mentoring program a few weeks under way.

Each app seeds its own part through its own services, in its ``demo.py``; this module (the
top layer, so it may use every app) only calls them in order and hands each step what the
earlier ones made. Everything is drawn from one seeded random generator on the built-in
postcode table, so every run gives the same demo. History (sign-ups, webinars, the matching,
meetings already held) is made by setting the clock to the moment it happened (time-machine):
the services stamp their own times and rightly refuse to book anything in the past.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import time_machine
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.utils import timezone

from matching import demo as matching_demo
from mentoring.guides import demo as guides_demo
from mentoring.meetings import demo as meetings_demo
from mentoring.pairs import demo as pairs_demo
from mentoring.pairs.models import Pair
from notifications import demo as notifications_demo
from people import demo as people_demo
from people.enums import MentorStatus, RoleKind
from people.models import Role
from places.demo import Postcodes
from programs import demo as programs_demo
from webinars import demo as webinars_demo


def exists() -> bool:
    return programs_demo.demo_program_years().exists()


def clear() -> None:
    """Delete the demo, and nothing else: its program years (with everything in them), the
    schools only they use, the demo accounts and the emails to them."""
    programs = list(programs_demo.demo_program_years().values_list("pk", flat=True))
    # Top down: what an app protects from deletion goes first.
    pairs_demo.delete(programs=programs)
    matching_demo.delete(programs=programs)
    programs_demo.delete(programs=programs)
    people_demo.delete_accounts()
    notifications_demo.delete_outbox()


def _at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def build(
    *,
    schools: int,
    mentors: int,
    coach_schools: int,
    coaches: int,
    seed: int,
    say: Callable[[str], None],
    stdout=None,
) -> None:
    rng = random.Random(seed)
    password_hash = make_password(people_demo.PASSWORD)
    names = people_demo.Names(rng)
    postcodes = Postcodes(rng)
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    setup = dt.datetime.combine(programs_demo.setup_day(today), dt.time(9), tzinfo=tz)
    hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)

    # Staff set up both program years and their guides, and import the schools.
    with _at(setup):
        staff = people_demo.staff_account(password_hash=password_hash)
        names.used.add(staff.email)
        mentoring, coaching = programs_demo.program_years(today=today)
        people_demo.staff_roles(user=staff, programs=[mentoring, coaching])
        for program in (mentoring, coaching):
            call_command("seed_guides", str(program.pk), stdout=stdout)
    rows = programs_demo.school_rows(
        rng=rng, postcodes=postcodes, count=schools + coach_schools, latest_year=today.year
    )
    with _at(setup + hour):
        leaders = names.people(
            schools,
            domain=people_demo.SCHOOL_DOMAIN,
            first_email=people_demo.SCHOOLLEIDER_EMAIL,
        )
        mentoring_schools = programs_demo.import_schools(
            program=mentoring, schools=rows[:schools], leaders=leaders, by=staff
        )
    with _at(setup + day):
        people_demo.accept_invitations(program=mentoring, password_hash=password_hash)
        people_demo.confirm_schoolleiders(program=mentoring, rng=rng)
    # Coach-program schools have their schoolleider as contact for the expertcoach.
    with _at(setup + hour):
        leaders = names.people(
            coach_schools,
            domain=people_demo.SCHOOL_DOMAIN,
            first_email=people_demo.SCHOOLLEIDER_COACHING_EMAIL,
        )
        coach_program_schools = programs_demo.import_schools(
            program=coaching, schools=rows[schools:], leaders=leaders, by=staff
        )
    with _at(setup + day):
        people_demo.confirm_schoolleiders(program=coaching, rng=rng)

    # Mentors sign up for the mentoring program; staff review them.
    people_demo.mentors(
        program=mentoring,
        people=names.people(
            mentors, domain=people_demo.COMPANY_DOMAIN, first_email=people_demo.MENTOR_EMAIL
        ),
        rng=rng,
        postcodes=postcodes,
        near=mentoring_schools[0],
        reviewer=staff,
        password_hash=password_hash,
    )
    with _at(setup + 2 * hour):
        programs_demo.import_coaches(
            program=coaching,
            people=names.people(
                coaches, domain=people_demo.COACH_DOMAIN, first_email=people_demo.COACH_EMAIL
            ),
            rng=rng,
            postcodes=postcodes,
            by=staff,
        )
    with _at(setup + day):
        people_demo.accept_invitations(program=coaching, password_hash=password_hash)
        # The demo coach-program school has two schoolcoaches for its expertcoach.
        if coach_program_schools:
            pairs_demo.schoolcoaches(program=coaching, school=coach_program_schools[0])

    approved = Role.objects.filter(
        program=mentoring, kind=RoleKind.MENTOR, mentor_profile__status=MentorStatus.APPROVED
    ).order_by("pk")
    webinars_demo.seed(program=mentoring, staff=staff, mentors=list(approved), rng=rng)

    demo_lock = (
        Role.objects.get(user__email=people_demo.MENTOR_EMAIL, program=mentoring),
        Role.objects.get(user__email=people_demo.SCHOOLLEIDER_EMAIL, program=mentoring),
    )
    for program, lock in ((mentoring, demo_lock), (coaching, None)):
        count = matching_demo.publish_round(
            program=program,
            staff=staff,
            lock=lock,
            note="Demo: kennen elkaar via de Rabobank-regio",
        )
        say(f"{program}: {count} pairs published.")

    pairs = list(
        Pair.objects.filter(program=mentoring)
        .select_related("mentor__user", "schoolleider__user", "school__region", "program")
        .order_by("pk")
    )
    demo = next(p for p in pairs if p.mentor.user.email == people_demo.MENTOR_EMAIL)
    seeded = meetings_demo.seed(pairs=pairs, demo=demo, rng=rng)
    guides_demo.history(pairs=pairs, held=seeded.held, demo=demo, rng=rng)
    pairs_demo.first_contacts(pairs=pairs, started=set(seeded.held) | seeded.planned, rng=rng)
