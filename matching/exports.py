"""CSV and XLSX exports of a solution's pairs (one row per pair, every cost part)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mentoring import spreadsheets
from people.models import display_name

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
    """One row per pair, read as plain values (no model objects: a national round's export
    has 10,000 pairs)."""
    parts = [f"cost_{key}" for key, _label in parts_for(coach)]
    school = ["school__name", "school__brin", "school__vestiging", "school__place"]
    school.append("school__region__name")
    supporter = ["supporter__user__first_name", "supporter__user__last_name"]
    supporter.append("supporter__user__email")
    fields = [*school, *supporter]
    if not coach:
        fields += ["schoolleider__user__first_name", "schoolleider__user__last_name"]
        fields += ["schoolleider__user__email", "supporter__mentor_profile__organisation"]
    fields += ["distance_km", *parts, "total", "locked"]
    yes, no = _("ja"), _("nee")
    qs = ProposedPair.objects.filter(solution=solution).order_by("row_index")
    for values in qs.values_list(*fields).iterator(chunk_size=2000):
        name, brin, vestiging, place, region, s_first, s_last, s_email = values[:8]
        code, region = f"{brin}{vestiging}", region or ""  # School.code
        if coach:
            people = [name, code, place, region, display_name(s_first, s_last), s_email]
            rest = values[8:]
        else:
            l_first, l_last, l_email, organisation = values[8:12]
            people = [display_name(l_first, l_last), l_email, name, code, place, region]
            people += [display_name(s_first, s_last), s_email, organisation or ""]
            rest = values[12:]
        distance, *costs, total, locked = rest
        yield [
            *people,
            round(distance, 1),
            *[round(c, 2) for c in costs],
            round(total, 2),
            yes if locked else no,
        ]


def response(solution: Solution, fmt: str) -> HttpResponse:
    """The solution as a Dutch-Excel CSV or a typed XLSX (``mentoring.spreadsheets``)."""
    coach = solution.snapshot_meta.get("kind") == "coach"
    name = f"matching-{slugify(solution.round.name) or solution.round.pk}-{solution.number}"
    head = header(coach)
    if fmt == "csv":
        return spreadsheets.csv_response(f"{name}.csv", head, rows(solution, coach))
    return spreadsheets.xlsx_response(f"{name}.xlsx", {_("Koppels"): (head, rows(solution, coach))})
