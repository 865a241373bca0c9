"""A round from the database: participants, hard rules, rules, snapshot and determinism."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from matching import loading, services, solving
from matching.enums import RoundStatus, RuleKind
from matching.models import ProposedPair, UnmatchedEntry
from mentoring.pairs.models import Pair
from people.enums import MentorStatus, RoleKind
from people.models import Role
from tests import factories as f

from .matching_helpers import make_round, pairs_of, solve

pytestmark = pytest.mark.django_db


def role(user, program, kind):
    return Role.objects.get(user=user, program=program, kind=kind)


def test_round_solve_stores_pairs_parts_and_unmatched_reasons(program, staff):
    mentor = f.make_mentor(program, organisation="Acme", sector_preference=["vo"])
    leader = f.make_schoolleider(program)
    far_leader = f.make_schoolleider(program, city="groningen")
    f.make_mentor(program, city="eindhoven", months_available=[4])  # not available Nov–Mar
    f.make_mentor(program, status=MentorStatus.PENDING)  # not approved: takes no part
    rnd = make_round(program, staff)
    solution = solve(rnd, staff)
    assert solution.number == 1 and solution.n_rows == 2 and solution.n_cols == 2
    (pp,) = ProposedPair.objects.filter(solution=solution)
    assert (pp.schoolleider.user, pp.supporter.user) == (leader, mentor)
    assert pp.cost_sector == 15.0  # school is po, the mentor prefers vo
    assert pp.total == pytest.approx(
        pp.cost_distance
        + pp.cost_region
        + pp.cost_sector
        + pp.cost_method
        + pp.cost_history
        + pp.cost_load
    )
    reasons = {
        (u.side, u.role.user): u.reason for u in UnmatchedEntry.objects.filter(solution=solution)
    }
    assert reasons[("row", far_leader)] == "no_candidate"
    assert [r for (side, _u), r in reasons.items() if side == "col"] == ["not_available"]
    assert solution.part_totals["sector"] == 15.0
    assert solution.stats["rows_top3"] == 1


def test_round_never_repeats_an_earlier_years_pair(program, staff):
    earlier = f.make_program(school_year="2025-2026")
    mentor = f.make_mentor(program)
    other = f.make_mentor(program, city="rotterdam", max_travel_km=60)
    leader = f.make_schoolleider(program)
    old_m = f.make_role(mentor, earlier, RoleKind.MENTOR)
    old_s = f.make_role(leader, earlier, RoleKind.SCHOOLLEIDER)
    Pair.objects.create(
        program=earlier,
        mentor=old_m,
        schoolleider=old_s,
        school=f.make_school(),
        published_at=timezone.now(),
    )
    solution = solve(make_round(program, staff), staff)
    (pp,) = solution.pairs.all()
    assert pp.supporter.user == other  # 47 km away, but never the same pair twice


def test_round_lock_is_made_and_forbid_never(program, staff):
    m1, m2 = f.make_mentor(program), f.make_mentor(program)
    s1 = f.make_schoolleider(program)
    s_far = f.make_schoolleider(program, city="groningen")
    rnd = make_round(program, staff)
    services.rule_set(
        rnd=rnd,
        kind=RuleKind.LOCK,
        supporter_id=role(m2, program, "mentor").pk,
        row_key=role(s_far, program, "schoolleider").pk,
        user=staff,
    )
    services.rule_set(
        rnd=rnd,
        kind=RuleKind.FORBID,
        supporter_id=role(m1, program, "mentor").pk,
        row_key=role(s1, program, "schoolleider").pk,
        user=staff,
        note="zelfde bedrijf",
    )
    solution = solve(rnd, staff)
    got = {(pp.schoolleider.user, pp.supporter.user): pp.locked for pp in solution.pairs.all()}
    assert got == {(s_far, m2): True}  # locked beyond range; s1 may not have m1 and m2 is taken
    assert solution.unmatched.get(side="row").reason == "all_full"


def test_rules_reject_contradictions_with_a_clear_message(program, staff, coach_program):
    m1, m2 = f.make_mentor(program), f.make_mentor(program)
    s1 = f.make_schoolleider(program)
    rnd = make_round(program, staff)
    s1_role = role(s1, program, "schoolleider").pk
    services.rule_set(
        rnd=rnd,
        kind=RuleKind.LOCK,
        supporter_id=role(m1, program, "mentor").pk,
        row_key=s1_role,
        user=staff,
    )
    with pytest.raises(ValidationError, match="al aan een andere mentor vastgezet"):
        services.rule_set(
            rnd=rnd,
            kind=RuleKind.LOCK,
            supporter_id=role(m2, program, "mentor").pk,
            row_key=s1_role,
            user=staff,
        )
    outsider_mentor = f.make_mentor(f.make_program(school_year="2024-2025"))
    with pytest.raises(ValidationError, match="hoort niet bij dit programma"):
        services.rule_set(
            rnd=rnd,
            kind=RuleKind.FORBID,
            supporter_id=Role.objects.get(user=outsider_mentor).pk,
            row_key=s1_role,
            user=staff,
        )
    # Forbidding the locked pair replaces the lock (one rule per pair).
    services.rule_set(
        rnd=rnd,
        kind=RuleKind.FORBID,
        supporter_id=role(m1, program, "mentor").pk,
        row_key=s1_role,
        user=staff,
    )
    assert list(rnd.rules.values_list("kind", flat=True)) == [RuleKind.FORBID]


def test_round_resolved_from_its_snapshot_gives_the_same_pairs(program, staff):
    for city in ["utrecht", "utrecht", "rotterdam", "denhaag", "amsterdam"]:
        f.make_mentor(program, city=city, max_travel_km=80)
    for city in ["utrecht", "utrecht", "utrecht", "rotterdam", "denhaag", "amsterdam", "eindhoven"]:
        f.make_schoolleider(program, city=city)
    rnd = make_round(program, staff)
    first = solve(rnd, staff)
    stored = {(pp.row_index, pp.col_index) for pp in first.pairs.all()}
    again = solving.solution_resolve(first)
    assert set(solving.outcome_pairs(again)) == stored
    assert again.total_cost == pytest.approx(first.total_cost)
    # Solving the unchanged round again gives an identical second solution.
    second = solve(rnd, staff)
    assert second.number == 2
    assert pairs_of(second) == pairs_of(first)
    assert loading.compare(first, second).moved == ()


def test_stored_pairs_hold_each_value_of_the_outcome(program, staff):
    """The proposed pairs are written as plain rows (``solving._insert``): every column must
    hold what the solve computed, people by their role ids."""
    from matching import costs

    for city in ["utrecht", "rotterdam", "denhaag", "amsterdam"]:
        f.make_mentor(program, city=city, max_travel_km=80)
    for city in ["utrecht", "utrecht", "rotterdam", "denhaag", "eindhoven"]:
        f.make_schoolleider(program, city=city)
    rnd = make_round(program, staff)
    solution = solve(rnd, staff)
    outcome = solving.solution_resolve(solution)
    p = loading.load_participants(rnd)
    weights = solution.snapshot_meta["weights"]
    stored = {pp.row_index: pp for pp in solution.pairs.all()}
    assert len(stored) == len(outcome.rows) == solution.matched
    for i, (r, c) in enumerate(zip(outcome.rows.tolist(), outcome.cols.tolist(), strict=True)):
        pp = stored[r]
        assert pp.col_index == c and pp.solution_id == solution.pk
        assert pp.supporter_id == int(p.col_keys[c]) and pp.supporter.kind == "mentor"
        assert pp.schoolleider_id == int(p.row_keys[r]) and pp.schoolleider.kind == "schoolleider"
        assert pp.school_id == int(p.row_school[r])
        assert pp.distance_km == round(float(outcome.km[i]), 3)
        for part in costs.PARTS:
            w = weights[costs.WEIGHT_OF[part]]
            assert getattr(pp, f"cost_{part}") == pytest.approx(w * outcome.parts[part][i])
        assert pp.total == pytest.approx(float(outcome.total[i]))
        assert pp.locked is bool(outcome.locked[i]) and pp.partner_rank >= 1


def test_changing_weights_needs_a_new_solve_and_comparison_shows_who_moved(program, staff):
    near = f.make_mentor(program, sector_preference=["vo"])
    far = f.make_mentor(program, city="amsterdam", max_travel_km=60)
    leader = f.make_schoolleider(program)
    rnd = make_round(program, staff)
    first = solve(rnd, staff)
    assert first.pairs.get().supporter.user == near
    services.round_update_settings(rnd=rnd, data={"w_sector": 200.0})
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.DRAFT
    second = solve(rnd, staff)
    assert second.pairs.get().supporter.user == far
    result = loading.compare(first, second)
    assert len(result.moved) == 1
    (move,) = loading.moves_with_pairs(result.moved)
    assert move.a.schoolleider.user == leader and move.b.supporter.user == far
    assert result.delta_total == pytest.approx(second.total_cost - first.total_cost)


def test_published_round_cannot_be_changed_or_solved(program, staff):
    f.make_mentor(program)
    f.make_schoolleider(program)
    rnd = make_round(program, staff)
    solution = solve(rnd, staff)
    services.round_publish(rnd=rnd, solution=solution, user=staff)
    rnd.refresh_from_db()
    with pytest.raises(ValidationError):
        services.round_update_settings(rnd=rnd, data={"w_sector": 1.0})
    with pytest.raises(ValidationError):
        services.round_solve_start(rnd=rnd, user=staff)


def test_next_round_leaves_out_people_with_an_active_pair(program, staff):
    f.make_mentor(program)
    f.make_schoolleider(program)
    rnd = make_round(program, staff)
    services.round_publish(rnd=rnd, solution=solve(rnd, staff), user=staff)
    late = f.make_schoolleider(program)
    late_mentor = f.make_mentor(program)
    second = solve(make_round(program, staff), staff)
    assert {(pp.schoolleider.user, pp.supporter.user) for pp in second.pairs.all()} == {
        (late, late_mentor)
    }


def test_failed_solve_marks_the_round_failed_and_stores_nothing(program, staff, monkeypatch):
    f.make_mentor(program)
    f.make_schoolleider(program)
    rnd = make_round(program, staff)

    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr("matching.costs.solve_candidates", broken)
    assert solving.round_solve(round_id=rnd.pk) is None
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.FAILED and "kapot" in rnd.error
    assert not rnd.solutions.exists()


def test_solve_task_for_a_deleted_round_returns_quietly(program, staff):
    from matching.tasks import solve_round

    rnd = make_round(program, staff)
    round_id = rnd.pk
    rnd.delete()
    assert solving.round_solve(round_id=round_id) is None
    assert solve_round.call(round_id) is None


def test_staff_leave_someone_out_of_a_round_and_back_in(program, staff, client_for):
    near = f.make_mentor(program)
    far = f.make_mentor(program, city="amsterdam", max_travel_km=60)
    leader = f.make_schoolleider(program)
    rnd = make_round(program, staff)
    assert solve(rnd, staff).pairs.get().supporter.user == near
    url = reverse("matching:round_participation", args=[program.pk, rnd.pk])
    near_role = role(near, program, "mentor")
    assert client_for(near).post(url, {"side": "col", "key": near_role.pk}).status_code == 403
    client_for(staff).post(url, {"side": "col", "key": near_role.pk, "takes_part": "0"})
    rnd.refresh_from_db()
    assert rnd.excluded_cols == [near_role.pk] and rnd.status == RoundStatus.DRAFT
    detail = (
        client_for(staff)
        .get(reverse("matching:round_detail", args=[program.pk, rnd.pk]))
        .content.decode()
    )
    assert "Doen niet mee in deze ronde" in detail and str(near) in detail
    second = solve(rnd, staff)
    assert second.n_cols == 1 and second.pairs.get().supporter.user == far
    client_for(staff).post(url, {"side": "col", "key": near_role.pk, "takes_part": "1"})
    rnd.refresh_from_db()
    assert rnd.excluded_cols == []
    assert solve(rnd, staff).pairs.get().supporter.user == near
    services.round_set_participation(
        rnd=rnd, side="row", key=role(leader, program, "schoolleider").pk, takes_part=False
    )
    rnd.refresh_from_db()
    assert solve(rnd, staff).n_rows == 0


def test_a_lost_solve_can_be_restarted_after_a_while(program, staff):
    import datetime as dt

    rnd = make_round(program, staff)
    services.round_solve_start(rnd=rnd, user=staff)  # the worker never picks it up
    rnd.refresh_from_db()
    with pytest.raises(ValidationError, match="wordt nu berekend"):
        services.round_solve_start(rnd=rnd, user=staff)
    from matching.models import MatchingRound

    MatchingRound.objects.filter(pk=rnd.pk).update(
        updated_at=timezone.now() - dt.timedelta(minutes=20)
    )
    rnd.refresh_from_db()
    assert rnd.is_editable
    services.round_solve_start(rnd=rnd, user=staff)
