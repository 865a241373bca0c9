"""Pages of published pairs: "my match" for both sides, ending a pair, a coach's schools,
and the staff page to re-match people whose pair ended."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from matching.enums import parts_for
from matching.loading import rematch_candidates
from matching.ranking import pick_parts
from mentoring.inputs import clean_text, parse_int, sort_choice
from mentoring.listing import page_of
from people.access import get_role, program_view, staff_view
from people.enums import RoleKind
from people.models import Role, SchoolleiderProfile
from programs.models import ProgramYear, Region

from . import selectors, services
from .forms import EndPairForm, RematchForm, SchoolCoachForm

SIDE_KIND = {"mentor": RoleKind.MENTOR, "schoolleider": RoleKind.SCHOOLLEIDER}


@program_view(RoleKind.MENTOR, RoleKind.SCHOOLLEIDER)
def my_pair(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """The person's published match: the partner's details (nothing before publication)."""
    pairs = list(
        selectors.pairs_of(request.user, program).select_related(
            "mentor__mentor_profile", "school__region"
        )
    )
    leaders = {
        p.role_id: p
        for p in SchoolleiderProfile.objects.filter(
            role_id__in=[pair.schoolleider_id for pair in pairs]
        )
    }
    entries = [
        {
            "pair": pair,
            "side": pair.side_of(request.user),
            "leader_profile": leaders.get(pair.schoolleider_id),
        }
        for pair in pairs
    ]
    ended = list(selectors.ended_pairs_of(request.user, program)[:5])
    return render(
        request, "pairs/my_pair.html", {"program": program, "entries": entries, "ended": ended}
    )


@program_view(RoleKind.MENTOR, RoleKind.SCHOOLLEIDER)
def pair_end(request: HttpRequest, program: ProgramYear, pair_id: int) -> HttpResponse:
    """End one's own pair with a reason, optionally asking for a new match."""
    pair = selectors.get_pair_for(request.user, program, pair_id)
    if not pair.is_active:
        messages.info(request, _("Dit koppel is al beëindigd."))
        return redirect("pairs:my_pair", program.pk)
    form = EndPairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pair_end(
                pair=pair,
                user=request.user,
                reason=form.cleaned_data["reason"],
                rematch=form.cleaned_data["rematch"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Het koppel is beëindigd. De programmastaf zoekt een nieuwe match.")
                if form.cleaned_data["rematch"]
                else _("Het koppel is beëindigd. De programmastaf is op de hoogte gebracht."),
            )
            return redirect("pairs:my_pair", program.pk)
    return render(
        request,
        "pairs/pair_end.html",
        {"program": program, "pair": pair, "form": form, "other": pair.other_user(request.user)},
    )


@program_view(RoleKind.MENTOR, RoleKind.SCHOOLLEIDER)
@require_POST
def first_contact(request: HttpRequest, program: ProgramYear, pair_id: int) -> HttpResponse:
    """One of the pair confirms their first contact; the mentor's day counts the hour."""
    pair = selectors.get_pair_for(request.user, program, pair_id)
    try:
        confirmed = services.first_contact_confirm(pair=pair, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if confirmed:
            messages.success(request, _("Bevestigd: u heeft elkaar gesproken. Fijn!"))
        else:
            messages.info(request, _("Het eerste contact was al bevestigd."))
    return redirect("pairs:my_pair", program.pk)


@program_view(RoleKind.SCHOOLLEIDER)
def schoolcoaches(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """The schoolleider of a school in the expertcoach program keeps its schoolcoaches, the
    contacts the school's expertcoach sees."""
    from programs.models import SchoolCoach

    if program.is_mentoring:
        raise Http404("schoolcoaches belong to the expertcoach program")
    role = get_role(request, RoleKind.SCHOOLLEIDER)
    profile = SchoolleiderProfile.objects.select_related("school").filter(role=role).first()
    if profile is None:
        raise Http404("no school")
    school = profile.school
    form = SchoolCoachForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove", "")
        if remove:
            if remove.isdigit() and services.schoolcoach_remove(
                program=program, school=school, schoolcoach_id=int(remove)
            ):
                messages.success(request, _("De schoolcoach is verwijderd."))
            return redirect("pairs:schoolcoaches", program.pk)
        if form.is_valid():
            try:
                services.schoolcoach_add(program=program, school=school, **form.cleaned_data)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("De schoolcoach is toegevoegd."))
                return redirect("pairs:schoolcoaches", program.pk)
    coaches = SchoolCoach.objects.filter(program=program, school=school)
    return render(
        request,
        "pairs/schoolcoaches.html",
        {"program": program, "school": school, "coaches": coaches, "form": form},
    )


@program_view(RoleKind.EXPERTCOACH)
def coach_schools(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """An expertcoach's published schools with their contacts (email and phone)."""
    get_role(request, RoleKind.EXPERTCOACH)
    rows = _coach_rows(request.user, program)
    return render(request, "pairs/coach_schools.html", {"program": program, "rows": rows})


def _coach_rows(user, program) -> list[tuple]:
    """(assignment, schoolleider profiles, schoolcoaches) per school: three queries."""
    from programs.models import SchoolCoach

    assignments = list(selectors.coach_assignments_of(user, program))
    contacts: dict[int, list] = {}
    for profile in (
        # A school keeps one row across program years: only this year's schoolleiders.
        SchoolleiderProfile.objects.filter(
            school_id__in=[a.school_id for a in assignments],
            role__program=program,
            role__kind=RoleKind.SCHOOLLEIDER,
        )
        .select_related("role__user")
        .order_by("role__user__last_name")
    ):
        contacts.setdefault(profile.school_id, []).append(profile)
    coaches: dict[int, list] = {}
    for coach in SchoolCoach.objects.filter(
        program=program, school_id__in=[a.school_id for a in assignments]
    ):
        coaches.setdefault(coach.school_id, []).append(coach)
    return [(a, contacts.get(a.school_id, []), coaches.get(a.school_id, [])) for a in assignments]


@program_view(RoleKind.EXPERTCOACH)
def coach_schools_export(request: HttpRequest, program: ProgramYear, fmt: str) -> HttpResponse:
    """The expertcoach's schools and contacts as a Dutch-Excel CSV or an XLSX."""
    from mentoring import spreadsheets

    get_role(request, RoleKind.EXPERTCOACH)
    if fmt not in ("csv", "xlsx"):
        raise Http404("format")
    header = [
        _("School"),
        _("BRIN"),
        _("Adres"),
        _("Postcode"),
        _("Plaats"),
        _("Sector"),
        _("Fase"),
        _("Contactpersoon"),
        _("Functie"),
        _("E-mail"),
        _("Telefoon"),
    ]
    rows = []
    for a, contacts, coaches in _coach_rows(request.user, program):
        school = a.school
        base = [
            school.name,
            school.code,
            school.street_line,
            school.postcode,
            school.place,
            school.get_sector_display(),
            school.get_phase_display(),
        ]
        for c in contacts or ([] if coaches else [None]):
            user = c.role.user if c else None
            rows.append(
                [
                    *base,
                    (user.full_name or user.email) if user else "",
                    c.job_title if c else "",
                    user.email if user else "",
                    user.phone if user else "",
                ]
            )
        for coach in coaches:
            rows.append([*base, coach.name, _("Schoolcoach"), coach.email, coach.phone])
    name = f"mijn-scholen-{program.pk}.{fmt}"
    if fmt == "csv":
        return spreadsheets.csv_response(name, header, rows)
    return spreadsheets.xlsx_response(
        name, {_("Mijn scholen"): (header, rows)}, text_columns=(1, 3, 10)
    )


#: Rows per page of the staff lists of this app.
PAGE_SIZE = 50

WAITING_SORT_LABELS = [
    ("-beeindigd", gettext_lazy("laatst beëindigd eerst")),
    ("beeindigd", gettext_lazy("langst wachtend eerst")),
    ("naam", gettext_lazy("naam")),
]


@staff_view
def rematch_list(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """Staff: everyone whose pair ended and who waits for a new partner (paged, searched,
    filtered by role and sorted in the database)."""
    query = clean_text(request.GET.get("q"))
    side = request.GET.get("rol", "")
    side = side if side in SIDE_KIND else ""
    sort, order = sort_choice(request.GET.get("sorteer"), selectors.WAITING_SORTS, "-beeindigd")
    waiting = selectors.waiting_for_rematch(program, query=query, side=side, order=order)
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pairs/rematch_list.html",
        {
            "program": program,
            "page": page,
            "waiting": selectors.waiting_rows(page.object_list),
            "query": query,
            "side": side,
            "sort": sort,
            "sorts": WAITING_SORT_LABELS,
        },
    )


def _waiting_role(program, side: str, role_id: int) -> Role:
    if side not in SIDE_KIND:
        raise Http404("side")
    role = (
        Role.objects.filter(pk=role_id, program=program, kind=SIDE_KIND[side])
        .select_related("user")
        .first()
    )
    if role is None:
        raise Http404("role")
    return role


@staff_view
def rematch_person(
    request: HttpRequest, program: ProgramYear, side: str, role_id: int
) -> HttpResponse:
    """Staff: the best free partners for one person; one click makes the pair."""
    role = _waiting_role(program, side, role_id)
    if request.method == "POST":
        form = RematchForm(request.POST)
        if form.is_valid():
            partner = form.cleaned_data["partner"]
            mentor_id, leader_id = (role.pk, partner) if side == "mentor" else (partner, role.pk)
            candidates = {
                c.role.pk: c for c in rematch_candidates(program, side, role.pk, limit=50)
            }
            try:
                services.pair_rematch(
                    program=program,
                    mentor_id=mentor_id,
                    schoolleider_id=leader_id,
                    user=request.user,
                    distance_km=candidates[partner].km if partner in candidates else None,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request, _("Het nieuwe koppel is gemaakt en beiden krijgen een e-mail.")
                )
                return redirect("pairs:rematch_list", program.pk)
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    shown = parts_for(coach=False)
    keys = [key for key, _label in shown]
    candidates = [
        {"role": c.role, "km": c.km, "shown": pick_parts(c.parts, keys), "total": c.total}
        for c in rematch_candidates(program, side, role.pk)
    ]
    return render(
        request,
        "pairs/rematch_person.html",
        {
            "program": program,
            "role": role,
            "side": side,
            "candidates": candidates,
            "cost_parts": shown,
        },
    )


@staff_view
@require_POST
def staff_pair_end(request: HttpRequest, program: ProgramYear, pair_id: int) -> HttpResponse:
    """Staff end a pair for a drop-out (both members then wait for a new partner)."""
    pair = selectors.get_pair_for(request.user, program, pair_id, allow_staff=True)
    try:
        services.pair_end(
            pair=pair, user=request.user, reason=request.POST.get("reason", ""), rematch=True
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Het koppel is beëindigd; beide deelnemers staan nu bij herkoppelen.")
        )
    return redirect("pairs:rematch_list", program.pk)


def _pair_sort_labels(program: ProgramYear) -> list[tuple[str, str]]:
    people = (
        [("schoolleider", _("schoolleider")), ("mentor", _("mentor"))]
        if program.is_mentoring
        else [("coach", _("expertcoach"))]
    )
    return [
        ("school", _("school")),
        *people,
        ("regio", _("regio")),
        ("-afstand", _("afstand (grootste eerst)")),
        ("-sinds", _("nieuwste eerst")),
    ]


@staff_view
def staff_pair_list(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """Staff: the published, active pairs (or coach assignments) of the program, paged,
    searched, filtered by region and sorted in the database."""
    query = clean_text(request.GET.get("q"))
    region = request.GET.get("regio", "")
    sorts = _pair_sort_labels(program)
    offered = {key.lstrip("-") for key, _label in sorts}
    sort, order = sort_choice(
        request.GET.get("sorteer"),
        {k: v for k, v in selectors.PAIR_SORTS.items() if k in offered},
        "school",
    )
    pairs = selectors.staff_pairs(program, query=query, region=parse_int(region), order=order)
    page = page_of(pairs, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "pairs/staff_pair_list.html",
        {
            "program": program,
            "page": page,
            "query": query,
            "region": region,
            "regions": Region.objects.all(),
            "sort": sort,
            "sorts": sorts,
        },
    )


@staff_view
@require_POST
def staff_assignment_end(
    request: HttpRequest, program: ProgramYear, assignment_id: int
) -> HttpResponse:
    """Staff end a coach assignment; a new matching round then places the school again."""
    from .models import CoachAssignment

    assignment = CoachAssignment.objects.filter(program=program, pk=assignment_id).first()
    if assignment is None:
        raise Http404("assignment")
    try:
        services.assignment_end(
            assignment=assignment, user=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "De toewijzing is beëindigd. Maak een nieuwe matchingronde om de school opnieuw te koppelen; andere toewijzingen blijven staan."
            ),
        )
    return redirect("pairs:staff_pair_list", program.pk)
