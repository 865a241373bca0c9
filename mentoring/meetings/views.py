"""Pages of the meetings app: thin views over the services and selectors.

Links in emails only ever open pages: accepting, moving and cancelling each need a click
on a button (POST), because mail scanners follow every link in a message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from mentoring.inputs import clean_text, parse_int, sort_choice
from mentoring.listing import page_of
from mentoring.pairs.enums import PairStatus
from mentoring.pairs.selectors import get_pair_for
from notifications import calendar
from notifications.links import absolute_path
from people.access import program_view
from people.enums import RoleKind
from programs.models import ProgramYear, Region

from . import feeds, ics, planning, reminders, rules, selectors
from .enums import BOOKED, MeetingMode, MeetingStatus, SlotStatus
from .forms import CancelForm, MoveForm, NudgeFilterForm, OutcomeForm, ProposeForm
from .models import MEETINGS_PER_PAIR, CalendarFeed
from .rules import local

MEMBERS = (RoleKind.MENTOR, RoleKind.SCHOOLLEIDER)

#: Pairs per page of the staff overview, and its sort orders (``?sorteer=``).
OVERVIEW_PAGE_SIZE = 50
OVERVIEW_SORTS = [
    ("regio", gettext_lazy("regio")),
    ("school", gettext_lazy("school")),
    ("mentor", gettext_lazy("mentor")),
    ("schoolleider", gettext_lazy("schoolleider")),
]


def _pair_url(program, pair) -> str:
    return reverse("meetings:pair", args=(program.pk, pair.pk))


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _meeting_form_page(
    request: HttpRequest,
    program,
    pair,
    meeting,
    *,
    form,
    template: str,
    action: Callable[[dict], object],
    success: Callable[[], str],
    next_url: str,
) -> HttpResponse:
    """The shape of every meeting form page: on a valid POST run `action(cleaned_data)`
    (a service); if it succeeds, flash `success()` and go to `next_url`, if it refuses
    (ValidationError), show its messages on the form. Otherwise (re)render `template`."""
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, success())
            extra = [form.starts_at()] if hasattr(form, "starts_at") else []
            _warn(request, [*form.cleaned_data.values(), *extra], pair=pair)
            return redirect(next_url)
    return render(
        request, template, {"program": program, "pair": pair, "meeting": meeting, "form": form}
    )


def _warn(request: HttpRequest, values, *, pair=None) -> None:
    """Show the rules' warnings (e.g. Goede Vrijdag) for every time in ``values``, and the
    program's rhythm for ``pair`` (its meetings too close together)."""
    shown: set[str] = set()
    if pair is not None:
        for message in planning.rhythm_warnings(pair):
            shown.add(message)
            messages.warning(request, message)
    for value in values:
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            when = getattr(item, "starts_at", item)
            if isinstance(when, dt.datetime):
                for message in rules.slot_warnings(when):
                    if message not in shown:
                        shown.add(message)
                        messages.warning(request, message)


def _ensure_meetings(pair) -> None:
    """The pair's meetings exist and their suggestions are not in the past (idempotent)."""
    if pair.status == PairStatus.ACTIVE:
        planning.meetings_create_for_pair(pair=pair)


@program_view(*MEMBERS, RoleKind.STAFF)
def pair_meetings(request: HttpRequest, program: ProgramYear, pair_id: int) -> HttpResponse:
    """The pair's three meetings: status, proposals to answer, the suggested plan."""
    pair = get_pair_for(request.user, program, pair_id, allow_staff=True)
    _ensure_meetings(pair)
    meetings = selectors.meetings_of_pair(pair)
    for meeting in meetings:
        meeting.guide_link = ics.guide_url(meeting)
    side = pair.side_of(request.user)
    # The suggested plan covers every meeting still to plan, a cancelled one included.
    to_plan = (MeetingStatus.UNPLANNED, MeetingStatus.CANCELLED)
    plan = [m for m in meetings if m.suggested_starts_at and m.status in to_plan]
    can_take_over = side is not None and bool(plan)
    return render(
        request,
        "meetings/pair.html",
        {
            "program": program,
            "pair": pair,
            "meetings": meetings,
            "side": side,
            "other": pair.other_user(request.user) if side else None,
            "can_take_over": can_take_over,
            "plan": plan,
            "now": timezone.now(),
            "region": rules.region_label(planning.school_region(pair)),
            "gap": rules.spacing(rules.min_gap(program)),
            "rhythm": rules.span_warnings(
                [m.starts_at for m in meetings if m.status in BOOKED], MEETINGS_PER_PAIR
            ),
        },
    )


@program_view(*MEMBERS)
def propose(request: HttpRequest, program: ProgramYear, pair_id: int, number: int) -> HttpResponse:
    pair, meeting = selectors.get_meeting_for(request.user, program, pair_id, number)
    return _meeting_form_page(
        request,
        program,
        pair,
        meeting,
        form=ProposeForm(request.POST or None),
        template="meetings/propose.html",
        action=lambda data: planning.meeting_propose(
            meeting=meeting, by=request.user, slots=data["slots"]
        ),
        success=lambda: (
            _("Uw voorstel voor gesprek %(n)s is verstuurd naar %(name)s.")
            % {"n": number, "name": pair.other_user(request.user)}
        ),
        next_url=_pair_url(program, pair),
    )


