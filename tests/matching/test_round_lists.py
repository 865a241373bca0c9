"""A round's pairs and "not matched" lists at size: read from the stored solution, paged,
searched, filtered and sorted in the database, the query string kept across pages, and as
many queries for 5 rows as for 50 (nothing is loaded one row at a time)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import views as matching_views
from matching.enums import RoundSide, RuleKind, UnmatchedReason
from matching.models import ProposedPair, RoundRule, Solution, UnmatchedEntry
from people.enums import RoleKind
from people.models import Role
from tests import factories as f

from .matching_helpers import make_round

pytestmark = pytest.mark.django_db

CITIES = ("utrecht", "rotterdam", "amsterdam")


@pytest.fixture
def solution(program, staff):
    rnd = make_round(program, staff)
    return Solution.objects.create(round=rnd, number=1, snapshot_data=b"")


def _leader(program, i: int) -> Role:
    user = f.make_schoolleider(program, city=CITIES[i % 3])
    user.first_name, user.last_name = "Leider", f"{i:03d}"
    user.save(update_fields=["first_name", "last_name"])
    return Role.objects.select_related("schoolleider_profile__school").get(
        user=user, program=program, kind=RoleKind.SCHOOLLEIDER
    )


def _mentor(program, i: int) -> Role:
    user = f.make_mentor(program, city=CITIES[i % 3])
    user.first_name, user.last_name = "Mentor", f"{i:03d}"
    user.save(update_fields=["first_name", "last_name"])
    return Role.objects.get(user=user, program=program, kind=RoleKind.MENTOR)


def _proposed(solution, n: int, start: int = 0) -> None:
    program = solution.round.program
    for i in range(start, start + n):
        leader = _leader(program, i)
        mentor = _mentor(program, i)
        ProposedPair.objects.create(
            solution=solution,
            supporter=mentor,
            schoolleider=leader,
            school=leader.schoolleider_profile.school,
            row_index=i,
            col_index=i,
            distance_km=float(i),
            total=float(i),
        )
        if i % 10 == 0:  # a rule for some pairs: looked up for the page only
            RoundRule.objects.create(
                round=solution.round,
                kind=RuleKind.LOCK,
                supporter=mentor,
                schoolleider=leader,
                school=leader.schoolleider_profile.school,
            )


def _unmatched(solution, n: int, start: int = 0) -> None:
    """Schoolleiders (rows) and mentors (columns) left without a partner, alternately."""
    program = solution.round.program
    reasons = (UnmatchedReason.NO_CANDIDATE, UnmatchedReason.NOT_AVAILABLE)
    for i in range(start, start + n):
        if i % 2 == 0:
            leader = _leader(program, i)
            UnmatchedEntry.objects.create(
                solution=solution,
                side=RoundSide.ROW,
                role=leader,
                school=leader.schoolleider_profile.school,
                index=i,
                reason=reasons[(i // 2) % 2],
            )
        else:
            UnmatchedEntry.objects.create(
                solution=solution,
                side=RoundSide.COL,
                role=_mentor(program, i),
                index=i,
                reason=UnmatchedReason.NOT_NEEDED,
            )


def _names(html: str, who: str = "Leider") -> list[str]:
    return list(dict.fromkeys(re.findall(rf"{who} \d{{3}}", html)))


def _count(client, url: str, **params) -> int:
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


# --- The round's pairs --------------------------------------------------------------------


def test_round_pairs_page_filter_and_sort(client_for, staff, program, solution, monkeypatch):
    monkeypatch.setattr(matching_views, "PAGE_SIZE", 5)
    _proposed(solution, 12)
    client = client_for(staff)
    url = reverse("matching:round_pairs", args=[program.pk, solution.round_id])
    assert _names(client.get(url).content.decode()) == [f"Leider {i:03d}" for i in range(5)]
    second = client.get(url, {"oplossing": 1, "page": 2}).content.decode()
    assert _names(second) == [f"Leider {i:03d}" for i in range(5, 10)]
    assert "oplossing=1" in second and "page=3" in second
    costly = client.get(url, {"sorteer": "-kosten"}).content.decode()
    assert _names(costly)[:2] == ["Leider 011", "Leider 010"]
    # Pair 0 has a lock rule (no "lock" button): the rules of the page's pairs are read.
    assert client.get(url, {"page": 1}).content.decode().count('value="lock"') == 4
    found = client.get(url, {"q": "Mentor 004"}).content.decode()
    assert _names(found) == ["Leider 004"]


def test_round_pairs_queries_do_not_grow_with_pairs(client_for, staff, program, solution):
    client = client_for(staff)
    url = reverse("matching:round_pairs", args=[program.pk, solution.round_id])
    _proposed(solution, 5)
    five = _count(client, url)
    _proposed(solution, 45, start=5)
    assert _count(client, url) == five


# --- Not matched ----------------------------------------------------------------------------


def test_unmatched_pages_one_side_at_a_time(client_for, staff, program, solution, monkeypatch):
    monkeypatch.setattr(matching_views, "PAGE_SIZE", 5)
    _unmatched(solution, 24)  # 12 schoolleiders, 12 mentors
    client = client_for(staff)
    url = reverse("matching:round_unmatched", args=[program.pk, solution.round_id])
    first = client.get(url, {"sorteer": "naam"}).content.decode()
    assert (
        "Schoolleiders zonder mentor (12)" in first and "Mentoren zonder schoolleider (12)" in first
    )
    assert _names(first) == [f"Leider {i:03d}" for i in range(0, 10, 2)]
    assert _names(first, "Mentor") == []
    second = client.get(url, {"sorteer": "naam", "page": 2}).content.decode()
    assert _names(second) == [f"Leider {i:03d}" for i in range(10, 20, 2)]
    assert "sorteer=naam" in second and "page=3" in second
    mentors = client.get(url, {"zijde": "col", "sorteer": "-naam"}).content.decode()
    assert _names(mentors, "Mentor")[:2] == ["Mentor 023", "Mentor 021"]
    assert _names(mentors) == []
    unavailable = client.get(
        url, {"reden": UnmatchedReason.NOT_AVAILABLE, "sorteer": "naam"}
    ).content.decode()
    assert "Aantal in deze lijst: 6" in unavailable
    assert _names(unavailable) == [
        "Leider 002",
        "Leider 006",
        "Leider 010",
        "Leider 014",
        "Leider 018",
    ]
    found = client.get(url, {"q": "leider 008"}).content.decode()
    assert _names(found) == ["Leider 008"]
    # The side tabs keep the search but start again at page 1.
    tabs = re.findall(r'href="(\?[^"]*zijde=col[^"]*)"', second)
    assert tabs and "sorteer=naam" in tabs[0] and "page" not in tabs[0]


def test_unmatched_queries_do_not_grow_with_rows(client_for, staff, program, solution):
    client = client_for(staff)
    url = reverse("matching:round_unmatched", args=[program.pk, solution.round_id])
    _unmatched(solution, 10)  # 5 on each side
    five = _count(client, url)
    five_cols = _count(client, url, zijde="col", q="Mentor")
    _unmatched(solution, 90, start=10)  # 50 on each side
    assert _count(client, url) == five
    assert _count(client, url, zijde="col", q="Mentor") == five_cols


def _moved_copy(solution, number: int) -> Solution:
    """A second solution in which every schoolleider has the next one's mentor."""
    other = Solution.objects.create(round=solution.round, number=number, snapshot_data=b"")
    pairs = list(ProposedPair.objects.filter(solution=solution).order_by("row_index"))
    ProposedPair.objects.bulk_create(
        [
            ProposedPair(
                solution=other,
                supporter_id=pairs[(k + 1) % len(pairs)].supporter_id,
                schoolleider_id=pp.schoolleider_id,
                school_id=pp.school_id,
                row_index=pp.row_index,
                col_index=pairs[(k + 1) % len(pairs)].col_index,
                distance_km=pp.distance_km,
                total=pp.total + 1,
            )
            for k, pp in enumerate(pairs)
        ]
    )
    return other


