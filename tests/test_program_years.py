"""One school in two program years: no page, export or feed of one year shows the other's people.

A school keeps one ``School`` row year after year, while its schoolleider, its expertcoach and
its pair belong to one program year. The fixture enrols one school in two mentoring years and
two coaching years, with different people in each, pairs, meetings and coach assignments in
both. The walk visits every program page each role of one year may open (taken from the URL
configuration, as the access matrix does, so a page added later is covered without extra work),
plus the pages outside a program (home, my data, calendar feed, message settings), and asserts
that none of the other year's names, emails or phone numbers appears — also inside CSV, XLSX,
iCalendar and JSON downloads.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.meetings.models import CalendarFeed
from mentoring.pairs.models import CoachAssignment, Pair
from people.enums import RoleKind
from people.models import MentorProfile, Role, SchoolleiderProfile
from programs.enums import ProgramKind
from programs.models import Enrollment
from tests import factories as f
from tests.matching.matching_helpers import make_round, solve
from tests.meetings.helpers import ams, force_planned
from tests.test_access_matrix import program_pages

YEARS = ("2026-2027", "2025-2026")


@dataclass
class Year:
    label: str
    mentoring: object
    coaching: object
    staff: object
    mentor: object
    schoolleider: object
    coach: object
    coach_leader: object
    pair: Pair
    assignment: CoachAssignment
    round: object
    secrets: list[str] = field(default_factory=list)


def _person(tag: str, year: str, role: str) -> dict:
    """Distinctive, searchable details for one person of one year."""
    slug = f"{role}{year[:4]}"
    return {
        "email": f"{slug}.{tag}@example.org",
        "first_name": f"Voor{slug.capitalize()}",
        "last_name": f"Achter{slug.capitalize()}",
        "phone": f"06-{year[:4]}{len(role):04d}",
    }


def _make_year(school, year: str, tag: str) -> Year:
    start = int(year[:4])
    mentoring = f.make_program(school_year=year)
    coaching = f.make_program(ProgramKind.COACH_SCHOOL, school_year=year)
    for program in (mentoring, coaching):
        Enrollment.objects.get_or_create(program=program, school=school)
    people = {
        role: _person(tag, year, role)
        for role in (
            "staf",
            "mentor",
            "schoolleider",
            "coach",
            "coachleider",
            "reservementor",
            "reserveleider",
        )
    }

    def user(role):
        details = dict(people[role])
        u = f.make_user(details.pop("email"), **details)
        return u

    staff = user("staf")
    f.make_role(staff, mentoring, RoleKind.STAFF)
    f.make_role(staff, coaching, RoleKind.STAFF)

    mentor = user("mentor")
    mentor_role = f.make_role(mentor, mentoring, RoleKind.MENTOR)
    MentorProfile.objects.create(
        role=mentor_role,
        organisation=f"Bedrijf {tag} {start}",
        job_title="Teamleider",
        methods=["lean"],
        postcode="3511 CD",
        pc4="3511",
        max_travel_km=40,
        months_available=[11, 12, 1, 2, 3],
        introduction="Lean.",
        status="approved",
    )
    leader = user("schoolleider")
    leader_role = f.make_role(leader, mentoring, RoleKind.SCHOOLLEIDER)
    SchoolleiderProfile.objects.create(role=leader_role, school=school)
    pair = Pair.objects.create(
        program=mentoring,
        mentor=mentor_role,
        schoolleider=leader_role,
        school=school,
        published_at=timezone.now(),
    )
    force_planned(pair, 1, ams(start, 12, 1, 15))

    # Unpaired people of the year (one at the shared school) and a solved round with them.
    spare_mentor = user("reservementor")
    MentorProfile.objects.create(
        role=f.make_role(spare_mentor, mentoring, RoleKind.MENTOR),
        organisation=f"Reservebedrijf {tag} {start}",
        job_title="Manager",
        methods=["kaizen"],
        postcode="3511 CD",
        pc4="3511",
        max_travel_km=40,
        months_available=[11, 12, 1, 2, 3],
        introduction="Kaizen.",
        status="approved",
    )
    SchoolleiderProfile.objects.create(
        role=f.make_role(user("reserveleider"), mentoring, RoleKind.SCHOOLLEIDER), school=school
    )
    round_ = make_round(mentoring, staff)
    solve(round_, staff)

    coach = user("coach")
    coach_role = f.make_role(coach, coaching, RoleKind.EXPERTCOACH)
    from people.models import ExpertcoachProfile

    ExpertcoachProfile.objects.create(
        role=coach_role, postcode="3511 EF", pc4="3511", capacity=5, max_travel_km=80
    )
    coach_leader = user("coachleider")
    cl_role = f.make_role(coach_leader, coaching, RoleKind.SCHOOLLEIDER)
    SchoolleiderProfile.objects.create(role=cl_role, school=school)
    assignment = CoachAssignment.objects.create(
        program=coaching, coach=coach_role, school=school, published_at=timezone.now()
    )
    secrets = []
    for details in people.values():
        secrets += [details["email"], details["first_name"], details["last_name"], details["phone"]]
    return Year(
        label=year,
        mentoring=mentoring,
        coaching=coaching,
        staff=staff,
        mentor=mentor,
        schoolleider=leader,
        coach=coach,
        coach_leader=coach_leader,
        pair=pair,
        assignment=assignment,
        round=round_,
        secrets=secrets,
    )


@pytest.fixture
def two_years(db):
    """One school enrolled in two program years with its own people, pairs and meetings in each."""
    school = f.make_school(name="OBS De Gedeelde School")
    return {
        year: _make_year(school, year, tag) for year, tag in zip(YEARS, ("a", "b"), strict=True)
    }


def _kwargs_for(year: Year, program) -> dict[str, str]:
    """Real ids of the year's own objects, so the walk opens real detail pages."""
    mentor_profile = MentorProfile.objects.get(role__user=year.mentor, role__program=year.mentoring)
    leader_role = Role.objects.get(user=year.schoolleider, program=year.mentoring)
    return {
        "program_id": str(program.pk),
        "pair_id": str(year.pair.pk),
        "number": "1",
        "profile_id": str(mentor_profile.pk),
        "role_id": str(leader_role.pk),
        "side": "schoolleider",
        "index": "0",
        "assignment_id": str(year.assignment.pk),
        "round_id": str(year.round.pk),
    }


