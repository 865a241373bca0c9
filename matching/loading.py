"""Reads of the matching app: the database in, plain data out.

The inputs of a round as arrays (``load_participants``, ``rule_indices``), rounds, solutions
and their pairs, names for a solution's people. Nothing here decides what a page answers for
something that does not exist: the views raise 404. The ranking itself is pure and lives in
``matching.ranking``; ``explain``, ``compare`` and ``rematch_candidates`` read what it needs
and hand it over.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from django.db.models import Count, Q, QuerySet

from mentoring.pairs.enums import PairStatus
from mentoring.pairs.models import CoachAssignment, Pair
from people.enums import MentorStatus, RoleKind
from people.models import ExpertcoachProfile, MentorProfile, Role, SchoolleiderProfile
from people.search import words_query
from people.services import meeting_months
from places.geo import InvalidPostcode
from places.geocoding import coordinates, get_geocoder
from programs.enums import ProgramKind
from programs.models import Enrollment, ProgramYear, Region, School

from . import costs, ranking
from .enums import RuleKind
from .models import (
    SETTING_FIELDS,
    MatchingRound,
    ProposedPair,
    RoundRule,
    Solution,
    UnmatchedEntry,
)


def rounds_of(program: ProgramYear) -> QuerySet[MatchingRound]:
    return MatchingRound.objects.filter(program=program).order_by("-created_at", "-pk")


def solutions_of(rnd: MatchingRound) -> QuerySet[Solution]:
    """The solutions of ``rnd``, without their (large) snapshots."""
    return Solution.objects.filter(round=rnd).defer("snapshot_data")


def is_coach_program(program: ProgramYear) -> bool:
    return program.kind == ProgramKind.COACH_SCHOOL


# --- The inputs of a round ---------------------------------------------------------------


def _coordinates(pc4s: list[str]) -> np.ndarray:
    if not pc4s:
        return np.zeros((0, 2))
    try:
        return coordinates(pc4s, strict=False)
    except InvalidPostcode:
        out = np.full((len(pc4s), 2), np.nan)
        for i, pc4 in enumerate(pc4s):
            with contextlib.suppress(InvalidPostcode):
                out[i] = coordinates([pc4], strict=False)[0]
        return out


def _mentor_regions(pc4s: list[str]) -> np.ndarray:
    """The region of each mentor's postcode (-1 when unknown)."""
    resolve = Region.resolver()
    try:
        places = get_geocoder().lookup_many(set(pc4s))
    except InvalidPostcode:
        places = {}
    by_pc4: dict[str, int] = {}
    for pc4, place in places.items():
        region = resolve(place.province, place.municipality)
        by_pc4[pc4] = region.pk if region else -1
    return np.array([by_pc4.get(pc4, -1) for pc4 in pc4s], dtype=np.int64)


def _sector_index(values) -> np.ndarray:
    return np.array([costs.SECTORS.index(v) if v in costs.SECTORS else 0 for v in values], np.int64)


def _phase_index(values) -> np.ndarray:
    return np.array([costs.PHASES.index(v) if v in costs.PHASES else 0 for v in values], np.int64)


def load_participants(rnd: MatchingRound) -> costs.Participants:
    """Everyone who takes part in ``rnd``, as arrays (a constant number of queries).

    People who already have an active pair (an earlier round, a re-match) are left out.
    """
    program = rnd.program
    p = _load_coach(rnd) if is_coach_program(program) else _load_mentoring(rnd)
    if rnd.excluded_rows or rnd.excluded_cols:
        p = _without(p, set(rnd.excluded_rows or []), set(rnd.excluded_cols or []))
    return p


