"""Pages of the webinars app: choosing a session, and the staff's management pages.

GET never changes anything: links in emails open a page whose button (a POST) confirms.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.forms_util import add_errors
from mentoring.listing import page_of
from notifications import calendar
from people.access import get_role, program_view, staff_view
from people.enums import RoleKind
from people.models import Role
from programs.models import ProgramYear

from . import ics, selectors, services
from .enums import RegistrationStatus
from .forms import AttendanceForm, CancelSessionForm, SessionForm

participant_view = program_view(RoleKind.MENTOR, RoleKind.SCHOOLLEIDER)
PAGE_SIZE = 50


def _role(request: HttpRequest, program: ProgramYear) -> Role:
    """The role through which the user takes part (mentor first, then schoolleider)."""
    for kind in (RoleKind.MENTOR, RoleKind.SCHOOLLEIDER):
        if kind in request.roles:
            return get_role(request, kind)
    raise Http404("role")  # staff-only users never get here (program_view), but be explicit


def _error_text(exc: services.WebinarError) -> str:
    return " ".join(str(m) for m in exc.messages)


# --- Participants -----------------------------------------------------------------------


@participant_view
def choose(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """ "Kies een webinar": upcoming sessions, with the person's place and waitlist spot."""
    role = _role(request, program)
    mine = selectors.my_webinar(role)
    profile_missing = role.kind == RoleKind.MENTOR and not selectors.mentor_may_choose(role)
    sessions = selectors.visible_sessions_for(program, role.kind)
    for s in sessions:
        s.is_mine = mine.place is not None and mine.place.session_id == s.pk
        s.is_waiting = mine.waiting is not None and mine.waiting.session_id == s.pk
        s.is_full = s.n_confirmed >= s.capacity
        s.places_left = max(s.capacity - s.n_confirmed, 0)
    return render(
        request,
        "webinars/choose.html",
        {
            "program": program,
            "role": role,
            "mine": mine,
            "sessions": sessions,
            "can_switch": mine.place is not None and not mine.place.session.has_started(),
            "profile_missing": profile_missing,
        },
    )


def _participant_action(request, program, session_id: int, *, action: str) -> HttpResponse:
    role = _role(request, program)
    session = selectors.get_session_for_participant(program, role, session_id)
    mine = selectors.my_webinar(role)
    if request.method == "POST":
        try:
            if action == "register":
                reg = services.register(session=session, role=role)
                messages.success(
                    request,
                    _(
                        "U bent aangemeld. U krijgt een bevestiging per e-mail met de agenda-uitnodiging."
                    ),
                )
                return redirect("webinars:confirmation", program.pk, reg.pk)
            services.join_waitlist(session=session, role=role)
            messages.success(
                request,
                _(
                    "U staat op de wachtlijst. Komt er een plaats vrij, dan krijgt u die en een e-mail."
                ),
            )
            return redirect("webinars:choose", program.pk)
        except services.SessionFull as exc:
            messages.warning(request, _error_text(exc))
            return redirect("webinars:waitlist", program.pk, session.pk)
        except services.WebinarError as exc:
            messages.error(request, _error_text(exc))
            return redirect("webinars:choose", program.pk)
    n_confirmed = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return render(
        request,
        "webinars/participant_confirm.html",
        {
            "program": program,
            "session": session,
            "action": action,
            "mine": mine,
            "is_full": n_confirmed >= session.capacity,
        },
    )


@participant_view
def register(request: HttpRequest, program: ProgramYear, session_id: int) -> HttpResponse:
    """Confirm page (GET) and registration or switch (POST)."""
    return _participant_action(request, program, session_id, action="register")


@participant_view
def waitlist(request: HttpRequest, program: ProgramYear, session_id: int) -> HttpResponse:
    """Confirm page (GET) and joining the waitlist of a full session (POST)."""
    return _participant_action(request, program, session_id, action="waitlist")


@participant_view
def confirmation(request: HttpRequest, program: ProgramYear, registration_id: int) -> HttpResponse:
    """One's own registration: time, join link, "add to calendar", withdraw."""
    role = _role(request, program)
    reg = selectors.get_registration_for(role, registration_id)
    position = selectors.waitlist_position(reg) if reg.is_waitlisted else None
    show_join = reg.is_confirmed and reg.session.join_link_open()
    return render(
        request,
        "webinars/confirmation.html",
        {
            "program": program,
            "reg": reg,
            "session": reg.session,
            "position": position,
            "show_join": show_join,
        },
    )


@participant_view
def withdraw(request: HttpRequest, program: ProgramYear, registration_id: int) -> HttpResponse:
    """Confirm page (GET) and giving up a place or waitlist spot (POST)."""
    role = _role(request, program)
    reg = selectors.get_registration_for(role, registration_id)
    if request.method == "POST":
        try:
            services.withdraw(registration=reg)
        except services.WebinarError as exc:
            messages.error(request, _error_text(exc))
            return redirect("webinars:confirmation", program.pk, reg.pk)
        messages.success(
            request,
            _("U bent afgemeld voor het webinar.")
            if reg.is_confirmed
            else _("U staat niet meer op de wachtlijst."),
        )
        return redirect("webinars:choose", program.pk)
    return render(request, "webinars/withdraw_confirm.html", {"program": program, "reg": reg})


