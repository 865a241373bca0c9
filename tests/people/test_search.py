"""Search by words: the subquery form finds exactly what the join form finds, and on
PostgreSQL the names, e-mails, schools and outbox have their trigram indexes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from mentoring.pairs.models import Pair
from mentoring.pairs.selectors import PAIR_SEARCH_FIELDS
from people.models import Role
from people.search import words_query
from tests import factories as f

pytestmark = pytest.mark.django_db


def joined_query(query, fields) -> Q:
    """The plain form the subqueries must agree with: every word in some field, by join."""
    condition = Q()
    for word in query.split()[:8]:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


QUERIES = ["", "anna", "de vries", "Utrecht", "regenboog jan", "zzz", "an"]


@pytest.fixture
def pairs(program):
    names = [("Anna", "de Vries"), ("Jan", "Bakker"), ("Piet", "Jansen"), ("Noor", "el Amrani")]
    made = []
    for i, (first, last) in enumerate(names):
        mentor = f.make_mentor(program)
        mentor.first_name, mentor.last_name = first, last
        mentor.save()
        leader = f.make_schoolleider(program, city="utrecht" if i % 2 else "rotterdam")
        leader.first_name, leader.last_name = names[-1 - i]
        leader.save()
        made.append(f.make_pair(program, mentor, leader))
    school = made[1].school
    school.name = "Basisschool De Regenboog"
    school.save()
    return made


@pytest.mark.parametrize("query", QUERIES)
def test_subqueries_find_what_the_joins_find(pairs, program, query):
    joined = Pair.objects.filter(program=program).filter(joined_query(query, PAIR_SEARCH_FIELDS))
    nested = Pair.objects.filter(program=program).filter(
        words_query(query, PAIR_SEARCH_FIELDS, Pair)
    )
    assert sorted(nested.values_list("pk", flat=True)) == sorted(
        joined.values_list("pk", flat=True)
    )


def test_a_word_must_match_somewhere_and_every_word_counts(pairs, program):
    def found(query):
        return set(
            Pair.objects.filter(program=program)
            .filter(words_query(query, PAIR_SEARCH_FIELDS, Pair))
            .values_list("pk", flat=True)
        )

    assert found("anna") == {pairs[0].pk, pairs[3].pk}  # mentor Anna, schoolleider Anna
    assert found("anna vries") == {pairs[0].pk, pairs[3].pk}
    assert found("jan bakker") == {pairs[1].pk, pairs[2].pk}  # mentor, schoolleider
    assert found("regenboog jan") == {pairs[1].pk}
    assert found("zzz") == set()


def test_a_reverse_relation_is_searched_by_subquery_too(pairs, program):
    fields = ("user__last_name", "schoolleider_profile__school__name")
    roles = Role.objects.filter(program=program)
    assert set(roles.filter(words_query("regenboog", fields, Role))) == {pairs[1].schoolleider}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_searched_columns_have_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%_trgm'")
        found = dict(cursor.fetchall())
    expected = {
        "people_user_first_name_trgm",
        "people_user_last_name_trgm",
        "people_user_email_trgm",
        "programs_school_name_trgm",
        "programs_school_place_trgm",
        "notifications_notification_to_email_trgm",
        "notifications_notification_subject_trgm",
    }
    assert expected <= set(found)
    assert all("gin_trgm_ops" in found[name] and "upper" in found[name] for name in expected)


@pytest.mark.parametrize("query", ["mentor", "vries", "mentor vries", "school", "zzz"])
def test_own_fields_beside_related_ones_find_what_the_joins_find(pairs, program, query):
    fields = ("kind", "user__last_name", "user__email")
    roles = Role.objects.filter(program=program)
    joined = roles.filter(joined_query(query, fields))
    nested = roles.filter(words_query(query, fields, Role))
    assert sorted(nested.values_list("pk", flat=True)) == sorted(
        joined.values_list("pk", flat=True)
    )
