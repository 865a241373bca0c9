"""The staff progress page at size: its pairs are paged, searched, filtered by region and
sorted in the database, keep their query string across pages, and the page runs the same
number of queries for 5 pairs as for 50."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.meetings import views as meeting_views
from programs.models import Region
from tests import factories as f
from tests.meetings import helpers as h

pytestmark = pytest.mark.django_db

CITIES = ("utrecht", "rotterdam", "amsterdam")


def _pairs(program, n: int, start: int = 0, *, meetings: bool = False) -> None:
    """``n`` pairs whose mentors are called "Mentor 000", "Mentor 001", ... and whose
    schools sort the same way (so the default order by region, school is predictable)."""
    for i in range(start, start + n):
        pair = f.make_pair(program, city=CITIES[i % 3])
        user = pair.mentor.user
        user.first_name, user.last_name = "Mentor", f"{i:03d}"
        user.save(update_fields=["first_name", "last_name"])
        pair.school.name = f"School {i:03d}"
        pair.school.save(update_fields=["name"])
        if meetings:
            h.force_planned(pair, 1, h.ams(2026, 12, 1 + i % 20))


def _mentors(html: str) -> list[str]:
    return re.findall(r"Mentor \d{3}", html)


def _url(program) -> str:
    return reverse("meetings:overview", args=(program.pk,))


def test_overview_pages_search_filter_and_sort(client_for, staff, program, monkeypatch):
    monkeypatch.setattr(meeting_views, "OVERVIEW_PAGE_SIZE", 5)
    _pairs(program, 12)
    client = client_for(staff)
    by_school = {"sorteer": "school"}
    first = client.get(_url(program), by_school).content.decode()
    assert _mentors(first) == [f"Mentor {i:03d}" for i in range(5)]
    second = client.get(_url(program), {**by_school, "page": 2}).content.decode()
    assert _mentors(second) == [f"Mentor {i:03d}" for i in range(5, 10)]
    assert "sorteer=school" in second and "page=3" in second  # the pager keeps the sort
    utrecht = Region.objects.get(name="Utrecht").pk
    filtered = client.get(_url(program), {**by_school, "regio": utrecht}).content.decode()
    assert "4 koppels" in filtered
    assert _mentors(filtered) == ["Mentor 000", "Mentor 003", "Mentor 006", "Mentor 009"]
    found = client.get(_url(program), {"q": "School 007"}).content.decode()
    assert _mentors(found) == ["Mentor 007"]
    backwards = client.get(_url(program), {"sorteer": "-mentor"}).content.decode()
    assert _mentors(backwards)[:2] == ["Mentor 011", "Mentor 010"]
    # The "late" tab keeps the search and the sort, and starts again at page 1.
    late_tab = re.search(r'href="([^"]*laat=1[^"]*)"', second).group(1)
    assert "sorteer=school" in late_tab and "page" not in late_tab


def test_overview_queries_do_not_grow_with_pairs(client_for, staff, program):
    client = client_for(staff)
    _pairs(program, 5, meetings=True)

    def count(**params) -> int:
        client.get(_url(program), params)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(program), params).status_code == 200
        return len(captured)

    five = count()
    five_late = count(laat="1", q="Mentor", sorteer="mentor")
    _pairs(program, 45, start=5, meetings=True)
    assert count() == five
    assert count(laat="1", q="Mentor", sorteer="mentor") == five_late
