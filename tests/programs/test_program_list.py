"""The program-years list: counts that do not multiply, and a constant number of queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from people.enums import RoleKind
from tests import factories as f

pytestmark = pytest.mark.django_db


def _row(html: str, name: str) -> list[str]:
    body = html.split("<tbody>", 1)[1]
    row = next(r for r in body.split("<tr>") if name in r)
    return re.findall(r'<td class="num">(\d+)</td>', row)


def test_counts_schools_and_participants_without_multiplying(client_for, foundation_staff):
    program = f.make_program(name="Mentoring groot")
    for _ in range(4):
        f.make_schoolleider(program)  # four schools, four schoolleiders
    for _ in range(3):
        f.make_mentor(program)
    f.make_school(program=program)  # a fifth school without a schoolleider yet
    f.make_staff(program)  # staff are not participants
    both = f.make_mentor(program)  # one person with two roles counts once
    f.make_role(both, program, RoleKind.SCHOOLLEIDER)
    other = f.make_program(name="Mentoring leeg", school_year="2025-2026")
    response = client_for(foundation_staff).get(reverse("programs:program_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert _row(html, "Mentoring groot") == ["5", "8"]  # 4 leaders + 3 mentors + 1 both
    assert _row(html, "Mentoring leeg") == ["0", "0"]
    assert other.pk


def test_program_list_queries_do_not_grow(
    client_for, foundation_staff, django_assert_max_num_queries
):
    client = client_for(foundation_staff)
    for year in ("2024-2025", "2025-2026", "2026-2027"):
        program = f.make_program(school_year=year)
        for _ in range(3):
            f.make_schoolleider(program)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("programs:program_list")).status_code == 200
