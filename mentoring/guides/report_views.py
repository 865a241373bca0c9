"""Staff pages about a program year's guides data: the report, its exports, anonymising."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.inputs import clean_text, parse_int, sort_choice
from mentoring.listing import page_of
from mentoring.pairs import selectors as pair_selectors
from mentoring.pairs.enums import PairStatus
from mentoring.pairs.models import Pair
from people.access import staff_view
from people.search import words_query
from programs.models import ProgramYear, Region

from . import report as report_mod
from .models import ProgramAnonymisation
from .privacy import anonymise_program, program_finished


@staff_view
def report(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    data = report_mod.build_report(program)
    return render(request, "guides/report.html", {"program": program, "report": data})


#: Rows per page of "progress per pair", and its sort orders (``?sorteer=``).
PAIRS_PER_PAGE = 50
PAIR_SORTS = {
    k: pair_selectors.PAIR_SORTS[k] for k in ("school", "mentor", "schoolleider", "regio")
}
PAIR_SORT_LABELS = [
    ("school", gettext_lazy("school")),
    ("mentor", gettext_lazy("mentor")),
    ("schoolleider", gettext_lazy("schoolleider")),
    ("regio", gettext_lazy("regio")),
]


@staff_view
def report_pairs(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """Progress per pair: paged, searched, filtered (status, region) and sorted in the
    database; the meetings and records of one page in two queries."""
    qs = Pair.objects.filter(program=program).select_related(
        "mentor__user", "schoolleider__user", "school__region"
    )
    status = request.GET.get("status", "")
    if status in PairStatus.values:
        qs = qs.filter(status=status)
    query = clean_text(request.GET.get("q"))
    if query:
        qs = qs.filter(words_query(query, pair_selectors.PAIR_SEARCH_FIELDS, Pair))
    region = request.GET.get("regio", "")
    region_id = parse_int(region)
    if region_id is not None:
        qs = qs.filter(school__region_id=region_id)
    sort, order = sort_choice(request.GET.get("sorteer"), PAIR_SORTS, "school")
    page = page_of(qs.order_by(*order), request.GET.get("page"), PAIRS_PER_PAGE)
    return render(
        request,
        "guides/report_pairs.html",
        {
            "program": program,
            "page": page,
            "rows": report_mod.pair_status_page(list(page.object_list)),
            "statuses": PairStatus.choices,
            "status": status,
            "query": query,
            "region": region,
            "regions": Region.objects.all(),
            "sort": sort,
            "sorts": PAIR_SORT_LABELS,
        },
    )


@staff_view
def report_csv(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    name = request.GET.get("tabel", report_mod.PAIR_TABLE)
    if name == report_mod.PAIR_TABLE:  # the big one needs none of the report's figures
        header, rows = report_mod.pair_table(program)
    else:
        all_tables = report_mod.tables(program)
        if name not in all_tables:
            raise Http404("table")
        header, rows = all_tables[name]
    response = HttpResponse(report_mod.to_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapport-{program.pk}-{name}.csv"'
    return response


@staff_view
def report_xlsx(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    content = report_mod.to_xlsx(report_mod.tables(program))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="rapport-{program.pk}.xlsx"'
    return response


@staff_view
def program_privacy(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    done = ProgramAnonymisation.objects.filter(program=program).first()
    if request.method == "POST":
        if request.POST.get("confirm") != "ja":
            messages.error(request, _("Vink aan dat u begrijpt dat dit niet ongedaan kan worden."))
        else:
            try:
                counts = anonymise_program(program=program, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("Het programmajaar is geanonimiseerd (%(n)s personen verwijderd).")
                    % {"n": counts["people_erased"]},
                )
        return redirect("guides:program_privacy", program.pk)
    return render(
        request,
        "guides/program_privacy.html",
        {"program": program, "done": done, "finished": program_finished(program)},
    )
