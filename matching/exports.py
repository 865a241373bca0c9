"""CSV and XLSX exports of a solution's pairs (one row per pair, every cost part)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mentoring import spreadsheets

from .enums import parts_for
from .models import ProposedPair, Solution


def header(coach: bool) -> list[str]:
    people = (
        [_("School"), _("BRIN"), _("Plaats"), _("Regio"), _("Expertcoach"), _("E-mail expertcoach")]
        if coach
        else [
            _("Schoolleider"),
            _("E-mail schoolleider"),
            _("School"),
            _("BRIN"),
            _("Plaats"),
            _("Regio"),
            _("Mentor"),
            _("E-mail mentor"),
            _("Organisatie"),
        ]
    )
    return [
        *people,
        _("Afstand (km)"),
        *[str(label) for _key, label in parts_for(coach)],
        _("Totaal"),
        _("Vastgezet"),
    ]


def rows(solution: Solution, coach: bool):
    qs = (
        ProposedPair.objects.filter(solution=solution)
        .select_related(
            "supporter__user", "supporter__mentor_profile", "schoolleider__user", "school__region"
        )
        .order_by("row_index")
    )
    for pp in qs:
        school = pp.school
        supporter = pp.supporter.user
        if coach:
            people = [
                school.name,
                school.code,
                school.place,
                school.region.name if school.region else "",
                supporter.full_name,
                supporter.email,
            ]
        else:
            leader = pp.schoolleider.user
            profile = getattr(pp.supporter, "mentor_profile", None)
            people = [
                leader.full_name,
                leader.email,
                school.name,
                school.code,
                school.place,
                school.region.name if school.region else "",
                supporter.full_name,
                supporter.email,
                profile.organisation if profile else "",
            ]
        parts = [round(getattr(pp, f"cost_{key}"), 2) for key, _label in parts_for(coach)]
        yield [
            *people,
            round(pp.distance_km, 1),
            *parts,
            round(pp.total, 2),
            _("ja") if pp.locked else _("nee"),
        ]


def response(solution: Solution, fmt: str) -> HttpResponse:
    """The solution as a Dutch-Excel CSV or a typed XLSX (``mentoring.spreadsheets``)."""
    coach = solution.snapshot_meta.get("kind") == "coach"
    name = f"matching-{slugify(solution.round.name) or solution.round.pk}-{solution.number}"
    head = header(coach)
    if fmt == "csv":
        return spreadsheets.csv_response(f"{name}.csv", head, rows(solution, coach))
    return spreadsheets.xlsx_response(f"{name}.xlsx", {_("Koppels"): (head, rows(solution, coach))})
