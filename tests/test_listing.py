"""Paging big lists (``mentoring.listing.page_of``) and sort keys from the query string
(``mentoring.inputs.sort_choice``)."""

from __future__ import annotations

import pytest

from mentoring.inputs import sort_choice
from mentoring.listing import page_of
from people.models import Role
from tests import factories as f

SORTS = {"naam": ("user__last_name", "-pk"), "sinds": ("created_at",)}


def test_sort_choice_offers_only_its_keys():
    assert sort_choice("naam", SORTS, "sinds") == ("naam", ("user__last_name", "-pk"))
    assert sort_choice("-naam", SORTS, "sinds") == ("-naam", ("-user__last_name", "pk"))
    for bad in (None, "", "user__password", "-", "--naam", "naam;", "x" * 500):
        assert sort_choice(bad, SORTS, "-sinds") == ("-sinds", ("-created_at",))


@pytest.mark.django_db
def test_page_of_keeps_the_order_and_loads_rows_with_their_relations(
    program, django_assert_num_queries
):
    for i in range(7):
        user = f.make_mentor(program, email=f"m{i}@example.org")
        user.last_name = f"Naam {6 - i}"
        user.save(update_fields=["last_name"])
    roles = Role.objects.filter(program=program).select_related("user").order_by("-user__last_name")
    with django_assert_num_queries(3):  # count, ids, rows
        page = page_of(roles, "2", 3)
        names = [r.user.last_name for r in page]
    assert names == ["Naam 3", "Naam 2", "Naam 1"]
    assert page.number == 2 and page.has_next() and page.paginator.count == 7
    assert [r.user.last_name for r in page_of(roles, "99", 3)] == ["Naam 0"]  # the last page
    assert len(page_of(roles, "abc", 3)) == 3  # the first page


@pytest.mark.django_db
def test_page_of_counts_what_the_filter_keeps_and_handles_the_edges(program):
    for i in range(5):
        user = f.make_mentor(program, email=f"p{i}@example.org")
        user.last_name = "Bakker" if i % 2 else "Visser"
        user.save(update_fields=["last_name"])
    roles = Role.objects.filter(program=program, user__last_name="Visser").order_by("pk")
    page = page_of(roles, 1, 2)
    assert page.paginator.count == 3 and page.paginator.num_pages == 2
    assert [r.user.last_name for r in page] == ["Visser", "Visser"]
    last = page_of(roles, "7", 2)
    assert last.number == 2 and len(last) == 1 and not last.has_next()
    jansen = Role.objects.filter(program=program, user__last_name="Jansen").order_by("pk")
    empty = page_of(jansen, "3", 2)
    assert empty.number == 1 and len(empty) == 0 and empty.paginator.count == 0
    assert page_of(roles, "-4", 2).number == 2  # out of range either way: the last page
    distinct = Role.objects.filter(program=program).distinct().order_by("pk")
    assert page_of(distinct, 1, 10).paginator.count == Role.objects.filter(program=program).count()