def _without(p: costs.Participants, rows: set[int], cols: set[int]) -> costs.Participants:
    """``p`` without the excluded rows and columns (staff said they do not take part)."""
    keep_r = ~np.isin(p.row_keys, list(rows)) if rows else np.ones(p.n_rows, bool)
    keep_c = ~np.isin(p.col_keys, list(cols)) if cols else np.ones(p.n_cols, bool)
    new_col = np.cumsum(keep_c) - 1  # old column index -> new (valid where kept)
    fields = {}
    for name, value in p.arrays().items():
        if name.startswith("row_"):
            fields[name] = value[keep_r]
        elif name.startswith("col_") and name != "col_region_pairs":
            fields[name] = value[keep_c]
    pairs = p.col_region_pairs
    pairs = pairs[keep_c[pairs[:, 0]]] if len(pairs) else pairs
    fields["col_region_pairs"] = (
        np.column_stack([new_col[pairs[:, 0]], pairs[:, 1]]).astype(np.int64)
        if len(pairs)
        else pairs
    )
    cont = fields["row_continuity"]
    fields["row_continuity"] = np.where(
        (cont >= 0) & keep_c[np.maximum(cont, 0)], new_col[np.maximum(cont, 0)], -1
    )
    fields["history_pairs"] = p.history_pairs
    return costs.Participants(kind=p.kind, **fields)


def _load_mentoring(rnd: MatchingRound) -> costs.Participants:
    program = rnd.program
    paired = Pair.objects.filter(program=program, status=PairStatus.ACTIVE)
    rows = list(
        SchoolleiderProfile.objects.filter(role__program=program, role__kind=RoleKind.SCHOOLLEIDER)
        .exclude(role_id__in=paired.values("schoolleider_id"))
        .order_by("role_id")
        .values_list(
            "role_id",
            "role__user_id",
            "school_id",
            "school__pc4",
            "school__region_id",
            "school__sector",
            "school__phase",
            "preferred_methods",
        )
    )
    cols = list(
        MentorProfile.objects.filter(
            role__program=program, role__kind=RoleKind.MENTOR, status=MentorStatus.APPROVED
        )
        .exclude(role_id__in=paired.values("mentor_id"))
        .order_by("role_id")
        .values_list(
            "role_id",
            "role__user_id",
            "pc4",
            "max_travel_km",
            "online_only",
            "sector_preference",
            "methods",
            "months_available",
        )
    )
    months = set(meeting_months(program))
    need = min(int(rnd.min_available_months), len(months)) if months else 0
    row_users = np.array([r[1] for r in rows], dtype=np.int64)
    col_users = np.array([c[1] for c in cols], dtype=np.int64)
    history = np.array(
        Pair.objects.filter(
            Q(program__school_year__lt=program.school_year)
            | Q(program=program, status=PairStatus.ENDED),
            program__kind=ProgramKind.MENTOR_LEADER,
            schoolleider__user_id__in=row_users.tolist(),
            mentor__user_id__in=col_users.tolist(),
        ).values_list("schoolleider__user_id", "mentor__user_id"),
        dtype=np.int64,
    ).reshape(-1, 2)
    col_pc4 = [c[2] for c in cols]
    return costs.Participants(
        kind="mentor",
        row_keys=np.array([r[0] for r in rows], dtype=np.int64),
        row_school=np.array([r[2] for r in rows], dtype=np.int64),
        row_user=row_users,
        row_latlon=_coordinates([r[3] for r in rows]).reshape(-1, 2),
        row_region=np.array([r[4] if r[4] is not None else -1 for r in rows], dtype=np.int64),
        row_sector=_sector_index([r[5] for r in rows]),
        row_phase=_phase_index([r[6] for r in rows]),
        row_methods=np.array([costs.method_mask(r[7]) for r in rows], dtype=np.int64),
        row_continuity=np.full(len(rows), -1, dtype=np.int64),
        col_keys=np.array([c[0] for c in cols], dtype=np.int64),
        col_user=col_users,
        col_latlon=_coordinates(col_pc4).reshape(-1, 2),
        col_max_km=np.array(
            [np.inf if c[4] else (np.nan if c[3] is None else float(c[3])) for c in cols],
            dtype=float,
        ),
        col_online=np.array([bool(c[4]) for c in cols], dtype=bool),
        col_region=_mentor_regions(col_pc4),
        col_sectors=np.array([costs.sector_mask(c[5]) for c in cols], dtype=np.int64),
        col_methods=np.array([costs.method_mask(c[6]) for c in cols], dtype=np.int64),
        col_available=np.array(
            [
                len(months & {int(m) for m in (c[7] or []) if str(m).isdigit()}) >= need
                if need
                else True
                for c in cols
            ],
            dtype=bool,
        ),
        col_capacity=np.ones(len(cols), dtype=np.int64),
        history_pairs=history,
    )