def _url(route: str, values: dict[str, str]) -> str:
    def fill(match):
        return values.get(match.group(2), "1" if match.group(1) == "int" else "x")

    url = re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    return "/" + url.lstrip("^").rstrip("$")


def _text(response) -> str:
    """The response as searchable text, also for XLSX (zipped XML) downloads."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    return body.decode("utf-8", "replace")


def _pages_for(year: Year):
    """(who, user, program, url) for every GET page each role of the year may open."""
    roles = {
        RoleKind.STAFF: [(year.staff, year.mentoring), (year.staff, year.coaching)],
        RoleKind.MENTOR: [(year.mentor, year.mentoring)],
        RoleKind.SCHOOLLEIDER: [(year.schoolleider, year.mentoring)],
        RoleKind.EXPERTCOACH: [(year.coach, year.coaching)],
        "coach_schoolleider": [(year.coach_leader, year.coaching)],
    }
    for who, entries in roles.items():
        kind = RoleKind.SCHOOLLEIDER if who == "coach_schoolleider" else who
        for user, program in entries:
            values = _kwargs_for(year, program)
            for route, pattern in program_pages():
                if kind in pattern.callback.allowed_roles:
                    side = "row" if "waarom" in route else values["side"]
                    yield who, user, _url(route, {**values, "side": side})
            for url in ("/", reverse("privacy:my_data"), reverse("privacy:my_data_download")):
                yield who, user, url
            for name in ("meetings:feed_settings", "notifications:preferences"):
                yield who, user, reverse(name)
            # The private calendar feed (staff follow their programs, so theirs has both pairs'
            # meetings of the year if it leaked the other).
            feed, _ = CalendarFeed.objects.get_or_create(user=user)
            if who == RoleKind.STAFF:
                feed.followed_programs.add(program)
            yield who, user, reverse("meetings:feed", args=[feed.token])


@pytest.mark.parametrize("seen_from", YEARS)
@pytest.mark.django_db
def test_no_page_of_one_year_shows_the_other_years_people(client, two_years, seen_from):
    year = two_years[seen_from]
    other = next(y for label, y in two_years.items() if label != seen_from)
    opened = leaks = 0
    found: list[str] = []
    for who, user, url in _pages_for(year):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        response = client.get(url)
        if response.status_code != 200:
            continue
        opened += 1
        text = _text(response)
        for secret in other.secrets:
            if secret in text:
                leaks += 1
                found.append(f"{who} {url}: {secret}")
    assert not found, "\n".join(found)
    assert leaks == 0
    # The walk really opened the pages that join through the shared school.
    assert opened >= 40, opened


@pytest.mark.django_db
def test_the_walk_sees_this_years_people_where_they_belong(client, two_years):
    """The check above is not vacuous: the same pages do show this year's people."""
    year = two_years[YEARS[0]]
    client.force_login(year.coach, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(reverse("pairs:coach_schools", args=[year.coaching.pk])).content.decode()
    assert year.coach_leader.email in html
    client.force_login(year.staff, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(reverse("programs:school_list", args=[year.mentoring.pk])).content.decode()
    assert year.schoolleider.last_name in html


@pytest.mark.django_db
def test_coach_sees_only_this_years_schoolleider_of_a_shared_school(client, two_years):
    """The bug this issue found: the coach's school list joined schools to every year's leaders."""
    this, last = two_years[YEARS[0]], two_years[YEARS[1]]
    client.force_login(this.coach, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(reverse("pairs:coach_schools", args=[this.coaching.pk])).content.decode()
    assert this.coach_leader.email in html
    assert last.coach_leader.email not in html
    assert last.schoolleider.email not in html  # the other program's leader at the same school
    assert this.schoolleider.email not in html  # and not the mentoring program's leader either


@pytest.mark.django_db
def test_the_staff_feed_of_one_year_has_only_that_years_meetings(client, two_years):
    this, last = two_years[YEARS[0]], two_years[YEARS[1]]
    feed = CalendarFeed.objects.create(user=this.staff)
    feed.followed_programs.add(this.mentoring)
    body = client.get(reverse("meetings:feed", args=[feed.token])).content.decode()
    assert body.count("BEGIN:VEVENT") == 1
    assert this.pair.meetings.get(number=1).uid in body
    assert last.pair.meetings.get(number=1).uid not in body
