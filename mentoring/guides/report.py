"""The program report for staff: aggregates only, in a constant number of queries.

Nothing here reads ``MeetingNote`` or ``Action``: the report and its exports show status
(held, themes, number of actions) and feedback scores, never what a pair wrote.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Avg, Count, DateField, Exists, OuterRef, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from mentoring import spreadsheets
from mentoring.meetings import planning as meeting_planning
from mentoring.meetings import selectors as meeting_selectors
from mentoring.meetings.enums import MeetingStatus
from mentoring.meetings.models import MEETINGS_PER_PAIR, Meeting
from mentoring.pairs.enums import PairStatus, Side
from mentoring.pairs.models import Pair
from people.models import display_name
from programs.models import ProgramYear
from webinars.enums import RegistrationStatus
from webinars.models import Registration

from . import outcomes
from .enums import FeedbackKind, Theme
from .models import Feedback, MeetingRecord


@dataclass
class Report:
    program: ProgramYear
    status_counts: list[tuple[str, int]]
    pairs_total: int
    dropouts: int
    rematches: int
    months: list[dict]
    themes: list[tuple[str, int]]
    feedback_rows: list[dict]
    feedback_columns: list[tuple[str, str]]
    feedback_sides: list[dict]
    webinars: dict | None
    meetings_held: int
    meetings_target: int
    charts: dict[str, SafeString] = field(default_factory=dict)


def _months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    months = []
    cursor = start.replace(day=1)
    while cursor <= end:
        months.append(cursor)
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return months


def build_report(program: ProgramYear) -> Report:
    """All figures of the program report (about 7 queries, whatever the program's size)."""
    # Statuses, and re-matches (a later pair for the same schoolleider): counted in the
    # database, so a national program's 10,000 pairs never travel to Python.
    by_status: Counter[str] = Counter(
        dict(
            Pair.objects.filter(program=program)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
    )
    status_counts = [(str(label), by_status.get(value, 0)) for value, label in PairStatus.choices]
    pairs_total = sum(by_status.values())
    leaders = Pair.objects.filter(program=program).aggregate(
        n=Count("schoolleider_id", distinct=True)
    )["n"]
    rematches = pairs_total - leaders

    # Meetings: a target spread evenly over the meeting period, planned, held. Held is the
    # meeting's status; its month is the date the pair recorded, else the planned day (in
    # Amsterdam). Grouped by month in the database.
    held = Meeting.objects.filter(pair__program=program, status=MeetingStatus.HELD)
    held_here = Exists(held.filter(pair_id=OuterRef("pair_id"), number=OuterRef("number")))
    records = MeetingRecord.objects.filter(held_here, pair__program=program)
    dated = records.filter(held_on__isnull=False)
    undated = held.exclude(
        Exists(dated.filter(pair_id=OuterRef("pair_id"), number=OuterRef("number")))
    ).annotate(day=TruncDate("starts_at", tzinfo=timezone.get_current_timezone()))
    held_by_month: Counter[dt.date] = Counter()
    for by_month in (
        dated.annotate(m=TruncMonth("held_on")),
        undated.annotate(m=TruncMonth("day", output_field=DateField())),
    ):
        for month, n in (
            by_month.order_by().values_list("m").annotate(n=Count("pk")).values_list("m", "n")
        ):
            key = month.date() if isinstance(month, dt.datetime) else month
            held_by_month[key] += n
    # Themes of the held meetings' records: one count per theme in the database instead of
    # parsing every record (JSON containment where the database has it, else the key with
    # its quotes in the stored text, which matches only that key).
    contains = connection.features.supports_json_field_contains
    theme_counts = records.aggregate(
        **{
            f"t{i}": Count(
                "pk",
                filter=Q(themes__contains=[key]) if contains else Q(themes__icontains=f'"{key}"'),
            )
            for i, key in enumerate(Theme.values)
        }
    )
    theme_counter: Counter[str] = Counter(
        {key: theme_counts[f"t{i}"] for i, key in enumerate(Theme.values) if theme_counts[f"t{i}"]}
    )
    planned_by_month: dict[dt.date, int] = {}
    rows = (
        Meeting.objects.filter(pair__program=program, status__in=meeting_planning.PLATFORM_OUTCOME)
        .annotate(m=TruncMonth("starts_at"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    )
    for month, n in rows:
        if month:
            key = month.date() if isinstance(month, dt.datetime) else month
            planned_by_month[key] = planned_by_month.get(key, 0) + n
    months_list = _months_between(program.meetings_start, program.meetings_end)
    active_or_ended = by_status.get(PairStatus.ACTIVE, 0) + by_status.get(PairStatus.ENDED, 0)
    # Re-matched schoolleiders need three meetings in all, not three per pair.
    meetings_target = max(active_or_ended - rematches, 0) * MEETINGS_PER_PAIR
    per_month = meetings_target / len(months_list) if months_list else 0
    months = []
    cum_target = cum_held = 0.0
    for i, month in enumerate(months_list):
        cum_target = round(per_month * (i + 1))
        cum_held += held_by_month.get(month, 0)
        months.append(
            {
                "month": month,
                "label": date_format(month, "F Y"),
                "target": round(per_month * (i + 1)) - round(per_month * i),
                "planned": planned_by_month.get(month, 0),
                "held": held_by_month.get(month, 0),
                "cum_target": cum_target,
                "cum_held": int(cum_held),
            }
        )
    # Held meetings outside the planned period still count in the totals.
    meetings_held = sum(held_by_month.values())

    labels = dict(Theme.choices)
    themes = [(str(labels.get(k, k)), n) for k, n in theme_counter.most_common()]

    # Feedback averages per region (rows) and meeting number / closing (columns).
    columns = [(f"m{n}", _("Gesprek %(n)s") % {"n": n}) for n in range(1, MEETINGS_PER_PAIR + 1)]
    columns.append(("closing", _("Afsluiting")))
    cells: dict[str, dict[str, dict]] = defaultdict(dict)
    fb = (
        Feedback.objects.filter(program=program)
        .values("kind", "number", "region__name")
        .annotate(avg=Avg("usefulness"), n=Count("pk"))
        .order_by("region__name")
    )
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for row in fb:
        col = "closing" if row["kind"] == FeedbackKind.CLOSING else f"m{row['number']}"
        region = row["region__name"] or _("Onbekende regio")
        cells[region][col] = {"avg": round(row["avg"], 1), "n": row["n"]}
        totals[col][0] += row["avg"] * row["n"]
        totals[col][1] += row["n"]
    feedback_rows = [
        {"region": region, "cells": [cells[region].get(c) for c, _label in columns]}
        for region in sorted(cells)
    ]
    if feedback_rows:
        feedback_rows.append(
            {
                "region": _("Alle regio's"),
                "total": True,
                "cells": [
                    {"avg": round(totals[c][0] / totals[c][1], 1), "n": int(totals[c][1])}
                    if totals[c][1]
                    else None
                    for c, _label in columns
                ],
            }
        )
    side_labels = dict(Side.choices)
    feedback_sides = [
        {"side": str(side_labels.get(r["side"], r["side"])), "avg": round(r["avg"], 1), "n": r["n"]}
        for r in Feedback.objects.filter(program=program)
        .values("side")
        .annotate(avg=Avg("usefulness"), n=Count("pk"))
        .order_by("side")
    ]

    report = Report(
        program=program,
        status_counts=status_counts,
        pairs_total=pairs_total,
        dropouts=by_status.get(PairStatus.ENDED, 0),
        rematches=rematches,
        months=months,
        themes=themes,
        feedback_rows=feedback_rows,
        feedback_columns=columns,
        feedback_sides=feedback_sides,
        webinars=webinar_attendance(program),
        meetings_held=meetings_held,
        meetings_target=meetings_target,
    )
    report.charts = {
        "months": svg_bars(
            [(m["label"], m["held"], m["target"]) for m in months],
            title=_("Gehouden gesprekken per maand tegenover het doel"),
            legend=(_("gehouden"), _("doel")),
        ),
        "themes": svg_bars([(label, n, None) for label, n in themes], title=_("Besproken thema's")),
        "feedback": svg_bars(
            [
                (str(label), cell["avg"], None)
                for (_key, label), cell in zip(
                    columns, feedback_rows[-1]["cells"] if feedback_rows else [], strict=False
                )
                if cell
            ],
            title=_("Gemiddeld nut per gesprek (1-5)"),
            scale_max=5,
        ),
    }
    return report


def webinar_attendance(program: ProgramYear) -> dict[str, int]:
    """Seats taken in the program's webinars and how many were there (two counts)."""
    registrations = Registration.objects.filter(session__program=program)
    # Confirmed registrations: the waitlisted, withdrawn and switched never held a seat.
    return {
        "registered": registrations.filter(status=RegistrationStatus.CONFIRMED).count(),
        "attended": registrations.filter(attended=True).count(),
    }


def svg_bars(
    rows: list[tuple[str, float, float | None]], *, title: str, legend=None, scale_max: float = 0
) -> SafeString:
    """A horizontal bar chart as inline SVG (no JavaScript); the page shows a table too.

    ``rows`` are (label, value, optional reference value drawn as a thin marker).
    """
    if not rows:
        return SafeString("")
    biggest = max([scale_max, *(max(v, r or 0) for _l, v, r in rows)]) or 1
    bar_h, gap, label_w, width = 18, 8, 150, 520
    plot_w = width - label_w - 50
    height = len(rows) * (bar_h + gap) + gap + (20 if legend else 0)
    parts = []
    for i, (label, value, ref) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = round(plot_w * value / biggest)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="lbl">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" class="val"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" class="num">{}</text>',
                label_w - 6,
                y + bar_h - 5,
                label,
                label_w,
                y,
                w,
                bar_h,
                label,
                localize(value),  # "4,2" on a Dutch page, as in the table beside it
                label_w + w + 4,
                y + bar_h - 5,
                localize(value),
            )
        )
        if ref is not None:
            rx = label_w + round(plot_w * ref / biggest)
            parts.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{}" y2="{}" class="ref"/>',
                    rx,
                    rx,
                    y - 2,
                    y + bar_h + 2,
                )
            )
    if legend:
        y = height - 6
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" class="val"/><text x="{}" y="{}" class="lbl-l">{}</text>'
                '<line x1="{}" x2="{}" y1="{}" y2="{}" class="ref"/><text x="{}" y="{}" class="lbl-l">{}</text>',
                label_w,
                y - 9,
                label_w + 14,
                y,
                legend[0],
                label_w + 110,
                label_w + 110,
                y - 10,
                y + 1,
                label_w + 116,
                y,
                legend[1],
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        width,
        height,
        title,
        format_html_join("", "{}", ((p,) for p in parts)),
    )