def _load_coach(rnd: MatchingRound) -> costs.Participants:
    program = rnd.program
    active = CoachAssignment.objects.filter(program=program, status=PairStatus.ACTIVE)
    rows = list(
        Enrollment.objects.filter(program=program)
        .exclude(school_id__in=active.values("school_id"))
        .order_by("school_id")
        .values_list(
            "school_id", "school__pc4", "school__region_id", "school__sector", "school__phase"
        )
    )
    cols = list(
        ExpertcoachProfile.objects.filter(role__program=program, role__kind=RoleKind.EXPERTCOACH)
        .order_by("role_id")
        .values_list("role_id", "role__user_id", "pc4", "max_travel_km", "capacity")
    )
    taken: dict[int, int] = {}
    for coach_id in active.values_list("coach_id", flat=True):
        taken[coach_id] = taken.get(coach_id, 0) + 1
    col_pos = {c[0]: i for i, c in enumerate(cols)}
    user_pos = {c[1]: i for i, c in enumerate(cols)}
    region_pairs = np.array(
        [
            (col_pos[role_id], region_id)
            for role_id, region_id in ExpertcoachProfile.regions.through.objects.filter(
                expertcoachprofile__role__program=program
            ).values_list("expertcoachprofile__role_id", "region_id")
            if role_id in col_pos
        ],
        dtype=np.int64,
    ).reshape(-1, 2)
    start = program.start_year
    last_year = ProgramYear.objects.filter(
        kind=ProgramKind.COACH_SCHOOL, school_year=f"{start - 1}-{start}"
    ).first()
    last_coach: dict[int, int] = {}
    if last_year is not None:
        for school_id, user_id in (
            CoachAssignment.objects.filter(
                program=last_year, status__in=[PairStatus.ACTIVE, PairStatus.ENDED]
            )
            .order_by("published_at", "pk")
            .values_list("school_id", "coach__user_id")
        ):
            last_coach[school_id] = user_id  # the latest assignment of that year wins
    return costs.Participants(
        kind="coach",
        row_keys=np.array([r[0] for r in rows], dtype=np.int64),
        row_school=np.array([r[0] for r in rows], dtype=np.int64),
        row_user=np.full(len(rows), -1, dtype=np.int64),
        row_latlon=_coordinates([r[1] for r in rows]).reshape(-1, 2),
        row_region=np.array([r[2] if r[2] is not None else -1 for r in rows], dtype=np.int64),
        row_sector=_sector_index([r[3] for r in rows]),
        row_phase=_phase_index([r[4] for r in rows]),
        row_methods=np.zeros(len(rows), dtype=np.int64),
        row_continuity=np.array(
            [user_pos.get(last_coach.get(r[0], -1), -1) for r in rows], dtype=np.int64
        ),
        col_keys=np.array([c[0] for c in cols], dtype=np.int64),
        col_user=np.array([c[1] for c in cols], dtype=np.int64),
        col_latlon=_coordinates([c[2] for c in cols]).reshape(-1, 2),
        col_max_km=np.array([np.nan if c[3] is None else float(c[3]) for c in cols], dtype=float),
        col_online=np.zeros(len(cols), dtype=bool),
        col_region=np.full(len(cols), -1, dtype=np.int64),
        col_sectors=np.zeros(len(cols), dtype=np.int64),
        col_methods=np.zeros(len(cols), dtype=np.int64),
        col_available=np.ones(len(cols), dtype=bool),
        col_capacity=np.array(
            [max(int(c[4]) - taken.get(c[0], 0), 0) for c in cols], dtype=np.int64
        ),
        col_region_pairs=region_pairs,
    )


def rule_indices(rnd: MatchingRound, p: costs.Participants):
    """(lock rows, lock cols, forbidden (n,2), rules not applicable) of a round's rules."""
    row_pos = {int(k): i for i, k in enumerate(p.row_keys)}
    col_pos = {int(k): i for i, k in enumerate(p.col_keys)}
    locks_r: list[int] = []
    locks_c: list[int] = []
    forbidden: list[tuple[int, int]] = []
    skipped: list[RoundRule] = []
    coach = p.kind == "coach"
    for rule in RoundRule.objects.filter(round=rnd).order_by("pk"):
        key = rule.school_id if coach else rule.schoolleider_id
        r = row_pos.get(key) if key is not None else None
        c = col_pos.get(rule.supporter_id)
        if r is None or c is None:
            skipped.append(rule)
            continue
        if rule.kind == RuleKind.LOCK:
            locks_r.append(r)
            locks_c.append(c)
        else:
            forbidden.append((r, c))
    return (
        np.array(locks_r, dtype=np.int64),
        np.array(locks_c, dtype=np.int64),
        np.array(forbidden, dtype=np.int64).reshape(-1, 2),
        skipped,
    )


