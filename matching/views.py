"""Staff pages of a matching round: run, read, rule, compare, publish, export."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mentoring.inputs import clean_text, parse_int, sort_choice
from mentoring.listing import page_of
from people.access import staff_view
from programs.models import ProgramYear, Region

from . import exports, loading, ranking, services
from .enums import RoundSide, RoundStatus, RuleKind, UnmatchedReason, parts_for
from .forms import PublishForm, RoundCreateForm, RoundSettingsForm, RuleForm
from .models import MatchingRound, RoundRule, Solution

#: Rows per page of a round's pairs and of its "not matched" list.
PAGE_SIZE = 50


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _round(program: ProgramYear, round_id: int) -> MatchingRound:
    """The round ``round_id`` of ``program`` (404 for another program's round)."""
    return get_object_or_404(MatchingRound, program=program, pk=round_id)


def _solution(rnd: MatchingRound, number: int | str | None) -> Solution | None:
    """A solution of ``rnd`` by number; the latest when number is empty; 404 if unknown."""
    solutions = loading.solutions_of(rnd)
    if number in (None, ""):
        return solutions.order_by("-number").first()
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404("solution") from None
    return get_object_or_404(solutions, number=number)


def _base(program: ProgramYear, rnd=None, **extra) -> dict:
    return {
        "program": program,
        "round": rnd,
        "is_coach": loading.is_coach_program(program),
        "cost_parts": parts_for(loading.is_coach_program(program)),
        **extra,
    }


@staff_view
def round_list(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    form = RoundCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_create(
                program=program, name=form.cleaned_data["name"], user=request.user
            )
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            messages.success(
                request, _("De ronde is aangemaakt. Stel de gewichten in en bereken hem.")
            )
            return redirect("matching:round_detail", program.pk, rnd.pk)
    rounds = loading.rounds_of(program).select_related("published_solution")
    return render(request, "matching/round_list.html", _base(program, rounds=rounds, form=form))


@staff_view
def round_detail(request: HttpRequest, program: ProgramYear, round_id: int) -> HttpResponse:
    rnd = _round(program, round_id)
    solutions = list(loading.solutions_of(rnd).order_by("-number")[:20])
    latest = solutions[0] if solutions else None
    blocking = loading.blocking_with_names(latest) if latest else []
    return render(
        request,
        "matching/round_detail.html",
        _base(
            program,
            rnd,
            solutions=solutions,
            latest=latest,
            rules_count=RoundRule.objects.filter(round=rnd).count(),
            solving=rnd.status == RoundStatus.SOLVING,
            blocking=blocking,
            excluded=loading.excluded_people(rnd),
        ),
    )


@staff_view
def round_settings(request: HttpRequest, program: ProgramYear, round_id: int) -> HttpResponse:
    rnd = _round(program, round_id)
    form = RoundSettingsForm(request.POST or None, instance=rnd)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update_settings(rnd=rnd, data=form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request, _("De instellingen zijn opgeslagen. Bereken de ronde opnieuw.")
            )
            return redirect("matching:round_detail", program.pk, rnd.pk)
    return render(request, "matching/round_settings.html", _base(program, rnd, form=form))


@staff_view
@require_POST
def round_solve(request: HttpRequest, program: ProgramYear, round_id: int) -> HttpResponse:
    rnd = _round(program, round_id)
    try:
        services.round_solve_start(rnd=rnd, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.info(request, _("De berekening is gestart."))
    return redirect("matching:round_detail", program.pk, rnd.pk)


@staff_view
def round_pairs(request: HttpRequest, program: ProgramYear, round_id: int) -> HttpResponse:
    rnd = _round(program, round_id)
    solution = _solution(rnd, request.GET.get("oplossing"))
    filters = {
        "query": clean_text(request.GET.get("q")),
        "region": request.GET.get("regio", ""),
        "sort": request.GET.get("sorteer", ""),
        "locked": request.GET.get("vast", ""),
    }
    page = None
    rules: dict[tuple[int, int], str] = {}
    if solution is not None:
        pairs = loading.solution_pairs(solution, **filters)
        page = page_of(pairs, request.GET.get("page"), PAGE_SIZE)
        # Only the rules of the pairs on this page (one query, whatever the round holds).
        rules = {
            (r.supporter_id, r.school_id): r.kind
            for r in RoundRule.objects.filter(
                round=rnd, supporter_id__in={pp.supporter_id for pp in page}
            ).only("supporter_id", "school_id", "kind")
        }
    keys = [key for key, _label in parts_for(loading.is_coach_program(program))]
    rows = (
        []
        if page is None
        else [
            (
                pp,
                rules.get((pp.supporter_id, pp.school_id)),
                [getattr(pp, f"cost_{k}") for k in keys],
            )
            for pp in page
        ]
    )
    return render(
        request,
        "matching/round_pairs.html",
        _base(
            program,
            rnd,
            solution=solution,
            page=page,
            rows=rows,
            regions=Region.objects.all(),
            **filters,
        ),
    )


@staff_view
def round_why(
    request: HttpRequest, program: ProgramYear, round_id: int, side: str, index: int
) -> HttpResponse:
    rnd = _round(program, round_id)
    if side not in RoundSide.values:
        raise Http404("side")
    solution = _solution(rnd, request.GET.get("oplossing"))
    if solution is None:
        raise Http404("solution")
    why = loading.explain(solution, side, index)
    if why is None:
        raise Http404("person")
    keys = [key for key, _label in parts_for(loading.is_coach_program(program))]
    return render(
        request,
        "matching/round_why.html",
        _base(
            program,
            rnd,
            solution=solution,
            person=why.person,
            person_key=why.person_key,
            side=why.side,
            current=loading.current_pairs(solution, side, index),
            alternatives=[
                replace(alt, parts=ranking.pick_parts(alt.parts, keys)) for alt in why.alternatives
            ],
            n_candidates=why.n_candidates,
        ),
    )


@staff_view
def round_rules(request: HttpRequest, program: ProgramYear, round_id: int) -> HttpResponse:
    rnd = _round(program, round_id)
    if request.method == "POST":
        form = RuleForm(request.POST)
        if form.is_valid():
            try:
                services.rule_set(
                    rnd=rnd,
                    kind=form.cleaned_data["kind"],
                    supporter_id=form.cleaned_data["supporter"],
                    row_key=form.cleaned_data["row"],
                    note=form.cleaned_data["note"],
                    user=request.user,
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(
                    request,
                    _("Het koppel is vastgezet.")
                    if form.cleaned_data["kind"] == RuleKind.LOCK
                    else _("Het koppel is verboden."),
                )
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, {request.get_host()}, request.is_secure()
        ):
            return redirect(target)
        return redirect("matching:round_rules", program.pk, rnd.pk)
    rules = RoundRule.objects.filter(round=rnd).select_related(
        "supporter__user", "schoolleider__user", "school", "created_by"
    )
    return render(request, "matching/round_rules.html", _base(program, rnd, rules=rules))


@staff_view
@require_POST
def rule_delete(
    request: HttpRequest, program: ProgramYear, round_id: int, rule_id: int
) -> HttpResponse:
    rnd = _round(program, round_id)
    try:
        services.rule_delete(rnd=rnd, rule_id=rule_id)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("De regel is verwijderd."))
    return redirect("matching:round_rules", program.pk, rnd.pk)


def _unmatched_sorts(side: str) -> list[tuple[str, str]]:
    if side == RoundSide.COL:
        return [("reden", _("reden")), ("naam", _("naam"))]
    return [
        ("reden", _("reden")),
        ("naam", _("naam")),
        ("school", _("school")),
        ("regio", _("regio")),
    ]


@staff_view
def round_unmatched(request: HttpRequest, program: ProgramYear, round_id: int) -> HttpResponse:
    """Who the solution leaves without a partner: one side at a time (``?zijde=``), paged,
    searched, filtered by reason and sorted in the database."""
    rnd = _round(program, round_id)
    solution = _solution(rnd, request.GET.get("oplossing"))
    side = request.GET.get("zijde", RoundSide.ROW)
    side = side if side in RoundSide.values else RoundSide.ROW
    query = clean_text(request.GET.get("q"))
    reason = request.GET.get("reden", "")
    reason = reason if reason in UnmatchedReason.values else ""
    sorts = _unmatched_sorts(side)
    offered = {key for key, _label in sorts}
    sort, order = sort_choice(
        request.GET.get("sorteer"),
        {k: v for k, v in loading.UNMATCHED_SORTS.items() if k in offered},
        "reden",
    )
    page = None
    counts: dict[str, int] = {RoundSide.ROW: 0, RoundSide.COL: 0}
    if solution is not None:
        entries = loading.solution_unmatched(
            solution, side=side, query=query, reason=reason, order=order
        )
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        counts = loading.unmatched_counts(solution)
    return render(
        request,
        "matching/round_unmatched.html",
        _base(
            program,
            rnd,
            solution=solution,
            page=page,
            side=side,
            counts=counts,
            query=query,
            reason=reason,
            reasons=UnmatchedReason.choices,
            sort=sort,
            sorts=sorts,
        ),
    )


@staff_view
def round_compare(request: HttpRequest, program: ProgramYear, round_id: int) -> HttpResponse:
    rnd = _round(program, round_id)
    solutions = list(loading.solutions_of(rnd).order_by("-number"))
    a = b = result = page = None
    moves: list = []
    if len(solutions) >= 2:
        b = _solution(rnd, request.GET.get("b") or solutions[0].number)
        a = _solution(rnd, request.GET.get("a") or solutions[1].number)
        result = loading.compare(a, b)
        page = Paginator(result.moved, PAGE_SIZE).get_page(request.GET.get("page"))
        moves = loading.moves_with_pairs(page.object_list)
    return render(
        request,
        "matching/round_compare.html",
        _base(program, rnd, solutions=solutions, a=a, b=b, result=result, page=page, moves=moves),
    )


@staff_view
def round_publish(request: HttpRequest, program: ProgramYear, round_id: int) -> HttpResponse:
    rnd = _round(program, round_id)
    solution = _solution(rnd, request.POST.get("solution") or request.GET.get("oplossing"))
    if solution is None:
        messages.error(request, _("Bereken de ronde eerst."))
        return redirect("matching:round_detail", program.pk, rnd.pk)
    form = PublishForm(request.POST or None, initial={"solution": solution.number})
    if request.method == "POST" and form.is_valid():
        try:
            count = services.round_publish(rnd=rnd, solution=solution, user=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s koppel is gepubliceerd; de e-mails worden verstuurd.",
                    "%(n)s koppels zijn gepubliceerd; de e-mails worden verstuurd.",
                    count,
                )
                % {"n": count},
            )
            return redirect("matching:round_detail", program.pk, rnd.pk)
    return render(
        request, "matching/round_publish.html", _base(program, rnd, solution=solution, form=form)
    )


@staff_view
def round_export(
    request: HttpRequest, program: ProgramYear, round_id: int, fmt: str
) -> HttpResponse:
    rnd = _round(program, round_id)
    solution = _solution(rnd, request.GET.get("oplossing"))
    if solution is None or fmt not in {"csv", "xlsx"}:
        raise Http404("export")
    return exports.response(solution, fmt)


@staff_view
@require_POST
def round_participation(request: HttpRequest, program: ProgramYear, round_id: int) -> HttpResponse:
    """Leave a person out of the round, or let them take part again."""
    rnd = _round(program, round_id)
    side = request.POST.get("side", "")
    key = request.POST.get("key", "")
    takes_part = request.POST.get("takes_part") == "1"
    if parse_int(key) is None:
        messages.error(request, _("Kies wie wel of niet meedoet."))
    else:
        try:
            services.round_set_participation(
                rnd=rnd, side=side, key=parse_int(key), takes_part=takes_part
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("Deze persoon doet weer mee; bereken de ronde opnieuw.")
                if takes_part
                else _("Deze persoon doet niet mee in deze ronde; bereken de ronde opnieuw."),
            )
    return redirect("matching:round_detail", program.pk, rnd.pk)