def _compare_page(client, solution, other, page: int = 1):
    program = solution.round.program
    url = reverse("matching:round_compare", args=[program.pk, solution.round.pk])
    return client.get(url, {"a": solution.number, "b": other.number, "page": page})


def test_compare_pages_the_moves_and_loads_only_the_pages_pairs(
    solution, staff, client_for, monkeypatch
):
    """Comparing two national solutions compared every proposed pair as a full object; now
    the comparison reads values only, and a page loads the pairs of its own moves."""
    monkeypatch.setattr(matching_views, "PAGE_SIZE", 5)
    client = client_for(staff)
    _proposed(solution, 5)
    other = _moved_copy(solution, 2)
    _compare_page(client, solution, other)  # warm up (sessions, MFA)
    with CaptureQueriesContext(connection) as few:
        html = _compare_page(client, solution, other).content.decode()
    assert html.count("Mentor 00") >= 5 and "pagina 1 van 1" not in html

    _proposed(solution, 45, start=5)
    other = _moved_copy(solution, 3)
    with CaptureQueriesContext(connection) as many:
        html = _compare_page(client, solution, other).content.decode()
    assert "pagina 1 van 10" in html
    assert len(many) == len(few)
    page2 = _compare_page(client, solution, other, page=2).content.decode()
    assert "pagina 2 van 10" in page2
