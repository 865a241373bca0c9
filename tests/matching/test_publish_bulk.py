"""Publishing at national size: what a round publishes is pinned, and its cost is constant.

``test_publish_result_is_pinned`` compares everything a publish writes (pairs, meetings and
their suggested plans, the outbox rows with their subjects and bodies, what is queued for
delivery) with ``publish_snapshot.json``, recorded from the per-pair implementation before
publishing was made bulk: a faster publish must publish exactly the same. Rewrite the file
on purpose only (``UPDATE_PUBLISH_SNAPSHOT=1``) when the wanted behaviour changes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching import services
from matching.enums import RoundStatus
from matching.models import ProposedPair, Solution
from mentoring.meetings.enums import MeetingMode, MeetingStatus
from mentoring.meetings.models import Meeting
from mentoring.pairs.models import Pair
from notifications.models import Notification, SuppressedAddress
from people.enums import MentorStatus, RoleKind
from people.models import MentorProfile, Role, SchoolleiderProfile
from programs.models import School
from tests import factories as f
from webinars.enums import RegistrationStatus
from webinars.models import Registration, WebinarSession

from .matching_helpers import make_round

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).with_name("publish_snapshot.json")
#: A Friday in the 2026-2027 program's meeting window (15 Nov - 31 Mar).
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
AMS = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


# --- Building a round without the solver (publishing is what is under test) ------------------


def mentor(program, email, first, last, *, city="utrecht", language="nl", introduction=""):
    user = f.make_user(email, first_name=first, last_name=last, language=language)
    role = f.make_role(user, program, RoleKind.MENTOR)
    pc4 = f.PC4[city][0]
    MentorProfile.objects.create(
        role=role,
        organisation=f"Bedrijf {last}",
        job_title="Teamleider productie",
        methods=["lean"],
        postcode=f"{pc4} CD",
        pc4=pc4,
        max_travel_km=60,
        months_available=[11, 12, 1, 2, 3],
        introduction=introduction,
        status=MentorStatus.APPROVED,
    )
    return user


def schoolleider(program, email, first, last, school_name, brin, *, city="utrecht", language="nl"):
    user = f.make_user(email, first_name=first, last_name=last, language=language)
    role = f.make_role(user, program, RoleKind.SCHOOLLEIDER)
    school = f.make_school(city=city, program=program, name=school_name, brin=brin)
    SchoolleiderProfile.objects.create(role=role, school=school)
    return user


def role_of(user, program, kind):
    return Role.objects.get(user=user, program=program, kind=kind)


def solved_with(rnd, pairs):
    """``rnd`` solved, its solution pairing each (mentor, schoolleider) as given, in order."""
    program = rnd.program
    solution = Solution.objects.create(round=rnd, number=1, snapshot_data=b"", matched=len(pairs))
    proposals = []
    for i, (m, sl) in enumerate(pairs):
        leader = role_of(sl, program, RoleKind.SCHOOLLEIDER)
        proposals.append(
            ProposedPair(
                solution=solution,
                supporter=role_of(m, program, RoleKind.MENTOR),
                schoolleider=leader,
                school=leader.schoolleider_profile.school,
                row_index=i,
                col_index=len(pairs) - 1 - i,
                distance_km=round(2.5 + 3.25 * i, 3),
            )
        )
    ProposedPair.objects.bulk_create(proposals)
    rnd.status = RoundStatus.SOLVED
    rnd.save(update_fields=["status"])
    return solution


def ams(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


def webinar(program, start: dt.datetime, users, title="Terugkomwebinar") -> None:
    session = WebinarSession.objects.create(
        program=program,
        title=title,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=90),
        meeting_url="https://webinar.example/terugkom",
        capacity=50,
        open_to_schoolleiders=True,
    )
    for user in users:
        Registration.objects.create(
            session=session,
            program=program,
            role=Role.objects.filter(user=user, program=program).get(),
            user=user,
            status=RegistrationStatus.CONFIRMED,
            confirmed_at=timezone.now(),
        )


@pytest.fixture
def varied_round(program, staff):
    """Five pairs that exercise every input of a publish: three holiday regions, a school
    without one, webinars and an earlier pair's planned meeting in the way, an English
    recipient, a suppressed address, an email already sent under the round's dedupe key,
    a mentor with and one without an introduction."""
    anna = mentor(program, "anna@bedrijf.example", "Anna", "de Vries", introduction="Lean!")
    bert = schoolleider(program, "bert@school.example", "Bert", "Jansen", "OBS De Linde", "11AA")
    gijs = mentor(program, "gijs@bedrijf.example", "Gijs", "Bakker", city="groningen")
    grace = schoolleider(
        program,
        "grace@school.example",
        "Grace",
        "Smith",
        "CBS Het Noorden",
        "12AA",
        city="groningen",
        language="en",
    )
    eva = mentor(
        program, "eva@bedrijf.example", "Eva", "Visser", city="eindhoven", introduction="Six Sigma"
    )
    erik = schoolleider(
        program, "erik@school.example", "Erik", "Mulder", "De Kempen", "13AA", city="eindhoven"
    )
    rob = mentor(program, "rob@bedrijf.example", "Rob", "Smit", city="rotterdam")
    ria = schoolleider(
        program, "ria@school.example", "Ria", "Bos", "De Maas", "14AA", city="rotterdam"
    )
    olaf = mentor(program, "olaf@bedrijf.example", "Olaf", "Dekker")
    onno = schoolleider(program, "onno@school.example", "Onno", "Peters", "Zonder Regio", "15AA")
    # Onno's school has no holiday region: no time can be checked, so nothing is suggested.
    School.objects.filter(name="Zonder Regio").update(pc4="", province="", municipality="")
    # Eva and Erik have a webinar on the first possible day at the suggested hour.
    webinar(program, ams(2026, 11, 23, 15, 0), [eva])
    webinar(program, ams(2026, 11, 25, 16, 0), [erik], title="Verdieping")
    # Rob had a pair before (ended); its meeting 2 is still planned on 11 January at 15:30.
    earlier_leader = schoolleider(
        program, "vorige@school.example", "Vera", "Vorig", "Vorige School", "16AA"
    )
    earlier = f.make_pair(program, rob, earlier_leader, status="ended")
    start = ams(2027, 1, 11, 15, 30)
    Meeting.objects.create(
        pair=earlier,
        number=2,
        status=MeetingStatus.PLANNED,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        mode=MeetingMode.SCHOOL,
        planned_at=timezone.now(),
    )
    SuppressedAddress.objects.create(email="ria@school.example", reason="bounce")
    rnd = make_round(program, staff)
    solution = solved_with(
        rnd, [(anna, bert), (gijs, grace), (eva, erik), (rob, ria), (olaf, onno)]
    )
    # Anna was already told (a publish that was retried): she is not emailed twice.
    Notification.objects.create(
        kind="match_published_mentor",
        to_email="anna@bedrijf.example",
        dedupe_key=f"round:{rnd.pk}:mentor:{role_of(anna, program, RoleKind.MENTOR).pk}",
        status="sent",
        subject="eerder",
    )
    return rnd, solution


# --- The snapshot ---------------------------------------------------------------------------


def _when(value: dt.datetime | None) -> str | None:
    return value.astimezone(AMS).isoformat() if value is not None else None


def snapshot(rnd, on_commit) -> dict:
    program = rnd.program
    email_of_role = {
        r.pk: r.user.email for r in Role.objects.filter(program=program).select_related("user")
    }

    def plain(text: str) -> str:
        return text.replace(settings.SITE_URL, "<site>").replace(
            f"/programma/{program.pk}/", "/programma/<program>/"
        )

    def key(value: str | None) -> str | None:
        if not value:
            return value
        parts = value.split(":")
        if parts[0] == "round" and parts[1] == str(rnd.pk):
            parts[1] = "<round>"
            parts[3] = email_of_role[int(parts[3])]
        return ":".join(parts)

    pairs = list(
        Pair.objects.filter(round=rnd)
        .select_related("mentor__user", "schoolleider__user", "school")
        .order_by("pk")
    )
    meetings: dict[int, list[Meeting]] = {}
    for m in Meeting.objects.filter(pair__round=rnd).order_by("pk"):
        meetings.setdefault(m.pair_id, []).append(m)
    rows = list(
        Notification.objects.filter(program=program).select_related("recipient").order_by("pk")
    )
    queued_ids = sorted(r.pk for r in rows if r.status == "queued")
    handed_over = []
    for callback in on_commit:
        handed_over += list(callback.args[0])
    rnd.refresh_from_db()
    return {
        "round": {
            "status": rnd.status,
            "published_solution_is_the_solution": rnd.published_solution_id
            == Solution.objects.get(round=rnd).pk,
            "published_at": _when(rnd.published_at),
            "published_by": rnd.published_by.email if rnd.published_by else None,
        },
        "pairs": [
            {
                "mentor": p.mentor.user.email,
                "schoolleider": p.schoolleider.user.email,
                "school": p.school.name,
                "status": p.status,
                "published_at": _when(p.published_at),
                "distance_km": p.distance_km,
                "first_contact_at": _when(p.first_contact_at),
                "meetings": [
                    {
                        "number": m.number,
                        "status": m.status,
                        "suggested": _when(m.suggested_starts_at),
                        "starts_at": _when(m.starts_at),
                        "ends_at": _when(m.ends_at),
                        "mode": m.mode,
                        "location": m.location,
                        "sequence": m.sequence,
                        "uid_is_a_calendar_uid": m.uid.startswith("meeting-")
                        and m.uid.endswith("@leerkracht-mentoring"),
                        "planned_at": _when(m.planned_at),
                    }
                    for m in meetings.get(p.pk, [])
                ],
            }
            for p in pairs
        ],
        "emails": [
            {
                "kind": n.kind,
                "to": n.to_email,
                "recipient": n.recipient.email if n.recipient else None,
                "language": n.language,
                "status": n.status,
                "essential": n.essential,
                "category": n.category,
                "dedupe_key": key(n.dedupe_key),
                "subject": n.subject,
                "body_text": plain(n.body_text),
                "body_html": plain(n.body_html),
                "attachments": n.attachments,
                "has_message_id": bool(n.message_id),
                "last_error": n.last_error,
            }
            for n in rows
        ],
        "every_queued_email_handed_to_delivery_once": sorted(handed_over) == queued_ids,
    }


def test_publish_result_is_pinned(varied_round, staff, django_capture_on_commit_callbacks):
    rnd, solution = varied_round
    with django_capture_on_commit_callbacks() as on_commit:
        assert services.round_publish(rnd=rnd, solution=solution, user=staff) == 5
    got = snapshot(rnd, on_commit)
    if os.environ.get("UPDATE_PUBLISH_SNAPSHOT") or not SNAPSHOT.exists():
        SNAPSHOT.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n")
        pytest.fail(f"{SNAPSHOT.name} written; check it and run again")
    expected = json.loads(SNAPSHOT.read_text())
    # Part by part first, for a readable failure.
    assert got["round"] == expected["round"]
    assert [p["meetings"] for p in got["pairs"]] == [p["meetings"] for p in expected["pairs"]]
    assert got["pairs"] == expected["pairs"]
    for got_email, expected_email in zip(got["emails"], expected["emails"], strict=True):
        assert got_email == expected_email
    assert got == expected
    # And the queued ones do go out, to those addresses only.
    for callback in on_commit:
        callback()
    from notifications.delivery import deliver_pending

    deliver_pending(now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        e["to"] for e in expected["emails"] if e["status"] == "queued"
    )


def test_publish_plans_around_what_is_in_the_way(varied_round, staff):
    """The snapshot's suggestions, spelled out (Amsterdam time)."""
    rnd, solution = varied_round
    services.round_publish(rnd=rnd, solution=solution, user=staff)
    suggested = {
        p.mentor.user.email: [
            _when(m.suggested_starts_at) for m in Meeting.objects.filter(pair=p).order_by("number")
        ]
        for p in Pair.objects.filter(round=rnd).select_related("mentor__user")
    }
    plain = ["2026-11-23T15:30:00+01:00", "2027-01-11T15:30:00+01:00", "2027-03-08T15:30:00+01:00"]
    assert suggested["anna@bedrijf.example"] == plain
    assert suggested["gijs@bedrijf.example"] == plain
    # Eva's webinar on Monday 23 November at 15:00 moves meeting 1 to Tuesday.
    assert suggested["eva@bedrijf.example"][0] == "2026-11-24T15:30:00+01:00"
    # Rob's earlier pair's meeting on 11 January moves meeting 2 to the 12th.
    assert suggested["rob@bedrijf.example"][1] == "2027-01-12T15:30:00+01:00"
    # A school without a holiday region gets no suggestion (the rules cannot be checked).
    assert suggested["olaf@bedrijf.example"] == [None, None, None]


