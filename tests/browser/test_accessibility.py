"""axe-core's WCAG 2.1 A/AA rules over every page each role can reach, and the error states.

A violation on any page fails the suite, with the page, the rule and the elements in the
message. New pages are covered without editing this file: the crawl starts from the routes
the access matrix walks and follows every link (see tests/browser/a11y.py).
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from people.enums import RoleKind
from people.models import User
from tests.browser import a11y
from tests.browser.test_import import _ensure_postcodes
from tests.test_access_matrix import _fill, program_pages

DEMO = {
    "staf": "staf@demo.leerkracht.example",
    "mentor": "mentor@demo.leerkracht.example",
    "schoolleider": "schoolleider@demo.leerkracht.example",
    "expertcoach": "coach@demo.leerkracht.example",
}
ROLE_LOGIN = {
    RoleKind.STAFF: "staf",
    RoleKind.MENTOR: "mentor",
    RoleKind.SCHOOLLEIDER: "schoolleider",
    RoleKind.EXPERTCOACH: "expertcoach",
}
BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _client_for(email: str | None) -> tuple[Client, list[int]]:
    client = Client(raise_request_exception=False)
    if email is None:
        return client, []
    user = User.objects.get(email=email)
    client.force_login(user, backend=BACKEND)
    return client, sorted(set(user.roles.values_list("program_id", flat=True)))


def _not_a_page(client: Client, url: str) -> bool:
    """A POST-only action: GET is refused (405) or sent on to a page (not to the login)."""
    response = client.get(url)
    if response.status_code == 405:
        return True
    return response.status_code == 302 and "/accounts/login/" not in response["Location"]


def _check(page, axe, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.ok, (url, response and response.status)
    return a11y.axe_violations(axe, page) + a11y.structure_problems(page)


def _more_states() -> list[str]:
    """States the demo does not have yet: every page that exists only in them gets reached."""
    from django.utils import timezone

    from matching import services as matching
    from mentoring.meetings import services as meetings
    from mentoring.meetings.models import Slot
    from mentoring.pairs import services as pairs
    from mentoring.pairs.models import Pair
    from notifications.models import SuppressedAddress
    from people.enums import MentorStatus
    from people.models import Role
    from programs.importing import services as importing
    from programs.importing.enums import ImportKind
    from programs.models import ProgramYear
    from webinars import services as webinars

    program = ProgramYear.objects.get(kind="mentor_leader")
    staff = User.objects.get(email=DEMO["staf"])
    # A confirmed meeting: move, cancel, confirmation page and calendar file.
    slot = Slot.objects.filter(
        meeting__pair__mentor__user__email=DEMO["mentor"], status="open"
    ).first()
    assert slot is not None, "the demo pair has a proposal for meeting 2"
    meetings.meeting_accept(slot=slot, by=User.objects.get(email=DEMO["mentor"]))
    demo_pair = slot.meeting.pair
    # ... and open proposals for the next one (the suggested times), to accept.
    meetings.meeting_take_over_suggestion(pair=demo_pair, by=demo_pair.schoolleider.user)
    # A draft of a guide, to publish.
    from mentoring.guides.models import Guide
    from mentoring.guides.services import guide_save_draft

    guide = Guide.objects.filter(program=program).first()
    guide_save_draft(guide=guide, by=staff, title=f"{guide} (herzien)")
    # A draft matching round: solve, participation, rules, publish.
    draft = matching.round_create(program=program, name="Concept december", user=staff)
    matching.round_solve(round_id=draft.pk, user_id=staff.pk)
    # A full future webinar: the waiting list; staff may cancel it.
    session = webinars.session_create(
        program=program,
        actor=staff,
        title="Extra webinar",
        starts_at=timezone.now() + timezone.timedelta(days=20),
        duration_minutes=90,
        meeting_url="https://webinar.example.org/extra",
        capacity=1,
    )
    other = (
        Role.objects.filter(program=program, kind=RoleKind.MENTOR)
        .exclude(user__email=DEMO["mentor"])
        .filter(mentor_profile__status=MentorStatus.APPROVED)
        .first()
    )
    webinars.register(session=session, role=other)
    # An import preview, an ended pair waiting for a new partner, an undeliverable address.
    importing.import_run_create(
        program=program,
        kind=ImportKind.SCHOOLS,
        content=b"brin;vestiging;naam;sector;postcode\n12AB;00;De Linde;po;3511 AB\n",
        file_name="scholen.csv",
        user=staff,
    )
    ended = Pair.objects.filter(program=program, status="active").exclude(
        mentor__user__email=DEMO["mentor"]
    )
    pairs.pair_end(pair=ended.first(), user=staff, reason="Verhuisd", rematch=True)
    SuppressedAddress.objects.create(email="weg@example.org", reason="bounced")
    # Pages reached only through a redirect after a form: opened directly.
    return [
        reverse("meetings:confirmed", args=[program.pk, demo_pair.pk, slot.meeting.number]),
    ]


def test_every_page_of_every_role_passes_axe(page, live_server, axe):
    _ensure_postcodes()
    call_command(
        "seed_demo", schools=24, mentors=22, coach_schools=10, coaches=3, stdout=io.StringIO()
    )
    redirected_to = _more_states()
    violations: list[str] = []
    reached: dict[str, set[str]] = {}
    answered: dict[str, tuple[str, int, str]] = {}
    for who, email in [("anoniem", None), *DEMO.items()]:
        client, programs = _client_for(email)
        result = a11y.crawl(client, programs, extra=redirected_to)
        answered.update(result.other)
        page.context.clear_cookies()
        page.context.add_cookies(a11y.session_cookie(client, live_server.url))
        for route, url in sorted(result.pages.items()):
            reached.setdefault(route, set()).add(who)
            for line in _check(page, axe, url):
                violations.append(f"[{who}] {url}: {line}")
    assert len(reached) > 40, sorted(reached)
    # Every program route is either a page the crawl opened, or answered a link as a download
    # or POST-only action, or (never linked in this data) refuses GET from its own role.
    clients = {kind: _client_for(DEMO[who]) for kind, who in ROLE_LOGIN.items()}
    missing = [
        route
        for route, pattern in program_pages()
        if route not in reached
        and route not in answered
        and not any(
            _not_a_page(clients[kind][0], _fill(route, clients[kind][1][0]))
            for kind in pattern.callback.allowed_roles
            if kind in clients
        )
    ]
    assert not violations, "\n".join(violations)
    assert not missing, "program pages the crawl never reached:\n" + "\n".join(missing)
