"""The staff lists of the pairs app at size: published pairs and the re-match list are paged,
searched, filtered and sorted in the database, keep their query string across pages, and
run the same number of queries for 5 rows as for 50."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.pairs import views as pair_views
from mentoring.pairs.enums import PairStatus
from mentoring.pairs.models import Pair
from mentoring.pairs.services import pair_end
from programs.models import Region
from tests import factories as f

pytestmark = pytest.mark.django_db

CITIES = ("utrecht", "rotterdam", "amsterdam")


def _named(user, last: str):
    user.first_name, user.last_name = "Voor", last
    user.save(update_fields=["first_name", "last_name"])
    return user


def _pairs(program, n: int, start: int = 0) -> list[Pair]:
    """``n`` pairs whose schools are named "School 000", "School 001", ... (sort order)."""
    pairs = []
    for i in range(start, start + n):
        pair = f.make_pair(program, city=CITIES[i % 3])
        pair.school.name = f"School {i:03d}"
        pair.school.save(update_fields=["name"])
        pairs.append(pair)
    return pairs


def _schools(html: str) -> list[str]:
    return re.findall(r"School \d{3}", html)


def _count(client, url: str, **params) -> int:
    client.get(url, params)  # warm up (session, translations)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


# --- Published pairs --------------------------------------------------------------------


def test_pair_list_pages_keep_the_filters(client_for, staff, program, monkeypatch):
    monkeypatch.setattr(pair_views, "PAGE_SIZE", 5)
    _pairs(program, 12)
    client = client_for(staff)
    url = reverse("pairs:staff_pair_list", args=[program.pk])
    first = client.get(url).content.decode()
    assert _schools(first) == [f"School {i:03d}" for i in range(5)]
    second = client.get(url, {"page": 2}).content.decode()
    assert _schools(second) == [f"School {i:03d}" for i in range(5, 10)]
    # Utrecht only (every third pair): page 2 of the filtered list, and the next link keeps it.
    utrecht = Region.objects.get(name="Utrecht").pk
    filtered = client.get(url, {"regio": utrecht, "page": 1}).content.decode()
    assert "4 actieve koppels" in filtered
    assert _schools(filtered) == ["School 000", "School 003", "School 006", "School 009"]
    # The sort is chosen in the query string and kept by the pager.
    newest = client.get(url, {"sorteer": "-sinds", "q": "School"}).content.decode()
    assert "sorteer=-sinds" in newest and "q=School" in newest and "page=2" in newest


def test_pair_list_search_and_sort_in_the_database(client_for, staff, program):
    pairs = _pairs(program, 3)
    _named(pairs[0].mentor.user, "Zwart")
    _named(pairs[1].mentor.user, "Appel")
    _named(pairs[2].mentor.user, "Mol")
    _named(pairs[2].schoolleider.user, "Dekker")
    client = client_for(staff)
    url = reverse("pairs:staff_pair_list", args=[program.pk])
    found = client.get(url, {"q": "dekker"}).content.decode()
    assert "1 actief koppel" in found and _schools(found) == ["School 002"]
    by_mentor = client.get(url, {"sorteer": "mentor"}).content.decode()
    assert _schools(by_mentor) == ["School 001", "School 002", "School 000"]
    # An unknown sort key falls back to the default order instead of failing.
    assert _schools(client.get(url, {"sorteer": "mentor__password"}).content.decode()) == [
        "School 000",
        "School 001",
        "School 002",
    ]


def test_pair_list_queries_do_not_grow_with_rows(client_for, staff, program):
    client = client_for(staff)
    url = reverse("pairs:staff_pair_list", args=[program.pk])
    _pairs(program, 5)
    five = _count(client, url)
    _pairs(program, 45, start=5)
    assert _count(client, url) == five
    assert _count(client, url, sorteer="-afstand", q="School") == _count(
        client, url, sorteer="regio"
    )


def test_coach_assignment_list_sorts_by_coach(client_for, coach_program):
    from mentoring.pairs.models import CoachAssignment
    from people.models import Role

    staff = f.make_staff(coach_program)
    coach = f.make_expertcoach(coach_program)
    for i in range(3):
        CoachAssignment.objects.create(
            program=coach_program,
            coach=Role.objects.get(user=coach, program=coach_program),
            school=f.make_school(program=coach_program, name=f"School {i:03d}"),
            published_at=timezone.now(),
        )
    url = reverse("pairs:staff_pair_list", args=[coach_program.pk])
    page = client_for(staff).get(url, {"sorteer": "coach"}).content.decode()
    assert _schools(page) == ["School 000", "School 001", "School 002"]
    # A mentor sort does not exist for assignments: the default order, not an error.
    assert client_for(staff).get(url, {"sorteer": "mentor"}).status_code == 200


# --- Waiting for a new match --------------------------------------------------------------


def _ended(program, staff, n: int, start: int = 0) -> list[Pair]:
    """``n`` pairs ended by staff (both members then wait)."""
    pairs = _pairs(program, n, start)
    for pair in pairs:
        pair_end(pair=pair, user=staff, reason="uitval", rematch=True)
    return pairs


def test_waiting_list_follows_who_ended_the_pair(client_for, staff, program):
    from mentoring.pairs import selectors

    by_mentor, by_leader, by_staff, repaired = _pairs(program, 4)
    pair_end(pair=by_mentor, user=by_mentor.mentor.user, reason="a", rematch=False)
    pair_end(pair=by_leader, user=by_leader.schoolleider.user, reason="b", rematch=True)
    pair_end(pair=by_staff, user=staff, reason="c", rematch=True)
    pair_end(pair=repaired, user=staff, reason="d", rematch=True)
    Pair.objects.create(  # the mentor of ``repaired`` has a new partner: no longer waiting
        program=program,
        mentor=repaired.mentor,
        schoolleider=by_mentor.schoolleider,
        school=by_mentor.school,
        published_at=timezone.now(),
    )
    waiting = {(r.kind, r.pk) for r in selectors.waiting_for_rematch(program)}
    assert waiting == {
        # The partner of a mentor who stopped without asking: the schoolleider waits, but
        # has a new pair now (with the re-paired mentor), so nobody of that pair waits.
        ("schoolleider", by_leader.schoolleider_id),  # ended it and asked for a new match
        ("mentor", by_leader.mentor_id),  # the partner who did not end it
        ("mentor", by_staff.mentor_id),
        ("schoolleider", by_staff.schoolleider_id),
        ("schoolleider", repaired.schoolleider_id),
    }
    rows = selectors.waiting_rows(selectors.waiting_for_rematch(program))
    requested = {(r["side"], r["role"].pk): r["requested"] for r in rows}
    assert requested[("schoolleider", by_leader.schoolleider_id)] is True
    assert requested[("mentor", by_leader.mentor_id)] is False
    assert rows[0]["pair"].pk == repaired.pk  # the most recently ended first


def test_waiting_list_pages_filters_and_sorts(client_for, staff, program, monkeypatch):
    monkeypatch.setattr(pair_views, "PAGE_SIZE", 5)
    pairs = _ended(program, staff, 6)  # 12 people wait
    _named(pairs[2].mentor.user, "Aardema")
    client = client_for(staff)
    url = reverse("pairs:rematch_list", args=[program.pk])
    first = client.get(url).content.decode()
    assert "12 personen wachten" in first and "pagina 1 van 3" in first
    # Most recently ended first: pair 5's two members, then pair 4's, then pair 3's mentor.
    assert _schools(first)[:2] == ["School 005", "School 004"]
    second = client.get(url, {"page": 2}).content.decode()
    assert "pagina 2 van 3" in second
    mentors = client.get(url, {"rol": "mentor", "sorteer": "naam"}).content.decode()
    assert "6 personen wachten" in mentors and "Schoolleider</td>" not in mentors
    assert mentors.index("Aardema") < mentors.index("Achternaam")
    assert "rol=mentor" in mentors and "sorteer=naam" in mentors and "page=2" in mentors
    found = client.get(url, {"q": "aardema"}).content.decode()
    assert "1 persoon wacht" in found


def test_waiting_list_queries_do_not_grow_with_rows(client_for, staff, program):
    client = client_for(staff)
    url = reverse("pairs:rematch_list", args=[program.pk])
    _ended(program, staff, 3)  # 6 waiting
    six = _count(client, url)
    _ended(program, staff, 25, start=3)  # 56 waiting: a full page of 50
    assert _count(client, url) == six
    assert Pair.objects.filter(program=program, status=PairStatus.ENDED).count() == 28
