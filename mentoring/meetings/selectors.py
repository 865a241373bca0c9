"""Reads of meetings, always scoped to the person asking; constant query counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from typing import Any, cast

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mentoring.pairs import selectors as pair_selectors
from mentoring.pairs.enums import PairStatus
from mentoring.pairs.models import Pair
from mentoring.pairs.selectors import get_pair_for, member_q
from people.access import roles_in
from people.enums import RoleKind
from people.search import words_query

from .enums import BOOKED, OPEN_FOR_PROPOSALS, MeetingStatus, SlotStatus
from .models import MEETINGS_PER_PAIR, CalendarFeed, Meeting, Slot

NUMBERS = tuple(range(1, MEETINGS_PER_PAIR + 1))


def open_slots_prefetch() -> Prefetch:
    return Prefetch(
        "slots",
        queryset=Slot.objects.filter(status=SlotStatus.OPEN).select_related("proposed_by"),
        to_attr="open_slots",
    )


def meetings_of_pair(pair: Pair) -> list[Meeting]:
    """The pair's meetings 1..3 with their open proposals (two queries)."""
    meetings = list(
        Meeting.objects.filter(pair=pair).prefetch_related(open_slots_prefetch()).order_by("number")
    )
    for meeting in meetings:
        meeting.pair = pair  # the caller's pair already has its people loaded
    return meetings


def get_meeting_for(user, program, pair_id: int, number: int, *, allow_staff: bool = False):
    """``(pair, meeting)`` if ``user`` belongs to the pair (404 otherwise, and for bad numbers)."""
    pair = get_pair_for(user, program, pair_id, allow_staff=allow_staff)
    meeting = Meeting.objects.filter(pair=pair, number=number).first()
    if meeting is None:
        raise Http404("meeting")
    meeting.pair = pair
    return pair, meeting


def get_slot_for(user, program, pair_id: int, number: int, slot_id: int):
    """``(pair, meeting, slot)`` for an open or past slot of the user's own meeting (else 404)."""
    pair, meeting = get_meeting_for(user, program, pair_id, number)
    slot = Slot.objects.filter(pk=slot_id, meeting=meeting).select_related("proposed_by").first()
    if slot is None:
        raise Http404("slot")
    slot.meeting = meeting
    return pair, meeting, slot


# --- Staff overview -----------------------------------------------------------------------------


def due_dates(program) -> dict[int, dt.date]:
    """When each meeting should be planned at the latest, for the 'late' highlight."""
    start = max(program.meetings_start, program.matching_date)
    january_end = dt.date(program.start_year + 1, 1, 31)
    due = {
        1: start + dt.timedelta(days=28),
        2: min(max(january_end, start + dt.timedelta(days=56)), program.meetings_end),
        3: program.meetings_end - dt.timedelta(days=14),
    }
    return {n: min(d, program.meetings_end) for n, d in due.items()}


def active_pairs(program) -> QuerySet[Pair]:
    return Pair.objects.filter(program=program, status=PairStatus.ACTIVE)


def progress_by_region(program) -> dict[str, Any]:
    """Per region: pairs, late pairs, and per meeting number how many are proposed, planned
    and held. Three queries whatever the number of pairs or regions.
    """
    late = dict(
        active_pairs(program)
        .filter(late_q(program))
        .values_list("school__region__name")
        .annotate(n=Count("id"))
        .values_list("school__region__name", "n")
    )
    pairs = dict(
        active_pairs(program)
        .values_list("school__region__name")
        .annotate(n=Count("id"))
        .values_list("school__region__name", "n")
    )
    rows = (
        Meeting.objects.filter(pair__program=program, pair__status=PairStatus.ACTIVE)
        .values("pair__school__region__name", "number")
        .annotate(
            proposed=Count("id", filter=Q(status=MeetingStatus.PROPOSED)),
            planned=Count("id", filter=Q(status=MeetingStatus.PLANNED)),
            held=Count("id", filter=Q(status=MeetingStatus.HELD)),
        )
    )
    table: dict[str | None, dict] = {}
    for region, count in pairs.items():
        table[region] = {
            "region": region,
            "pairs": count,
            "late": late.get(region, 0),
            "numbers": {n: {"proposed": 0, "planned": 0, "held": 0} for n in NUMBERS},
        }
    for row in rows:
        entry = table.get(row["pair__school__region__name"])
        if entry is None:
            continue
        entry["numbers"][row["number"]] = {
            "proposed": row["proposed"],
            "planned": row["planned"],
            "held": row["held"],
        }
    regions = sorted(table.values(), key=lambda r: (r["region"] is None, r["region"] or ""))
    totals = {
        "pairs": sum(r["pairs"] for r in regions),
        "late": sum(r["late"] for r in regions),
        "numbers": {
            n: {
                k: sum(r["numbers"][n][k] for r in regions) for k in ("proposed", "planned", "held")
            }
            for n in NUMBERS
        },
    }
    for r in regions:
        r["numbers_list"] = [(n, r["numbers"][n]) for n in NUMBERS]
    totals["numbers_list"] = [(n, totals["numbers"][n]) for n in NUMBERS]
    return {"regions": regions, "totals": totals}


