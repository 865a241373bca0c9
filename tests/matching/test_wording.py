"""Matching in plain Dutch: every figure explained with its unit, only this kind's weights,
locked and forbidden pairs marked (with an optional reason), technical detail tucked away."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from matching.enums import RuleKind
from matching.models import RoundRule
from tests import factories as f

from .matching_helpers import make_round, solve


@pytest.fixture
def solved(program, staff):
    for city in ("utrecht", "rotterdam"):
        f.make_mentor(program, city=city)
        f.make_schoolleider(program, city=city)
    rnd = make_round(program, staff)
    return rnd, solve(rnd, staff)


def _visible(html: str) -> str:
    html = re.sub(r"<details.*?</details>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_round_detail_explains_each_figure_and_hides_the_solver(client_for, staff, solved):
    rnd, solution = solved
    page = client_for(staff).get(reverse("matching:round_detail", args=[rnd.program_id, rnd.pk]))
    html = page.content.decode()
    assert "Totale kosten (punten)" in html and "Instabiele paren" not in html
    assert "Wat betekenen deze cijfers?" in html and "Eén kilometer reizen is één punt" in html
    assert solution.backend and solution.backend not in _visible(html)  # behind "details"
    assert "Technische details" in html


def test_pairs_page_has_one_region_column_and_units(client_for, staff, solved):
    rnd, solution = solved
    url = reverse("matching:round_pairs", args=[rnd.program_id, rnd.pk])
    html = client_for(staff).get(url).content.decode()
    headers = re.findall(r"<th[^>]*>(.*?)</th>", html, flags=re.S)
    assert sum(1 for h in headers if h.strip() == "Regio") == 0
    assert "Regio van de school" in headers and "Regio (punten)" in headers
    assert 'name="note"' in html  # an optional reason with lock/forbid


def test_forbidden_pair_is_marked_and_its_reason_kept(client_for, staff, solved):
    rnd, solution = solved
    pp = solution.pairs.select_related("supporter").first()
    row = pp.schoolleider_id or pp.school_id
    client = client_for(staff)
    client.post(
        reverse("matching:round_rules", args=[rnd.program_id, rnd.pk]),
        {
            "kind": RuleKind.FORBID,
            "supporter": pp.supporter_id,
            "row": row,
            "note": "Zelfde bedrijf",
        },
    )
    rule = RoundRule.objects.get(round=rnd)
    assert rule.note == "Zelfde bedrijf"
    html = client.get(reverse("matching:round_pairs", args=[rnd.program_id, rnd.pk])).content
    assert "verboden</span>" in html.decode()
    rules = client.get(reverse("matching:round_rules", args=[rnd.program_id, rnd.pk])).content
    assert "Zelfde bedrijf" in rules.decode()


def test_mentoring_round_shows_no_expertcoach_weights(client_for, staff, solved):
    rnd, _solution = solved
    url = reverse("matching:round_settings", args=[rnd.program_id, rnd.pk])
    html = client_for(staff).get(url).content.decode()
    assert 'id="id_w_history"' not in html and 'id="id_w_load"' not in html
    assert 'id="id_w_sector"' in html
    assert 'type="hidden" name="w_history"' in html  # kept as stored when saving


def test_coach_round_shows_no_mentoring_weights(client_for, coach_program):
    staff = f.make_staff(coach_program)
    rnd = make_round(coach_program, staff)
    url = reverse("matching:round_settings", args=[coach_program.pk, rnd.pk])
    html = client_for(staff).get(url).content.decode()
    assert 'id="id_w_history"' in html
    assert 'id="id_w_sector"' not in html and 'id="id_w_method"' not in html