@program_view(*MEMBERS)
def accept(
    request: HttpRequest, program: ProgramYear, pair_id: int, number: int, slot_id: int
) -> HttpResponse:
    """GET shows the proposal and a button; only the POST accepts."""
    pair, meeting, slot = selectors.get_slot_for(request.user, program, pair_id, number, slot_id)
    error = None
    if request.method == "POST":
        try:
            planning.meeting_accept(slot=slot, by=request.user)
        except ValidationError as exc:
            error = exc.messages
        else:
            _warn(request, [slot.starts_at], pair=pair)
            return redirect("meetings:confirmed", program.pk, pair.pk, number)
    return render(
        request,
        "meetings/accept.html",
        {
            "program": program,
            "pair": pair,
            "meeting": meeting,
            "slot": slot,
            "errors": error,
            "is_open": slot.status == SlotStatus.OPEN,
            "own": slot.proposed_by_id == request.user.pk,
        },
        status=400 if error else 200,
    )


@require_POST
@program_view(*MEMBERS)
def take_over(request: HttpRequest, program: ProgramYear, pair_id: int) -> HttpResponse:
    """Propose the suggested plan with one click (POST only: a GET changes nothing, 405)."""
    pair = get_pair_for(request.user, program, pair_id)
    try:
        planning.meeting_take_over_suggestion(pair=pair, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Het voorgestelde plan is naar %(name)s gestuurd om te accepteren.")
            % {"name": pair.other_user(request.user)},
        )
    return redirect(_pair_url(program, pair))


@program_view(*MEMBERS)
def move(request: HttpRequest, program: ProgramYear, pair_id: int, number: int) -> HttpResponse:
    pair, meeting = selectors.get_meeting_for(request.user, program, pair_id, number)
    initial = {}
    if meeting.starts_at:
        start = local(meeting.starts_at)
        initial = {
            "date": start.date(),
            "time": start.time(),
            "mode": meeting.mode,
            "location": meeting.location if meeting.mode == MeetingMode.ADDRESS else "",
            "online_url": meeting.online_url,
        }
    form = MoveForm(request.POST or None, initial=initial)
    return _meeting_form_page(
        request,
        program,
        pair,
        meeting,
        form=form,
        template="meetings/move.html",
        action=lambda data: planning.meeting_move(
            meeting=meeting,
            by=request.user,
            starts_at=form.starts_at(),
            mode=data["mode"],
            location=data["location"],
            online_url=data["online_url"],
            reason=data["reason"],
        ),
        success=lambda: _("Het gesprek is verplaatst; de agenda-uitnodiging is bijgewerkt."),
        next_url=reverse("meetings:confirmed", args=(program.pk, pair.pk, number)),
    )


@program_view(*MEMBERS)
def cancel(request: HttpRequest, program: ProgramYear, pair_id: int, number: int) -> HttpResponse:
    pair, meeting = selectors.get_meeting_for(request.user, program, pair_id, number)
    return _meeting_form_page(
        request,
        program,
        pair,
        meeting,
        form=CancelForm(request.POST or None),
        template="meetings/cancel.html",
        action=lambda data: planning.meeting_cancel(
            meeting=meeting, by=request.user, reason=data["reason"]
        ),
        success=lambda: (
            _("Gesprek %(n)s is geannuleerd; %(name)s is op de hoogte gebracht.")
            % {"n": number, "name": pair.other_user(request.user)}
        ),
        next_url=_pair_url(program, pair),
    )


@program_view(*MEMBERS)
def outcome(request: HttpRequest, program: ProgramYear, pair_id: int, number: int) -> HttpResponse:
    pair, meeting = selectors.get_meeting_for(request.user, program, pair_id, number)
    return _meeting_form_page(
        request,
        program,
        pair,
        meeting,
        form=OutcomeForm(request.POST or None),
        template="meetings/outcome.html",
        action=lambda data: planning.meeting_mark_held(
            meeting=meeting, by=request.user, held=data["held"]
        ),
        success=lambda: _("Vastgelegd. Dank u wel!"),
        next_url=_pair_url(program, pair),
    )


@program_view(*MEMBERS, RoleKind.STAFF)
def confirmed(
    request: HttpRequest, program: ProgramYear, pair_id: int, number: int
) -> HttpResponse:
    """After accepting or moving: the details and 'add to calendar'."""
    pair, meeting = selectors.get_meeting_for(
        request.user, program, pair_id, number, allow_staff=True
    )
    return render(
        request,
        "meetings/confirmed.html",
        {"program": program, "pair": pair, "meeting": meeting, "guide_url": ics.guide_url(meeting)},
    )


