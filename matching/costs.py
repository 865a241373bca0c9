"""The cost model: what one pair costs, part by part, computed for all candidate pairs at once.

Everything here is pure numpy over index arrays (no Django, no Python loop over pairs), so a
whole round is a handful of vectorised steps. The parts are stored *raw* (km, 0/1 flags, a
misfit between 0 and 1) and multiplied by the round's weights only when costs are summed, so
a stored snapshot shows and re-weighs every part.

Parts (raw value → cost = weight × raw):

- ``distance``: great-circle km between the two postcodes; 0 when the mentor chose online
  only (the pair meets online).
- ``region``: 1 when the school's region differs from the mentor's (the region of the
  mentor's postcode) or is not one of the expertcoach's regions; unknown regions count as 0.
  A round can instead exclude other-region pairs altogether (a hard rule).
- ``sector``: 1 when the mentor named sector preferences and the school's sector is not one.
- ``method``: 1 − fit of the mentor's best improvement method for the school's leerKRACHT
  phase (see ``METHOD_FIT``); a method the schoolleider asked for fits perfectly.
- ``history``: 1 when the school had an expertcoach last year who is in range this year and
  this pair is another coach (continuity is strongly preferred). Repeating a mentor–
  schoolleider pair of an earlier year is not a cost but a hard exclusion.
- ``load``: the expertcoach's load: slot k of a coach with capacity n costs k / n, so the
  cheapest solution spreads schools fairly (a secondary aim; 0 for one-to-one mentoring).

Hard rules (pairs removed before solving): the mentor's/coach's maximum travel distance
(online-only mentors have none), forbidden pairs, earlier-year pairs, other regions when the
round says so; mentors not available in enough meeting months take no part at all.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from places.geo import haversine_km

from . import solver
from .candidates import candidate_pairs
from .slices import compiled, in_slices, over_slices

PARTS = ("distance", "region", "sector", "method", "history", "load")
WEIGHT_OF = {part: f"w_{part}" for part in PARTS}

SECTORS = ("po", "vo", "mbo", "hbo")
PHASES = ("start", "training", "verdieping", "continu")
METHODS = ("lean", "agile", "kaizen", "six_sigma", "other")

#: How well an improvement method helps a school in each leerKRACHT phase (0..1).
#:
#: - Start: the school sets up its first bordsessies and weekly rhythm: visual management
#:   and short stand-up cycles (Lean, Agile-scrum) are the closest business practice.
#: - Training: all teachers learn the four instruments; Lean's PDCA and standard work and
#:   Agile's retrospectives translate directly, Kaizen's small steps nearly as well.
#: - Verdieping: teams set their own goals and adapt the approach: Kaizen (continuous
#:   small improvements owned by the team) fits best, Lean/Agile well.
#: - Continu verbeteren: improvement is the norm; sustaining it and working from data
#:   (Kaizen, Lean, Six Sigma) fits best, a pure delivery framework (Agile) a bit less.
#: "Other" methods are an unknown quantity: a neutral 0.5.
METHOD_FIT: dict[str, dict[str, float]] = {
    "start": {"lean": 1.0, "agile": 1.0, "kaizen": 0.7, "six_sigma": 0.3, "other": 0.5},
    "training": {"lean": 1.0, "agile": 0.9, "kaizen": 0.8, "six_sigma": 0.4, "other": 0.5},
    "verdieping": {"lean": 0.8, "agile": 0.8, "kaizen": 1.0, "six_sigma": 0.5, "other": 0.5},
    "continu": {"lean": 0.9, "agile": 0.7, "kaizen": 1.0, "six_sigma": 0.8, "other": 0.5},
}


def method_mask(methods: Iterable[str] | None) -> int:
    """Bit mask of known method codes (unknown codes are ignored)."""
    mask = 0
    for m in methods or ():
        if m in METHODS:
            mask |= 1 << METHODS.index(m)
    return mask


def sector_mask(sectors: Iterable[str] | None) -> int:
    mask = 0
    for s in sectors or ():
        if s in SECTORS:
            mask |= 1 << SECTORS.index(s)
    return mask


def _fit_table() -> NDArray[np.float64]:
    """(phase, method mask) → best fit; 0.5 (neutral) for a mentor without methods."""
    n_masks = 1 << len(METHODS)
    table = np.full((len(PHASES), n_masks), 0.5)
    for p, phase in enumerate(PHASES):
        for mask in range(1, n_masks):
            table[p, mask] = max(
                METHOD_FIT[phase][m] for i, m in enumerate(METHODS) if mask & (1 << i)
            )
    return table


FIT_TABLE = _fit_table()


@dataclass
class Participants:
    """The inputs of one round as arrays: rows need a partner, columns give one.

    Mentoring: rows are schoolleiders, columns mentors (capacity 1). Expertcoach program:
    rows are enrolled schools, columns expertcoaches (capacity = their number of schools).
    """

    kind: str  # "mentor" or "coach"
    row_keys: NDArray[np.int64]  # schoolleider Role id, or School id
    row_school: NDArray[np.int64]
    row_user: NDArray[np.int64]  # -1 for schools
    row_latlon: NDArray[np.float64]  # NaN where the postcode is unknown
    row_region: NDArray[np.int64]  # -1 unknown
    row_sector: NDArray[np.int64]  # index in SECTORS
    row_phase: NDArray[np.int64]  # index in PHASES
    row_methods: NDArray[np.int64]  # mask of methods the schoolleider asked for
    row_continuity: NDArray[np.int64]  # column index of last year's coach, -1 none
    col_keys: NDArray[np.int64]  # Role id
    col_user: NDArray[np.int64]
    col_latlon: NDArray[np.float64]
    col_max_km: NDArray[np.float64]
    col_online: NDArray[np.bool_]
    col_region: NDArray[np.int64]  # mentors: region of their postcode, -1 unknown
    col_sectors: NDArray[np.int64]  # mask; 0 = no preference
    col_methods: NDArray[np.int64]
    col_available: NDArray[np.bool_]
    col_capacity: NDArray[np.int64]
    # Expertcoaches: the (column, region id) pairs of the regions each coach serves.
    col_region_pairs: NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    # (row user, column user) pairs of earlier years that must not be repeated.
    history_pairs: NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 2), np.int64))

    @property
    def n_rows(self) -> int:
        return len(self.row_keys)

    @property
    def n_cols(self) -> int:
        return len(self.col_keys)

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "kind"}


def _pair_key(a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.int64]:
    return a.astype(np.int64) * (1 << 31) + b.astype(np.int64)


def pair_km(
    p: Participants, rows: NDArray[np.int64], cols: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Great-circle km between given rows and columns (NaN where a postcode is unknown)."""
    if len(rows) == 0:
        return np.zeros(0)
    a, b = p.row_latlon[rows], p.col_latlon[cols]
    return np.asarray(haversine_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1]), dtype=float).reshape(-1)