# ---------------------------------------------------------------- exports


def pair_rows(program: ProgramYear) -> list[list]:
    """One row per pair: who, where, status and meeting status. No notes, no actions."""
    held = meeting_selectors.held_numbers(
        Pair.objects.filter(program=program).values_list("pk", flat=True)
    )
    themes: dict[int, set] = defaultdict(set)
    actions: Counter[int] = Counter()
    versions: dict[int, list] = defaultdict(list)
    for pair_id, number, t, count, version in MeetingRecord.objects.filter(
        pair__program=program
    ).values_list("pair_id", "number", "themes", "action_count", "guide_version__version"):
        if number in held.get(pair_id, ()):
            themes[pair_id].update(t or [])
        actions[pair_id] += count
        if version:
            versions[pair_id].append(f"{number}:v{version}")
    labels = dict(Theme.choices)
    theme_keys = list(Theme.values)
    status_labels = dict(PairStatus.choices)
    rows = []
    fields = ("pk", "mentor__user__first_name", "mentor__user__last_name", "mentor__user__email")
    fields += ("schoolleider__user__first_name", "schoolleider__user__last_name")
    fields += ("schoolleider__user__email", "school__name", "school__region__name", "status")
    for (
        pk,
        m_first,
        m_last,
        m_email,
        s_first,
        s_last,
        s_email,
        school,
        region,
        status,
    ) in (  # plain values: a national program has 10,000 pairs
        Pair.objects.filter(program=program).order_by("pk").values_list(*fields).iterator(2000)
    ):
        rows.append(
            [
                pk,
                display_name(m_first, m_last, m_email),
                display_name(s_first, s_last, s_email),
                school,
                region or "",
                str(status_labels.get(status, status)),
                len(held.get(pk, ())),
                ", ".join(str(labels.get(t, t)) for t in theme_keys if t in themes[pk]),
                actions[pk],
                " ".join(sorted(versions[pk])),
            ]
        )
    return rows