#: Sort orders of the staff overview's pairs (``?sorteer=``), all in the database.
PAIR_SORTS = {
    k: pair_selectors.PAIR_SORTS[k] for k in ("regio", "school", "mentor", "schoolleider")
}


def pairs_with_meetings(
    program,
    *,
    only_late: bool = False,
    today: dt.date | None = None,
    query: str = "",
    region: int | None = None,
    order: tuple[str, ...] = (),
) -> QuerySet[Pair]:
    """Active pairs with their people and school, optionally only the late ones, searched
    by name or school and filtered by region.

    Lateness is decided in the database (a pair is late when a meeting whose due date has
    passed is not planned, held or marked not held), so the page can be cut before any
    meeting is loaded; ``pair_rows`` then loads the meetings of one page in one query.
    """
    qs = active_pairs(program).select_related(
        "mentor__user", "schoolleider__user", "school__region"
    )
    if only_late:
        qs = qs.filter(late_q(program, today=today))
    if query:
        qs = qs.filter(
            words_query(
                query,
                (
                    "mentor__user__first_name",
                    "mentor__user__last_name",
                    "schoolleider__user__first_name",
                    "schoolleider__user__last_name",
                    "school__name",
                ),
                qs.model,
            )
        )
    if region is not None:
        qs = qs.filter(school__region_id=region)
    return qs.order_by(*(order or PAIR_SORTS["regio"]))


def late_q(program, *, today: dt.date | None = None) -> Q:
    """Pairs with a meeting past its due date that is not planned, held or marked not held."""
    today = today or timezone.localdate()
    late = Q(pk__in=[])
    for n, due in due_dates(program).items():
        if today > due:
            # The stubs' ``Q.__or__`` takes only a Q; with an expression it returns a Q too.
            late = cast(
                Q,
                late
                | ~Exists(
                    Meeting.objects.filter(
                        pair=OuterRef("pk"), number=n, status__in=[*BOOKED, MeetingStatus.NOT_HELD]
                    )
                ),
            )
    return late


def pair_rows(pairs, program, *, today: dt.date | None = None) -> list[dict]:
    """Each pair with meetings 1..3 and whether each is late (past due and not booked).

    One query for the meetings of all given pairs (pass one page of pairs).
    """
    today = today or timezone.localdate()
    due = due_dates(program)
    pairs = list(pairs)
    by_pair: dict[int, dict[int, Meeting]] = defaultdict(dict)
    for m in Meeting.objects.filter(pair__in=[p.pk for p in pairs]):
        by_pair[m.pair_id][m.number] = m
    rows = []
    for pair in pairs:
        by_number = by_pair.get(pair.pk, {})
        cells = []
        late = False
        for n in NUMBERS:
            meeting = by_number.get(n)
            status = meeting.status if meeting else MeetingStatus.UNPLANNED
            is_late = status in OPEN_FOR_PROPOSALS and today > due[n]
            late = late or is_late
            cells.append({"number": n, "meeting": meeting, "status": status, "late": is_late})
        rows.append({"pair": pair, "cells": cells, "late": late})
    return rows


def unplanned_pairs(program, number: int) -> QuerySet[Pair]:
    """Active pairs whose meeting ``number`` is not planned or held (or has no row yet)."""
    booked = Meeting.objects.filter(
        pair=OuterRef("pk"),
        number=number,
        status__in=[*BOOKED, MeetingStatus.NOT_HELD],
    )
    return (
        active_pairs(program)
        .annotate(is_booked=Exists(booked))
        .filter(is_booked=False)
        .select_related("mentor__user", "schoolleider__user", "school__region")
        .order_by("school__region__name", "school__name", "pk")
    )


# --- Home panels ----------------------------------------------------------------------------


def staff_progress(program) -> dict[str, int]:
    """Totals for the staff panel: pairs, and meetings planned and held (one query)."""
    return Meeting.objects.filter(pair__program=program, pair__status=PairStatus.ACTIVE).aggregate(
        planned=Count("id", filter=Q(status=MeetingStatus.PLANNED)),
        held=Count("id", filter=Q(status=MeetingStatus.HELD)),
        proposed=Count("id", filter=Q(status=MeetingStatus.PROPOSED)),
        total=Count("id"),
    )


