"""Ranking one person's possible partners, and explaining a solution (pure: no Django ORM).

Everything here works on the arrays and plain values that ``matching.loading`` reads from the
database, and returns frozen dataclasses. The "why this pair" page and the re-match page rank
partners with one function, ``rank_partners``: the candidate pairs of one person, cheapest
first by the weights, each with its distance and the weighted cost of every part.

``side`` is "row" (schoolleider or school: who needs a partner) or "col" (mentor or coach: who
gives one), as in ``matching.enums.RoundSide``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import costs

ROW, COL = "row", "col"


@dataclass(frozen=True)
class Partner:
    """One possible partner of a person: a position on the other side of the snapshot."""

    index: int
    km: float
    parts: tuple[float, ...]  # the weighted cost of each part, in ``costs.PARTS`` order
    total: float


@dataclass(frozen=True)
class Ranking:
    """The cheapest possible partners of one person, and how many there are in all."""

    partners: tuple[Partner, ...]
    n_candidates: int


def rank_partners(
    cand: costs.Candidates, weights: dict[str, float], side: str, index: int, *, limit: int
) -> Ranking:
    """The ``limit`` cheapest candidate partners of person ``index`` on ``side`` (stable order)."""
    mine = np.flatnonzero((cand.rows if side == ROW else cand.cols) == index)
    parts = {k: v[mine] for k, v in cand.parts.items()}
    total = costs.weighted_total(parts, weights)
    order = np.argsort(total, kind="stable")[:limit]
    others = (cand.cols if side == ROW else cand.rows)[mine[order]]
    return Ranking(
        partners=tuple(
            Partner(
                index=int(other),
                km=float(parts["distance"][pos]),
                parts=tuple(
                    float(weights[costs.WEIGHT_OF[k]] * parts[k][pos]) for k in costs.PARTS
                ),
                total=float(total[pos]),
            )
            for other, pos in zip(others.tolist(), order.tolist(), strict=True)
        ),
        n_candidates=len(mine),
    )


def rank_free_partners(
    p: costs.Participants,
    side: str,
    key: int,
    *,
    weights: dict[str, float],
    default_max_km: float,
    exclude_other_region: bool,
    limit: int,
) -> Ranking | None:
    """The cheapest partners among ``p`` for the person with key ``key`` (None if not in ``p``).

    The same hard rules as in a round (range, availability, no repeat of an earlier year); no
    rules of a round (locks, forbidden pairs).
    """
    where = np.flatnonzero((p.row_keys if side == ROW else p.col_keys) == key)
    if not len(where):
        return None
    index = int(where[0])
    cand = costs.build_candidates(
        p,
        default_max_km=default_max_km,
        exclude_other_region=exclude_other_region,
        forbidden=np.zeros((0, 2), dtype=np.int64),
        only=(side, index),
    )
    return rank_partners(cand, weights, side, index, limit=limit)


def pick_parts(parts: Sequence[float], keys: Iterable[str]) -> tuple[float, ...]:
    """The costs of the parts named in ``keys`` (in that order) out of a ``costs.PARTS`` row."""
    return tuple(parts[costs.PARTS.index(key)] for key in keys)


# --- Why this pair -------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposals:
    """Who is paired with whom in a solution, by snapshot position."""

    partner_of_row: Mapping[int, int]
    partners_of_col: Mapping[int, tuple[int, ...]]

    @classmethod
    def of(cls, pairs: Iterable[tuple[int, int]]) -> Proposals:
        """From (row index, col index) pairs."""
        pairs = list(pairs)
        of_col: dict[int, list[int]] = {}
        for r, c in pairs:
            of_col.setdefault(c, []).append(r)
        return cls(dict(pairs), {c: tuple(rows) for c, rows in of_col.items()})

    def partners(self, side: str, index: int) -> list[int]:
        """The partners of person ``index`` on ``side`` in the solution (none, one or more)."""
        if side == ROW:
            return [self.partner_of_row[index]] if index in self.partner_of_row else []
        return list(self.partners_of_col.get(index, ()))


def people_involved(
    ranking: Ranking, proposals: Proposals, side: str, index: int
) -> tuple[list[int], list[int]]:
    """(rows, cols) whose names an explanation shows: the person, their partners in the
    solution, the ranked partners and whoever has those now."""
    others = [partner.index for partner in ranking.partners]
    mine = proposals.partners(side, index)
    if side == ROW:
        rows = {index}
        for other in others:
            rows.update(proposals.partners_of_col.get(other, ()))
        cols = set(others) | set(mine)
    else:
        rows = set(others) | set(mine)
        cols = {index} | {
            proposals.partner_of_row[o] for o in others if o in proposals.partner_of_row
        }
    return sorted(rows), sorted(cols)


@dataclass(frozen=True)
class Alternative:
    """One possible partner on the "why this pair" page."""

    partner_label: str
    supporter_id: int  # the pair's mentor/coach Role id and row key, for lock/forbid buttons
    row_key: int
    km: float
    parts: tuple[float, ...]
    total: float
    chosen: bool
    taken_by: str


@dataclass(frozen=True)
class Explanation:
    """The best alternatives for one person in a solution and what they would cost."""

    person: str
    person_key: int
    side: str
    alternatives: tuple[Alternative, ...]
    n_candidates: int


def explanation(
    p: costs.Participants,
    ranking: Ranking,
    proposals: Proposals,
    side: str,
    index: int,
    *,
    row_label: Mapping[int, str],
    col_label: Mapping[int, str],
) -> Explanation:
    """The alternatives of person ``index`` on ``side``, named with the labels of
    ``people_involved``."""
    mine = proposals.partners(side, index)
    alternatives = []
    for partner in ranking.partners:
        other = partner.index
        if side == ROW:
            taken = [
                row_label.get(r, "?")
                for r in proposals.partners_of_col.get(other, ())
                if r != index
            ]
            label = col_label.get(other, "?")
        else:
            holder = proposals.partner_of_row.get(other)
            taken = [col_label.get(holder, "?")] if holder is not None and holder != index else []
            label = row_label.get(other, "?")
        alternatives.append(
            Alternative(
                partner_label=label,
                supporter_id=int(p.col_keys[other if side == ROW else index]),
                row_key=int(p.row_keys[index if side == ROW else other]),
                km=partner.km,
                parts=partner.parts,
                total=partner.total,
                chosen=other in mine,
                taken_by=", ".join(taken),
            )
        )
    return Explanation(
        person=(row_label if side == ROW else col_label).get(index, "?"),
        person_key=int((p.row_keys if side == ROW else p.col_keys)[index]),
        side=side,
        alternatives=tuple(alternatives),
        n_candidates=ranking.n_candidates,
    )


# --- Comparing two solutions ---------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One row whose partner differs between solution a and b (None: not matched there)."""

    a: Any
    b: Any
    delta: float


@dataclass(frozen=True)
class Comparison:
    moved: tuple[Move, ...]
    same: int
    delta_total: float
    delta_matched: int


def compare(
    pairs_a: Mapping[int, Any],
    pairs_b: Mapping[int, Any],
    *,
    total_a: float,
    total_b: float,
    matched_a: int,
    matched_b: int,
) -> Comparison:
    """Who moved between two solutions (proposed pairs by row key) and the cost difference.

    A proposed pair needs only ``supporter_id`` and ``total``.
    """
    moved = []
    for key in sorted(set(pairs_a) | set(pairs_b)):
        x, y = pairs_a.get(key), pairs_b.get(key)
        if x is None or y is None or x.supporter_id != y.supporter_id:
            moved.append(Move(a=x, b=y, delta=(y.total if y else 0) - (x.total if x else 0)))
    return Comparison(
        moved=tuple(moved),
        same=len(set(pairs_a) & set(pairs_b)) - sum(1 for m in moved if m.a and m.b),
        delta_total=total_b - total_a,
        delta_matched=matched_b - matched_a,
    )
