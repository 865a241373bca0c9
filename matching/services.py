"""Writes of the matching app: rounds, rules, solving, publishing.

Every function owns its transaction; side effects (tasks, emails) happen on commit, so a
failure anywhere leaves nothing behind.
"""

from __future__ import annotations

import logging
import time
from functools import partial

import numpy as np
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.pairs.models import CoachAssignment, Pair
from notifications.outbox import notify_many
from people.enums import RoleKind
from people.models import Role, SchoolleiderProfile
from programs.models import Enrollment, ProgramYear

from . import costs, selectors
from .enums import RoundStatus, RuleKind, Side
from .models import (
    WEIGHT_FIELDS,
    MatchingRound,
    ProposedPair,
    RoundRule,
    Solution,
    UnmatchedEntry,
)

logger = logging.getLogger(__name__)

SETTING_FIELDS = [*WEIGHT_FIELDS, "exclude_other_region", "default_max_km", "min_available_months"]


def _editable(rnd: MatchingRound) -> None:
    if rnd.status == RoundStatus.PUBLISHED:
        raise ValidationError(_("Deze ronde is gepubliceerd en kan niet meer worden gewijzigd."))
    if rnd.status == RoundStatus.SOLVING and not rnd.is_stale_solve:
        raise ValidationError(_("De ronde wordt nu berekend; wacht tot de berekening klaar is."))


