"""The permission matrix: every program page refuses every role that does not belong there.

The test walks the URL configuration, so a page added later is covered automatically: a
program page must be guarded by ``program_view`` (it carries ``allowed_roles``), and each role
outside that set gets 403; anonymous visitors are sent to the login page.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from people.enums import RoleKind
from tests import factories as f


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def program_pages():
    pages = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if "<int:program_id>" in route:
            pages.append((route, pattern))
    return pages


def _fill(route: str, program_id: int) -> str:
    import re

    url = route.replace("<int:program_id>", str(program_id))
    url = re.sub(r"<int:\w+>", "1", url)
    url = re.sub(r"<(?:str|slug|uuid|path):\w+>", "x", url)
    url = re.sub(r"<\w+>", "x", url)
    return "/" + url.lstrip("^").rstrip("$")


def test_every_program_page_uses_the_permission_layer():
    missing = [route for route, p in program_pages() if not hasattr(p.callback, "allowed_roles")]
    assert not missing, f"program pages without program_view: {missing}"


@pytest.mark.django_db
def test_every_program_page_refuses_roles_that_do_not_belong(client, program, coach_program):
    people = {
        RoleKind.STAFF: f.make_staff(program),
        RoleKind.MENTOR: f.make_mentor(program),
        RoleKind.SCHOOLLEIDER: f.make_schoolleider(program),
        "outsider": f.make_user(),
        "staff_of_other_program": f.make_staff(coach_program),
    }
    pages = program_pages()
    assert len(pages) >= 5
    checked = 0
    for route, pattern in pages:
        allowed = pattern.callback.allowed_roles
        url = _fill(route, program.pk)
        client.logout()
        anonymous = client.get(url)
        send = client.get
        if anonymous.status_code == 405:  # POST-only actions
            send = client.post
            anonymous = client.post(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"], url
        for who, user in people.items():
            if who in allowed:
                continue
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            response = send(url)
            assert response.status_code == 403, (url, who, response.status_code)
            checked += 1
    assert checked > len(pages)


@pytest.mark.django_db
def test_unknown_program_is_404_for_staff(client_for, staff):
    assert client_for(staff).get("/programma/999999/").status_code == 404