def test_bulk_suggestions_are_those_of_the_one_pair_path(varied_round, staff):
    """The bulk plan and ``suggest_plan`` (a pair page, a re-match) never drift apart."""
    from mentoring.meetings import planning

    rnd, solution = varied_round
    services.round_publish(rnd=rnd, solution=solution, user=staff)
    pairs = Pair.objects.filter(round=rnd).select_related(
        "program", "school", "mentor", "schoolleider"
    )
    assert len(pairs) == 5
    for pair in pairs:
        meetings = list(Meeting.objects.filter(pair=pair).order_by("number"))
        assert {
            m.number: m.suggested_starts_at for m in meetings if m.suggested_starts_at
        } == planning.suggest_plan(pair, meetings)


# --- The cost of a publish does not grow with its size ---------------------------------------


def _round_of(program, staff, n: int, tag: str):
    people = []
    cities = list(f.PC4)
    for i in range(n):
        city = cities[i % len(cities)]
        m = mentor(
            program,
            f"m{tag}{i}@bedrijf.example",
            "Mentor",
            f"{tag}{i}",
            city=city,
            language="en" if i % 4 == 3 else "nl",
            introduction="Lean" if i % 2 else "",
        )
        sl = schoolleider(
            program,
            f"sl{tag}{i}@school.example",
            "Leider",
            f"{tag}{i}",
            f"School {tag}{i}",
            f"{tag}{i:02d}"[-4:],
            city=city,
        )
        people.append((m, sl))
    webinar(program, ams(2026, 11, 23, 15, 0), [m for m, _sl in people[::3]])
    rnd = make_round(program, staff)
    return rnd, solved_with(rnd, people)


def _queries_to_publish(rnd, solution, staff) -> int:
    with CaptureQueriesContext(connection) as captured:
        services.round_publish(rnd=rnd, solution=solution, user=staff)
    assert Pair.objects.filter(round=rnd).count() == solution.pairs.count()
    assert Meeting.objects.filter(pair__round=rnd).count() == 3 * solution.pairs.count()
    return len(captured)


def test_publishing_takes_the_same_number_of_queries_for_3_or_12_pairs(program, staff):
    warm_up, warm_solution = _round_of(program, staff, 1, "W")
    _queries_to_publish(warm_up, warm_solution, staff)  # caches (geocoder, holidays) filled
    small, small_solution = _round_of(program, staff, 3, "S")
    large, large_solution = _round_of(program, staff, 12, "L")
    assert _queries_to_publish(small, small_solution, staff) == _queries_to_publish(
        large, large_solution, staff
    )