@program_view(*MEMBERS, RoleKind.STAFF)
def meeting_ics(
    request: HttpRequest, program: ProgramYear, pair_id: int, number: int
) -> HttpResponse:
    """'Add to calendar': the meeting as an .ics file (same UID as the emailed invite)."""
    pair, meeting = selectors.get_meeting_for(
        request.user, program, pair_id, number, allow_staff=True
    )
    if meeting.starts_at is None or meeting.status not in (
        MeetingStatus.PLANNED,
        MeetingStatus.CANCELLED,
    ):
        raise Http404("not planned")
    body = ics.meeting_download(meeting)
    response = HttpResponse(body, content_type=calendar.DOWNLOAD_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="gesprek-{number}.ics"'
    return response


# --- Staff ------------------------------------------------------------------------------------


@program_view(RoleKind.STAFF)
def overview(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """Per region: meetings 1..3 proposed, planned, held; every pair with late ones flagged;
    and the nudge list for a meeting and deadline staff choose."""
    progress = selectors.progress_by_region(program)
    only_late = request.GET.get("laat") == "1"
    query = clean_text(request.GET.get("q"))
    region = request.GET.get("regio", "")
    sort, order = sort_choice(request.GET.get("sorteer"), selectors.PAIR_SORTS, "regio")
    pairs = selectors.pairs_with_meetings(
        program, only_late=only_late, query=query, region=parse_int(region), order=order
    )
    page = page_of(pairs, request.GET.get("page"), OVERVIEW_PAGE_SIZE)
    rows = selectors.pair_rows(page.object_list, program)
    nudge_form = NudgeFilterForm(request.GET if "deadline" in request.GET else None)
    nudge_pairs = None
    if nudge_form.is_bound and nudge_form.is_valid():
        nudge_pairs = list(
            selectors.unplanned_pairs(program, nudge_form.cleaned_data["number"])[:500]
        )
    feed = CalendarFeed.objects.filter(user=request.user).first()
    following = bool(feed and feed.followed_programs.filter(pk=program.pk).exists())
    return render(
        request,
        "meetings/overview.html",
        {
            "program": program,
            "progress": progress,
            "page": page,
            "rows": rows,
            "only_late": only_late,
            "query": query,
            "region": region,
            "regions": Region.objects.all(),
            "sort": sort,
            "sorts": OVERVIEW_SORTS,
            "due": sorted(selectors.due_dates(program).items()),
            "nudge_form": nudge_form,
            "nudge_pairs": nudge_pairs,
            "following": following,
        },
    )


@program_view(RoleKind.STAFF)
def nudge(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    if request.method != "POST":
        return redirect("meetings:overview", program.pk)
    form = NudgeFilterForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("meetings:overview", program.pk)
    ids = [i for i in map(parse_int, request.POST.getlist("pair")) if i is not None]
    if not ids:
        messages.error(request, _("Kies minstens één koppel om een herinnering te sturen."))
    else:
        count = reminders.pairs_nudge(
            program=program,
            number=form.cleaned_data["number"],
            deadline=form.cleaned_data["deadline"],
            by=request.user,
            pair_ids=ids,
        )
        messages.success(
            request,
            _(
                "Herinnering verstuurd aan %(count)s koppel(s); koppels die al een herinnering voor "
                "deze datum kregen, zijn overgeslagen."
            )
            % {"count": count},
        )
    return redirect(
        f"{reverse('meetings:overview', args=(program.pk,))}?number={form.cleaned_data['number']}"
        f"&deadline={form.cleaned_data['deadline'].isoformat()}"
    )


@program_view(RoleKind.STAFF)
def follow(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    if request.method != "POST":
        return redirect("meetings:overview", program.pk)
    on = request.POST.get("follow") == "1"
    feeds.feed_follow(user=request.user, program=program, follow=on)
    if on:
        messages.success(
            request, _("De gesprekken van dit programma staan nu in uw agenda-koppeling.")
        )
    else:
        messages.success(
            request, _("De gesprekken van dit programma staan niet meer in uw agenda-koppeling.")
        )
    return redirect("meetings:overview", program.pk)


# --- Private calendar feed -----------------------------------------------------------------


@login_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    """Show, create, regenerate or revoke one's private calendar URL."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "enable":
            feeds.feed_enable(user=request.user)
            messages.success(request, _("Uw persoonlijke agenda-link is aangemaakt."))
        elif action == "regenerate":
            feeds.feed_regenerate(user=request.user)
            messages.success(request, _("U heeft een nieuwe agenda-link; de oude werkt niet meer."))
        elif action == "revoke":
            feeds.feed_revoke(user=request.user)
            messages.success(request, _("Uw agenda-link is ingetrokken en werkt niet meer."))
        else:
            messages.error(request, _("Onbekende actie."))
        return redirect("meetings:feed_settings")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = webcal = None
    if feed is not None:
        path = reverse("meetings:feed", args=(feed.token,))
        url = absolute_path(path)
        webcal = "webcal://" + url.split("://", 1)[1]
    return render(
        request, "meetings/feed_settings.html", {"feed": feed, "url": url, "webcal": webcal}
    )


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed: no login, the token is the key; an unknown or old token is 404."""
    from .feeds import feed_ics

    found = selectors.feed_for_token(token)
    if found is None:
        raise Http404("feed")
    body = feed_ics(found)
    CalendarFeed.objects.filter(pk=found.pk).update(last_fetched_at=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="leerkracht-mentoring.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
