"""Staff pages of a round: they work, they refuse, they keep their query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from matching.enums import RoundStatus, RuleKind
from matching.models import MatchingRound, RoundRule
from people.models import Role
from tests import factories as f

from .matching_helpers import make_round, solve

pytestmark = pytest.mark.django_db


@pytest.fixture
def solved(program, staff):
    for city in ("utrecht", "rotterdam", "amsterdam"):
        f.make_mentor(program, city=city)
        f.make_schoolleider(program, city=city)
    f.make_schoolleider(program, city="groningen")
    rnd = make_round(program, staff)
    return rnd, solve(rnd, staff)


def pages(program, rnd):
    args = [program.pk, rnd.pk]
    return [
        reverse("matching:round_list", args=[program.pk]),
        reverse("matching:round_detail", args=args),
        reverse("matching:round_settings", args=args),
        reverse("matching:round_pairs", args=args),
        reverse("matching:round_why", args=[*args, "row", 0]),
        reverse("matching:round_why", args=[*args, "col", 0]),
        reverse("matching:round_rules", args=args),
        reverse("matching:round_unmatched", args=args),
        reverse("matching:round_compare", args=args),
        reverse("matching:round_publish", args=args),
    ]


def test_staff_pages_open_for_program_staff(solved, client_for, staff, program):
    rnd, solution = solved
    client = client_for(staff)
    for url in pages(program, rnd):
        response = client.get(url)
        assert response.status_code == 200, url
    detail = client.get(
        reverse("matching:round_detail", args=[program.pk, rnd.pk])
    ).content.decode()
    assert "Eén van drie dichtstbijzijnde" in detail and "Stabiliteit" in detail


def test_staff_pages_refuse_everyone_else(
    solved, client_for, program, coach_program, mentor, schoolleider, outsider
):
    rnd, _solution = solved
    other_staff = f.make_staff(coach_program)
    for user in (other_staff, mentor, schoolleider, outsider):
        client = client_for(user)
        for url in pages(program, rnd):
            assert client.get(url).status_code == 403, (user, url)
        solve_url = reverse("matching:round_solve", args=[program.pk, rnd.pk])
        assert client.post(solve_url).status_code == 403


def test_round_of_another_program_is_404_for_staff(solved, client_for, coach_program):
    rnd, _solution = solved
    other_staff = f.make_staff(coach_program)
    client = client_for(other_staff)
    # Staff of the coach program, asking for the mentoring round under their own program id.
    for url in pages(coach_program, rnd)[1:]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("matching:round_publish", args=[coach_program.pk, rnd.pk]),
            {"solution": 1, "confirm": "on"},
        ).status_code
        == 404
    )
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.SOLVED


def test_why_page_rejects_unknown_person_and_side(solved, client_for, staff, program):
    rnd, _solution = solved
    client = client_for(staff)
    assert (
        client.get(reverse("matching:round_why", args=[program.pk, rnd.pk, "row", 999])).status_code
        == 404
    )
    assert (
        client.get(reverse("matching:round_why", args=[program.pk, rnd.pk, "x", 0])).status_code
        == 404
    )


def test_create_round_and_solve_through_the_pages(
    client_for, staff, program, django_capture_on_commit_callbacks
):
    f.make_mentor(program)
    f.make_schoolleider(program)
    client = client_for(staff)
    response = client.post(reverse("matching:round_list", args=[program.pk]), {"name": ""})
    assert "Geef de ronde een naam" in response.content.decode()
    response = client.post(reverse("matching:round_list", args=[program.pk]), {"name": "November"})
    rnd = MatchingRound.objects.get(program=program)
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matching:round_solve", args=[program.pk, rnd.pk]))
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.SOLVED and rnd.solutions.get().matched == 1


def test_progress_is_shown_and_refreshes_while_solving(client_for, staff, program):
    rnd = make_round(program, staff)
    MatchingRound.objects.filter(pk=rnd.pk).update(
        status=RoundStatus.SOLVING, progress=35, progress_label="Mogelijke koppels bepalen"
    )
    page = (
        client_for(staff)
        .get(reverse("matching:round_detail", args=[program.pk, rnd.pk]))
        .content.decode()
    )
    assert 'http-equiv="refresh"' in page and "35%" in page and "Mogelijke koppels bepalen" in page


def test_settings_form_explains_bad_input_in_dutch(client_for, staff, program):
    rnd = make_round(program, staff)
    url = reverse("matching:round_settings", args=[program.pk, rnd.pk])
    data = {
        "w_distance": "veel",
        "w_region": "-5",
        "w_sector": "15",
        "w_method": "10",
        "w_history": "60",
        "w_load": "20",
        "default_max_km": "30",
        "min_available_months": "2",
    }
    page = client_for(staff).post(url, data).content.decode()
    assert "Vul een getal in" in page
    assert "Het getal moet minimaal 0 zijn" in page
    data.update(w_distance="2", w_region="5")
    assert client_for(staff).post(url, data).status_code == 302
    rnd.refresh_from_db()
    assert (rnd.w_distance, rnd.w_region) == (2.0, 5.0)


def test_lock_and_forbid_buttons_make_rules_and_errors_are_shown(
    solved, client_for, staff, program
):
    rnd, solution = solved
    pp = solution.pairs.order_by("row_index").first()
    client = client_for(staff)
    url = reverse("matching:round_rules", args=[program.pk, rnd.pk])
    client.post(url, {"kind": "lock", "supporter": pp.supporter_id, "row": pp.schoolleider_id})
    assert RoundRule.objects.get(round=rnd).kind == RuleKind.LOCK
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.DRAFT  # needs a new solve before publishing
    other = Role.objects.filter(program=program, kind="mentor").exclude(pk=pp.supporter_id).first()
    response = client.post(
        url, {"kind": "lock", "supporter": other.pk, "row": pp.schoolleider_id}, follow=True
    )
    assert "al aan een andere mentor vastgezet" in response.content.decode()
    response = client.post(
        url, {"kind": "lock", "supporter": "abc", "row": pp.schoolleider_id}, follow=True
    )
    assert "Kies een mentor of expertcoach" in response.content.decode()
    rule = RoundRule.objects.get(round=rnd)
    client.post(reverse("matching:rule_delete", args=[program.pk, rnd.pk, rule.pk]))
    assert not RoundRule.objects.filter(round=rnd).exists()


def test_publish_page_needs_confirmation(solved, client_for, staff, program):
    rnd, solution = solved
    url = reverse("matching:round_publish", args=[program.pk, rnd.pk])
    page = client_for(staff).post(url, {"solution": solution.number}).content.decode()
    assert "Vink aan dat u wilt publiceren" in page
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.SOLVED
    client_for(staff).post(url, {"solution": solution.number, "confirm": "on"})
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.PUBLISHED


def test_exports_csv_and_xlsx_hold_every_pair_and_part(solved, client_for, staff, program):
    rnd, solution = solved
    client = client_for(staff)
    response = client.get(reverse("matching:round_export", args=[program.pk, rnd.pk, "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Schoolleider", "E-mail schoolleider"] and "Totaal" in rows[0]
    assert len(rows) == 1 + solution.matched
    response = client.get(reverse("matching:round_export", args=[program.pk, rnd.pk, "xlsx"]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1 + solution.matched
    assert (
        client.get(reverse("matching:round_export", args=[program.pk, rnd.pk, "pdf"])).status_code
        == 404
    )


def test_pairs_table_filters_and_sorts(solved, client_for, staff, program):
    rnd, solution = solved
    client = client_for(staff)
    url = reverse("matching:round_pairs", args=[program.pk, rnd.pk])
    leader = solution.pairs.order_by("row_index").first().schoolleider.user
    page = client.get(url, {"q": leader.last_name}).content.decode()
    assert "1 koppel" in page
    page = client.get(url, {"sorteer": "-afstand"}).content.decode()
    assert "3 koppels" in page
    assert client.get(url, {"oplossing": "99"}).status_code == 404


def _grow(program, n):
    for _ in range(n):
        f.make_mentor(program)
        f.make_schoolleider(program)


@pytest.mark.parametrize("name", ["round_pairs", "round_unmatched", "round_detail"])
def test_list_pages_keep_their_query_count(
    name, client_for, staff, program, django_assert_max_num_queries
):
    _grow(program, 1)
    f.make_schoolleider(program, city="groningen")
    rnd = make_round(program, staff)
    solve(rnd, staff)
    client = client_for(staff)
    url = reverse(f"matching:{name}", args=[program.pk, rnd.pk])
    client.get(url)  # warm caches (session, geocoder)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _grow(program, 4)
    for _ in range(3):
        f.make_schoolleider(program, city="groningen")
    solve(rnd, staff)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_round_list_query_count(client_for, staff, program, django_assert_max_num_queries):
    make_round(program, staff)
    client = client_for(staff)
    url = reverse("matching:round_list", args=[program.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        make_round(program, staff)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_why_page_offers_lock_and_forbid_for_alternatives(solved, client_for, staff, program):
    rnd, solution = solved
    pp = solution.pairs.order_by("row_index").first()
    url = reverse("matching:round_why", args=[program.pk, rnd.pk, "row", pp.row_index])
    page = client_for(staff).get(url).content.decode()
    assert "gekozen" in page and f'name="supporter" value="{pp.supporter_id}"' in page
    assert f'name="row" value="{pp.schoolleider_id}"' in page
