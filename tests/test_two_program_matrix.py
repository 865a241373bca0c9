"""Two programs: program A's staff against every kind of object of program B.

Every staff page of A that takes an object id is requested (GET and POST) with the id of
each of B's objects of that kind: the answer is 403 or 404. Every staff page of A without an
object id is requested with B's ids in the query string and in the POST body: no B name
shows, nothing of B changes. The test walks the URL configuration, so a new staff page with
an object id of an unknown kind makes it fail until it is added here.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.utils import timezone

from matching.models import MatchingRound, RoundRule
from mentoring.guides.models import Guide
from mentoring.pairs.models import CoachAssignment, Pair
from notifications.models import Notification, SuppressedAddress
from notifications.outbox import notify
from notifications.suppression import suppress_address
from people.enums import RoleKind
from people.models import MentorProfile, Role, User
from programs.enums import ProgramKind
from programs.importing.models import ImportRun
from programs.importing.services import import_run_create
from programs.models import Region, School
from tests import factories as f
from tests.factories import make_pair
from tests.matching.matching_helpers import make_round
from tests.test_access_matrix import program_pages
from tests.webinars.helpers import make_session
from webinars.models import WebinarSession

pytestmark = pytest.mark.django_db

SECRET_NAME = "Vreemdeling"
SECRET_SCHOOL = "Geheime School B"
PROJECT_APPS = {
    "people",
    "programs",
    "imports",
    "matching",
    "pairs",
    "webinars",
    "meetings",
    "guides",
    "notifications",
}


def build_program_b():
    """Program B with one object of every kind a staff URL can name."""
    b = f.make_program(ProgramKind.MENTOR_LEADER, school_year="2027-2028")
    pair = make_pair(b)
    from mentoring.meetings.planning import meetings_create_for_pair

    meetings_create_for_pair(pair=pair)
    extra_mentor = f.make_mentor(b, email="mentor.b@bedrijf.example")
    coach = f.make_expertcoach(b, email="coach.b@leerkracht.example")
    coach_role = Role.objects.get(user=coach, program=b, kind=RoleKind.EXPERTCOACH)
    assignment = CoachAssignment.objects.create(
        program=b, coach=coach_role, school=pair.school, published_at=timezone.now()
    )
    staff_b = f.make_staff(b, "staf.b@leerkracht.example")
    rnd = make_round(b, staff_b)
    rule = RoundRule.objects.create(
        round=rnd,
        kind="forbid",
        supporter=pair.mentor,
        schoolleider=pair.schoolleider,
        school=pair.school,
    )
    session = make_session(b)
    from mentoring.guides.services import guides_seed

    guides_seed(program=b)
    run = import_run_create(
        program=b,
        kind="schools",
        content=b"brin,naam\n12XA,X\n",
        file_name="b.csv",
        user=staff_b,
    )
    notification = notify(
        "staff_message", pair.mentor.user, {"subject": "B", "message": "b"}, program=b
    )
    suppress_address(extra_mentor.email, reason="bounced")
    User.objects.filter(roles__program=b).exclude(pk=staff_b.pk).update(last_name=SECRET_NAME)
    pair.school.__class__.objects.filter(pk=pair.school_id).update(name=SECRET_SCHOOL)
    return {
        "program": b,
        "pair": pair,
        "assignment": assignment,
        "round": rnd,
        "rule": rule,
        "session": session,
        "run": run,
        "notification": notification,
        "suppression": SuppressedAddress.objects.get(email=extra_mentor.email),
    }


def ids_for(kwarg: str, route: str, b) -> list[int]:
    """B's ids for a URL kwarg (every object of that kind in B)."""
    program = b["program"]
    by_name = {
        "profile_id": MentorProfile.objects.filter(role__program=program),
        "run_id": ImportRun.objects.filter(program=program),
        "round_id": MatchingRound.objects.filter(program=program),
        "rule_id": RoundRule.objects.filter(round__program=program),
        "role_id": Role.objects.filter(program=program),
        "assignment_id": CoachAssignment.objects.filter(program=program),
        "pair_id": Pair.objects.filter(program=program),
        "session_id": WebinarSession.objects.filter(program=program),
        "guide_id": Guide.objects.filter(program=program),
        # Regions are shared: program staff may not change any of them.
        "region_id": Region.objects.all(),
        # Schools are shared master data: B's schools (program staff change none of them).
        "school_id": School.objects.filter(enrollments__program=program),
    }
    if kwarg == "pk":
        model = SuppressedAddress if "onbestelbaar" in route else Notification
        qs = model.objects.filter(
            pk=b["suppression" if model is SuppressedAddress else "notification"].pk
        )
    else:
        assert kwarg in by_name, f"unknown object kind in a staff URL: {kwarg} ({route})"
        qs = by_name[kwarg]
    ids = list(qs.values_list("pk", flat=True))
    assert ids, (kwarg, route)
    return ids


