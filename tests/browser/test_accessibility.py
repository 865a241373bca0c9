"""axe-core's WCAG 2.1 A/AA rules over every page each role can reach, and the error states.

A violation on any page fails the suite, with the page, the rule and the elements in the
message. New pages are covered without editing this file: the crawl starts from the routes
the access matrix walks and follows every link (see tests/browser/a11y.py).
"""

from __future__ import annotations

import io
import re

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from people.enums import RoleKind
from people.models import User
from tests.browser import a11y
from tests.test_access_matrix import _fill, program_pages

DEMO = {
    "staf": "staf@demo.leerkracht.example",
    "mentor": "mentor@demo.leerkracht.example",
    "schoolleider": "schoolleider@demo.leerkracht.example",
    "expertcoach": "coach@demo.leerkracht.example",
    "schoolleider (expertcoach)": "schoolleider.coaching@demo.leerkracht.example",
}
ROLE_LOGIN = {
    RoleKind.STAFF: "staf",
    RoleKind.MENTOR: "mentor",
    RoleKind.SCHOOLLEIDER: "schoolleider",
    RoleKind.EXPERTCOACH: "expertcoach",
}
# Files (PDF, CSV, calendar...): no HTML to check, even when this data has none to offer.
DOWNLOAD = re.compile(r"\.(pdf|csv|ics|xlsx|json|<str:fmt>)$")
BACKEND = "django.contrib.auth.backends.ModelBackend"


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


def _check(page, axe, url: str, *, lang: str = "nl") -> list[str]:
    response = page.goto(url)
    assert response is not None and response.ok, (url, response and response.status)
    problems = a11y.axe_violations(axe, page) + a11y.structure_problems(page)
    if page.get_attribute("html", "lang") != lang:
        problems.append(f"html lang is not {lang!r}")
    return problems + [f"at 390x844: {p}" for p in a11y.horizontal_overflow(page)]


def _more_states() -> list[str]:
    """States the demo does not have yet: every page that exists only in them gets reached."""
    from django.utils import timezone

    from matching import services as matching
    from matching import solving
    from mentoring.meetings import planning as meetings
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
    solving.round_solve(round_id=draft.pk, user_id=staff.pk)
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
    call_command(
        "seed_demo", schools=24, mentors=22, coach_schools=10, coaches=3, stdout=io.StringIO()
    )
    redirected_to = _more_states()
    violations: list[str] = []
    reached: dict[str, set[str]] = {}
    answered: dict[str, tuple] = {}
    # Everyone in Dutch; the visitor and the mentor in English as well.
    runs = [("anoniem", None, "nl"), *((who, e, "nl") for who, e in DEMO.items())]
    runs += [("anoniem/en", None, "en"), ("mentor/en", DEMO["mentor"], "en")]
    for who, email, lang in runs:
        client, programs = _client_for(email)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        result = a11y.crawl(client, programs, extra=redirected_to)
        for route, (url, status, _type, location) in result.other.items():
            if status >= 500:
                violations.append(f"[{who}] {url}: answers {status}")
            # A download, a POST-only action, or a step that sends on to a page: not a page
            # of its own. 403/404 and the login redirect do not count as reached.
            elif status in (200, 405) or (status == 302 and "/accounts/login/" not in location):
                answered.setdefault(route, (url, status, _type, location))
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                *a11y.session_cookie(client, live_server.url),
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url},
            ]
        )
        for route, url in sorted(result.pages.items()):
            reached.setdefault(route, set()).add(who)
            for line in _check(page, axe, url, lang=lang):
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
        and not DOWNLOAD.search(route)
        and not any(
            _not_a_page(clients[kind][0], _fill(route, clients[kind][1][0]))
            for kind in pattern.callback.allowed_roles
            if kind in clients
        )
    ]
    assert not violations, "\n".join(violations)
    assert not missing, "program pages the crawl never reached:\n" + "\n".join(missing)


def test_error_states_pass_axe(page, live_server, axe):
    """Forms that come back with errors, lists with nothing in them, a full webinar, 403/404."""
    from programs.enums import ProgramKind
    from tests import factories as f
    from tests.webinars.helpers import make_session, place

    program = f.make_program(ProgramKind.MENTOR_LEADER, registration_open=True)
    staff = f.make_staff(program, "staf@leerkracht.example")
    staff.is_staff = True  # foundation staff: may create program years
    staff.save(update_fields=["is_staff"])
    f.make_mentor(program, email="mentor@bedrijf.example")
    other = f.make_mentor(program, email="andere@bedrijf.example")
    full = make_session(program, title="Vol webinar", capacity=1)
    place(full, other)
    pid = program.pk
    violations: list[str] = []

    def check(who: str, what: str) -> None:
        problems = a11y.axe_violations(axe, page) + a11y.structure_problems(page)
        problems += [f"at 390x844: {p}" for p in a11y.horizontal_overflow(page)]
        for line in problems:
            violations.append(f"[{who}] {what} {page.url}: {line}")

    def as_user(email: str | None) -> Client:
        client, _programs = _client_for(email)
        page.context.clear_cookies()
        page.context.add_cookies(a11y.session_cookie(client, live_server.url))
        return client

    # Forms with errors.
    as_user(None)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "mentor@bedrijf.example")
    page.fill("input[name=password]", "fout-wachtwoord")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".errorlist, .form-errors").count(), "login error not shown"
    check("anoniem", "wrong password")
    for url in ["/accounts/signup/", "/accounts/password/reset/"]:
        page.goto(url)
        a11y.submit_blank(page)
        check("anoniem", "blank form")
    forms = {
        "mentor@bedrijf.example": [reverse("people:mentor_profile", args=[pid])],
        "staf@leerkracht.example": [
            reverse("webinars:session_create", args=[pid]),
            reverse("programs:region_create", args=[pid]),
            reverse("programs:program_edit", args=[pid]),
            reverse("imports:upload", args=[pid]),
            reverse("programs:program_create"),
        ],
    }
    refused = 0
    for email, urls in forms.items():
        as_user(email)
        for url in urls:
            page.goto(url)
            a11y.submit_blank(page)
            if page.locator(".error-summary, .errorlist, .form-errors, .error").count():
                refused += 1
            check(email, "blank form")
    assert refused == 6, refused

    # A full webinar, as the mentor who can only join the waiting list.
    as_user("mentor@bedrijf.example")
    page.goto(reverse("webinars:choose", args=[pid]))
    assert page.get_by_text("Vol", exact=True).count() >= 1
    check("mentor", "full webinar")

    # Empty lists: every page of a program with no schools, people, rounds or sessions.
    empty = f.make_program(ProgramKind.MENTOR_LEADER, school_year="2027-2028")
    f.make_staff(empty, "leeg@leerkracht.example")
    client = as_user("leeg@leerkracht.example")
    result = a11y.crawl(client, [empty.pk])
    empty_pages = [url for url in result.pages.values() if f"/programma/{empty.pk}/" in url]
    assert len(empty_pages) >= 15, empty_pages
    for url in empty_pages:
        page.goto(url)
        check("staf (leeg programma)", "empty")

    # The error pages themselves.
    as_user("mentor@bedrijf.example")
    for url, status in [
        ("/bestaat-niet/", 404),
        (reverse("programs:region_list", args=[pid]), 403),
    ]:
        response = page.goto(url)
        assert response.status == status
        check("mentor", str(status))

    assert not violations, "\n".join(violations)
