"""The people of the demo (``manage.py seed_demo``): accounts, staff, mentors, invitations.

Mentors sign up and submit their profile, staff review them, imported schoolleiders and
expertcoaches accept their invitation and schoolleiders confirm their details, each through
this app's own services. Every demo address lies under the reserved ``.example`` domain
(RFC 2606), which no real person can have: that is how ``seed_demo --force`` tells the demo's
accounts (and, through its staff account, its program years) from real ones.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import time_machine
from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.utils import timezone

from places.demo import Postcodes
from programs.enums import Sector
from programs.models import ProgramYear, School

from .enums import MentorStatus, Method, RoleKind
from .models import Invitation, MentorProfile, Role, SchoolleiderProfile, User
from .services import (
    invitation_accept,
    meeting_months,
    mentor_profile_submit,
    mentor_review,
    mentor_role_ensure,
    schoolleider_confirm,
)

PASSWORD = "demo-wachtwoord-2026"  # noqa: S105  (printed with the demo logins)
DOMAIN = "demo.leerkracht.example"
#: The other demo addresses: schoolleiders, mentors and expertcoaches beyond the logins.
SCHOOL_DOMAIN = "school.demo.example"
COMPANY_DOMAIN = "bedrijf.demo.example"
COACH_DOMAIN = "coach.demo.example"

STAFF_EMAIL = f"staf@{DOMAIN}"
MENTOR_EMAIL = f"mentor@{DOMAIN}"
SCHOOLLEIDER_EMAIL = f"schoolleider@{DOMAIN}"
COACH_EMAIL = f"coach@{DOMAIN}"
SCHOOLLEIDER_COACHING_EMAIL = f"schoolleider.coaching@{DOMAIN}"
LOGINS = [
    ("staff", STAFF_EMAIL),
    ("mentor", MENTOR_EMAIL),
    ("schoolleider", SCHOOLLEIDER_EMAIL),
    ("expertcoach", COACH_EMAIL),
    ("schoolleider (expertcoach program)", SCHOOLLEIDER_COACHING_EMAIL),
]

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
REJECTION = "Dit jaar zijn er in uw regio meer mentoren dan schoolleiders."

#: (email, first name, last name)
Person = tuple[str, str, str]


# --- Which data is the demo's ----------------------------------------------------------------


def is_demo_address(email: str) -> bool:
    email = (email or "").lower()
    return email.endswith("@" + DOMAIN) or email.endswith(".demo.example")


def demo_address_q(field: str) -> Q:
    """Rows whose ``field`` holds a demo address."""
    return Q(**{f"{field}__iendswith": "@" + DOMAIN}) | Q(
        **{f"{field}__iendswith": ".demo.example"}
    )


def demo_accounts() -> QuerySet[User]:
    return User.objects.filter(demo_address_q("email"))


def delete_accounts() -> int:
    """Delete every demo account (with its roles, invitations and email addresses)."""
    deleted, _rows = demo_accounts().delete()
    return deleted


# --- Names ---------------------------------------------------------------------------------


class Names:
    """Seeded Dutch names, and a unique address for each person."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST), self.rng.choice(LAST)

    def email_for(self, first: str, last: str, domain: str) -> str:
        base = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        email, n = f"{base}@{domain}", 1
        while email in self.used:
            n += 1
            email = f"{base}{n}@{domain}"
        self.used.add(email)
        return email

    def people(self, count: int, *, domain: str, first_email: str = "") -> list[Person]:
        """``count`` people; the first one gets ``first_email`` (a demo login) if given."""
        rows = []
        for i in range(count):
            first, last = self.name()
            email = first_email if i == 0 and first_email else self.email_for(first, last, domain)
            self.used.add(email)
            rows.append((email, first, last))
        return rows


# --- Accounts ------------------------------------------------------------------------------