def fill(route: str, program_id: int, values: dict[str, int]) -> str:
    url = route.replace("<int:program_id>", str(program_id))
    for name, value in values.items():
        url = url.replace(f"<int:{name}>", str(value))
    url = url.replace("<str:side>", "mentor").replace("<str:fmt>", "csv")
    url = url.replace("<str:filename>", "scholen.csv")
    url = re.sub(r"<int:(number|index)>", "1", url)
    return "/" + url


def snapshot() -> dict:
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for values in model.objects.values():
            rows[(model._meta.label, values.get("id"))] = values
    return rows


def object_kwargs(route: str) -> list[str]:
    return [
        name
        for name in re.findall(r"<int:(\w+)>", route)
        if name not in ("program_id", "number", "index")
    ]


def staff_pages():
    return [(r, p) for r, p in program_pages() if RoleKind.STAFF in p.callback.allowed_roles]


def test_program_a_staff_reach_nothing_of_program_b(client):
    a = f.make_program(ProgramKind.MENTOR_LEADER)
    staff_a = f.make_staff(a, "staf.a@leerkracht.example")
    b = build_program_b()
    client.force_login(staff_a, backend="django.contrib.auth.backends.ModelBackend")
    before = snapshot()
    all_b_ids = sorted(
        {
            i
            for objs in (Pair, Role, MatchingRound, WebinarSession, Guide)
            for i in objs.objects.filter(program=b["program"]).values_list("pk", flat=True)
        }
        | {b["notification"].pk, b["suppression"].pk, b["rule"].pk, b["run"].pk}
    )
    payload = {
        name: [str(i) for i in all_b_ids]
        for name in (
            "ids",
            "pair",
            "pair_id",
            "pairs",
            "session",
            "mentor",
            "schoolleider",
            "role",
            "roles",
            "school",
            "supporter",
            "round",
            "guide",
            "rule",
            "profile",
            "assignment",
            "regio",
            "q",
            "next",
        )
    }
    checked = 0
    for route, _pattern in staff_pages():
        kwargs = object_kwargs(route)
        if not kwargs:
            url = fill(route, a.pk, {})
            for response in (
                client.get(url, {k: v[0] for k, v in payload.items()}),
                client.post(url, payload),
            ):
                assert response.status_code < 500, (url, response.status_code)
                body = response.content.decode(errors="replace")
                assert SECRET_NAME not in body and SECRET_SCHOOL not in body, url
            checked += 1
            continue
        # Every combination of B's ids for the object kwargs of this URL.
        combos = [{}]
        for name in kwargs:
            combos = [{**c, name: i} for c in combos for i in ids_for(name, route, b)]
        for values in combos:
            url = fill(route, a.pk, values)
            for method in (client.get, client.post):
                response = method(url)
                assert response.status_code in (403, 404, 405), (
                    method.__name__,
                    url,
                    response.status_code,
                )
                checked += 1
    after = snapshot()
    changed = [key for key, values in before.items() if after.get(key) != values]
    assert not changed, changed
    assert checked > 60