def pair_status_page(pairs: list[Pair]) -> list[dict]:
    """Status of each pair on one page of the staff list: never notes or actions, only counts."""
    by_pair: dict[int, dict[int, MeetingRecord]] = defaultdict(dict)
    for record in (
        MeetingRecord.objects.filter(pair__in=pairs)
        .only(
            "pair_id",
            "number",
            "held_on",
            "themes",
            "action_count",
            "guide_version_id",
            "recorded_at",
        )
        .select_related("guide_version")
    ):
        by_pair[record.pair_id][record.number] = record
    meetings_of = meeting_selectors.meeting_statuses([p.pk for p in pairs])
    labels = dict(Theme.choices)
    rows = []
    for pair in pairs:
        meetings = []
        for n in range(1, MEETINGS_PER_PAIR + 1):
            r = by_pair[pair.pk].get(n)
            status, starts_at = meetings_of.get((pair.pk, n), (None, None))
            held = outcomes.held_state(status, recorded=bool(r and r.recorded_at))
            meetings.append(
                {
                    "number": n,
                    "held": held,
                    "held_on": ((r.held_on if r else None) or outcomes.local_day(starts_at))
                    if held
                    else None,
                    "themes": [str(labels.get(t, t)) for t in (r.themes if r else [])],
                    "actions": r.action_count if r else 0,
                    "version": r.guide_version.version if r and r.guide_version else None,
                }
            )
        rows.append({"pair": pair, "meetings": meetings})
    return rows


