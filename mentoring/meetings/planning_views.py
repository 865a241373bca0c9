"""Pages of planning: connect a calendar, the school's week, a pair's plan, the staff run."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentoring.pairs.selectors import get_pair_for
from people.access import get_role, program_view
from people.enums import RoleKind
from programs.models import ProgramYear

from . import calendars, jobs, planning, plans, rules
from .enums import MeetingStatus
from .models import Meeting
from .planning_forms import (
    BookedMoveForm,
    ConnectForm,
    NeverTimeForm,
    PlanForm,
    PlanMoveForm,
    StudyDayForm,
)
from .planning_models import (
    CalendarConnection,
    MeetingPlan,
    NeverTime,
    PlanningRun,
    PlanStatus,
    RunStatus,
    StudyDay,
)

MEMBERS = (RoleKind.MENTOR, RoleKind.SCHOOLLEIDER)


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Connecting one's own calendar ---------------------------------------------------------


@login_required
def connection(request: HttpRequest) -> HttpResponse:
    """Connect, re-read or disconnect one's own calendar; see when it was last read."""
    form = ConnectForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "connect":
            form = ConnectForm(request.POST)
            if form.is_valid():
                try:
                    jobs.connect(user=request.user, url=form.cleaned_data["url"])
                except ValidationError as exc:
                    form.add_error("url", exc)
                else:
                    messages.success(
                        request,
                        _("Uw agenda is gekoppeld. We lezen hem nu en daarna elke paar uur."),
                    )
                    return redirect("meetings:connection")
        elif action == "refresh":
            existing = CalendarConnection.objects.filter(user=request.user).first()
            if existing is not None:
                jobs.schedule_read(existing)
                messages.success(request, _("Uw agenda wordt opnieuw gelezen."))
            return redirect("meetings:connection")
        elif action == "disconnect":
            if calendars.disconnect(user=request.user):
                messages.success(
                    request,
                    _("Uw agenda is ontkoppeld; het adres en alle bezette tijden zijn verwijderd."),
                )
            return redirect("meetings:connection")
        else:
            messages.error(request, _("Onbekende actie."))
            return redirect("meetings:connection")
    existing = CalendarConnection.objects.filter(user=request.user).first()
    context = {"form": form, "connection": existing}
    if existing is not None:
        context.update(
            short_url=calendars.short_url(existing.url),
            blocks=existing.blocks.count(),
            error=calendars.error_message(existing.error_code, existing.error_detail)
            if existing.error_code
            else "",
        )
    return render(request, "meetings/connection.html", context)


# --- The school's week -----------------------------------------------------------------------


