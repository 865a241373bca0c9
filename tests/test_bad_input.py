"""Bad input never gives a 500.

Every page of the URL configuration is opened as a person who may see it; every form field
and query parameter found on it (and the common ones every list page reads) is sent
oversized, non-numeric, beyond 64 bits, negative and with a NUL byte. The answer is a 4xx,
a redirect or the page with a form error — never a server error. Runs on SQLite and, with
``DATABASE_URL=postgres://...``, on PostgreSQL (where a NUL byte in a text query raises).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import get_resolver

from mentoring.guides.models import Guide
from notifications.outbox import notify
from people.enums import RoleKind
from people.models import MentorProfile
from programs.importing.services import import_run_create
from programs.models import Region
from tests import factories as f
from tests.factories import make_pair
from tests.matching.matching_helpers import make_round
from tests.test_access_matrix import _walk
from tests.webinars.helpers import make_session

pytestmark = pytest.mark.django_db

BAD_VALUES = [
    "99999999999999999999",  # beyond 64 bits
    "-1",
    "abc",
    "1\x00",  # NUL byte
    "9" * 5000 + "x" * 100_000,  # oversized
]
#: Query parameters list pages commonly read, tried on every page.
COMMON_PARAMS = [
    "page", "q", "regio", "sector", "status", "kind", "toon", "als", "next", "pair",
    "round", "session", "soort", "fase", "sort", "number", "ronde", "week",
]  # fmt: skip
SKIP_PREFIXES = ("admin/", "accounts/logout", "i18n/")


class Forms(HTMLParser):
    """The forms of a page: [(method, action, {field names})] and query names in links."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, set[str]]] = []
        self.link_params: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(((a.get("method") or "get").lower(), a.get("action") or "", set()))
        elif tag in ("input", "select", "textarea", "button") and a.get("name") and self.forms:
            self.forms[-1][2].add(a["name"])
        elif tag == "a" and "?" in (a.get("href") or ""):
            for part in a["href"].split("?", 1)[1].split("&"):
                if "=" in part:
                    self.link_params.add(part.split("=", 1)[0])


def world():
    program = f.make_program()
    pair = make_pair(program)
    from mentoring.meetings.planning import meetings_create_for_pair

    meetings_create_for_pair(pair=pair)
    staff = f.make_user("staf@leerkracht.example", is_staff=True)
    f.make_role(staff, program, RoleKind.STAFF)
    rnd = make_round(program, staff)
    session = make_session(program)
    from mentoring.guides.services import guides_seed

    guides_seed(program=program)
    run = import_run_create(
        program=program,
        kind="schools",
        content=b"brin,vestiging,naam,sector,postcode\n12XA,00,De Linde,po,3511 AB\n",
        file_name="s.csv",
        user=staff,
    )
    row = notify(
        "staff_message", pair.mentor.user, {"subject": "s", "message": "m"}, program=program
    )
    values = {
        "program_id": program.pk,
        "profile_id": MentorProfile.objects.get(role=pair.mentor).pk,
        "region_id": Region.objects.first().pk,
        "run_id": run.pk,
        "round_id": rnd.pk,
        "role_id": pair.mentor_id,
        "pair_id": pair.pk,
        "session_id": session.pk,
        "guide_id": Guide.objects.filter(program=program).first().pk,
        "pk": row.pk,
        "number": 1,
        "index": 0,
    }
    users = {
        RoleKind.STAFF: staff,
        RoleKind.MENTOR: pair.mentor.user,
        RoleKind.SCHOOLLEIDER: pair.schoolleider.user,
        RoleKind.EXPERTCOACH: staff,
        None: staff,
    }
    return values, users


def fill(route: str, values: dict[str, int]) -> str:
    url = route
    for name, value in values.items():
        url = url.replace(f"<int:{name}>", str(value))
    url = re.sub(r"<int:\w+>", "1", url)
    url = url.replace("<str:side>", "mentor").replace("<str:fmt>", "csv")
    url = url.replace("<str:filename>", "scholen.csv")
    url = re.sub(r"<(?:str|slug|path):\w+>", "x", url)
    return "/" + url.lstrip("^").rstrip("$")


def pages():
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or "(?P" in route or "anymail/" in route:
            continue
        yield route, pattern


def who_for(pattern, users):
    allowed = getattr(pattern.callback, "allowed_roles", None)
    if not allowed:
        return users[None]
    for kind in (RoleKind.STAFF, RoleKind.MENTOR, RoleKind.SCHOOLLEIDER, RoleKind.EXPERTCOACH):
        if kind in allowed:
            return users[kind]
    return users[None]


def test_no_field_or_parameter_of_any_page_gives_a_500(settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    values, users = world()
    failures: list[str] = []
    tried = 0
    posted: set[tuple[str, frozenset]] = set()
    for route, pattern in pages():
        url = fill(route, values)
        client = Client(raise_request_exception=False)
        client.force_login(
            who_for(pattern, users), backend="django.contrib.auth.backends.ModelBackend"
        )
        page = client.get(url)
        if page.status_code >= 500:
            failures.append(f"GET {url} → {page.status_code}")
            continue
        parsed = Forms()
        if "html" in page.get("Content-Type", ""):
            parsed.feed(page.content.decode(errors="replace"))
        get_names = set(COMMON_PARAMS) | parsed.link_params
        posts: list[tuple[str, set[str]]] = []
        for method, action, names in parsed.forms:
            target = urlsplit(action).path or url
            if not target.startswith("/") or target.startswith(("/accounts/logout", "/i18n/")):
                continue
            if method == "get":
                get_names |= names
            elif (target, frozenset(names)) not in posted:
                posted.add((target, frozenset(names)))
                posts.append((target, names))
        for bad in BAD_VALUES:
            response = client.get(url, dict.fromkeys(get_names, bad))
            tried += 1
            if response.status_code >= 500:
                failures.append(
                    f"GET {url} {sorted(get_names)}={bad[:25]!r} → {response.status_code}"
                )
            for target, names in posts:
                response = client.post(target, dict.fromkeys(names | {"next"}, bad))
                tried += 1
                if response.status_code >= 500:
                    failures.append(
                        f"POST {target} {sorted(names)}={bad[:25]!r} → {response.status_code}"
                    )
    assert not failures, "\n".join(failures)
    assert tried > 300


@pytest.mark.parametrize(
    "target", ["home-page", "//evil.example/", "javascript:alert(1)", "\x00", "9" * 30]
)
def test_language_switch_with_any_next_is_never_a_500(client, target):
    response = client.post("/taal/", {"language": "en", "next": target})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response["Location"].startswith("/") and not response["Location"].startswith("//")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("99999999999999999999", None),
        (str(2**63), None),
        (str(2**63 - 1), 2**63 - 1),
        ("-1", None),
        ("abc", None),
        ("1\x00", None),
        ("²", None),
        ("", None),
        (None, None),
        ("9" * 100_000, None),
    ],
)
def test_parse_int(value, expected):
    from mentoring.inputs import parse_int

    assert parse_int(value) == expected


def test_clean_text_drops_nul_and_caps_length():
    from mentoring.inputs import clean_text

    assert clean_text(" a\x00b ") == "ab"
    assert len(clean_text("x" * 100_000)) == 200