# --- Solutions ---------------------------------------------------------------------------

SORTS = {
    "schoolleider": ("schoolleider__user__last_name", "school__name"),
    "school": ("school__name",),
    "mentor": ("supporter__user__last_name", "supporter__user__first_name"),
    "regio": ("school__region__name", "school__name"),
    "afstand": ("distance_km",),
    "kosten": ("total",),
}


def solution_pairs(
    solution: Solution, *, query: str = "", region: str = "", sort: str = "", locked: str = ""
) -> QuerySet[ProposedPair]:
    qs = ProposedPair.objects.filter(solution=solution).select_related(
        "supporter__user", "schoolleider__user", "school__region"
    )
    if query:  # every word in some field: "Anna de Vries" finds her
        qs = qs.filter(
            words_query(
                query,
                (
                    "supporter__user__last_name",
                    "supporter__user__first_name",
                    "schoolleider__user__last_name",
                    "schoolleider__user__first_name",
                    "school__name",
                    "school__place",
                ),
                qs.model,
            )
        )
    if region.isdigit():
        qs = qs.filter(school__region_id=int(region))
    if locked == "1":
        qs = qs.filter(locked=True)
    desc = sort.startswith("-")
    fields = SORTS.get(sort.lstrip("-"), ("row_index",))
    if desc:
        fields = tuple("-" + f for f in fields)
    return qs.order_by(*fields, "pk")


#: Sort orders of the "not matched" list (``?sorteer=``), all in the database.
UNMATCHED_SORTS: dict[str, tuple[str, ...]] = {
    "reden": ("reason", "pk"),
    "naam": ("role__user__last_name", "role__user__first_name", "school__name", "pk"),
    "school": ("school__name", "pk"),
    "regio": ("school__region__name", "school__name", "pk"),
}


def solution_unmatched(
    solution: Solution,
    *,
    side: str = "",
    query: str = "",
    reason: str = "",
    order: tuple[str, ...] = (),
) -> QuerySet[UnmatchedEntry]:
    """Who ``solution`` leaves without a partner: one side (row/col) or both, searched by
    name, school or place and filtered by reason, ordered in the database."""
    qs = UnmatchedEntry.objects.filter(solution=solution).select_related(
        "role__user", "school__region"
    )
    if side:
        qs = qs.filter(side=side)
    if reason:
        qs = qs.filter(reason=reason)
    if query:
        qs = qs.filter(
            words_query(
                query,
                (
                    "role__user__first_name",
                    "role__user__last_name",
                    "school__name",
                    "school__place",
                ),
                qs.model,
            )
        )
    return qs.order_by(*(("side", *order) if order else ("side", "reason", "pk")))


def unmatched_counts(solution: Solution) -> dict[str, int]:
    """How many people each side of ``solution`` leaves without a partner (one query)."""
    counts = dict(
        UnmatchedEntry.objects.filter(solution=solution)
        .order_by()
        .values_list("side")
        .annotate(n=Count("pk"))
        .values_list("side", "n")
    )
    return {side: counts.get(side, 0) for side in (ranking.ROW, ranking.COL)}


def labels(p: costs.Participants, rows, cols) -> tuple[dict[int, str], dict[int, str]]:
    """Display names for some row and column indices of ``p`` (two queries)."""
    col_roles = {
        r.pk: r
        for r in Role.objects.filter(pk__in=[int(p.col_keys[c]) for c in cols]).select_related(
            "user"
        )
    }
    col_label = {
        int(c): str(col_roles[int(p.col_keys[c])].user)
        for c in cols
        if int(p.col_keys[c]) in col_roles
    }
    if p.kind == "coach":
        schools = School.objects.in_bulk([int(p.row_keys[r]) for r in rows])
        row_label = {
            int(r): schools[int(p.row_keys[r])].name for r in rows if int(p.row_keys[r]) in schools
        }
    else:
        roles = {
            r.pk: r
            for r in Role.objects.filter(pk__in=[int(p.row_keys[r]) for r in rows]).select_related(
                "user", "schoolleider_profile__school"
            )
        }
        row_label = {
            int(
                r
            ): f"{roles[int(p.row_keys[r])].user} ({roles[int(p.row_keys[r])].schoolleider_profile.school.name})"
            for r in rows
            if int(p.row_keys[r]) in roles
        }
    return row_label, col_label