PAIR_TABLE = "koppels"


def pair_table(program: ProgramYear) -> tuple[list, list[list]]:
    """The export's table of pairs: (header, rows)."""
    return (
        [
            _("koppel"),
            _("mentor"),
            _("schoolleider"),
            _("school"),
            _("regio"),
            _("status"),
            _("gesprekken gehouden"),
            _("thema's"),
            _("aantal afspraken"),
            _("versies handvat"),
        ],
        pair_rows(program),
    )


def tables(
    program: ProgramYear, report: Report | None = None
) -> dict[str, tuple[list, list[list]]]:
    """Every export table: name -> (header, rows)."""
    report = report or build_report(program)
    return {
        PAIR_TABLE: pair_table(program),
        "status": (
            [_("status"), _("aantal")],
            [
                *([label, n] for label, n in report.status_counts),
                [_("herkoppelingen"), report.rematches],
            ],
        ),
        "maanden": (
            [
                _("maand"),
                _("doel"),
                _("gepland"),
                _("gehouden"),
                _("doel cumulatief"),
                _("gehouden cumulatief"),
            ],
            [
                [
                    m["month"].strftime("%Y-%m"),
                    m["target"],
                    m["planned"] if m["planned"] is not None else "",
                    m["held"],
                    m["cum_target"],
                    m["cum_held"],
                ]
                for m in report.months
            ],
        ),
        "themas": ([_("thema"), _("keer besproken")], [list(t) for t in report.themes]),
        "feedback": (
            [_("regio"), *[str(label) for _c, label in report.feedback_columns]],
            [
                [row["region"], *[(c["avg"] if c else "") for c in row["cells"]]]
                for row in report.feedback_rows
            ],
        ),
    }


def to_csv(header: list, rows: list[list]) -> bytes:
    """A table as a Dutch-Excel CSV (decimal comma, ``;``, UTF-8 with BOM)."""
    return spreadsheets.csv_bytes(header, rows)


def to_xlsx(all_tables: dict[str, tuple[list, list[list]]]) -> bytes:
    """Every table as a sheet with typed cells."""
    return spreadsheets.xlsx_bytes(all_tables)


__all__ = ["PAIR_TABLE", "Report", "build_report", "pair_table", "tables", "to_csv", "to_xlsx"]
