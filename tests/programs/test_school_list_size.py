"""The staff school list at size: paged, searched, filtered and sorted in the database, the
query string kept across pages, and as many queries for 5 schools as for 50."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs import views as program_views
from programs.models import Region
from tests import factories as f

pytestmark = pytest.mark.django_db

CITIES = ("utrecht", "rotterdam", "amsterdam")


def _schools(program, n: int, start: int = 0, *, leaders: bool = False) -> None:
    for i in range(start, start + n):
        school = f.make_school(program=program, city=CITIES[i % 3], name=f"School {i:03d}")
        if leaders:
            f.make_schoolleider(program, school=school)


def _names(html: str) -> list[str]:
    return re.findall(r"School \d{3}", html)


def test_school_list_pages_filter_and_sort(client_for, staff, program, monkeypatch):
    monkeypatch.setattr(program_views, "SCHOOLS_PER_PAGE", 5)
    _schools(program, 12)
    client = client_for(staff)
    url = reverse("programs:school_list", args=[program.pk])
    assert _names(client.get(url).content.decode()) == [f"School {i:03d}" for i in range(5)]
    second = client.get(url, {"page": 2, "sector": "po"}).content.decode()
    assert _names(second) == [f"School {i:03d}" for i in range(5, 10)]
    assert "sector=po" in second and "page=3" in second  # the pager keeps the filter
    utrecht = Region.objects.get(name="Utrecht").pk
    filtered = client.get(url, {"regio": utrecht}).content.decode()
    assert "4 scholen" in filtered
    assert _names(filtered) == ["School 000", "School 003", "School 006", "School 009"]
    backwards = client.get(url, {"sorteer": "-naam"}).content.decode()
    assert _names(backwards) == [f"School {i:03d}" for i in range(11, 6, -1)]
    by_place = client.get(url, {"sorteer": "plaats"}).content.decode()
    assert _names(by_place)[0] == "School 002"  # Amsterdam first
    assert client.get(url, {"sorteer": "pk; drop"}).status_code == 200


def test_school_list_queries_do_not_grow_with_schools(client_for, staff, program):
    client = client_for(staff)
    url = reverse("programs:school_list", args=[program.pk])

    def count(**params) -> int:
        client.get(url, params)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    _schools(program, 5, leaders=True)
    five = count(sorteer="regio")
    _schools(program, 45, start=5, leaders=True)
    assert count(sorteer="regio") == five