# --- Calendar feed ---------------------------------------------------------------------------


def feed_for_token(token: str) -> CalendarFeed | None:
    if not token:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )


FEED_FIELDS = (
    "uid",
    "sequence",
    "status",
    "starts_at",
    "ends_at",
    "mode",
    "location",
    "online_url",
    "number",
    "pair_id",
    "pair__program_id",
    "pair__mentor__user__first_name",
    "pair__mentor__user__last_name",
    "pair__mentor__user__email",
    "pair__schoolleider__user__first_name",
    "pair__schoolleider__user__last_name",
    "pair__schoolleider__user__email",
    "updated_at",
)

#: How long a cancelled meeting stays in feeds (as STATUS:CANCELLED) after its last change,
#: so that every subscribed calendar (polling hourly to daily) removes it; then it is dropped.
CANCELLED_IN_FEED = dt.timedelta(days=30)


def feed_meeting_rows(feed: CalendarFeed) -> list[tuple]:
    """Meetings in a person's feed, as plain rows (``FEED_FIELDS``): three queries, plus one
    per followed program (the role check).

    Their own pairs' meetings (every program) and, for staff, those of the programs they
    follow. Cancelled meetings stay in (as CANCELLED) for ``CANCELLED_IN_FEED`` after their
    cancellation, so subscribed calendars remove them.
    Rows, not model instances: a followed program has thousands of meetings.
    """
    rows: list[tuple] = []
    seen: set[str] = set()
    for qs in feed_scopes(feed):
        for row in qs.values_list(*FEED_FIELDS):
            if row[0] not in seen:
                seen.add(row[0])
                rows.append(row)
    rows.sort(key=lambda row: row[3])
    return rows


def feed_scopes(feed: CalendarFeed) -> list[QuerySet[Meeting]]:
    """The querysets behind a feed: the person's own meetings, and (for staff) those of
    each program they follow and still are staff in.

    Separate querysets rather than one OR across joined tables, so each can use its index
    (the pair's people; the pair's program) as the number of programs grows.
    """
    user = feed.user
    shown = Q(status__in=[*BOOKED, MeetingStatus.NOT_HELD]) | Q(
        status=MeetingStatus.CANCELLED,
        planned_at__isnull=False,
        updated_at__gte=timezone.now() - CANCELLED_IN_FEED,
    )
    base = Meeting.objects.filter(shown, starts_at__isnull=False)
    scopes = [base.filter(member_q(user, "pair__"))]
    followed = [p for p in feed.followed_programs.all() if RoleKind.STAFF in roles_in(user, p)]
    if followed:
        scopes.append(base.filter(pair__program__in=followed))
    return scopes


def user_planning_summary(meetings: list[Meeting]) -> dict[str, Any]:
    """What the panel says: the next planned meeting and the first one still to plan."""
    now = timezone.now()
    upcoming = [
        m
        for m in meetings
        # a planned meeting has its times; ``is not None`` only narrows the type
        if m.status == MeetingStatus.PLANNED and m.ends_at is not None and m.ends_at > now
    ]
    to_plan = [m for m in meetings if m.status in OPEN_FOR_PROPOSALS]
    waiting = defaultdict(list)
    for m in meetings:
        for slot in getattr(m, "open_slots", []):
            waiting[m.number].append(slot)
    return {
        "next": upcoming[0] if upcoming else None,
        "to_plan": to_plan[0] if to_plan else None,
        "waiting": dict(waiting),
    }


# --- Whether meetings were held (the guides, the report and the exports read these) ---


def meeting_statuses(
    pair_ids: Collection[int],
) -> dict[tuple[int, int], tuple[str, dt.datetime | None]]:
    """(pair id, number) -> (status, start) of the pairs' meetings, in one query."""
    return {
        (pair_id, number): (status, starts_at)
        for pair_id, number, status, starts_at in Meeting.objects.filter(
            pair_id__in=pair_ids
        ).values_list("pair_id", "number", "status", "starts_at")
    }


def held_numbers(pair_ids: Collection[int]) -> dict[int, set[int]]:
    """The numbers of the meetings held, per pair (pairs without any are left out)."""
    result: dict[int, set[int]] = {}
    for pair_id, number in Meeting.objects.filter(
        pair_id__in=pair_ids, status=MeetingStatus.HELD
    ).values_list("pair_id", "number"):
        result.setdefault(pair_id, set()).add(number)
    return result


def is_held(pair, number: int) -> bool:
    return Meeting.objects.filter(pair=pair, number=number, status=MeetingStatus.HELD).exists()


def meeting_of(pair, number: int) -> Meeting | None:
    return Meeting.objects.filter(pair=pair, number=number).first()