def _account(email: str, first: str, last: str, *, password_hash: str, **extra) -> User:
    """An account with a verified address, as after signing up and confirming the email."""
    user = User.objects.create(
        email=email, first_name=first, last_name=last, password=password_hash, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def staff_account(*, password_hash: str) -> User:
    """The foundation staff member who runs the demo's program years."""
    return _account(STAFF_EMAIL, "Sanne", "Verbeek", password_hash=password_hash, is_staff=True)


def staff_roles(*, user: User, programs: Sequence[ProgramYear]) -> None:
    for program in programs:
        Role.objects.create(user=user, program=program, kind=RoleKind.STAFF)


class _PresetPassword:
    """Stands in for the invitation page's set-password form: every demo account gets the
    same password, hashed once (hashing it per account would take minutes)."""

    def __init__(self, user: User, password_hash: str) -> None:
        self.user, self.password_hash = user, password_hash

    def save(self) -> User:
        self.user.password = self.password_hash
        self.user.save(update_fields=["password"])
        return self.user


def accept_invitations(*, program: ProgramYear, password_hash: str) -> int:
    """Everyone the import invited into ``program`` sets the demo password."""
    invitations = (
        Invitation.objects.filter(user__roles__program=program, used_at__isnull=True)
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    accepted = 0
    for invitation in invitations:
        invitation_accept(
            invitation=invitation,
            password_form=_PresetPassword(invitation.user, password_hash),
        )
        accepted += 1
    return accepted


def confirm_schoolleiders(*, program: ProgramYear, rng: random.Random) -> None:
    """Most schoolleiders confirm their details (job, online or not); a fifth do not yet."""
    profiles = (
        SchoolleiderProfile.objects.filter(role__program=program)
        .select_related("role__user", "school")
        .order_by("role_id")
    )
    for profile in profiles:
        online = rng.random() < 0.15
        if rng.random() >= 0.8:
            continue
        user = profile.role.user
        schoolleider_confirm(
            profile=profile,
            data={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "job_title": "Directeur" if profile.school.sector == Sector.PO else "Teamleider",
                "prefers_online": online,
            },
        )


def mentors(
    *,
    program: ProgramYear,
    people: Sequence[Person],
    rng: random.Random,
    postcodes: Postcodes,
    near: School,
    reviewer: User,
    password_hash: str,
) -> list[Role]:
    """Mentors sign up in the first two weeks of registration and submit their profile;
    staff review them after that. About 9 % still wait for review and 2.5 % were rejected,
    as in a real September. The first one (a demo login) lives near the school ``near``.
    The services stamp their own times, so the clock is set to each moment (time-machine).
    """
    count = len(people)
    n_pending, n_rejected = round(count * 0.09), round(count * 0.025)
    # Available in the months of the meetings (November to March in a real year; the demo's
    # timeline follows today, so these are other months on most days of the year).
    months = meeting_months(program)
    opens = dt.datetime.combine(
        program.registration_opens, dt.time(20, 0), tzinfo=timezone.get_current_timezone()
    )
    plans = []
    for i, (email, first, last) in enumerate(people):
        pc = postcodes.pick()
        org, title = rng.choice(ORGS)
        online = rng.random() < 0.08
        if i == 0:
            pc = postcodes.get(near.pc4)
            org, title, online = "Rabobank", "Teamleider klantcontact", False
        status = MentorStatus.APPROVED
        if i >= count - n_pending:
            status = MentorStatus.PENDING
        elif i >= count - n_pending - n_rejected:
            status = MentorStatus.REJECTED
        methods = rng.sample(
            [Method.LEAN, Method.AGILE, Method.KAIZEN, Method.SIX_SIGMA], k=rng.randint(1, 3)
        )
        data = {
            "first_name": first,
            "last_name": last,
            "organisation": org,
            "job_title": title,
            "methods": methods,
            "postcode": (f"{pc.pc4} {rng.choice('ABCDEFGH')}{rng.choice('KLMNPRST')}", pc.pc4),
            "online_only": online,
            "max_travel_km": None if online else rng.choice([20, 30, 40, 50, 60, 80]),
            "sector_preference": [] if rng.random() < 0.6 else [rng.choice(Sector.values)],
            "months_available": sorted(
                rng.sample(months, k=rng.randint(min(3, len(months)), len(months)))
            ),
            "introduction": rng.choice(INTROS),
        }
        # Signed up some day in the first two weeks of the registration.
        signed_up = opens + dt.timedelta(days=(rng.randint(20, 80) - 20) // 4)
        plans.append((email, data, status, signed_up))
    roles = []
    for email, data, _status, signed_up in plans:
        with time_machine.travel(signed_up, tick=False):
            user = _account(
                email, data["first_name"], data["last_name"], password_hash=password_hash
            )
            role = mentor_role_ensure(user=user, program=program)
            mentor_profile_submit(role=role, data=data)
        roles.append(role)
    reviewed = opens + dt.timedelta(days=16, hours=-6)
    with time_machine.travel(reviewed, tick=False):
        for role, (_email, _data, status, _at) in zip(roles, plans, strict=True):
            if status == MentorStatus.PENDING:
                continue
            approve = status == MentorStatus.APPROVED
            mentor_review(
                profile=MentorProfile.objects.get(role=role),
                reviewer=reviewer,
                approve=approve,
                reason="" if approve else REJECTION,
            )
    return roles
