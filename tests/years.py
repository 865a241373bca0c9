"""One school shared by two program years, with different people in each year.

A school takes part year after year and keeps one ``School`` row, while its schoolleider, its
expertcoach and its mentor pair belong to one program year. ``make_two_years()`` builds:

- year A (2026-2027) and year B (2025-2026), each with a mentoring program and an
  expertcoach program;
- one school enrolled in all four programs, and a second school enrolled in both expertcoach
  programs (assigned to B's coach last year, still to be placed this year: the continuity case);
- per year: a staff member, a schoolleider of the shared school paired with a mentor (three
  meetings, one planned), an unpaired schoolleider of the shared school and an unpaired mentor
  (so the matching round has people to load), an expertcoach assigned to the shared school, and
  a schoolleider of the shared school in the expertcoach program.

Every person of year B carries ``OUD`` in the last name, an ``@vorigjaar.example`` email and
an ``0699`` phone, so a test can assert none of that appears on year A's pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from mentoring.guides.services import guides_seed
from mentoring.meetings.enums import MeetingMode, MeetingStatus
from mentoring.meetings.models import Meeting
from mentoring.pairs.enums import PairStatus
from mentoring.pairs.models import CoachAssignment, Pair
from notifications.enums import Status
from notifications.models import Notification
from people.enums import RoleKind
from people.models import Role, User
from programs.enums import ProgramKind
from programs.models import Enrollment, ProgramYear, School
from tests import factories as f
from webinars.enums import RegistrationStatus
from webinars.models import Registration, WebinarSession

B_EMAIL_DOMAIN = "@vorigjaar.example"


@dataclass
class Year:
    label: str
    mentoring: ProgramYear
    coaching: ProgramYear
    staff: User
    schoolleider: User  # paired, mentoring program
    mentor: User
    free_schoolleider: User  # not paired: loaded by the matching round
    free_mentor: User
    coach: User
    coach_schoolleider: User  # schoolleider of the shared school in the expertcoach program
    pair: Pair
    assignment: CoachAssignment
    people: list[User] = field(default_factory=list)

    def traces(self) -> list[str]:
        """Every name, email and phone of this year's people (what must not leak)."""
        out: list[str] = []
        for user in self.people:
            out += [user.last_name, user.email, user.phone]
        return [t for t in out if t]


@dataclass
class TwoYears:
    school: School
    continuity_school: School
    a: Year
    b: Year


def _person(label: str, role: str, n: int) -> dict:
    if label == "B":
        return {
            "email": f"b.{role}{B_EMAIL_DOMAIN}",
            "first_name": "Bram",
            "last_name": f"OUD{role.capitalize()}",
            "phone": f"06990000{n:02d}",
        }
    return {
        "email": f"a.{role}@ditjaar.example",
        "first_name": "Anna",
        "last_name": f"Nieuw{role.capitalize()}",
        "phone": f"06110000{n:02d}",
    }


def _set(user: User, values: dict) -> User:
    User.objects.filter(pk=user.pk).update(**values)
    user.refresh_from_db()
    return user