@transaction.atomic
def round_create(*, program: ProgramYear, name: str, user) -> MatchingRound:
    """A new draft round; weights are copied from the program's latest round, if any."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Geef de ronde een naam.")})
    latest = selectors.rounds_of(program).first()
    values = {f: getattr(latest, f) for f in SETTING_FIELDS} if latest else {}
    return MatchingRound.objects.create(program=program, name=name[:200], created_by=user, **values)


@transaction.atomic
def round_update_settings(*, rnd: MatchingRound, data: dict) -> MatchingRound:
    """Save weights and settings; the round needs solving again."""
    rnd = MatchingRound.objects.select_for_update().get(pk=rnd.pk)
    _editable(rnd)
    for name in SETTING_FIELDS:
        if name in data:
            setattr(rnd, name, data[name])
    rnd.full_clean(exclude=["program", "published_solution", "created_by", "published_by"])
    rnd.status = RoundStatus.DRAFT
    rnd.save()
    return rnd


def _rule_parties(rnd: MatchingRound, supporter_id: int, row_key: int):
    """Validate the two people of a rule; return (supporter Role, schoolleider Role|None, school id)."""
    program = rnd.program
    coach = selectors.is_coach_program(program)
    supporter = Role.objects.filter(
        pk=supporter_id,
        program=program,
        kind=RoleKind.EXPERTCOACH if coach else RoleKind.MENTOR,
    ).first()
    if supporter is None:
        raise ValidationError(
            _("Deze expertcoach hoort niet bij dit programma.")
            if coach
            else _("Deze mentor hoort niet bij dit programma.")
        )
    if coach:
        if not Enrollment.objects.filter(program=program, school_id=row_key).exists():
            raise ValidationError(_("Deze school doet niet mee aan dit programma."))
        return supporter, None, row_key
    profile = (
        SchoolleiderProfile.objects.filter(
            role_id=row_key, role__program=program, role__kind=RoleKind.SCHOOLLEIDER
        )
        .select_related("role")
        .first()
    )
    if profile is None:
        raise ValidationError(_("Deze schoolleider hoort niet bij dit programma."))
    return supporter, profile.role, profile.school_id


@transaction.atomic
def rule_set(
    *, rnd: MatchingRound, kind: str, supporter_id: int, row_key: int, user, note: str = ""
) -> RoundRule:
    """Lock (always make) or forbid (never make) one pair; replaces an earlier rule on it."""
    rnd = MatchingRound.objects.select_for_update().get(pk=rnd.pk)
    _editable(rnd)
    if kind not in RuleKind.values:
        raise ValidationError(_("Kies vastzetten of verbieden."))
    supporter, leader, school_id = _rule_parties(rnd, supporter_id, row_key)
    rules = RoundRule.objects.filter(round=rnd)
    if kind == RuleKind.LOCK:
        same_row = rules.filter(kind=RuleKind.LOCK).exclude(supporter=supporter)
        same_row = (
            same_row.filter(school_id=school_id)
            if leader is None
            else same_row.filter(schoolleider=leader)
        )
        if same_row.exists():
            raise ValidationError(
                _("Voor deze school is al een ander koppel vastgezet; haal dat eerst weg.")
                if leader is None
                else _(
                    "Deze schoolleider is al aan een andere mentor vastgezet; haal dat eerst weg."
                )
            )
        locked_for_supporter = rules.filter(kind=RuleKind.LOCK, supporter=supporter).exclude(
            school_id=school_id
        )
        if leader is not None and locked_for_supporter.exists():
            raise ValidationError(
                _("Deze mentor is al aan een andere schoolleider vastgezet; haal dat eerst weg.")
            )
        if leader is None:
            capacity = supporter.expertcoach_profile.capacity
            if locked_for_supporter.count() >= capacity:
                raise ValidationError(
                    _(
                        "Deze expertcoach heeft al %(n)s vastgezette scholen, zijn volledige capaciteit."
                    )
                    % {"n": capacity}
                )
    rule, _created = RoundRule.objects.update_or_create(
        round=rnd,
        supporter=supporter,
        school_id=school_id,
        defaults={
            "kind": kind,
            "schoolleider": leader,
            "note": (note or "")[:300],
            "created_by": user,
        },
    )
    MatchingRound.objects.filter(pk=rnd.pk).update(status=RoundStatus.DRAFT)
    return rule


@transaction.atomic
def rule_delete(*, rnd: MatchingRound, rule_id: int) -> None:
    rnd = MatchingRound.objects.select_for_update().get(pk=rnd.pk)
    _editable(rnd)
    deleted, _detail = RoundRule.objects.filter(round=rnd, pk=rule_id).delete()
    if not deleted:
        raise ValidationError(_("Deze regel bestaat niet (meer)."))
    MatchingRound.objects.filter(pk=rnd.pk).update(status=RoundStatus.DRAFT)


# --- Solving -----------------------------------------------------------------------------


@transaction.atomic
def round_solve_start(*, rnd: MatchingRound, user) -> None:
    """Mark the round as being solved and hand the work to a background task."""
    from .tasks import solve_round

    rnd = MatchingRound.objects.select_for_update().get(pk=rnd.pk)
    _editable(rnd)
    rnd.status = RoundStatus.SOLVING
    rnd.progress = 0
    rnd.progress_label = _("In de wachtrij")
    rnd.error = ""
    rnd.save(update_fields=["status", "progress", "progress_label", "error", "updated_at"])
    transaction.on_commit(partial(solve_round.enqueue, rnd.pk, getattr(user, "pk", None)))


def _progress(round_id: int, percent: int, label: str) -> None:
    # Its own short write, outside the solve, so the page can show it while we work.
    MatchingRound.objects.filter(pk=round_id).update(
        progress=percent, progress_label=label, updated_at=timezone.now()
    )


def round_solve(*, round_id: int, user_id: int | None = None) -> Solution | None:
    """Load, build, solve and store one round (the body of the background task).

    Returns quietly (None) when the round is gone or no longer waiting to be solved. On an
    error the round is marked failed with a message for staff; nothing half is stored.
    """
    rnd = MatchingRound.objects.select_related("program").filter(pk=round_id).first()
    if rnd is None or rnd.status not in {
        RoundStatus.SOLVING,
        RoundStatus.DRAFT,
        RoundStatus.SOLVED,
        RoundStatus.FAILED,
    }:
        return None
    try:
        return _solve(rnd, user_id)
    except Exception as exc:
        logger.exception("Matching round %s failed", round_id)
        MatchingRound.objects.filter(pk=round_id).update(
            status=RoundStatus.FAILED,
            progress=0,
            progress_label="",
            error=_("De berekening is mislukt: %(error)s") % {"error": str(exc)[:500]},
        )
        return None


def _solve(rnd: MatchingRound, user_id: int | None) -> Solution:
    t0 = time.perf_counter()
    _progress(rnd.pk, 10, _("Deelnemers laden"))
    p = selectors.load_participants(rnd)
    lock_rows, lock_cols, forbidden, _skipped = selectors.rule_indices(rnd, p)
    t1 = time.perf_counter()
    _progress(rnd.pk, 35, _("Mogelijke koppels bepalen"))
    cand = costs.build_candidates(
        p,
        default_max_km=rnd.default_max_km,
        exclude_other_region=rnd.exclude_other_region,
        forbidden=forbidden,
    )
    t2 = time.perf_counter()
    _progress(rnd.pk, 55, _("Beste indeling berekenen"))
    weights = rnd.weights
    outcome = costs.solve_candidates(p, cand, weights, lock_rows=lock_rows, lock_cols=lock_cols)
    stats = costs.quality(p, cand, outcome, weights)
    t3 = time.perf_counter()
    _progress(rnd.pk, 85, _("Resultaat opslaan"))
    meta = {
        "kind": p.kind,
        "weights": weights,
        "settings": {
            "default_max_km": rnd.default_max_km,
            "exclude_other_region": rnd.exclude_other_region,
            "min_available_months": rnd.min_available_months,
        },
        "n_locks": len(lock_rows),
        "n_forbidden": len(forbidden),
    }
    blob = costs.pack(p, cand, lock_rows, lock_cols, forbidden)
    solution = _store(rnd, user_id, p, cand, outcome, stats, meta, blob)
    t4 = time.perf_counter()
    Solution.objects.filter(pk=solution.pk).update(
        load_seconds=t1 - t0, build_seconds=t2 - t1, store_seconds=t4 - t3
    )
    solution.load_seconds, solution.build_seconds, solution.store_seconds = (
        t1 - t0,
        t2 - t1,
        t4 - t3,
    )
    return solution


@transaction.atomic
def _store(rnd, user_id, p, cand, outcome, stats, meta, blob) -> Solution:
    locked_round = MatchingRound.objects.select_for_update().get(pk=rnd.pk)
    if locked_round.status == RoundStatus.PUBLISHED:
        raise ValidationError(_("Deze ronde is intussen gepubliceerd."))
    number = (Solution.objects.filter(round=rnd).aggregate(n=Max("number"))["n"] or 0) + 1
    weights = meta["weights"]
    solution = Solution.objects.create(
        round=rnd,
        number=number,
        created_by_id=user_id,
        snapshot_meta=meta,
        snapshot_data=blob,
        total_cost=outcome.total_cost,
        part_totals=outcome.part_totals(weights),
        matched=len(outcome.rows),
        unmatched_rows=len(outcome.row_reasons),
        n_rows=p.n_rows,
        n_cols=p.n_cols,
        n_candidates=len(cand),
        solve_seconds=outcome.solve_seconds,
        backend=outcome.backend[:100],
        certificate=outcome.certificate,
        stats={k: v for k, v in stats.items() if k != "row_rank"},
    )
    coach = p.kind == "coach"
    ranks = stats.get("row_rank", [None] * len(outcome.rows))
    w = {part: weights[costs.WEIGHT_OF[part]] for part in costs.PARTS}
    ProposedPair.objects.bulk_create(
        [
            ProposedPair(
                solution=solution,
                supporter_id=int(p.col_keys[c]),
                schoolleider_id=None if coach else int(p.row_keys[r]),
                school_id=int(p.row_school[r]),
                row_index=int(r),
                col_index=int(c),
                distance_km=round(float(outcome.km[i]), 3),
                cost_distance=float(w["distance"] * outcome.parts["distance"][i]),
                cost_region=float(w["region"] * outcome.parts["region"][i]),
                cost_sector=float(w["sector"] * outcome.parts["sector"][i]),
                cost_method=float(w["method"] * outcome.parts["method"][i]),
                cost_history=float(w["history"] * outcome.parts["history"][i]),
                cost_load=float(w["load"] * outcome.parts["load"][i]),
                total=float(outcome.total[i]),
                locked=bool(outcome.locked[i]),
                partner_rank=int(ranks[i]) if ranks[i] is not None else None,
            )
            for i, (r, c) in enumerate(
                zip(outcome.rows.tolist(), outcome.cols.tolist(), strict=True)
            )
        ],
        batch_size=500,
    )
    entries = [
        UnmatchedEntry(
            solution=solution,
            side=Side.ROW,
            role_id=None if coach else int(p.row_keys[r]),
            school_id=int(p.row_school[r]),
            index=r,
            reason=reason,
        )
        for r, reason in sorted(outcome.row_reasons.items())
    ] + [
        UnmatchedEntry(
            solution=solution, side=Side.COL, role_id=int(p.col_keys[c]), index=c, reason=reason
        )
        for c, reason in sorted(outcome.col_reasons.items())
    ]
    UnmatchedEntry.objects.bulk_create(entries, batch_size=500)
    locked_round.status = RoundStatus.SOLVED
    locked_round.progress = 100
    locked_round.progress_label = ""
    locked_round.error = ""
    locked_round.save(update_fields=["status", "progress", "progress_label", "error", "updated_at"])
    return solution


def solution_resolve(solution: Solution) -> costs.Outcome:
    """Solve a stored snapshot again (no database input besides the snapshot itself)."""
    blob = Solution.objects.values_list("snapshot_data", flat=True).get(pk=solution.pk)
    kind = solution.snapshot_meta["kind"]
    p, cand, lock_rows, lock_cols, _forbidden = costs.unpack(kind, blob)
    return costs.solve_candidates(
        p, cand, solution.snapshot_meta["weights"], lock_rows=lock_rows, lock_cols=lock_cols
    )


# --- Publishing ---------------------------------------------------------------------------


def _site_path(name: str, program: ProgramYear) -> str:
    return reverse(name, args=[program.pk])


@transaction.atomic
def round_publish(*, rnd: MatchingRound, solution: Solution, user) -> int:
    """Make every pair of ``solution`` real and visible, and queue the emails; all or nothing.

    Returns the number of pairs published. Raises ValidationError (nothing changed) when the
    round is not ready, or when someone in it already has an active pair.
    """
    rnd = MatchingRound.objects.select_for_update().select_related("program").get(pk=rnd.pk)
    program = rnd.program
    if rnd.status == RoundStatus.PUBLISHED:
        raise ValidationError(_("Deze ronde is al gepubliceerd."))
    if rnd.status != RoundStatus.SOLVED or solution.round_id != rnd.pk:
        raise ValidationError(_("Bereken de ronde eerst opnieuw; de instellingen zijn gewijzigd."))
    proposals = list(
        ProposedPair.objects.filter(solution=solution)
        .select_related(
            "supporter__user", "schoolleider__user", "school", "supporter__mentor_profile"
        )
        .order_by("row_index")
    )
    now = timezone.now()
    coach = selectors.is_coach_program(program)
    try:
        with transaction.atomic():
            if coach:
                made = CoachAssignment.objects.bulk_create(
                    [
                        CoachAssignment(
                            program=program,
                            coach=pp.supporter,
                            school=pp.school,
                            published_at=now,
                            distance_km=pp.distance_km,
                            round=rnd,
                        )
                        for pp in proposals
                    ]
                )
            else:
                made = Pair.objects.bulk_create(
                    [
                        Pair(
                            program=program,
                            mentor=pp.supporter,
                            schoolleider=pp.schoolleider,
                            school=pp.school,
                            published_at=now,
                            distance_km=pp.distance_km,
                            round=rnd,
                        )
                        for pp in proposals
                    ]
                )
    except IntegrityError:
        raise ValidationError(
            _("Iemand in deze ronde heeft intussen al een actief koppel; bereken de ronde opnieuw.")
        ) from None
    if not coach:
        # Each published pair gets its three meetings with a suggested plan, in the same
        # transaction: a pair never shows up without its planning.
        from mentoring.meetings.services import meetings_create_for_pair

        for pair in made:
            meetings_create_for_pair(pair=pair)
    if coach:
        url = _site_path("pairs:coach_schools", program)
        by_coach: dict[int, list] = {}
        for pp in proposals:
            by_coach.setdefault(pp.supporter.user_id, []).append(pp)
        notify_many(
            "match_published_coach",
            [items[0].supporter.user for items in by_coach.values()],
            lambda u: {
                "program": program,
                "schools": [pp.school for pp in by_coach[u.pk]],
                "url": url,
            },
            program=program,
            dedupe_key=lambda u: f"round:{rnd.pk}:coach:{by_coach[u.pk][0].supporter_id}",
        )
    else:
        url = _site_path("pairs:my_pair", program)
        contexts = {
            pp.pk: {
                "program": program,
                "pair": pair,
                "mentor": pp.supporter.user,
                "mentor_profile": pp.supporter.mentor_profile,
                "schoolleider": pp.schoolleider.user,
                "school": pp.school,
                "url": url,
            }
            for pp, pair in zip(proposals, made, strict=True)
        }
        # One fan-out per side; each person gets their own pair's context and dedupe key.
        by_mentor = {pp.supporter.user_id: pp for pp in proposals}
        by_leader = {pp.schoolleider.user_id: pp for pp in proposals}
        notify_many(
            "match_published_mentor",
            [pp.supporter.user for pp in proposals],
            lambda u: contexts[by_mentor[u.pk].pk],
            program=program,
            dedupe_key=lambda u: f"round:{rnd.pk}:mentor:{by_mentor[u.pk].supporter_id}",
        )
        notify_many(
            "match_published_schoolleider",
            [pp.schoolleider.user for pp in proposals],
            lambda u: contexts[by_leader[u.pk].pk],
            program=program,
            dedupe_key=lambda u: f"round:{rnd.pk}:schoolleider:{by_leader[u.pk].schoolleider_id}",
        )
    rnd.status = RoundStatus.PUBLISHED
    rnd.published_solution = solution
    rnd.published_at = now
    rnd.published_by = user
    rnd.save(
        update_fields=["status", "published_solution", "published_at", "published_by", "updated_at"]
    )
    return len(proposals)


def outcome_pairs(outcome: costs.Outcome) -> list[tuple[int, int]]:
    """(row, col) of an outcome, for comparing two solves."""
    return list(
        zip(np.asarray(outcome.rows).tolist(), np.asarray(outcome.cols).tolist(), strict=True)
    )


@transaction.atomic
def round_set_participation(*, rnd: MatchingRound, side: str, key: int, takes_part: bool) -> None:
    """Leave someone out of this round (or let them take part again)."""
    rnd = MatchingRound.objects.select_for_update().get(pk=rnd.pk)
    _editable(rnd)
    if side not in Side.values:
        raise ValidationError(_("Onbekende kant."))
    field = "excluded_rows" if side == Side.ROW else "excluded_cols"
    keys = {int(k) for k in getattr(rnd, field) or []}
    if takes_part:
        keys.discard(int(key))
    else:
        keys.add(int(key))
    setattr(rnd, field, sorted(keys))
    rnd.status = RoundStatus.DRAFT
    rnd.save(update_fields=[field, "status", "updated_at"])