def _lookup_kernel(  # pragma: no cover - compiled by numba (tested through _lookup)
    flat: Any, row_base: Any, col_code: Any, rows: Any, cols: Any, out: Any, lo: int, hi: int
) -> None:
    for t in range(lo, hi):
        out[t] = flat[row_base[rows[t]] + col_code[cols[t]]]


#: From this many pairs on the lookups run compiled, on a few threads.
_COMPILED_FROM = 1 << 20


def _lookup(
    table: NDArray[Any],
    row_code: NDArray[np.int64],
    col_code: NDArray[np.int64],
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
) -> NDArray[Any] | None:
    """``table[row_code[rows], col_code[cols]]``: a part that depends only on one small code
    per row and per column, as one lookup in a small table instead of arithmetic on millions
    of pairs (in cache-sized chunks). None when a code falls outside the table (the caller
    computes it directly)."""
    n_r, n_c = table.shape
    if row_code.size and not (int(row_code.min()) >= 0 and int(row_code.max()) < n_r):
        return None
    if col_code.size and not (int(col_code.min()) >= 0 and int(col_code.max()) < n_c):
        return None
    flat = table.ravel()
    out = np.empty(len(rows), dtype=table.dtype)
    kernel = compiled(_lookup_kernel) if len(rows) >= _COMPILED_FROM else None
    if kernel is not None:
        in_slices(
            kernel,
            len(rows),
            flat,
            row_code.astype(np.int64) * n_c,
            col_code.astype(np.int64),
            rows,
            cols,
            out,
            min_per_thread=1 << 20,
        )
        return out
    small = np.int16 if n_r * n_c < 2**15 else np.int64
    row_base = (row_code * n_c).astype(small)
    col_part = col_code.astype(small)
    for lo in range(0, len(rows), _CHUNK):
        hi = lo + _CHUNK
        index = row_base[rows[lo:hi]]
        index += col_part[cols[lo:hi]]
        out[lo:hi] = flat[index]
    return out


def _region_table(
    p: Participants,
) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]:
    """Mentoring's region part as a table over (row region + 1, column region + 1)."""
    top = int(max(p.row_region.max(initial=-1), p.col_region.max(initial=-1))) + 2
    ids = np.arange(top) - 1  # code k is region k - 1; code 0 is "unknown"
    table = (ids[:, None] >= 0) & (ids[None, :] >= 0) & (ids[:, None] != ids[None, :])
    return table, p.row_region + 1, p.col_region + 1


