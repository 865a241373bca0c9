"""Home pages, program years, regions and schools."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.inputs import clean_text, parse_int, sort_choice
from mentoring.listing import page_of
from people.access import (
    foundation_staff_view,
    is_foundation_staff,
    mfa_redirect,
    program_view,
    programs_for,
    staff_mfa_missing,
    staff_view,
)
from people.dashboard import panels_for, staff_links_for
from people.enums import RoleKind
from people.models import Role
from people.services import open_mentor_program

from .enums import Phase, Sector
from .forms import HolidayRegionForm, ProgramYearForm, RegionForm
from .models import Enrollment, ProgramYear, Region, School
from .services import (  # noqa: F401  (reassign_school_regions: re-exported)
    reassign_school_regions,
    region_save,
    require_foundation_staff,
    school_holiday_region_set,
)

ROLE_ORDER = [RoleKind.STAFF, RoleKind.MENTOR, RoleKind.SCHOOLLEIDER, RoleKind.EXPERTCOACH]

#: The staff school list: rows per page and sort orders (``?sorteer=``), in the database.
SCHOOLS_PER_PAGE = 50
SCHOOL_SORTS: dict[str, tuple[str, ...]] = {
    "naam": ("name", "brin", "vestiging", "pk"),
    "brin": ("brin", "vestiging", "pk"),
    "plaats": ("place", "name", "pk"),
    "regio": ("region__name", "name", "pk"),
}
SCHOOL_SORT_LABELS = [
    ("naam", gettext_lazy("naam")),
    ("brin", gettext_lazy("BRIN")),
    ("plaats", gettext_lazy("plaats")),
    ("regio", gettext_lazy("regio")),
]


def home(request: HttpRequest) -> HttpResponse:
    """Landing page for visitors; the list of one's programs for a signed-in person."""
    if not request.user.is_authenticated:
        return render(request, "programs/landing.html", {"mentor_program": open_mentor_program()})
    entries = programs_for(request.user)
    if len(entries) == 1 and not request.user.is_staff:
        return redirect("program_home", entries[0][0].pk)
    open_program = open_mentor_program()
    return render(
        request,
        "programs/home.html",
        {
            "entries": [
                (program, [k for k in ROLE_ORDER if k in kinds]) for program, kinds in entries
            ],
            "mentor_program": open_program,
            "can_join_as_mentor": open_program is not None
            and all(p.pk != open_program.pk for p, _ in entries),
        },
    )