def snapshot(solution: Solution) -> costs.Snapshot:
    """The inputs stored with ``solution`` (one query)."""
    meta = solution.snapshot_meta
    return costs.unpack(
        meta.get("kind", "mentor"),
        Solution.objects.values_list("snapshot_data", flat=True).get(pk=solution.pk),
        meta.get("settings"),
    )


def current_pairs(solution: Solution, side: str, index: int) -> list[ProposedPair]:
    """The proposed pairs of person ``index`` on ``side`` (row/col) in ``solution``."""
    where = {"row_index": index} if side == ranking.ROW else {"col_index": index}
    return list(
        ProposedPair.objects.filter(solution=solution, **where).select_related(
            "supporter__user", "schoolleider__user", "school"
        )
    )


def explain(
    solution: Solution, side: str, index: int, *, limit: int = 8
) -> ranking.Explanation | None:
    """The best alternatives for one person in a solution and what they would cost.

    ``side`` is "row" (schoolleider/school) or "col" (mentor/coach); ``index`` its position
    in the snapshot. None for an index outside the snapshot.
    """
    snap = snapshot(solution)
    p = snap.p
    if not 0 <= index < (p.n_rows if side == ranking.ROW else p.n_cols):
        return None
    cand = snap.candidates(only=(side, index))  # this person's pairs, not everyone's
    ranked = ranking.rank_partners(
        cand, solution.snapshot_meta["weights"], side, index, limit=limit
    )
    proposals = ranking.Proposals.of(
        ProposedPair.objects.filter(solution=solution).values_list("row_index", "col_index")
    )
    rows, cols = ranking.people_involved(ranked, proposals, side, index)
    row_label, col_label = labels(p, rows, cols)
    return ranking.explanation(
        p, ranked, proposals, side, index, row_label=row_label, col_label=col_label
    )


class PairRef(NamedTuple):
    """What comparing needs of a proposed pair: its partner, cost and id (no objects; a
    tuple, as 20,000 of them are made for one comparison of national solutions)."""

    pk: int
    supporter_id: int
    total: float


def compare(a: Solution, b: Solution) -> ranking.Comparison:
    """Who moved between two solutions of a round, and the cost difference. The moves hold
    ``PairRef``s (two value queries, whatever the size); ``moves_with_pairs`` loads the
    proposed pairs of the moves one page shows."""
    return ranking.compare(
        _pairs_by_row(a),
        _pairs_by_row(b),
        total_a=a.total_cost,
        total_b=b.total_cost,
        matched_a=a.matched,
        matched_b=b.matched,
    )


def _pairs_by_row(solution: Solution) -> dict[int, PairRef]:
    rows = ProposedPair.objects.filter(solution=solution).values_list(
        "pk", "schoolleider_id", "school_id", "supporter_id", "total"
    )
    return {
        (leader or school): PairRef(pk, supporter, total)
        for pk, leader, school, supporter, total in rows
    }


def moves_with_pairs(moves: Iterable[ranking.Move]) -> list[ranking.Move]:
    """The moves with their proposed pairs loaded (people and school), in one query."""
    moves = list(moves)
    ids = {ref.pk for m in moves for ref in (m.a, m.b) if ref is not None}
    pairs = ProposedPair.objects.filter(pk__in=ids).select_related(
        "supporter__user", "schoolleider__user", "school"
    )
    by_pk = {pp.pk: pp for pp in pairs}
    return [
        ranking.Move(
            a=by_pk[m.a.pk] if m.a is not None else None,
            b=by_pk[m.b.pk] if m.b is not None else None,
            delta=m.delta,
        )
        for m in moves
    ]


