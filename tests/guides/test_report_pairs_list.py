"""Progress per pair at size: paged, searched, filtered by status and region and sorted in
the database, the query string kept across pages, as many queries for 5 pairs as for 50."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring.guides import report_views
from mentoring.guides.services import meeting_record_save
from mentoring.pairs.enums import PairStatus
from programs.models import Region
from tests import factories as f

pytestmark = pytest.mark.django_db

CITIES = ("utrecht", "rotterdam", "amsterdam")


def _pairs(program, n: int, start: int = 0, *, records: bool = False) -> None:
    """Pairs at schools "School 000", "School 001", ...; every fourth one ended."""
    for i in range(start, start + n):
        pair = f.make_pair(
            program,
            city=CITIES[i % 3],
            status=PairStatus.ENDED if i % 4 == 3 else PairStatus.ACTIVE,
            published_at=timezone.now() - dt.timedelta(days=30),
        )
        pair.school.name = f"School {i:03d}"
        pair.school.save(update_fields=["name"])
        if records:
            meeting_record_save(
                pair=pair,
                number=1,
                by=pair.mentor.user,
                held=True,
                held_on=dt.date(2026, 11, 18),
                themes=["overtuiging"],
            )


def _schools(html: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"School \d{3}", html)))


def _url(program) -> str:
    return f"/programma/{program.pk}/staf/rapport/koppels/"


def test_progress_pages_filter_and_sort(client_for, staff, program, guides, monkeypatch):
    monkeypatch.setattr(report_views, "PAIRS_PER_PAGE", 5)
    _pairs(program, 12)
    client = client_for(staff)
    assert _schools(client.get(_url(program)).content.decode()) == [
        f"School {i:03d}" for i in range(5)
    ]
    second = client.get(_url(program), {"status": "", "page": 2}).content.decode()
    assert _schools(second) == [f"School {i:03d}" for i in range(5, 10)]
    assert "status=" in second and "page=3" in second
    ended = client.get(_url(program), {"status": "ended"}).content.decode()
    assert _schools(ended) == ["School 003", "School 007", "School 011"]
    utrecht = Region.objects.get(name="Utrecht").pk
    filtered = client.get(_url(program), {"regio": utrecht}).content.decode()
    assert "4 koppels" in filtered
    assert _schools(filtered) == ["School 000", "School 003", "School 006", "School 009"]
    found = client.get(_url(program), {"q": "school 010"}).content.decode()
    assert _schools(found) == ["School 010"]
    backwards = client.get(_url(program), {"sorteer": "-school"}).content.decode()
    assert _schools(backwards)[:2] == ["School 011", "School 010"]


def test_progress_queries_do_not_grow_with_pairs(client_for, staff, program, guides):
    client = client_for(staff)

    def count(**params) -> int:
        client.get(_url(program), params)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(program), params).status_code == 200
        return len(captured)

    _pairs(program, 5, records=True)
    five = count()
    five_searched = count(q="School", sorteer="mentor", status="active")
    _pairs(program, 45, start=5, records=True)
    assert count() == five
    assert count(q="School", sorteer="mentor", status="active") == five_searched