@program_view(*RoleKind.values)
def program_home(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """The home page of one program year, for each role the person has there."""
    kinds = [k for k in ROLE_ORDER if k in request.roles]
    kind = request.GET.get("als")
    if kind not in kinds:
        kind = kinds[0]
    role = None
    if kind != RoleKind.STAFF:
        role = Role.objects.select_related("user").get(
            user=request.user, program=program, kind=kind
        )
    context = {
        "program": program,
        "kind": kind,
        "kinds": kinds,
        "role": role,
        "panels": panels_for(request, program, kind, role),
    }
    if kind == RoleKind.STAFF:
        if staff_mfa_missing(request.user):
            return mfa_redirect(request)
        context["staff_links"] = staff_links_for(program)
    return render(request, "programs/program_home.html", context)


@foundation_staff_view
def program_list(request: HttpRequest) -> HttpResponse:
    # Each count in its own subquery: joining roles and enrollments in one query multiplies
    # them (participants x schools). Participants are people with a role other than staff.
    participants = (
        Role.objects.filter(program=OuterRef("pk"))
        .exclude(kind=RoleKind.STAFF)
        .order_by()
        .values("program")
        .annotate(n=Count("user", distinct=True))
        .values("n")
    )
    schools = (
        Enrollment.objects.filter(program=OuterRef("pk"))
        .order_by()
        .values("program")
        .annotate(n=Count("school", distinct=True))
        .values("n")
    )
    programs = ProgramYear.objects.annotate(
        n_roles=Coalesce(Subquery(participants), 0), n_schools=Coalesce(Subquery(schools), 0)
    ).order_by("-school_year", "kind")
    return render(request, "programs/program_list.html", {"programs": programs})


@foundation_staff_view
def program_create(request: HttpRequest) -> HttpResponse:
    form = ProgramYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        program = form.save()
        messages.success(request, _("Programmajaar %(name)s is aangemaakt.") % {"name": program})
        return redirect("program_home", program.pk)
    return render(request, "programs/program_form.html", {"form": form})


@staff_view
def program_edit(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    form = ProgramYearForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("De tijdlijn is opgeslagen."))
        return redirect("program_home", program.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


@staff_view
def school_holiday_region(
    request: HttpRequest, program: ProgramYear, school_id: int
) -> HttpResponse:
    """A school's holiday region: the official one, and foundation staff's override."""
    school = get_object_or_404(School, pk=school_id, enrollments__program=program)
    can_edit = is_foundation_staff(request.user)
    form = HolidayRegionForm(
        request.POST or None,
        initial={"region": school.holiday_region_override, "reason": school.holiday_region_reason},
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            school_holiday_region_set(
                user=request.user,
                school=school,
                region=form.cleaned_data["region"],
                reason=form.cleaned_data["reason"] or "",
            )
            messages.success(request, _("De vakantieregio van de school is opgeslagen."))
            return redirect("programs:school_list", program.pk)
    return render(
        request,
        "programs/school_holiday_region.html",
        {"program": program, "school": school, "form": form, "can_edit": can_edit},
    )


@staff_view
def school_list(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    query = clean_text(request.GET.get("q"))
    sector = request.GET.get("sector", "")
    region_id = request.GET.get("regio", "")
    schools = School.objects.filter(enrollments__program=program).select_related("region")
    if query:
        schools = schools.filter(
            Q(name__icontains=query) | Q(brin__iexact=query[:4]) | Q(place__icontains=query)
        )
    if sector in Sector.values:
        schools = schools.filter(sector=sector)
    if parse_int(region_id) is not None:
        schools = schools.filter(region_id=parse_int(region_id))
    sort, order = sort_choice(request.GET.get("sorteer"), SCHOOL_SORTS, "naam")
    page = page_of(schools.order_by(*order), request.GET.get("page"), SCHOOLS_PER_PAGE)
    leaders: dict[int, list] = {}
    for role in Role.objects.filter(
        program=program,
        kind=RoleKind.SCHOOLLEIDER,
        schoolleider_profile__school__in=[s.pk for s in page.object_list],
    ).select_related("user", "schoolleider_profile"):
        leaders.setdefault(role.schoolleider_profile.school_id, []).append(role.user)
    rows = [(school, leaders.get(school.pk, [])) for school in page.object_list]
    return render(
        request,
        "programs/school_list.html",
        {
            "program": program,
            "page": page,
            "rows": rows,
            "query": query,
            "sector": sector,
            "region_id": region_id,
            "sort": sort,
            "sorts": SCHOOL_SORT_LABELS,
            "sectors": Sector.choices,
            "regions": Region.objects.all(),
            "phases": dict(Phase.choices),
            "import_url": reverse("imports:upload", args=[program.pk]),
        },
    )


@staff_view
def region_list(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    regions = Region.objects.annotate(n_schools=Count("school"))
    return render(
        request,
        "programs/region_list.html",
        {"program": program, "regions": regions, "can_edit": is_foundation_staff(request.user)},
    )


@staff_view
def region_edit(
    request: HttpRequest, program: ProgramYear, region_id: int | None = None
) -> HttpResponse:
    """Regions are shared by every program year: only foundation staff change them."""
    require_foundation_staff(request.user)
    region = get_object_or_404(Region, pk=region_id) if region_id else None
    form = RegionForm(request.POST or None, instance=region)
    if request.method == "POST" and form.is_valid():
        region = region_save(user=request.user, form=form)
        messages.success(request, _("Regio %(name)s is opgeslagen.") % {"name": region.name})
        return redirect("programs:region_list", program.pk)
    return render(
        request, "programs/region_form.html", {"program": program, "form": form, "region": region}
    )
