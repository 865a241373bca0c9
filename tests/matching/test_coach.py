"""The expertcoach program: capacities, continuity with last year, fair spread, visibility."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from matching import services
from matching.enums import RuleKind
from mentoring.pairs.models import CoachAssignment
from people.enums import RoleKind
from people.models import Role
from programs.enums import ProgramKind
from tests import factories as f

from .matching_helpers import make_round, solve
from .test_publish import run_on_commit

pytestmark = pytest.mark.django_db


def coach_role(user, program):
    return Role.objects.get(user=user, program=program, kind=RoleKind.EXPERTCOACH)


def test_coach_capacity_is_a_hard_limit(coach_program):
    staff = f.make_staff(coach_program)
    small = f.make_expertcoach(coach_program, capacity=2)
    big = f.make_expertcoach(coach_program, city="amsterdam", capacity=10)
    for _ in range(5):
        f.make_school(program=coach_program)
    solution = solve(make_round(coach_program, staff), staff)
    load = Counter(pp.supporter.user for pp in solution.pairs.all())
    assert solution.matched == 5
    assert load[small] == 2 and load[big] == 3  # the nearby coach is full; the rest travel


def test_coach_capacity_reports_the_schools_left_over(coach_program):
    staff = f.make_staff(coach_program)
    f.make_expertcoach(coach_program, capacity=1)
    for _ in range(3):
        f.make_school(program=coach_program)
    solution = solve(make_round(coach_program, staff), staff)
    assert solution.matched == 1
    assert sorted(solution.unmatched.filter(side="row").values_list("reason", flat=True)) == [
        "all_full",
        "all_full",
    ]


def test_school_keeps_last_years_coach_while_in_range(coach_program):
    staff = f.make_staff(coach_program)
    last_year = f.make_program(ProgramKind.COACH_SCHOOL, school_year="2025-2026")
    near = f.make_expertcoach(coach_program, capacity=5)
    loyal = f.make_expertcoach(coach_program, city="amsterdam", capacity=5)
    school = f.make_school(program=coach_program)
    CoachAssignment.objects.create(
        program=last_year,
        coach=f.make_role(loyal, last_year, RoleKind.EXPERTCOACH),
        school=school,
        published_at=timezone.now(),
    )
    other = f.make_school(program=coach_program)
    solution = solve(make_round(coach_program, staff), staff)
    got = {pp.school: pp.supporter.user for pp in solution.pairs.all()}
    assert got == {school: loyal, other: near}
    continuity = next(pp for pp in solution.pairs.all() if pp.school == school)
    assert continuity.cost_history == 0 and continuity.distance_km > 30


def test_fair_spread_is_a_secondary_aim(coach_program):
    staff = f.make_staff(coach_program)
    a = f.make_expertcoach(coach_program, capacity=4)
    b = f.make_expertcoach(coach_program, capacity=4)
    for _ in range(4):
        f.make_school(program=coach_program)
    rnd = make_round(coach_program, staff)
    spread = Counter(pp.supporter.user for pp in solve(rnd, staff).pairs.all())
    assert spread == {a: 2, b: 2}
    services.round_update_settings(rnd=rnd, data={"w_load": 0.0})
    rnd.refresh_from_db()
    assert solve(rnd, staff).matched == 4  # without the aim any split is fine; all still placed


def test_coach_lock_respects_capacity(coach_program):
    staff = f.make_staff(coach_program)
    coach = f.make_expertcoach(coach_program, capacity=1)
    s1, s2 = f.make_school(program=coach_program), f.make_school(program=coach_program)
    rnd = make_round(coach_program, staff)
    services.rule_set(
        rnd=rnd,
        kind=RuleKind.LOCK,
        supporter_id=coach_role(coach, coach_program).pk,
        row_key=s2.pk,
        user=staff,
    )
    with pytest.raises(Exception, match="volledige capaciteit"):
        services.rule_set(
            rnd=rnd,
            kind=RuleKind.LOCK,
            supporter_id=coach_role(coach, coach_program).pk,
            row_key=s1.pk,
            user=staff,
        )
    solution = solve(rnd, staff)
    assert [(pp.school, pp.locked) for pp in solution.pairs.all()] == [(s2, True)]


def test_coach_sees_only_their_schools_and_only_after_publication(coach_program, client_for):
    from django.core import mail

    from notifications.delivery import deliver_pending

    staff = f.make_staff(coach_program)
    coach = f.make_expertcoach(coach_program, email="coach@leerkracht.example", capacity=1)
    other = f.make_expertcoach(coach_program, city="groningen", capacity=1)
    mine = f.make_school(program=coach_program, name="OBS De Klimop")
    theirs = f.make_school(program=coach_program, city="groningen", name="CBS Het Noorderlicht")
    f.make_schoolleider(coach_program, school=mine, email="leider@klimop.example")
    rnd = make_round(coach_program, staff)
    solution = solve(rnd, staff)
    url = reverse("pairs:coach_schools", args=[coach_program.pk])
    assert "De Klimop" not in client_for(coach).get(url).content.decode()
    assert (
        "De Klimop" not in client_for(coach).get(f"/programma/{coach_program.pk}/").content.decode()
    )
    services.round_publish(rnd=rnd, solution=solution, user=staff)
    run_on_commit()
    page = client_for(coach).get(url).content.decode()
    assert "De Klimop" in page and "leider@klimop.example" in page and "Noorderlicht" not in page
    assert "De Klimop" in client_for(coach).get(f"/programma/{coach_program.pk}/").content.decode()
    assert "Noorderlicht" in client_for(other).get(url).content.decode()
    deliver_pending()
    to_coach = next(m for m in mail.outbox if m.to[0] == coach.email)
    assert "De Klimop" in to_coach.body
    assert theirs.name not in to_coach.body


def test_coach_schools_page_refuses_other_roles(coach_program, client_for, program, mentor):
    url = reverse("pairs:coach_schools", args=[coach_program.pk])
    assert client_for(f.make_staff(coach_program)).get(url).status_code == 403
    assert client_for(mentor).get(url).status_code == 403
    assert (
        client_for(
            f.make_expertcoach(f.make_program(ProgramKind.COACH_SCHOOL, school_year="2027-2028"))
        )
        .get(url)
        .status_code
        == 403
    )


def test_coach_drop_out_is_replaced_by_a_new_round_without_moving_others(coach_program, client_for):
    staff = f.make_staff(coach_program)
    quitting = f.make_expertcoach(coach_program, capacity=1)
    staying = f.make_expertcoach(coach_program, city="rotterdam", capacity=1)
    spare = f.make_expertcoach(coach_program, capacity=1)
    a = f.make_school(program=coach_program)
    b = f.make_school(program=coach_program, city="rotterdam")
    rnd = make_round(coach_program, staff)
    services.rule_set(
        rnd=rnd,
        kind=RuleKind.LOCK,
        supporter_id=coach_role(quitting, coach_program).pk,
        row_key=a.pk,
        user=staff,
    )
    services.round_publish(rnd=rnd, solution=solve(rnd, staff), user=staff)
    gone = CoachAssignment.objects.get(school=a)
    kept = CoachAssignment.objects.get(school=b)
    url = reverse("pairs:staff_assignment_end", args=[coach_program.pk, gone.pk])
    assert client_for(quitting).post(url, {"reason": "stopt"}).status_code == 403
    page = client_for(staff).post(url, {"reason": ""}, follow=True).content.decode()
    assert "Vertel kort waarom de toewijzing stopt" in page
    client_for(staff).post(url, {"reason": "Coach stopt"})
    gone.refresh_from_db()
    assert gone.status == "ended"
    # The new round sees only the free school; the quitting coach is asked to stop by staff
    # (forbid), and the other assignment stays exactly as it was.
    second = make_round(coach_program, staff)
    services.rule_set(
        rnd=second,
        kind=RuleKind.FORBID,
        supporter_id=coach_role(quitting, coach_program).pk,
        row_key=a.pk,
        user=staff,
    )
    solution = solve(second, staff)
    assert [(pp.school, pp.supporter.user) for pp in solution.pairs.all()] == [(a, spare)]
    services.round_publish(rnd=second, solution=solution, user=staff)
    kept.refresh_from_db()
    assert kept.status == "active" and kept.coach.user == staying


def test_coach_export_has_coach_columns_and_parts(coach_program, client_for):
    import csv
    import io

    staff = f.make_staff(coach_program)
    f.make_expertcoach(coach_program, email="exp@leerkracht.example", capacity=2)
    f.make_school(program=coach_program, name="=SOM(A1)")  # a formula must not survive
    rnd = make_round(coach_program, staff)
    solve(rnd, staff)
    response = client_for(staff).get(
        reverse("matching:round_export", args=[coach_program.pk, rnd.pk, "csv"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["School", "BRIN"] and "Historie" in rows[0] and "Spreiding" in rows[0]
    assert "Sector" not in rows[0]
    assert rows[1][0] == "'=SOM(A1)" and rows[1][5] == "exp@leerkracht.example"


def test_coach_schools_page_query_count(coach_program, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = f.make_staff(coach_program)
    coach = f.make_expertcoach(coach_program, capacity=10)
    f.make_schoolleider(coach_program, school=f.make_school(program=coach_program))
    rnd = make_round(coach_program, staff)
    services.round_publish(rnd=rnd, solution=solve(rnd, staff), user=staff)
    client = client_for(coach)
    url = reverse("pairs:coach_schools", args=[coach_program.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        f.make_schoolleider(coach_program, school=f.make_school(program=coach_program))
    second = make_round(coach_program, staff)
    services.round_publish(rnd=second, solution=solve(second, staff), user=staff)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('<a class="small" href="mailto:') == 5  # the contacts, not the footer


def test_leaving_out_a_coach_keeps_continuity_of_the_others(coach_program):
    staff = f.make_staff(coach_program)
    last_year = f.make_program(ProgramKind.COACH_SCHOOL, school_year="2025-2026")
    absent = f.make_expertcoach(coach_program, capacity=5)
    near = f.make_expertcoach(coach_program, capacity=5)
    loyal = f.make_expertcoach(coach_program, city="amsterdam", capacity=5)
    school = f.make_school(program=coach_program)
    CoachAssignment.objects.create(
        program=last_year,
        coach=f.make_role(loyal, last_year, RoleKind.EXPERTCOACH),
        school=school,
        published_at=timezone.now(),
    )
    rnd = make_round(coach_program, staff)
    services.round_set_participation(
        rnd=rnd, side="col", key=coach_role(absent, coach_program).pk, takes_part=False
    )
    rnd.refresh_from_db()
    solution = solve(rnd, staff)
    assert solution.n_cols == 2
    assert [pp.supporter.user for pp in solution.pairs.all()] == [
        loyal
    ]  # continuity index still right
    assert near  # in range and cheaper, but last year's coach wins
