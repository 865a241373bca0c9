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

from mentoring.people.enums import MentorStatus, Method, RoleKind
from mentoring.people.models import (
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

FIRST = ["Anne", "Bas", "Chantal", "Daan", "Eva", "Femke", "Gerrit", "Hanna", "Ilse", "Jeroen", "Karin", "Lars", "Mila", "Noah", "Olga", "Pieter", "Quinten", "Rianne", "Sanne", "Tim", "Ursula", "Vera", "Willem", "Yara", "Zeynep", "Mohamed", "Fatima", "Sven", "Lotte", "Ruben", "Esther", "Bram", "Naima", "Joost", "Ingrid", "Thijs", "Marloes", "Koen", "Saskia", "Youssef", "Annelies", "Hidde", "Wendy", "Stijn"]
LAST = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs", "de Haan", "Vermeulen", "van Dijk", "El Amrani", "Yilmaz", "Postma", "Hoekstra", "Kramer", "Prins", "Huisman"]
PO_NAMES = ["De Regenboog", "Het Kompas", "De Wegwijzer", "'t Startblok", "De Fontein", "De Springplank", "Het Palet", "De Vlinder", "De Klimop", "De Zonnewijzer", "Het Anker", "De Sterrenkijker", "De Boomgaard", "De Horizon", "Het Mozaïek", "De Driesprong", "De Windroos", "Het Baken", "De Ontdekking", "De Toermalijn"]
PO_PREFIX = ["Basisschool", "OBS", "CBS", "RKBS", "Daltonschool", "Montessorischool", "Jenaplanschool"]
VO_NAMES = ["Stedelijk College", "Christelijk Lyceum", "Het Baarnsch Lyceum", "Scholengemeenschap",
            "Vakcollege", "Gymnasium", "Montessori Lyceum", "Technasium"]
MBO_NAMES = ["ROC", "Vakschool", "Techniek College", "Zorgcollege"]
HBO_NAMES = ["Pabo", "Hogeschool Educatie"]
ORGS = [
    ("Rabobank", "Teamleider klantcontact"), ("ASML", "Manager continuous improvement"),
    ("Philips", "Lean coach"), ("KLM Engineering & Maintenance", "Hoofd werkplaats"),
    ("Albert Heijn distributiecentrum", "Operationeel manager"), ("ING", "Agile coach"),
    ("Coolblue", "Teamlead logistiek"), ("Gemeente", "Afdelingshoofd dienstverlening"),
    ("DSM-Firmenich", "Plant manager"), ("Zilveren Kruis", "Manager zorginkoop"),
    ("NS", "Teamleider onderhoud"), ("Heijmans", "Projectmanager"),
    ("VDL Groep", "Productieleider"), ("Bol", "Product owner"),
    ("Ziekenhuis Rijnstate", "Leidinggevende verpleegafdeling"), ("FrieslandCampina", "Lean manager"),
]
INTROS = [
    "Ik werk al jaren met dagstarts aan een verbeterbord. Wat ik heb geleerd: klein beginnen en volhouden.",
    "Als teamleider zie ik elke week hoe een team sterker wordt als iedereen mag meedenken over verbeteringen.",
    "Ik begeleid teams bij de overstap naar Agile werken en ben benieuwd hoe dat in een school werkt.",
    "Kaizen is voor mij vooral een houding: elke dag een beetje beter. Die ervaring deel ik graag.",
    "Ik ben vader van twee schoolgaande kinderen en wil graag iets terugdoen voor het onderwijs.",
]


class Command(BaseCommand):
    help = "Build a realistic demo program year on SQLite (or any database) and print logins."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=400, help="schools in the mentoring program")
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
        today = timezone.localdate()
        year = today.year if today.month >= 8 else today.year - 1
        school_year = f"{year}-{year + 1}"
        self.mentoring = ProgramYear.objects.create(
            name="Mentoring schoolleiders",
            kind=ProgramKind.MENTOR_LEADER,
            school_year=school_year,
            registration_opens=dt.date(year, 9, 1),
            registration_closes=dt.date(year, 10, 15),
            webinar_start=dt.date(year, 10, 1),
            webinar_end=dt.date(year, 10, 31),
            matching_date=dt.date(year, 11, 10),
            meetings_start=dt.date(year, 11, 15),
            meetings_end=dt.date(year + 1, 3, 31),
        )
        self.coaching = ProgramYear.objects.create(
            name="Expertcoaches",
            kind=ProgramKind.COACH_SCHOOL,
            school_year=school_year,
            registration_opens=dt.date(year, 6, 1),
            registration_closes=dt.date(year, 7, 1),
            webinar_start=dt.date(year, 9, 1),
            webinar_end=dt.date(year, 9, 30),
            matching_date=dt.date(year, 8, 25),
            meetings_start=dt.date(year, 9, 1),
            meetings_end=dt.date(year + 1, 7, 1),
        )
        self.postcodes = self.postcodes_by_province()
        self.staff = self.user("staf@demo.leerkracht.example", "Sanne", "Verbeek", is_staff=True)
        for program in (self.mentoring, self.coaching):
            Role.objects.create(user=self.staff, program=program, kind=RoleKind.STAFF)
        schools = self.make_schools(opts["schools"] + opts["coach_schools"])
        self.mentoring_schools = schools[: opts["schools"]]
        self.coach_schools = schools[opts["schools"] :]
        self.make_schoolleiders(self.mentoring, self.mentoring_schools, first_email="schoolleider@demo.leerkracht.example")
        Enrollment.objects.bulk_create(
            [Enrollment(program=self.coaching, school=s) for s in self.coach_schools]
        )
        self.make_mentors(self.mentoring, opts["mentors"])
        self.make_coaches(self.coaching, opts["coaches"])

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
        user = User.objects.create(email=email, first_name=first, last_name=last, password=self.password, **extra)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def bulk_users(self, rows: list[tuple[str, str, str]]) -> list[User]:
        from allauth.account.models import EmailAddress

        users = User.objects.bulk_create(
            [User(email=e, first_name=fn, last_name=ln, password=self.password) for e, fn, ln in rows]
        )
        users = list(User.objects.filter(email__in=[r[0] for r in rows]).order_by("id"))
        by_email = {u.email: u for u in users}
        users = [by_email[r[0]] for r in rows]
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
        )
        return users

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
        School.objects.bulk_create(schools)
        return list(School.objects.order_by("id"))

    def make_schoolleiders(self, program, schools, first_email: str) -> None:
        rows = []
        for i, _school in enumerate(schools):
            first, last = self.name()
            email = first_email if i == 0 else self.email_for(first, last, "school.demo.example")
            self.used_emails.add(email)
            rows.append((email, first, last))
        users = self.bulk_users(rows)
        roles = Role.objects.bulk_create(
            [Role(user=u, program=program, kind=RoleKind.SCHOOLLEIDER) for u in users]
        )
        roles = list(Role.objects.filter(program=program, kind=RoleKind.SCHOOLLEIDER).order_by("id"))
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
            email = "mentor@demo.leerkracht.example" if i == 0 else self.email_for(first, last, "bedrijf.demo.example")
            self.used_emails.add(email)
            rows.append((email, first, last))
        users = self.bulk_users(rows)
        Role.objects.bulk_create([Role(user=u, program=program, kind=RoleKind.MENTOR) for u in users])
        roles = list(Role.objects.filter(program=program, kind=RoleKind.MENTOR).order_by("id"))
        now = timezone.now()
        profiles = []
        demo_school = self.mentoring_schools[0]
        for i, role in enumerate(roles):
            pc = self.pick_postcode()
            org, title = self.rng.choice(ORGS)
            online = self.rng.random() < 0.08
            if i == 0:
                # The demo mentor lives near the demo schoolleider, so the two can be paired.
                pc = Postcode.objects.get(pc4=demo_school.pc4)
                org, title, online = "Rabobank", "Teamleider klantcontact", False
            status = MentorStatus.APPROVED
            if i >= count - 30:
                status = MentorStatus.PENDING
            elif i >= count - 38:
                status = MentorStatus.REJECTED
            methods = self.rng.sample(
                [Method.LEAN, Method.AGILE, Method.KAIZEN, Method.SIX_SIGMA], k=self.rng.randint(1, 3)
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
                    sector_preference=[] if self.rng.random() < 0.6 else [self.rng.choice(Sector.values)],
                    months_available=sorted(self.rng.sample([11, 12, 1, 2, 3], k=self.rng.randint(3, 5))),
                    introduction=self.rng.choice(INTROS),
                    status=status,
                    rejection_reason="Dit jaar zijn er in uw regio meer mentoren dan schoolleiders."
                    if status == MentorStatus.REJECTED
                    else "",
                    submitted_at=now - dt.timedelta(days=self.rng.randint(20, 80)),
                    reviewed_at=None if status == MentorStatus.PENDING else now - dt.timedelta(days=10),
                    reviewed_by=None if status == MentorStatus.PENDING else self.staff,
                )
            )
        MentorProfile.objects.bulk_create(profiles)

    def make_coaches(self, program, count: int) -> None:
        rows = []
        for i in range(count):
            first, last = self.name()
            email = "coach@demo.leerkracht.example" if i == 0 else self.email_for(first, last, "coach.demo.example")
            self.used_emails.add(email)
            rows.append((email, first, last))
        users = self.bulk_users(rows)
        Role.objects.bulk_create([Role(user=u, program=program, kind=RoleKind.EXPERTCOACH) for u in users])
        roles = list(Role.objects.filter(program=program, kind=RoleKind.EXPERTCOACH).order_by("id"))
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
        """Guides, webinars, a published matching round and planned meetings."""
        from django.conf import settings

        steps = [
            ("seed_guides", [str(self.mentoring.pk)]),
            ("seed_guides", [str(self.coaching.pk)]),
        ]
        for name, args in steps:
            try:
                call_command(name, *args, stdout=self.stdout)
            except CommandError as exc:
                self.stderr.write(f"{name}: {exc}")
            except Exception as exc:  # a missing optional step must not stop the demo
                if settings.DEBUG:
                    self.stderr.write(f"{name} skipped: {exc}")
                else:
                    raise

    def print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for label, email in [
            ("staff", "staf@demo.leerkracht.example"),
            ("mentor", "mentor@demo.leerkracht.example"),
            ("schoolleider", "schoolleider@demo.leerkracht.example"),
            ("expertcoach", "coach@demo.leerkracht.example"),
        ]:
            self.stdout.write(f"  {label:<13} {email}")