def region_mismatch(
    p: Participants, rows: NDArray[np.int64], cols: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """True where the pair's regions differ (see the module's ``region`` part)."""
    if p.kind != "coach" and len(rows):
        table, row_code, col_code = _region_table(p)
        found = _lookup(table, row_code, col_code, rows, cols)
        if found is not None:
            return found
    row_region = p.row_region[rows]
    if p.kind == "coach":
        serves = np.isin(
            _pair_key(cols, row_region),
            _pair_key(p.col_region_pairs[:, 0], p.col_region_pairs[:, 1]),
        )
        has_regions = np.isin(cols, p.col_region_pairs[:, 0])
        mismatch = has_regions & (row_region >= 0) & ~serves
    else:
        col_region = p.col_region[cols]
        mismatch = (row_region >= 0) & (col_region >= 0) & (row_region != col_region)
    out: NDArray[np.bool_] = np.asarray(mismatch, dtype=bool)
    return out


def _sector_table() -> NDArray[np.bool_]:
    """(row sector, column's sector mask) -> True when the mask names sectors but not this
    one."""
    masks = np.arange(1 << len(SECTORS))
    sectors = np.arange(len(SECTORS))
    table: NDArray[np.bool_] = (masks[None, :] != 0) & (
        (masks[None, :] >> sectors[:, None]) & 1 == 0
    )
    return table


def _method_table() -> NDArray[np.float64]:
    """(row phase x 32 + row's wished methods, column's methods) -> the method part."""
    n_masks = 1 << len(METHODS)
    masks = np.arange(n_masks)
    wished = (masks[:, None] & masks[None, :]) != 0  # (row mask, col mask)
    table = np.where(wished[None, :, :], 0.0, 1.0 - FIT_TABLE[:, None, :])
    return table.reshape(len(PHASES) * n_masks, n_masks)


SECTOR_TABLE = _sector_table()
METHOD_TABLE = _method_table()


def raw_parts(
    p: Participants,
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
    km: NDArray[np.float64],
    *,
    built: bool = False,
) -> dict[str, NDArray[Any]]:
    """The raw (unweighted) parts for the pairs (rows[i], cols[i]) at distance km[i].

    Distance and method are floats; region and sector, which are 0 or 1, are booleans (an
    eighth of the memory for millions of pairs; ``weight * part`` is a float either way).
    ``distance`` may be ``km`` itself: ``built`` says km comes from the spatial build (no
    NaN, online pairs at 0), otherwise that is checked."""
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    km = np.asarray(km, dtype=float)
    online = None if built else p.col_online[cols]
    if online is None:
        distance = km
    elif np.isnan(km).any() or (online.any() and (km[online] != 0).any()):
        distance = np.nan_to_num(km, nan=0.0)
        distance[online] = 0.0
    else:  # the candidate build's own km (online pairs at 0 already): no copy
        distance = km
    n = len(rows)
    if p.kind == "mentor":
        sector = _lookup(SECTOR_TABLE, p.row_sector, p.col_sectors, rows, cols)
        if sector is None:
            col_sectors = p.col_sectors[cols]
            sector = (col_sectors != 0) & ((col_sectors >> p.row_sector[rows]) & 1 == 0)
        row_code = p.row_phase * (1 << len(METHODS)) + p.row_methods
        method = _lookup(METHOD_TABLE, row_code, p.col_methods, rows, cols)
        if method is None:
            col_methods = p.col_methods[cols]
            fit = FIT_TABLE[p.row_phase[rows], col_methods]
            wished = (p.row_methods[rows] & col_methods) != 0
            method = np.where(wished, 0.0, 1.0 - fit).astype(float)
    else:
        sector = np.zeros(n)
        method = np.zeros(n)
    return {
        "distance": distance,
        "region": region_mismatch(p, rows, cols),
        "sector": sector,
        "method": method,
        "history": np.zeros(n),
        "load": np.zeros(n),
    }


def continuity_part(
    p: Participants,
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
    cand_rows: NDArray[np.int64],
    cand_cols: NDArray[np.int64],
) -> NDArray[np.float64]:
    """1 where a school loses last year's coach although that coach is a candidate (in range)."""
    cont = p.row_continuity
    in_range = np.zeros(p.n_rows, dtype=bool)
    if len(cand_rows):
        hit = cont[cand_rows] == cand_cols
        in_range[cand_rows[hit]] = True
    lost: NDArray[np.bool_] = in_range[rows] & (cont[rows] != cols)
    return lost.astype(np.float64)


def weighted_total(
    parts: dict[str, NDArray[np.float64]], weights: dict[str, float]
) -> NDArray[np.float64]:
    return own_cost(parts, weights, PARTS)


@dataclass
class Candidates:
    rows: NDArray[np.int64]
    cols: NDArray[np.int64]
    parts: dict[str, NDArray[np.float64]]

    def __len__(self) -> int:
        return len(self.rows)

    def subset(self, mask: NDArray[np.bool_]) -> Candidates:
        return Candidates(
            rows=self.rows[mask],
            cols=self.cols[mask],
            parts={k: v[mask] for k, v in self.parts.items()},
        )


def hard_mask(
    p: Participants,
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
    *,
    exclude_other_region: bool,
    forbidden: NDArray[np.int64],
) -> NDArray[np.bool_] | None:
    """True for the candidate pairs that no hard rule excludes, or None when no rule excludes
    any (travel range, availability and capacity are done before, in the spatial build)."""
    keep: NDArray[np.bool_] | None = None

    def drop(excluded: NDArray[np.bool_]) -> None:
        nonlocal keep
        if excluded.any():
            keep = ~excluded if keep is None else keep & ~excluded

    if len(forbidden):
        drop(np.isin(_pair_key(rows, cols), _pair_key(forbidden[:, 0], forbidden[:, 1])))
    if len(p.history_pairs):
        users = _pair_key(p.row_user[rows], p.col_user[cols])
        drop(np.isin(users, _pair_key(p.history_pairs[:, 0], p.history_pairs[:, 1])))
    if exclude_other_region:
        drop(region_mismatch(p, rows, cols))
    return keep


def build_candidates(
    p: Participants,
    *,
    default_max_km: float,
    exclude_other_region: bool,
    forbidden: NDArray[np.int64],
    only: tuple[str, int] | None = None,
) -> Candidates:
    """Every possible pair (spatial index, then vectorised hard rules) with its raw parts.

    ``only=("row", i)`` or ``("col", j)``: just that person's pairs, exactly the ones the
    whole build has for them (in the same order), without building everyone's."""
    if only is not None and p.kind == "coach" and only[0] == "col":
        # A school's continuity part depends on all of its candidates, not only this coach:
        # build the (small) coach program whole and keep the coach's pairs.
        whole = build_candidates(
            p,
            default_max_km=default_max_km,
            exclude_other_region=exclude_other_region,
            forbidden=forbidden,
        )
        return whole.subset(whole.cols == only[1])
    # Unknown postcodes stay in: they get no distance-based pairs, online mentors still reach
    # them. A column that is not available or has no capacity reaches nobody (limit -1).
    usable = p.col_available & (p.col_capacity > 0)
    max_km = np.where(np.isnan(p.col_max_km), float(default_max_km), p.col_max_km)
    max_km = np.where(usable, max_km, -1.0)
    online = p.col_online & usable
    if only is None:  # everyone: the pairs come with the people's own indices, no re-mapping
        rows, cols, km = candidate_pairs(p.row_latlon, p.col_latlon, max_km, online_cols=online)
    else:
        side, index = only
        row_idx = np.arange(p.n_rows) if side != "row" else np.array([index], dtype=np.int64)
        col_idx = np.arange(p.n_cols) if side == "row" else np.array([index], dtype=np.int64)
        r, c, km = candidate_pairs(
            p.row_latlon[row_idx],
            p.col_latlon[col_idx],
            max_km[col_idx],
            online_cols=online[col_idx],
        )
        rows, cols = row_idx[r], col_idx[c]
    # candidate_pairs gives them by row, then column (the index maps above are increasing),
    # which makes the build deterministic; the hard rules keep that order.
    keep = hard_mask(p, rows, cols, exclude_other_region=exclude_other_region, forbidden=forbidden)
    if keep is not None:
        rows, cols, km = rows[keep], cols[keep], km[keep]
    parts = raw_parts(p, rows, cols, km, built=True)
    if p.kind == "coach":
        parts["history"] = continuity_part(p, rows, cols, rows, cols)
    return Candidates(rows=rows, cols=cols, parts=parts)


def rank_within(
    group: NDArray[np.int64],
    value: NDArray[np.float64],
    chosen_value: NDArray[np.float64],
    n_groups: int,
) -> NDArray[np.int64]:
    """For each group g: 1 + the number of entries of g with a value below chosen_value[g]."""
    counts = np.zeros(n_groups, dtype=np.int64)
    for lo in range(0, len(group), _CHUNK):
        g = group[lo : lo + _CHUNK]
        below = value[lo : lo + _CHUNK] < chosen_value[g] - 1e-9
        counts += np.bincount(g[below], minlength=n_groups)
    return counts + 1


#: Pairs per step of the audits over every candidate pair: temporaries stay cache-sized.
_CHUNK = 1 << 20


# --- Solving a snapshot ----------------------------------------------------------------------

#: Below this many (slot-expanded) candidate pairs the solver is asked for its scipy backend.
SCIPY_BELOW_ARCS = 250_000


@dataclass
class Outcome:
    """The result of solving one snapshot: pairs with their parts, and who is left over."""

    rows: NDArray[np.int64]
    cols: NDArray[np.int64]
    km: NDArray[np.float64]
    parts: dict[str, NDArray[np.float64]]  # raw parts of the chosen pairs
    total: NDArray[np.float64]  # weighted cost of each chosen pair
    locked: NDArray[np.bool_]
    row_reasons: dict[int, str]
    col_reasons: dict[int, str]
    solve_seconds: float
    backend: str
    #: The solver's proof of optimality over every possible pair when it pruned (else None).
    certificate: dict[str, Any] | None = None

    @property
    def total_cost(self) -> float:
        return float(self.total.sum())

    def part_totals(self, weights: dict[str, float]) -> dict[str, float]:
        return {part: float(weights[WEIGHT_OF[part]] * self.parts[part].sum()) for part in PARTS}


def _lock_parts(
    p: Participants, lock_rows: NDArray[np.int64], lock_cols: NDArray[np.int64], cand: Candidates
) -> tuple[NDArray[np.float64], dict[str, NDArray[np.float64]]]:
    km = pair_km(p, lock_rows, lock_cols)
    parts = raw_parts(p, lock_rows, lock_cols, km)
    if p.kind == "coach":
        parts["history"] = continuity_part(p, lock_rows, lock_cols, cand.rows, cand.cols)
    return np.nan_to_num(km, nan=0.0), parts


def solve_candidates(
    p: Participants,
    cand: Candidates,
    weights: dict[str, float],
    *,
    lock_rows: NDArray[np.int64],
    lock_cols: NDArray[np.int64],
) -> Outcome:
    """Solve one round exactly: locks first, then the best assignment of everyone else.

    Locked pairs are fixed (they leave the problem and use up their column's first slots).
    A column of capacity n is split into n slots whose cost rises by ``w_load · k/n`` so the
    cheapest solution spreads the load. The solver maximises the number of matched rows,
    then minimises the summed cost, and is deterministic; so is everything here.
    """
    lock_rows = np.asarray(lock_rows, dtype=np.int64)
    lock_cols = np.asarray(lock_cols, dtype=np.int64)
    n_rows, n_cols = p.n_rows, p.n_cols
    capacity = np.where(p.col_available, p.col_capacity, 0).astype(np.int64)
    used = np.bincount(lock_cols, minlength=n_cols).astype(np.int64)
    remaining = np.maximum(capacity - used, 0)
    locked_row = np.zeros(n_rows, dtype=bool)
    locked_row[lock_rows] = True

    keep = ~locked_row[cand.rows] & (remaining[cand.cols] > 0)
    every = bool(keep.all())  # no locks, no full column: no copies of millions of pairs
    entries = np.arange(len(cand)) if every else np.flatnonzero(keep)
    base = weighted_total(
        cand.parts if every else {k: v[entries] for k, v in cand.parts.items()}, weights
    )
    ent_rows = cand.rows if every else cand.rows[entries]
    ent_cols = cand.cols if every else cand.cols[entries]
    slot_start = np.cumsum(remaining) - remaining
    unit = int(remaining.max(initial=0)) <= 1
    src: NDArray[np.int64] | None = None
    if unit:  # one slot per column (mentoring): no expansion, no copies
        e_rows, e_cols, e_base = ent_rows, ent_cols, base
        offset: NDArray[np.int64] | int = 0
    else:
        # Slot expansion: entry e of column c appears once per free slot of c.
        rep = remaining[ent_cols]
        src = np.repeat(np.arange(len(entries)), rep)
        offset = np.arange(len(src)) - np.repeat(np.cumsum(rep) - rep, rep)
        e_rows, e_cols, e_base = ent_rows[src], ent_cols[src], base[src]
    if int(capacity.max(initial=0)) > 1:
        k = used[e_cols] + offset
        load = np.where(capacity[e_cols] > 1, k / np.maximum(capacity[e_cols], 1), 0.0)
        cost = e_base + weights["w_load"] * load
    else:  # nobody takes more than one: no load part
        load = np.zeros(len(e_cols))
        cost = e_base  # our own array (weighted_total made it): rounded in place below
    # Rounded to 1e-3 (a metre, for costs in km): exact integers for the solver's backends
    # and for its proof of optimality (matching.certify). In place, as np.round(cost, 3)
    # computes it (times 1000, round half to even, divided by 1000), without temporaries.
    np.multiply(cost, 1000.0, out=cost)
    np.rint(cost, out=cost)
    np.divide(cost, 1000.0, out=cost)
    if unit:  # the slots are the columns themselves (a column without room has no pairs)
        slot, n_slots = e_cols, max(n_cols, 1)
    else:
        slot, n_slots = slot_start[e_cols] + offset, max(int(remaining.sum()), 1)
    # Entries are in (row, column) order and a column's slots are consecutive, so the pairs
    # go to the solver in (row, slot) order as they are (it checks), without a sparse matrix.
    # Stored entries are the possible pairs (explicit zeros included, see solver/problem.py).
    # scipy's sparse solver finishes a national-size round in well under a second; the faster
    # backends pay seconds of import/JIT in a fresh worker first, worth it only when large.
    result = solver.solve(
        solver.PairList(e_rows, slot, cost, (n_rows, n_slots)),
        backend="scipy" if len(cost) < SCIPY_BELOW_ARCS else "auto",
    )

    got = np.asarray(result.pairs, dtype=np.int64).reshape(-1, 2)
    # Find the expanded entry behind each chosen (row, slot): a search in its row's stretch.
    starts = np.searchsorted(e_rows, got[:, 0])
    ends = np.searchsorted(e_rows, got[:, 0], side="right")
    pos = np.array(
        [
            lo + int(np.searchsorted(slot[lo:hi], want))
            for lo, hi, want in zip(starts.tolist(), ends.tolist(), got[:, 1].tolist(), strict=True)
        ],
        dtype=np.int64,
    )
    chosen = entries[pos] if src is None else entries[src[pos]]
    s_rows, s_cols = cand.rows[chosen], cand.cols[chosen]
    s_parts = {name: values[chosen].astype(float) for name, values in cand.parts.items()}
    s_parts["load"] = load[pos].astype(float)
    s_km = cand.parts["distance"][chosen]

    # Locked pairs: parts computed directly (a lock may override travel range).
    l_km, l_parts = _lock_parts(p, lock_rows, lock_cols, cand)
    if len(lock_rows):
        order_in_col = np.zeros(len(lock_cols), dtype=np.int64)
        for c in np.unique(lock_cols):  # loop over the few locked columns only
            idx = np.flatnonzero(lock_cols == c)
            order_in_col[idx] = np.arange(len(idx))
        cap = np.maximum(capacity[lock_cols], 1)
        l_parts["load"] = np.where(cap > 1, order_in_col / cap, 0.0)
    rows = np.concatenate([lock_rows, s_rows])
    cols = np.concatenate([lock_cols, s_cols])
    km = np.concatenate([l_km, s_km])
    parts = {name: np.concatenate([l_parts[name], s_parts[name]]) for name in PARTS}
    locked = np.concatenate([np.ones(len(lock_rows), bool), np.zeros(len(s_rows), bool)])
    order = np.argsort(rows, kind="stable")
    rows, cols, km, locked = rows[order], cols[order], km[order], locked[order]
    parts = {name: v[order] for name, v in parts.items()}
    total = weighted_total(parts, weights)

    row_reasons: dict[int, str] = {}
    matched_rows = np.zeros(n_rows, dtype=bool)
    matched_rows[rows] = True
    # Reasons against the full candidate set: a partner taken by a lock makes "all full",
    # although the solver never saw that (full) column.
    row_has_candidate = np.zeros(n_rows, dtype=bool)
    row_has_candidate[cand.rows] = True
    for r in map(int, np.flatnonzero(~matched_rows)):
        if row_has_candidate[r]:
            row_reasons[r] = "all_full"
        elif np.isnan(p.row_latlon[r, 0]):
            row_reasons[r] = "unknown_postcode"
        else:
            row_reasons[r] = "no_candidate"
    col_reasons: dict[int, str] = {}
    matched_cols = np.zeros(n_cols, dtype=bool)
    matched_cols[cols] = True
    has_candidate = np.zeros(n_cols, dtype=bool)
    has_candidate[cand.cols] = True
    for c in map(int, np.flatnonzero(~matched_cols)):
        if not p.col_available[c]:
            col_reasons[c] = "not_available"
        elif p.col_capacity[c] <= 0:
            col_reasons[c] = "no_capacity"
        elif np.isnan(p.col_latlon[c, 0]):
            col_reasons[c] = "unknown_postcode"
        elif not has_candidate[c]:
            col_reasons[c] = "no_candidate"
        else:
            col_reasons[c] = "not_needed"
    return Outcome(
        rows=rows,
        cols=cols,
        km=km,
        parts=parts,
        total=total,
        locked=locked,
        row_reasons=row_reasons,
        col_reasons=col_reasons,
        solve_seconds=float(getattr(result, "solve_seconds", 0.0)),
        backend=str(getattr(result, "backend", "")),
        certificate=getattr(result, "certificate", None),
    )


# --- Beyond the lowest total -----------------------------------------------------------------

#: The parts each side cares about itself, for the stability audit.
ROW_OWN = ("distance", "method", "history")  # the schoolleider/school: travel, fit, continuity
COL_OWN = ("distance", "sector", "region")  # the mentor/coach: travel, sector, region


def own_cost(
    parts: dict[str, NDArray[np.float64]], weights: dict[str, float], names: Iterable[str]
) -> NDArray[np.float64]:
    """Sum of weight x part over ``names``, in that order, accumulated in place in
    cache-sized chunks: one new array for millions of pairs instead of two per part (a part
    with weight 0 adds exactly 0 and is skipped)."""
    total = np.zeros(len(parts["distance"]))
    scratch = np.empty(min(_CHUNK, len(total)))
    used = [(parts[name], weights[WEIGHT_OF[name]]) for name in names]
    used = [(values, weight) for values, weight in used if weight != 0]
    for lo in range(0, len(total), _CHUNK):
        hi = min(lo + _CHUNK, len(total))
        out, tmp = total[lo:hi], scratch[: hi - lo]
        for values, weight in used:
            np.multiply(values[lo:hi], weight, out=tmp)
            out += tmp
    return total


def quality(
    p: Participants, cand: Candidates, out: Outcome, weights: dict[str, float], *, limit: int = 25
) -> dict[str, Any]:
    """Nearest-partner counts and the blocking pairs of a solution.

    ``rank`` of a person's partner: 1 + how many suitable candidates are nearer. A blocking
    pair is a candidate pair whose two people both prefer each other, by their own part of
    the cost, to what they got (someone without a partner prefers anyone suitable; a coach
    with a free place prefers any suitable school). Locked rows are left out.
    """
    n_rows, n_cols = p.n_rows, p.n_cols
    partner_km_row = np.full(n_rows, np.inf)
    partner_km_row[out.rows] = out.km
    row_rank = rank_within(cand.rows, cand.parts["distance"], partner_km_row, n_rows)[out.rows]
    stats: dict[str, Any] = {
        "rows_top3": int((row_rank <= 3).sum()),
        "rows_matched": len(out.rows),
        "row_rank": row_rank.tolist(),
    }
    if p.kind == "mentor":
        partner_km_col = np.full(n_cols, np.inf)
        partner_km_col[out.cols] = out.km
        col_rank = rank_within(cand.cols, cand.parts["distance"], partner_km_col, n_cols)[out.cols]
        stats["cols_top3"] = int((col_rank <= 3).sum())
        stats["cols_matched"] = len(out.cols)
    # Stability audit.
    row_cur = np.full(n_rows, np.inf)
    row_cur[out.rows] = own_cost(out.parts, weights, ROW_OWN)
    col_own_pairs = own_cost(out.parts, weights, COL_OWN)
    col_cur = np.full(n_cols, -np.inf)
    np.maximum.at(col_cur, out.cols, col_own_pairs)
    count = np.bincount(out.cols, minlength=n_cols)
    col_cur = np.where(count < np.where(p.col_available, p.col_capacity, 0), np.inf, col_cur)
    locked_rows = np.zeros(n_rows, dtype=bool)
    locked_rows[out.rows[out.locked]] = True
    partner = np.full(n_rows, -1)
    partner[out.rows] = out.cols

    def audit(first: int, last: int) -> list[tuple[NDArray[Any], NDArray[Any], NDArray[Any]]]:
        """Blocking pairs among chunks first..last-1: (index, own row cost, own col cost)."""
        hits = []
        for lo in range(first * _CHUNK, min(last * _CHUNK, len(cand)), _CHUNK):
            rows, cols = cand.rows[lo : lo + _CHUNK], cand.cols[lo : lo + _CHUNK]
            chunk_parts = {k: v[lo : lo + _CHUNK] for k, v in cand.parts.items()}
            row_own = own_cost(chunk_parts, weights, ROW_OWN)
            col_own = own_cost(chunk_parts, weights, COL_OWN)
            blocking = (
                (row_own < row_cur[rows] - 1e-6)
                & (col_own < col_cur[cols] - 1e-6)
                & (partner[rows] != cols)
                & ~locked_rows[rows]
            )
            hit = np.flatnonzero(blocking)
            hits.append((hit + lo, row_own[hit], col_own[hit]))
        return hits

    # Chunks in a few slices on threads (numpy releases the GIL on big arrays), in order.
    n_chunks = -(-len(cand) // _CHUNK)
    hits = [h for part in over_slices(audit, n_chunks, min_per_thread=4) for h in part]
    found = [h[0] for h in hits]
    own_row = [h[1] for h in hits]
    own_col = [h[2] for h in hits]
    idx = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    row_own_at = np.concatenate(own_row) if found else np.zeros(0)  # aligned with idx
    col_own_at = np.concatenate(own_col) if found else np.zeros(0)
    row_now, col_now = row_cur[cand.rows[idx]], col_cur[cand.cols[idx]]
    row_gain = np.where(np.isinf(row_now), 1e9, row_now - row_own_at)
    col_gain = np.where(np.isinf(col_now), 1e9, col_now - col_own_at)
    top = np.argsort(-(np.minimum(row_gain, col_gain)), kind="stable")[:limit]
    stats["blocking_count"] = len(idx)
    stats["blocking"] = [
        {
            "row": int(cand.rows[idx[t]]),
            "col": int(cand.cols[idx[t]]),
            "row_gain": None if np.isinf(row_now[t]) else round(float(row_gain[t]), 1),
            "col_gain": None if np.isinf(col_now[t]) else round(float(col_gain[t]), 1),
        }
        for t in top
    ]
    return stats


# --- Snapshots -----------------------------------------------------------------------------


#: Snapshot format: 2 keeps the inputs only (people, rules, settings) and rebuilds the
#: candidate pairs; 1 (earlier solutions) stored every candidate pair with its parts.
SNAPSHOT_VERSION = 2


@dataclass
class Snapshot:
    """Every input of one solve. The candidate pairs are not stored: ``build_candidates`` is
    deterministic, so they are rebuilt from the people and settings (all of them, or one
    person's) exactly as the solve saw them."""

    p: Participants
    lock_rows: NDArray[np.int64]
    lock_cols: NDArray[np.int64]
    forbidden: NDArray[np.int64]
    default_max_km: float
    exclude_other_region: bool
    stored: Candidates | None = None  # format 1: the stored pairs

    def candidates(self, only: tuple[str, int] | None = None) -> Candidates:
        if self.stored is not None:
            if only is None:
                return self.stored
            side, index = only
            return self.stored.subset(
                (self.stored.rows if side == "row" else self.stored.cols) == index
            )
        return build_candidates(
            self.p,
            default_max_km=self.default_max_km,
            exclude_other_region=self.exclude_other_region,
            forbidden=self.forbidden,
            only=only,
        )


def pack(
    p: Participants,
    lock_rows: ArrayLike,
    lock_cols: ArrayLike,
    forbidden: ArrayLike,
    *,
    default_max_km: float,
    exclude_other_region: bool,
) -> bytes:
    """Every input of a solve as one compressed npz blob (people, rules and settings; a few
    hundred kB for a national round, where the candidate pairs would be a gigabyte)."""
    buf = io.BytesIO()
    arrays = {f"p_{k}": v for k, v in p.arrays().items()}
    arrays.update(
        {
            "version": np.array(SNAPSHOT_VERSION),
            "lock_rows": np.asarray(lock_rows, np.int64),
            "lock_cols": np.asarray(lock_cols, np.int64),
            "forbidden": np.asarray(forbidden, np.int64).reshape(-1, 2),
            "default_max_km": np.array(float(default_max_km)),
            "exclude_other_region": np.array(bool(exclude_other_region)),
        }
    )
    # numpy's stub types the keyword ``allow_pickle: bool`` next to ``**kwds: ArrayLike``, so
    # mypy assumes the array dict could fill it.
    np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


def unpack(kind: str, blob: bytes | memoryview, settings: dict[str, Any] | None = None) -> Snapshot:
    """The ``Snapshot`` in a ``pack`` blob. Format-1 blobs (with stored pairs) need no
    settings; ``settings`` (the solution's ``snapshot_meta["settings"]``) fills them in."""
    with np.load(io.BytesIO(bytes(blob)), allow_pickle=False) as data:
        fields = {k[2:]: data[k] for k in data.files if k.startswith("p_")}
        p = Participants(kind=kind, **fields)
        stored = None
        if "c_rows" in data.files:
            stored = Candidates(
                rows=data["c_rows"], cols=data["c_cols"], parts={k: data[f"c_{k}"] for k in PARTS}
            )
        extra = settings or {}
        max_km = data["default_max_km"] if "default_max_km" in data.files else None
        other = data["exclude_other_region"] if "exclude_other_region" in data.files else None
        return Snapshot(
            p=p,
            lock_rows=data["lock_rows"],
            lock_cols=data["lock_cols"],
            forbidden=data["forbidden"],
            default_max_km=float(extra.get("default_max_km", 0) if max_km is None else max_km),
            exclude_other_region=bool(
                extra.get("exclude_other_region", False) if other is None else other
            ),
            stored=stored,
        )
