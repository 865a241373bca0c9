"""The staff mentor list at size: paged, searched, filtered by status and sorted in the
database, the query string kept across pages and after a bulk approval, and as many queries
for 5 mentors as for 50."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from people import views as people_views
from people.enums import MentorStatus
from people.models import MentorProfile
from tests import factories as f

pytestmark = pytest.mark.django_db


def _mentors(program, n: int, start: int = 0, status: str = MentorStatus.PENDING) -> None:
    """Mentors "Mentor 000", "Mentor 001", ... who submitted in that order."""
    base = timezone.now() - dt.timedelta(days=30)
    for i in range(start, start + n):
        user = f.make_mentor(program, status=status, organisation=f"Bedrijf {(99 - i):03d}")
        user.first_name, user.last_name = "Mentor", f"{i:03d}"
        user.save(update_fields=["first_name", "last_name"])
        MentorProfile.objects.filter(role__user=user).update(
            submitted_at=base + dt.timedelta(hours=i)
        )


def _names(html: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"Mentor \d{3}", html)))


def test_mentor_list_pages_filter_and_sort(client_for, staff, program, monkeypatch):
    monkeypatch.setattr(people_views, "MENTORS_PER_PAGE", 5)
    _mentors(program, 12)
    _mentors(program, 2, start=50, status=MentorStatus.APPROVED)
    client = client_for(staff)
    url = reverse("people:mentor_list", args=[program.pk])
    assert _names(client.get(url).content.decode()) == [f"Mentor {i:03d}" for i in range(5)]
    second = client.get(url, {"status": "pending", "page": 2}).content.decode()
    assert _names(second) == [f"Mentor {i:03d}" for i in range(5, 10)]
    assert "status=pending" in second and "page=3" in second
    approved = client.get(url, {"status": "approved"}).content.decode()
    assert _names(approved) == ["Mentor 050", "Mentor 051"]
    found = client.get(url, {"status": "pending", "q": "mentor 007"}).content.decode()
    assert _names(found) == ["Mentor 007"]
    by_organisation = client.get(url, {"sorteer": "organisatie"}).content.decode()
    assert _names(by_organisation)[0] == "Mentor 011"  # "Bedrijf 088" sorts first
    latest = client.get(url, {"sorteer": "-ingediend"}).content.decode()
    assert _names(latest)[0] == "Mentor 011"
    # The status tabs keep the search.
    searched = client.get(url, {"q": "Mentor"}).content.decode()
    assert re.search(r'href="\?[^"]*status=approved[^"]*"', searched)
    assert re.search(r'href="\?q=Mentor&amp;status=approved"', searched)


def test_bulk_approve_returns_to_the_same_filtered_page(client_for, staff, program):
    _mentors(program, 3)
    client = client_for(staff)
    url = reverse("people:mentor_list", args=[program.pk])
    ids = list(MentorProfile.objects.order_by("pk").values_list("pk", flat=True)[:2])
    back = f"{url}?status=pending&q=Mentor&sorteer=naam"
    response = client.post(
        reverse("people:mentor_bulk_approve", args=[program.pk]), {"ids": ids, "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    assert MentorProfile.objects.filter(status=MentorStatus.APPROVED).count() == 2
    # Elsewhere is never a destination: the pending list then.
    third = MentorProfile.objects.get(status=MentorStatus.PENDING).pk
    response = client.post(
        reverse("people:mentor_bulk_approve", args=[program.pk]),
        {"ids": [third], "next": "https://evil.example/"},
    )
    assert response["Location"] == f"{url}?status=pending"


def test_mentor_list_queries_do_not_grow_with_mentors(client_for, staff, program):
    client = client_for(staff)
    url = reverse("people:mentor_list", args=[program.pk])

    def count(**params) -> int:
        client.get(url, params)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    _mentors(program, 5)
    five = count()
    five_searched = count(q="Mentor", sorteer="naam")
    _mentors(program, 45, start=5)
    assert count() == five
    assert count(q="Mentor", sorteer="naam") == five_searched