@program_view(RoleKind.SCHOOLLEIDER)
def school_week(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """The schoolleider's never-times (weekly) and the school's study days."""
    role = get_role(request, RoleKind.SCHOOLLEIDER)
    school = role.schoolleider_profile.school
    never_form, study_form = NeverTimeForm(prefix="never"), StudyDayForm(prefix="study")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add_never":
            never_form = NeverTimeForm(request.POST, prefix="never")
            if never_form.is_valid():
                item = never_form.save(commit=False)
                item.user = request.user
                item.save()
                messages.success(request, _("Het vaste bezette moment is toegevoegd."))
                return redirect("meetings:school_week", program.pk)
        elif action == "add_study":
            study_form = StudyDayForm(request.POST, prefix="study")
            if study_form.is_valid():
                day = study_form.cleaned_data["date"]
                if not program.meetings_start <= day <= program.meetings_end:
                    study_form.add_error(
                        "date",
                        _("Kies een datum in de gespreksperiode (%(start)s tot en met %(end)s).")
                        % {
                            "start": rules.show_day(program.meetings_start),
                            "end": rules.show_day(program.meetings_end),
                        },
                    )
                elif StudyDay.objects.filter(school=school, date=day).exists():
                    study_form.add_error("date", _("Deze studiedag staat er al."))
                else:
                    StudyDay.objects.create(
                        school=school, date=day, label=study_form.cleaned_data["label"]
                    )
                    messages.success(request, _("De studiedag is toegevoegd."))
                    return redirect("meetings:school_week", program.pk)
        elif action == "delete_never":
            NeverTime.objects.filter(user=request.user, pk=request.POST.get("id") or 0).delete()
            return redirect("meetings:school_week", program.pk)
        elif action == "delete_study":
            StudyDay.objects.filter(school=school, pk=request.POST.get("id") or 0).delete()
            return redirect("meetings:school_week", program.pk)
    return render(
        request,
        "meetings/school_week.html",
        {
            "program": program,
            "school": school,
            "never_times": NeverTime.objects.filter(user=request.user),
            "study_days": StudyDay.objects.filter(school=school),
            "never_form": never_form,
            "study_form": study_form,
        },
    )


# --- A pair's plan ---------------------------------------------------------------------------


def _plan_url(program, pair) -> str:
    return reverse("meetings:plan", args=(program.pk, pair.pk))


def _plan_for(pair, plan_id: int) -> MeetingPlan:
    plan = MeetingPlan.objects.filter(pair=pair, pk=plan_id).first()
    if plan is None:
        raise Http404("plan")
    return plan


@program_view(*MEMBERS, RoleKind.STAFF)
def plan(request: HttpRequest, program: ProgramYear, pair_id: int) -> HttpResponse:
    pair = get_pair_for(request.user, program, pair_id, allow_staff=True)
    current = plans.open_plan(pair)
    side = pair.side_of(request.user)
    items = []
    if current is not None:
        items = [
            {"number": i.number, "when": rules.show(i.starts_at), "item": i}
            for i in current.items.all()
        ]
    accepted = current and {
        "mentor": current.mentor_accepted_at,
        "schoolleider": current.schoolleider_accepted_at,
    }
    return render(
        request,
        "meetings/plan.html",
        {
            "program": program,
            "pair": pair,
            "side": side,
            "plan": current,
            "items": items,
            "accepted": accepted,
            "i_accepted": bool(current and side and accepted[side]),
            "changes": plans.changes_for_display(current) if current else [],
            "form": PlanForm(initial={"mode": current.mode} if current else None),
            "move_form": PlanMoveForm(),
            "booked_form": BookedMoveForm(),
            "booked": [
                {"number": m.number, "when": rules.show(m.starts_at)}
                for m in Meeting.objects.filter(
                    pair=pair, status=MeetingStatus.PLANNED, starts_at__gt=timezone.now()
                ).order_by("number")
            ],
            "connected": {
                "mentor": CalendarConnection.objects.filter(user=pair.mentor.user).exists(),
                "schoolleider": CalendarConnection.objects.filter(
                    user=pair.schoolleider.user
                ).exists(),
            },
        },
    )


@require_POST
@program_view(*MEMBERS)
def plan_make(request: HttpRequest, program: ProgramYear, pair_id: int) -> HttpResponse:
    pair = get_pair_for(request.user, program, pair_id)
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies hoe de gesprekken plaatsvinden."))
        return redirect(_plan_url(program, pair))
    planning.meetings_create_for_pair(pair=pair)
    try:
        plans.plan_propose(pair=pair, mode=form.cleaned_data["mode"], by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Er is een plan voor de gesprekken; kijk of het u past."))
    return redirect(_plan_url(program, pair))


@require_POST
@program_view(*MEMBERS)
def plan_accept(
    request: HttpRequest, program: ProgramYear, pair_id: int, plan_id: int
) -> HttpResponse:
    pair = get_pair_for(request.user, program, pair_id)
    current = _plan_for(pair, plan_id)
    try:
        result = plans.plan_accept(plan=current, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(_plan_url(program, pair))
    if result.status == PlanStatus.ACCEPTED:
        messages.success(
            request, _("De gesprekken zijn gepland; u en de ander krijgen de uitnodigingen.")
        )
        return redirect("meetings:pair", program.pk, pair.pk)
    messages.success(request, _("U heeft het plan geaccepteerd; nu de ander nog."))
    return redirect(_plan_url(program, pair))


@require_POST
@program_view(*MEMBERS)
def plan_move(
    request: HttpRequest, program: ProgramYear, pair_id: int, plan_id: int
) -> HttpResponse:
    pair = get_pair_for(request.user, program, pair_id)
    current = _plan_for(pair, plan_id)
    form = PlanMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef een datum en een begintijd."))
        return redirect(_plan_url(program, pair))
    try:
        plans.plan_move(
            plan=current,
            number=form.cleaned_data["number"],
            starts_at=form.starts_at(),
            by=request.user,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Het plan is aangepast; hieronder ziet u wat er is veranderd."))
    return redirect(_plan_url(program, pair))


@require_POST
@program_view(*MEMBERS)
def booked_move(request: HttpRequest, program: ProgramYear, pair_id: int) -> HttpResponse:
    """Move a planned meeting; the later planned ones re-flow, and the page says what moved."""
    pair = get_pair_for(request.user, program, pair_id)
    form = BookedMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef een datum en een begintijd."))
        return redirect(_plan_url(program, pair))
    try:
        changes = plans.booked_move(
            pair=pair,
            number=form.cleaned_data["number"],
            starts_at=form.starts_at(),
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(_plan_url(program, pair))
    for change in plans.changes_for_display(changes):
        messages.success(
            request,
            _("Gesprek %(n)s: van %(before)s naar %(after)s")
            % {"n": change["number"], "before": change["before"], "after": change["after"]},
        )
    return redirect(_plan_url(program, pair))


# --- Staff: plan every pair at once ----------------------------------------------------------


@program_view(RoleKind.STAFF)
def planning_run(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    if request.method == "POST":
        try:
            jobs.run_start(program=program, by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("De planner is gestart voor alle koppels zonder plan."))
        return redirect("meetings:planning_run", program.pk)
    run = PlanningRun.objects.filter(program=program).first()
    context = {
        "program": program,
        "run": run,
        "waiting": plans.pairs_to_plan(program).count(),
        "busy": run is not None and run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
    }
    if run is not None:
        context.update(
            failures=plans.failure_rows(run),
            summary=plans.failure_summary(run),
            percent=round(100 * run.done / run.total) if run.total else 100,
        )
    return render(request, "meetings/planning_run.html", context)