def _make_year(
    label: str,
    school_year: str,
    school: School,
    continuity_school: School,
    reuse: dict[str, User] | None = None,
) -> Year:
    mentoring = f.make_program(ProgramKind.MENTOR_LEADER, school_year)
    coaching = f.make_program(ProgramKind.COACH_SCHOOL, school_year)
    for program in (mentoring, coaching):
        Enrollment.objects.create(program=program, school=school)
    Enrollment.objects.create(program=coaching, school=continuity_school)

    reuse = reuse or {}

    def user_for(role: str, n: int, make) -> User:
        values = _person(label, role, n)
        user = make(values["email"])
        if role in reuse:  # the same person takes part again: move the new role to them
            Role.objects.filter(user=user).update(user=reuse[role])
            user.delete()
            return reuse[role]
        return _set(user, {k: v for k, v in values.items() if k != "email"})

    staff = user_for("staf", 1, lambda e: f.make_staff(mentoring, e))
    f.make_role(staff, coaching, RoleKind.STAFF)
    leader = user_for("leider", 2, lambda e: f.make_schoolleider(mentoring, school=school, email=e))
    mentor = user_for("mentor", 3, lambda e: f.make_mentor(mentoring, email=e))
    free_leader = user_for(
        "vrijeleider", 4, lambda e: f.make_schoolleider(mentoring, school=school, email=e)
    )
    free_mentor = user_for("vrijementor", 5, lambda e: f.make_mentor(mentoring, email=e))
    coach = user_for("coach", 6, lambda e: f.make_expertcoach(coaching, email=e))
    coach_leader = user_for(
        "coachleider", 7, lambda e: f.make_schoolleider(coaching, school=school, email=e)
    )

    def role(user, program, kind):
        return Role.objects.get(user=user, program=program, kind=kind)

    pair = Pair.objects.create(
        program=mentoring,
        mentor=role(mentor, mentoring, RoleKind.MENTOR),
        schoolleider=role(leader, mentoring, RoleKind.SCHOOLLEIDER),
        school=school,
        published_at=timezone.now(),
    )
    start = mentoring.meetings_start
    for number in (1, 2, 3):
        starts = dt.datetime(start.year, start.month, start.day + number, 14, tzinfo=dt.UTC)
        Meeting.objects.create(
            pair=pair,
            number=number,
            **(
                {
                    "status": MeetingStatus.PLANNED,
                    "starts_at": starts,
                    "ends_at": starts + dt.timedelta(hours=2),
                    "mode": MeetingMode.SCHOOL,
                    "location": school.name,
                    "planned_at": timezone.now(),
                }
                if number == 1
                else {}
            ),
        )
    assignment = CoachAssignment.objects.create(
        program=coaching,
        coach=role(coach, coaching, RoleKind.EXPERTCOACH),
        school=school,
        published_at=timezone.now(),
    )
    # A webinar session of the year with the mentors registered (one attended).
    session = WebinarSession.objects.create(
        program=mentoring,
        title=f"Webinar {school_year}",
        starts_at=dt.datetime(int(school_year[:4]), 10, 8, 16, tzinfo=dt.UTC),
        ends_at=dt.datetime(int(school_year[:4]), 10, 8, 17, 30, tzinfo=dt.UTC),
        meeting_url="https://webinar.example/sessie",
        capacity=20,
        host=staff,
        open_to_schoolleiders=True,
    )
    for person, attended in ((mentor, True), (free_mentor, None)):
        Registration.objects.create(
            session=session,
            program=mentoring,
            role=role(person, mentoring, RoleKind.MENTOR),
            user=person,
            status=RegistrationStatus.CONFIRMED,
            confirmed_at=timezone.now(),
            attended=attended,
        )
    guides_seed(program=mentoring, by=staff)
    guides_seed(program=coaching, by=staff)
    # An earlier, ended pair of the schoolleider; its mentor waits for a new partner.
    Pair.objects.create(
        program=mentoring,
        mentor=role(free_mentor, mentoring, RoleKind.MENTOR),
        schoolleider=role(leader, mentoring, RoleKind.SCHOOLLEIDER),
        school=school,
        status=PairStatus.ENDED,
        published_at=timezone.now(),
        ended_at=timezone.now(),
        ended_side="schoolleider",
        end_reason="Geen tijd meer",
    )
    # A failed email about the pair, tagged with the program year (shown in the staff outbox).
    Notification.objects.create(
        kind="pair_published",
        recipient=mentor,
        to_email=mentor.email,
        program=mentoring,
        subject=f"Uw schoolleider is {leader.get_full_name()}",
        body_text=f"{leader.get_full_name()} <{leader.email}>, {leader.phone}",
        status=Status.FAILED,
    )
    year = Year(
        label=label,
        mentoring=mentoring,
        coaching=coaching,
        staff=staff,
        schoolleider=leader,
        mentor=mentor,
        free_schoolleider=free_leader,
        free_mentor=free_mentor,
        coach=coach,
        coach_schoolleider=coach_leader,
        pair=pair,
        assignment=assignment,
    )
    everyone = [staff, leader, mentor, free_leader, free_mentor, coach, coach_leader]
    year.people = [u for u in everyone if u not in reuse.values()]
    return year


#: With ``returning=True`` these people of year A also took part in year B (the same mentor
#: with another schoolleider, the same expertcoach, the same schoolleider in the coach program).
RETURNING = ("mentor", "coach", "coachleider")
_ATTR = {"mentor": "mentor", "coach": "coach", "coachleider": "coach_schoolleider"}


def make_two_years(*, returning: bool = False) -> TwoYears:
    """The two years; ``returning`` makes some of year A's people year B's too (RETURNING).

    ``b.people`` then holds only the people of year B who are not in year A.
    """
    school = f.make_school(name="Basisschool De Gedeelde Eik")
    continuity_school = f.make_school(name="Basisschool Het Vervolg")
    a = _make_year("A", "2026-2027", school, continuity_school)
    reuse = {role: getattr(a, attr) for role, attr in _ATTR.items()} if returning else None
    b = _make_year("B", "2025-2026", school, continuity_school, reuse)
    # Last year B's coach guided the continuity school; this year it still has to be placed.
    CoachAssignment.objects.create(
        program=b.coaching,
        coach=b.assignment.coach,
        school=continuity_school,
        published_at=timezone.now(),
    )
    return TwoYears(school=school, continuity_school=continuity_school, a=a, b=b)