# --- Re-matching after publication ---------------------------------------------------------


@dataclass(frozen=True)
class RematchCandidate:
    """A free partner for someone waiting, with what the pair would cost."""

    role: Role
    km: float
    parts: tuple[float, ...]  # the weighted cost of each part, in ``costs.PARTS`` order
    total: float


def rematch_candidates(
    program: ProgramYear, side: str, role_id: int, *, limit: int = 10
) -> list[RematchCandidate]:
    """Free partners for one waiting person, cheapest first, by the latest round's weights.

    ``side`` is "schoolleider" or "mentor". Only people without an active pair are loaded,
    and the same hard rules as in a round apply (range, availability, no repeat of an
    earlier year). Returns [] when the person is not free (or not in the program).
    """
    latest = rounds_of(program).first()
    # The latest round's weights and settings, but not its exclusions: those were for that round.
    rnd = MatchingRound(program=program)
    if latest is not None:
        for name in SETTING_FIELDS:
            setattr(rnd, name, getattr(latest, name))
    p = load_participants(rnd)
    axis = ranking.ROW if side == "schoolleider" else ranking.COL
    ranked = ranking.rank_free_partners(
        p,
        axis,
        role_id,
        weights=rnd.weights,
        default_max_km=rnd.default_max_km,
        exclude_other_region=rnd.exclude_other_region,
        limit=limit,
    )
    if ranked is None:
        return []
    other_keys = p.col_keys if axis == ranking.ROW else p.row_keys
    keys = [int(other_keys[partner.index]) for partner in ranked.partners]
    roles = {
        r.pk: r
        for r in Role.objects.filter(pk__in=keys).select_related(
            "user", "mentor_profile", "schoolleider_profile__school"
        )
    }
    return [
        RematchCandidate(role=roles[key], km=partner.km, parts=partner.parts, total=partner.total)
        for key, partner in zip(keys, ranked.partners, strict=True)
        if key in roles
    ]


# --- Names -------------------------------------------------------------------------------


def blocking_with_names(solution: Solution) -> list[dict]:
    """The stored blocking pairs of a solution, with the names of both people (3 queries)."""
    items = (solution.stats or {}).get("blocking", [])
    rows = {b["row"] for b in items}
    cols = {b["col"] for b in items}
    row_name: dict[int, str] = {}
    col_name: dict[int, str] = {}
    for pp in ProposedPair.objects.filter(solution=solution, row_index__in=rows).select_related(
        "schoolleider__user", "school"
    ):
        row_name[pp.row_index] = (
            str(pp.schoolleider.user) if pp.schoolleider is not None else pp.school.name
        )
    for pp in ProposedPair.objects.filter(solution=solution, col_index__in=cols).select_related(
        "supporter__user"
    ):
        col_name[pp.col_index] = str(pp.supporter.user)
    for entry in (
        UnmatchedEntry.objects.filter(solution=solution)
        .filter(Q(side="row", index__in=rows) | Q(side="col", index__in=cols))
        .select_related("role__user", "school")
    ):
        label = (
            str(entry.role.user)
            if entry.role is not None
            else (entry.school.name if entry.school is not None else "?")
        )
        (row_name if entry.side == "row" else col_name)[entry.index] = label
    return [
        {
            **b,
            "row_name": row_name.get(b["row"], f"#{b['row']}"),
            "col_name": col_name.get(b["col"], f"#{b['col']}"),
        }
        for b in items
    ]


def excluded_people(rnd: MatchingRound) -> list[dict]:
    """The people staff left out of ``rnd``, with names (two queries)."""
    coach = is_coach_program(rnd.program)
    out: list[dict] = []
    row_keys = [int(k) for k in rnd.excluded_rows or []]
    if coach:
        for school in School.objects.filter(pk__in=row_keys).order_by("name"):
            out.append({"side": "row", "key": school.pk, "label": school.name})
    role_keys = ([] if coach else row_keys) + [int(k) for k in rnd.excluded_cols or []]
    for role in (
        Role.objects.filter(pk__in=role_keys, program=rnd.program)
        .select_related("user")
        .order_by("user__last_name")
    ):
        side = "col" if role.pk in (rnd.excluded_cols or []) else "row"
        out.append({"side": side, "key": role.pk, "label": str(role.user)})
    return out
