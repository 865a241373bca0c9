"""Build a realistic demo: two program years, hundreds of schools on real postcodes, people.

Everything is generated from a fixed seed on the built-in postcode table, so every run gives the
same demo. Each later step (webinars, matching, meetings, guides) uses the apps' own services,
so the demo shows the product as it really behaves.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from people.enums import MentorStatus, Method, RoleKind
from people.models import (
    ExpertcoachProfile,
    MentorProfile,
    Role,
    SchoolleiderProfile,
    User,
)
from places.models import Postcode
from programs.enums import PROVINCES, Phase, ProgramKind, Sector
from programs.models import Enrollment, ProgramYear, Region, School

DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105  (printed for the demo logins)

FIRST = [
    "Anne",
    "Bas",
    "Chantal",
    "Daan",
    "Eva",
    "Femke",
    "Gerrit",
    "Hanna",
    "Ilse",
    "Jeroen",
    "Karin",
    "Lars",
    "Mila",
    "Noah",
    "Olga",
    "Pieter",
    "Quinten",
    "Rianne",
    "Sanne",
    "Tim",
    "Ursula",
    "Vera",
    "Willem",
    "Yara",
    "Zeynep",
    "Mohamed",
    "Fatima",
    "Sven",
    "Lotte",
    "Ruben",
    "Esther",
    "Bram",
    "Naima",
    "Joost",
    "Ingrid",
    "Thijs",
    "Marloes",
    "Koen",
    "Saskia",
    "Youssef",
    "Annelies",
    "Hidde",
    "Wendy",
    "Stijn",
]
LAST = [
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van Dijk",
    "El Amrani",
    "Yilmaz",
    "Postma",
    "Hoekstra",
    "Kramer",
    "Prins",
    "Huisman",
]
PO_NAMES = [
    "De Regenboog",
    "Het Kompas",
    "De Wegwijzer",
    "'t Startblok",
    "De Fontein",
    "De Springplank",
    "Het Palet",
    "De Vlinder",
    "De Klimop",
    "De Zonnewijzer",
    "Het Anker",
    "De Sterrenkijker",
    "De Boomgaard",
    "De Horizon",
    "Het Mozaïek",
    "De Driesprong",
    "De Windroos",
    "Het Baken",
    "De Ontdekking",
    "De Toermalijn",
]
PO_PREFIX = [
    "Basisschool",
    "OBS",
    "CBS",
    "RKBS",
    "Daltonschool",
    "Montessorischool",
    "Jenaplanschool",
]
VO_NAMES = [
    "Stedelijk College",
    "Christelijk Lyceum",
    "Het Baarnsch Lyceum",
    "Scholengemeenschap",
    "Vakcollege",
    "Gymnasium",
    "Montessori Lyceum",
    "Technasium",
]
MBO_NAMES = ["ROC", "Vakschool", "Techniek College", "Zorgcollege"]
HBO_NAMES = ["Pabo", "Hogeschool Educatie"]
ORGS = [
    ("Rabobank", "Teamleider klantcontact"),
    ("ASML", "Manager continuous improvement"),
    ("Philips", "Lean coach"),
    ("KLM Engineering & Maintenance", "Hoofd werkplaats"),
    ("Albert Heijn distributiecentrum", "Operationeel manager"),
    ("ING", "Agile coach"),
    ("Coolblue", "Teamlead logistiek"),
    ("Gemeente", "Afdelingshoofd dienstverlening"),
    ("DSM-Firmenich", "Plant manager"),
    ("Zilveren Kruis", "Manager zorginkoop"),
    ("NS", "Teamleider onderhoud"),
    ("Heijmans", "Projectmanager"),
    ("VDL Groep", "Productieleider"),
    ("Bol", "Product owner"),
    ("Ziekenhuis Rijnstate", "Leidinggevende verpleegafdeling"),
    ("FrieslandCampina", "Lean manager"),
]
INTROS = [
    "Ik werk al jaren met dagstarts aan een verbeterbord. Wat ik heb geleerd: klein beginnen en volhouden.",
    "Als teamleider zie ik elke week hoe een team sterker wordt als iedereen mag meedenken over verbeteringen.",
    "Ik begeleid teams bij de overstap naar Agile werken en ben benieuwd hoe dat in een school werkt.",
    "Kaizen is voor mij vooral een houding: elke dag een beetje beter. Die ervaring deel ik graag.",
    "Ik ben vader van twee schoolgaande kinderen en wil graag iets terugdoen voor het onderwijs.",
]


def school_year_of(day: dt.date) -> str:
    """The school year (August to July) a day falls in: 2026-2027 for 10 November 2026."""
    year = day.year if day.month >= 8 else day.year - 1
    return f"{year}-{year + 1}"


class Command(BaseCommand):
    help = "Build a realistic demo program year on SQLite (or any database) and print logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schools", type=int, default=400, help="schools in the mentoring program"
        )
        parser.add_argument("--mentors", type=int, default=340)
        parser.add_argument("--coach-schools", type=int, default=300)
        parser.add_argument("--coaches", type=int, default=32)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true", help="replace an existing demo")

    def handle(self, *args, **opts):
        if ProgramYear.objects.exists() and not opts["force"]:
            self.stdout.write("Demo data exists already (use --force to rebuild).")
            self.print_logins()
            return
        if not Postcode.objects.exists():
            raise CommandError("The postcode table is empty: run migrate first.")
        started = time.monotonic()
        self.rng = random.Random(opts["seed"])
        self.password = make_password(DEMO_PASSWORD)
        self.used_emails: set[str] = set()
        with transaction.atomic():
            if opts["force"]:
                self.clear()
            self.build(opts)
        self.stdout.write(self.style.SUCCESS(f"Demo built in {time.monotonic() - started:.1f} s."))
        self.extras()
        self.print_logins()

    # -- building ---------------------------------------------------------------------------
    def clear(self) -> None:
        from django.apps import apps

        for label in ["guides", "meetings", "webinars", "matching", "pairs"]:
            try:
                config = apps.get_app_config(label)
            except LookupError:
                continue
            for model in reversed(list(config.get_models())):
                model.objects.all().delete()
        Role.objects.all().delete()
        Enrollment.objects.all().delete()
        School.objects.all().delete()
        ProgramYear.objects.all().delete()
        User.objects.filter(email__endswith="@demo.leerkracht.example").delete()
        User.objects.filter(email__endswith=".demo.example").delete()

    def build(self, opts) -> None:
        # The timeline follows today, so that on any day of the year each role sees a program
        # in progress: the matching four weeks ago, the meetings under way, the closing ahead.
        today = timezone.localdate()
        match = today - dt.timedelta(days=28)
        self.mentoring = ProgramYear.objects.create(
            name="Mentoring schoolleiders",
            kind=ProgramKind.MENTOR_LEADER,
            school_year=school_year_of(match),
            registration_opens=match - dt.timedelta(days=70),
            registration_closes=match - dt.timedelta(days=26),
            webinar_start=match - dt.timedelta(days=40),
            webinar_end=match - dt.timedelta(days=10),
            matching_date=match,
            meetings_start=match + dt.timedelta(days=5),
            meetings_end=match + dt.timedelta(days=141),
            closing_date=match + dt.timedelta(days=148),
        )
        coach_match = today - dt.timedelta(days=100)
        self.coaching = ProgramYear.objects.create(
            name="Expertcoaches",
            kind=ProgramKind.COACH_SCHOOL,
            school_year=school_year_of(coach_match),
            registration_opens=coach_match - dt.timedelta(days=85),
            registration_closes=coach_match - dt.timedelta(days=55),
            webinar_start=coach_match + dt.timedelta(days=7),
            webinar_end=coach_match + dt.timedelta(days=36),
            matching_date=coach_match,
            meetings_start=coach_match + dt.timedelta(days=7),
            meetings_end=coach_match + dt.timedelta(days=310),
            closing_date=coach_match + dt.timedelta(days=310),
        )
        self.postcodes = self.postcodes_by_province()
        self.staff = self.user("staf@demo.leerkracht.example", "Sanne", "Verbeek", is_staff=True)
        for program in (self.mentoring, self.coaching):
            Role.objects.create(user=self.staff, program=program, kind=RoleKind.STAFF)
        schools = self.make_schools(opts["schools"] + opts["coach_schools"])
        self.mentoring_schools = schools[: opts["schools"]]
        self.coach_schools = schools[opts["schools"] :]
        self.make_schoolleiders(
            self.mentoring,
            self.mentoring_schools,
            first_email="schoolleider@demo.leerkracht.example",
        )
        # Coach-program schools have their schoolleider as contact for the expertcoach.
        self.make_schoolleiders(
            self.coaching,
            self.coach_schools,
            first_email="schoolleider.coaching@demo.leerkracht.example",
        )
        self.make_mentors(self.mentoring, opts["mentors"])
        self.make_coaches(self.coaching, opts["coaches"])
        # The demo coach-program school has two schoolcoaches for its expertcoach.
        from mentoring.pairs.services import schoolcoach_add

        for name, phone in [("Fatima el Amrani", "06 1234 5678"), ("Joost de Wit", "")]:
            slug = name.lower().replace(" ", ".")
            schoolcoach_add(
                program=self.coaching,
                school=self.coach_schools[0],
                name=name,
                email=f"{slug}@school.demo.example",
                phone=phone,
            )

    def postcodes_by_province(self) -> dict[str, list[Postcode]]:
        result: dict[str, list[Postcode]] = defaultdict(list)
        for pc in Postcode.objects.order_by("pc4"):
            result[pc.province].append(pc)
        return result

    def pick_postcode(self, province: str | None = None) -> Postcode:
        if province is None:
            # Weighted by how many postcodes a province has: roughly where people live.
            pool = [pc for pcs in self.postcodes.values() for pc in pcs]
            return self.rng.choice(pool)
        return self.rng.choice(self.postcodes[province])

    def name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST), self.rng.choice(LAST)

    def email_for(self, first: str, last: str, domain: str) -> str:
        base = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        email, n = f"{base}@{domain}", 1
        while email in self.used_emails:
            n += 1
            email = f"{base}{n}@{domain}"
        self.used_emails.add(email)
        return email

    def user(self, email: str, first: str, last: str, **extra) -> User:
        from allauth.account.models import EmailAddress

        self.used_emails.add(email)
        user = User.objects.create(
            email=email, first_name=first, last_name=last, password=self.password, **extra
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def bulk_users(self, rows: list[tuple[str, str, str]]) -> list[User]:
        from allauth.account.models import EmailAddress

        # bulk_create sets primary keys on both SQLite and PostgreSQL, in input order.
        users = User.objects.bulk_create(
            [
                User(email=e, first_name=fn, last_name=ln, password=self.password)
                for e, fn, ln in rows
            ]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
        )
        return users

    def bulk_roles(self, users: list[User], program, kind: str) -> list[Role]:
        return Role.objects.bulk_create([Role(user=u, program=program, kind=kind) for u in users])

    def make_schools(self, count: int) -> list[School]:
        resolve = Region.resolver()
        schools = []
        for i in range(count):
            province = PROVINCES[i % len(PROVINCES)] if i < 48 else None
            pc = self.pick_postcode(province)
            sector = self.rng.choices(
                [Sector.PO, Sector.VO, Sector.MBO, Sector.HBO], weights=[70, 20, 7, 3]
            )[0]
            if sector == Sector.PO:
                name = f"{self.rng.choice(PO_PREFIX)} {self.rng.choice(PO_NAMES)}"
            elif sector == Sector.VO:
                name = f"{self.rng.choice(VO_NAMES)} {pc.place}"
            elif sector == Sector.MBO:
                name = f"{self.rng.choice(MBO_NAMES)} {pc.place}"
            else:
                name = f"{self.rng.choice(HBO_NAMES)} {pc.place}"
            letters = "".join(self.rng.choice("ABCDEFGHJKLMNPRSTVWXZ") for _ in range(2))
            schools.append(
                School(
                    brin=f"{i // 100 + 10:02d}{letters}"[:4],
                    vestiging=f"{i % 100:02d}",
                    name=name,
                    sector=sector,
                    postcode=f"{pc.pc4} {letters}",
                    pc4=pc.pc4,
                    place=pc.place,
                    municipality=pc.municipality,
                    province=pc.province,
                    region=resolve(pc.province, pc.municipality),
                    phase=self.rng.choice(Phase.values),
                    joined_year=self.rng.randint(2015, 2026),
                )
            )
        return School.objects.bulk_create(schools)

    def make_schoolleiders(self, program, schools, first_email: str | None) -> None:
        rows = []
        for i, _school in enumerate(schools):
            first, last = self.name()
            email = (
                first_email
                if i == 0 and first_email
                else self.email_for(first, last, "school.demo.example")
            )
            self.used_emails.add(email)
            rows.append((email, first, last))
        users = self.bulk_users(rows)
        roles = self.bulk_roles(users, program, RoleKind.SCHOOLLEIDER)
        now = timezone.now()
        SchoolleiderProfile.objects.bulk_create(
            [
                SchoolleiderProfile(
                    role=role,
                    school=school,
                    job_title="Directeur" if school.sector == Sector.PO else "Teamleider",
                    prefers_online=self.rng.random() < 0.15,
                    confirmed_at=now if self.rng.random() < 0.8 else None,
                )
                for role, school in zip(roles, schools, strict=True)
            ]
        )
        Enrollment.objects.bulk_create([Enrollment(program=program, school=s) for s in schools])

    def make_mentors(self, program, count: int) -> None:
        rows = []
        for i in range(count):
            first, last = self.name()
            email = (
                "mentor@demo.leerkracht.example"
                if i == 0
                else self.email_for(first, last, "bedrijf.demo.example")
            )
            self.used_emails.add(email)
            rows.append((email, first, last))
        users = self.bulk_users(rows)
        roles = self.bulk_roles(users, program, RoleKind.MENTOR)
        now = timezone.now()
        profiles = []
        demo_school = self.mentoring_schools[0]
        # About 9 % still wait for review and 2.5 % were rejected, as in a real September.
        n_pending, n_rejected = round(count * 0.09), round(count * 0.025)
        for i, role in enumerate(roles):
            pc = self.pick_postcode()
            org, title = self.rng.choice(ORGS)
            online = self.rng.random() < 0.08
            if i == 0:
                # The demo mentor lives near the demo schoolleider, so the two can be paired.
                pc = Postcode.objects.get(pc4=demo_school.pc4)
                org, title, online = "Rabobank", "Teamleider klantcontact", False
            status = MentorStatus.APPROVED
            if i >= count - n_pending:
                status = MentorStatus.PENDING
            elif i >= count - n_pending - n_rejected:
                status = MentorStatus.REJECTED
            methods = self.rng.sample(
                [Method.LEAN, Method.AGILE, Method.KAIZEN, Method.SIX_SIGMA],
                k=self.rng.randint(1, 3),
            )
            profiles.append(
                MentorProfile(
                    role=role,
                    organisation=org,
                    job_title=title,
                    methods=methods,
                    postcode=f"{pc.pc4} {self.rng.choice('ABCDEFGH')}{self.rng.choice('KLMNPRST')}",
                    pc4=pc.pc4,
                    online_only=online,
                    max_travel_km=None if online else self.rng.choice([20, 30, 40, 50, 60, 80]),
                    sector_preference=[]
                    if self.rng.random() < 0.6
                    else [self.rng.choice(Sector.values)],
                    months_available=sorted(
                        self.rng.sample([11, 12, 1, 2, 3], k=self.rng.randint(3, 5))
                    ),
                    introduction=self.rng.choice(INTROS),
                    status=status,
                    rejection_reason="Dit jaar zijn er in uw regio meer mentoren dan schoolleiders."
                    if status == MentorStatus.REJECTED
                    else "",
                    submitted_at=now - dt.timedelta(days=self.rng.randint(20, 80)),
                    reviewed_at=None
                    if status == MentorStatus.PENDING
                    else now - dt.timedelta(days=10),
                    reviewed_by=None if status == MentorStatus.PENDING else self.staff,
                )
            )
        MentorProfile.objects.bulk_create(profiles)

    def make_coaches(self, program, count: int) -> None:
        rows = []
        for i in range(count):
            first, last = self.name()
            email = (
                "coach@demo.leerkracht.example"
                if i == 0
                else self.email_for(first, last, "coach.demo.example")
            )
            self.used_emails.add(email)
            rows.append((email, first, last))
        users = self.bulk_users(rows)
        roles = self.bulk_roles(users, program, RoleKind.EXPERTCOACH)
        regions = {r.name: r for r in Region.objects.all()}
        for i, role in enumerate(roles):
            province = PROVINCES[i % len(PROVINCES)]
            pc = self.pick_postcode(province)
            profile = ExpertcoachProfile.objects.create(
                role=role,
                postcode=f"{pc.pc4} AA",
                pc4=pc.pc4,
                capacity=self.rng.randint(8, 12),
                max_travel_km=self.rng.choice([60, 80, 100]),
            )
            profile.regions.add(regions[province])

    # -- later steps through the apps' own services -------------------------------------
    def extras(self) -> None:
        """Guides, webinars, published matching rounds and a few weeks of meetings.

        Rounds are solved and published through the matching services, exactly as staff
        would; history before today (webinar attendance, meetings already held) is written
        as data, since the services rightly refuse to book anything in the past.
        """
        for program in (self.mentoring, self.coaching):
            call_command("seed_guides", str(program.pk), stdout=self.stdout)
        with transaction.atomic():
            self.seed_webinars()
        self.seed_matching(self.mentoring, lock_demo_pair=True)
        self.seed_matching(self.coaching)
        with transaction.atomic():
            self.seed_meetings()
        self.stdout.write(
            self.style.SUCCESS("Guides, webinars, matching and meetings are in place.")
        )

    def seed_webinars(self) -> None:
        from people.enums import MentorStatus
        from webinars.enums import RegistrationStatus
        from webinars.models import Registration, WebinarSession

        program, tz = self.mentoring, timezone.get_current_timezone()
        year = program.start_year
        sessions = []
        for day, hour in [(6, 19), (9, 12), (14, 19), (22, 16)]:
            start = dt.datetime(year, 10, day, hour, 30, tzinfo=tz)
            sessions.append(
                WebinarSession.objects.create(
                    program=program,
                    title="Voorbereiding mentoren: de nieuwe rol van de schoolleider",
                    description="Wat is leerKRACHT, hoe werkt een bordsessie, en wat vraagt dat van een schoolleider? "
                    "We bereiden u voor op de drie gesprekken.",
                    starts_at=start,
                    duration_minutes=90,
                    ends_at=start + dt.timedelta(minutes=90),
                    meeting_url=f"https://meet.example.org/leerkracht-webinar-{day}",
                    capacity=100,
                    host=self.staff,
                    attendance_recorded_at=start + dt.timedelta(days=1),
                )
            )
        upcoming = dt.datetime.combine(
            timezone.localdate() + dt.timedelta(days=13), dt.time(19, 30), tzinfo=tz
        )
        WebinarSession.objects.create(
            program=program,
            title="Inhaalsessie voor mentoren",
            description="Voor wie in oktober niet kon.",
            starts_at=upcoming,
            duration_minutes=90,
            ends_at=upcoming + dt.timedelta(minutes=90),
            meeting_url="https://meet.example.org/leerkracht-inhaal",
            capacity=40,
            host=self.staff,
            open_to_schoolleiders=True,
        )
        roles = list(
            Role.objects.filter(
                program=program, kind=RoleKind.MENTOR, mentor_profile__status=MentorStatus.APPROVED
            ).select_related("user")
        )
        registrations = []
        for i, role in enumerate(roles):
            if i and self.rng.random() < 0.1:
                continue  # has not chosen a session: the staff overview shows them
            session = sessions[0] if i == 0 else self.rng.choice(sessions)
            registrations.append(
                Registration(
                    session=session,
                    program=program,
                    role=role,
                    user=role.user,
                    status=RegistrationStatus.CONFIRMED,
                    confirmed_at=session.starts_at - dt.timedelta(days=self.rng.randint(3, 20)),
                    attended=True if i == 0 else self.rng.random() < 0.88,
                )
            )
        Registration.objects.bulk_create(registrations)

    def seed_matching(self, program, *, lock_demo_pair: bool = False) -> None:
        from matching import services as matching
        from matching import solving
        from matching.enums import RuleKind

        month = date_format(program.matching_date, "F")
        rnd = matching.round_create(program=program, name=f"Matchingronde {month}", user=self.staff)
        if lock_demo_pair:
            mentor = Role.objects.get(user__email="mentor@demo.leerkracht.example", program=program)
            leader = Role.objects.get(
                user__email="schoolleider@demo.leerkracht.example", program=program
            )
            matching.rule_set(
                rnd=rnd,
                kind=RuleKind.LOCK,
                supporter_id=mentor.pk,
                row_key=leader.pk,
                user=self.staff,
                note="Demo: kennen elkaar via de Rabobank-regio",
            )
        solution = solving.round_solve(round_id=rnd.pk, user_id=self.staff.pk)
        if solution is None:
            rnd.refresh_from_db()
            raise CommandError(f"Matching round failed: {rnd.error}")
        rnd.refresh_from_db()
        count = matching.round_publish(rnd=rnd, solution=solution, user=self.staff)
        self.stdout.write(f"{program}: {count} pairs published.")

    def seed_meetings(self) -> None:
        """Back-date publication to the matching date and give pairs a realistic state."""
        from mentoring.guides.enums import FeedbackKind, Side, Theme
        from mentoring.guides.models import Action, Feedback, MeetingNote, MeetingRecord
        from mentoring.meetings import services as meetings
        from mentoring.meetings.enums import MeetingMode, MeetingStatus
        from mentoring.meetings.models import Meeting
        from mentoring.pairs.models import Pair

        program, tz = self.mentoring, timezone.get_current_timezone()
        published = dt.datetime.combine(program.matching_date, dt.time(10), tzinfo=tz)
        Pair.objects.filter(program=program).update(published_at=published)
        from matching.models import MatchingRound

        MatchingRound.objects.filter(program=program).update(
            published_at=published, created_at=published - dt.timedelta(hours=2)
        )
        today = timezone.localdate()
        past_days = [
            program.meetings_start + dt.timedelta(days=d)
            for d in range((today - program.meetings_start).days)
            if (program.meetings_start + dt.timedelta(days=d)).weekday() < 5
        ]
        pairs = list(
            Pair.objects.filter(program=program)
            .select_related("mentor__user", "schoolleider__user", "school__region", "program")
            .order_by("pk")
        )
        demo = next(p for p in pairs if p.mentor.user.email == "mentor@demo.leerkracht.example")
        role_themes = [Theme.CONVICTION, Theme.ROLE_MODEL, Theme.FACILITATION, Theme.SKILLS]
        records, feedback = [], []
        for pair in pairs:
            roll = 0.0 if pair is demo else self.rng.random()
            meeting = Meeting.objects.get(pair=pair, number=1)
            if roll < 0.35 and past_days:
                day = past_days[-3] if pair is demo else self.rng.choice(past_days)
                start = dt.datetime.combine(
                    day, dt.time(self.rng.choice([9, 13, 15]), 30), tzinfo=tz
                )
                meeting.status = MeetingStatus.HELD
                meeting.starts_at, meeting.ends_at = start, start + dt.timedelta(hours=2)
                meeting.mode = self.rng.choice(list(MeetingMode.values))
                meeting.location = pair.school.name if meeting.mode == MeetingMode.SCHOOL else ""
                meeting.online_url = (
                    f"https://meet.example.org/koppel-{pair.pk}"
                    if meeting.mode == MeetingMode.ONLINE
                    else ""
                )
                meeting.planned_at = start - dt.timedelta(days=5)
                meeting.outcome_marked_by = pair.mentor.user
                meeting.outcome_marked_at = start + dt.timedelta(hours=3)
                meeting.save()
                records.append(
                    MeetingRecord(
                        pair=pair,
                        number=1,
                        held=True,
                        held_on=day,
                        themes=[t.value for t in self.rng.sample(role_themes, k=2)],
                        action_count=0,
                        recorded_by=pair.mentor.user,
                        recorded_at=meeting.outcome_marked_at,
                    )
                )
                for side, user in (
                    (Side.MENTOR, pair.mentor.user),
                    (Side.SCHOOLLEIDER, pair.schoolleider.user),
                ):
                    if pair is demo and side == Side.SCHOOLLEIDER:
                        continue  # the demo schoolleider still has feedback to give
                    if self.rng.random() < 0.7:
                        feedback.append(
                            Feedback(
                                program=program,
                                kind=FeedbackKind.MEETING,
                                key=f"m:{pair.pk}:1:{side}",
                                pair=pair,
                                number=1,
                                side=side,
                                region=pair.school.region,
                                respondent=user,
                                usefulness=self.rng.choices([3, 4, 5], weights=[2, 5, 4])[0],
                                helped="De vragen uit het handvat gaven richting.",
                                better="Meer tijd voor concrete afspraken.",
                                share_name=self.rng.random() < 0.5,
                            )
                        )
            elif roll < 0.70 and meeting.suggested_starts_at is None:
                pass
            elif roll < 0.70:
                meeting.status = MeetingStatus.PLANNED
                meeting.starts_at = meeting.suggested_starts_at
                meeting.ends_at = meeting.starts_at + dt.timedelta(hours=2)
                meeting.mode = MeetingMode.ONLINE if self.rng.random() < 0.3 else MeetingMode.SCHOOL
                meeting.online_url = (
                    f"https://meet.example.org/koppel-{pair.pk}"
                    if meeting.mode == MeetingMode.ONLINE
                    else ""
                )
                meeting.location = pair.school.name if meeting.mode == MeetingMode.SCHOOL else ""
                meeting.planned_at = timezone.now() - dt.timedelta(days=self.rng.randint(1, 6))
                meeting.save()
        MeetingRecord.objects.bulk_create(records)
        Feedback.objects.bulk_create(feedback)
        # First contact: confirmed by every pair that has met or planned, and by some others.
        started = set(
            Meeting.objects.filter(
                pair__program=program, status__in=[MeetingStatus.HELD, MeetingStatus.PLANNED]
            ).values_list("pair_id", flat=True)
        )
        contacted = [p for p in pairs if p.pk in started or self.rng.random() < 0.4]
        for pair in contacted:
            pair.first_contact_at = published + dt.timedelta(days=self.rng.randint(1, 4))
            pair.first_contact_by = self.rng.choice([pair.mentor.user, pair.schoolleider.user])
        Pair.objects.bulk_update(contacted, ["first_contact_at", "first_contact_by"])
        # The demo pair: a record with agreed actions and a private note, and a proposal
        # for meeting 2 from the schoolleider that the mentor can accept.
        for pair in pairs:
            meetings._refresh_suggestions(pair)
        record = MeetingRecord.objects.filter(pair=demo, number=1).first()
        if record is None:
            return  # the meeting window has not started yet: nothing has been held
        for text, owner in [
            ("Bordsessie in het MT twee weken lang elke maandag om 8:15 houden", "schoolleider"),
            ("Voorbeeld van een teambord uit de klantenservice meenemen", "mentor"),
        ]:
            Action.objects.create(
                pair=demo,
                number=1,
                description=text,
                owner=owner,
                due_on=today + dt.timedelta(days=21),
                created_by=demo.mentor.user,
            )
        record.action_count = 2
        record.save(update_fields=["action_count"])
        MeetingNote.objects.create(
            record=record,
            side=Side.MENTOR,
            author=demo.mentor.user,
            body="Schoolleider wil zelf het goede voorbeeld geven, maar de agenda zit vol. "
            "Volgende keer: hoe maak je tijd vrij voor bordsessies?",
        )
        second = Meeting.objects.get(pair=demo, number=2)
        slots = []
        day = max(today + dt.timedelta(days=16), program.meetings_start)
        while len(slots) < 2 and day <= program.meetings_end:
            start = dt.datetime.combine(day, dt.time(15, 30), tzinfo=tz)
            if not meetings.check_time(second, start):
                slots.append(
                    meetings.SlotInput(
                        starts_at=start, mode=MeetingMode.SCHOOL, location=demo.school.name
                    )
                )
            day += dt.timedelta(days=1)
        if slots:  # none when the meeting window is (nearly) over
            meetings.meeting_propose(meeting=second, by=demo.schoolleider.user, slots=slots)

    def print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"Demo logins (password for all: {DEMO_PASSWORD})")
        )
        for label, email in [
            ("staff", "staf@demo.leerkracht.example"),
            ("mentor", "mentor@demo.leerkracht.example"),
            ("schoolleider", "schoolleider@demo.leerkracht.example"),
            ("expertcoach", "coach@demo.leerkracht.example"),
            ("schoolleider (expertcoach program)", "schoolleider.coaching@demo.leerkracht.example"),
        ]:
            self.stdout.write(f"  {label:<35} {email}")