@participant_view
def registration_ics(
    request: HttpRequest, program: ProgramYear, registration_id: int
) -> HttpResponse:
    """ "Add to calendar": one's place (or, for an ended place, its cancellation) as
    METHOD:PUBLISH with the invitation's UID, so the same event is updated, not doubled."""
    role = _role(request, program)
    reg = selectors.get_registration_for(role, registration_id)
    if reg.confirmed_at is None:
        raise Http404("never had a place")
    active = reg.is_confirmed and not reg.session.is_cancelled
    body = ics.registration_ics(reg, method="PUBLISH", cancelled=not active)
    response = HttpResponse(body, content_type=calendar.DOWNLOAD_MIMETYPE)
    response["Content-Disposition"] = 'attachment; filename="webinar.ics"'
    return response


# --- Staff ------------------------------------------------------------------------------


@staff_view
def staff_list(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """All sessions of the program with places, waitlists and attendance."""
    sessions = selectors.sessions_with_counts(program)
    now = timezone.now()
    totals = {
        "sessions": sum(1 for s in sessions if not s.is_cancelled),
        "confirmed": sum(s.n_confirmed for s in sessions if not s.is_cancelled),
        "waitlisted": sum(s.n_waitlisted for s in sessions if not s.is_cancelled),
        "attended": sum(s.n_attended for s in sessions),
    }
    return render(
        request,
        "webinars/staff_list.html",
        {"program": program, "sessions": sessions, "totals": totals, "now": now},
    )


@staff_view
def session_create(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    form = SessionForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                program=program, actor=request.user, **form.session_values()
            )
        except services.WebinarError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("De sessie is ingepland."))
            return redirect("webinars:session_detail", program.pk, session.pk)
    return render(request, "webinars/session_form.html", {"program": program, "form": form})


@staff_view
def session_edit(request: HttpRequest, program: ProgramYear, session_id: int) -> HttpResponse:
    session = selectors.get_session_for_staff(program, session_id)
    initial = {
        "title": session.title,
        "description": session.description,
        "starts_at": session.starts_at,
        "duration_minutes": session.duration_minutes,
        "meeting_url": session.meeting_url,
        "capacity": session.capacity,
        "host": session.host_id,
        "open_to_schoolleiders": session.open_to_schoolleiders,
    }
    form = SessionForm(request.POST or None, program=program, session=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, actor=request.user, **form.session_values())
        except services.WebinarError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("De sessie is bijgewerkt; wie een plaats heeft, krijgt bericht.")
            )
            return redirect("webinars:session_detail", program.pk, session.pk)
    return render(
        request,
        "webinars/session_form.html",
        {"program": program, "form": form, "session": session},
    )


@staff_view
def session_detail(request: HttpRequest, program: ProgramYear, session_id: int) -> HttpResponse:
    """Who has a place and who waits, in order."""
    session = selectors.get_session_for_staff(program, session_id)
    page = page_of(selectors.session_places(session), request.GET.get("page"), PAGE_SIZE)
    queue = selectors.session_queue(session)
    return render(
        request,
        "webinars/session_detail.html",
        {
            "program": program,
            "session": session,
            "n_places": page.paginator.count,
            "page": page,
            "queue": list(queue[:PAGE_SIZE]),
            "n_queue": queue.count(),
        },
    )


@staff_view
def session_cancel(request: HttpRequest, program: ProgramYear, session_id: int) -> HttpResponse:
    session = selectors.get_session_for_staff(program, session_id)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(
                session=session, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.WebinarError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("De sessie is geannuleerd; de deelnemers krijgen bericht."))
        return redirect("webinars:session_detail", program.pk, session.pk)
    return render(
        request,
        "webinars/session_cancel.html",
        {
            "program": program,
            "session": session,
            "form": form,
            "n_places": selectors.session_places(session).count(),
            "n_queue": selectors.session_queue(session).count(),
        },
    )


@staff_view
def attendance(request: HttpRequest, program: ProgramYear, session_id: int) -> HttpResponse:
    """Checkboxes per person with a place, one submit."""
    session = selectors.get_session_for_staff(program, session_id)
    places = list(selectors.session_places(session))
    form = AttendanceForm(request.POST or None, registrations=places)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.record_attendance(
                session=session, actor=request.user, attended_ids=form.cleaned_data["attended"]
            )
        except services.WebinarError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("Aanwezigheid opgeslagen: %(n)d van %(total)d aanwezig.")
                % {"n": n, "total": len(places)},
            )
            return redirect("webinars:session_detail", program.pk, session.pk)
    return render(
        request,
        "webinars/attendance.html",
        {
            "program": program,
            "session": session,
            "form": form,
            "places": places,
            "started": session.has_started(),
        },
    )


@staff_view
def not_attended(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """Who has not attended any session before the matching date."""
    page = Paginator(selectors.not_attended_before_matching(program), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.with_current_registration(page.object_list)
    return render(
        request,
        "webinars/not_attended.html",
        {
            "program": program,
            "page": page,
            "roles": page.object_list,
            "total": page.paginator.count,
        },
    )
