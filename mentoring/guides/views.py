"""Views of the guides app: the guides, the pair's meeting page, feedback.

Staff report pages are in ``report_views``, the mentor's day in ``mentor_day_views``; "Mijn
gegevens" is the privacy app's (``mentoring.privacy.views``). Thin, every one behind the
permission layer.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentoring.forms_util import add_errors
from mentoring.inputs import parse_int
from mentoring.listing import page_of
from mentoring.meetings.models import MEETINGS_PER_PAIR
from mentoring.pairs.enums import Side
from people.access import program_view, staff_view
from people.enums import RoleKind
from programs.models import ProgramYear, Region

from . import selectors, services
from .enums import FeedbackKind
from .forms import ActionForm, FeedbackForm, GuideForm, RecordForm
from .markup import render_markdown
from .models import Feedback, GuideVersion

ALL_ROLES = (RoleKind.STAFF, RoleKind.MENTOR, RoleKind.SCHOOLLEIDER, RoleKind.EXPERTCOACH)
PAIR_ROLES = (RoleKind.MENTOR, RoleKind.SCHOOLLEIDER)


def _rendered(version: GuideVersion | None) -> dict:
    if version is None:
        return {}
    return {
        "goal": render_markdown(version.goal),
        "questions": render_markdown(version.questions),
        "links": render_markdown(version.links),
    }


# ------------------------------------------------------------------ guides


@program_view(*ALL_ROLES)
def guide_list(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    is_staff = RoleKind.STAFF in request.roles
    guides = selectors.guides_of(program, include_drafts=is_staff)
    return render(
        request,
        "guides/guide_list.html",
        {"program": program, "guides": guides, "is_staff": is_staff},
    )


@program_view(*ALL_ROLES)
def guide_detail(request: HttpRequest, program: ProgramYear, guide_id: int) -> HttpResponse:
    is_staff = RoleKind.STAFF in request.roles
    guide = selectors.get_guide_for(program, guide_id, staff=is_staff)
    versions = list(guide.versions.all()) if is_staff else []
    version = guide.published_version
    wanted = request.GET.get("versie")
    if is_staff and wanted:
        version = next((v for v in versions if str(v.version) == wanted), None)
        if version is None:
            raise Http404("version")
    elif is_staff and version is None and versions:
        version = versions[0]
    labels = dict(selectors.themes_for(program))
    return render(
        request,
        "guides/guide_detail.html",
        {
            "program": program,
            "guide": guide,
            "version": version,
            "versions": versions,
            "html": _rendered(version),
            "theme_labels": [labels.get(t, t) for t in (version.themes if version else [])],
            "is_staff": is_staff,
            "checklists": _checklists(program, version),
        },
    )


def _checklists(program, version):
    if version is None:
        return []
    mentoring = program.is_mentoring
    return [
        (_("Mentor") if mentoring else _("Expertcoach"), version.checklist(Side.MENTOR)),
        (_("Schoolleider") if mentoring else _("School"), version.checklist(Side.SCHOOLLEIDER)),
    ]


@staff_view
def guide_create(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    themes = selectors.themes_for(program)
    form = GuideForm(request.POST or None, program=program, themes=themes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            guide = services.guide_create(
                program=program,
                number=data.pop("number"),
                phase=data.pop("phase", ""),
                by=request.user,
                **data,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Het handvat is als concept opgeslagen."))
            return redirect("guides:guide_detail", program.pk, guide.pk)
    return render(
        request, "guides/guide_form.html", {"program": program, "form": form, "guide": None}
    )


@staff_view
def guide_edit(request: HttpRequest, program: ProgramYear, guide_id: int) -> HttpResponse:
    guide = selectors.get_guide_for(program, guide_id, staff=True)
    latest = guide.versions.order_by("-version").first()
    initial = {k: getattr(latest, k) for k in services.GUIDE_FIELDS} if latest else {}
    initial["phase"] = guide.phase
    form = GuideForm(
        request.POST or None,
        initial=initial,
        program=program,
        themes=selectors.themes_for(program),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("phase", None)
        try:
            version = services.guide_save_draft(guide=guide, by=request.user, **data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Concept versie %(v)s opgeslagen. Publiceer het om het aan koppels te tonen.")
                % {"v": version.version},
            )
            return redirect(
                reverse("guides:guide_detail", args=[program.pk, guide.pk])
                + f"?versie={version.version}"
            )
    return render(
        request,
        "guides/guide_form.html",
        {"program": program, "form": form, "guide": guide, "latest": latest},
    )


@staff_view
@require_POST
def guide_publish(request: HttpRequest, program: ProgramYear, guide_id: int) -> HttpResponse:
    guide = selectors.get_guide_for(program, guide_id, staff=True)
    version = guide.versions.filter(version=request.POST.get("versie")).first()
    if version is None:
        raise Http404("version")
    try:
        services.guide_publish(version=version, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Versie %(v)s is gepubliceerd.") % {"v": version.version})
    return redirect("guides:guide_detail", program.pk, guide.pk)


@staff_view
@require_POST
def guide_seed(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    created = services.guides_seed(program=program, by=request.user)
    if created:
        messages.success(
            request, _("%(n)s standaardhandvatten toegevoegd en gepubliceerd.") % {"n": created}
        )
    else:
        messages.info(request, _("Alle standaardhandvatten staan al in dit programmajaar."))
    return redirect("guides:guide_list", program.pk)


# ------------------------------------------------------------------ the pair's meeting page


def _meeting_context(request, program, page, record_form=None, action_form=None):
    themes = selectors.themes_for(program)
    labels = dict(themes)
    record = page.record
    version = page.version
    checklist = version.checklist(page.side) if version else []
    done = set(getattr(record, f"prep_{page.side}_done", []) or []) if record else set()
    other = Side.SCHOOLLEIDER if page.side == Side.MENTOR else Side.MENTOR
    other_done = len(getattr(record, f"prep_{other}_done", []) or []) if record else 0
    if record_form is None:
        initial = {}
        if page.held is not None:
            initial = {
                "held": "yes" if page.held else "no",
                "held_on": page.held_on,
                "themes": record.themes if record else [],
            }
        elif page.meeting is not None and page.meeting.starts_at:
            initial = {"held_on": timezone.localtime(page.meeting.starts_at).date()}
        own_note = page.notes.get(page.side)
        if own_note:
            initial["note"] = own_note.body
        record_form = RecordForm(initial=initial, themes=themes)
    return {
        "program": program,
        "page": page,
        "pair": page.pair,
        "number": page.number,
        "numbers": range(1, MEETINGS_PER_PAIR + 1),
        "version": version,
        "html": _rendered(version),
        "theme_labels": [labels.get(t, t) for t in (version.themes if version else [])],
        "record_themes": [labels.get(t, t) for t in (record.themes if record else [])],
        "checklist": [(i, item, i in done) for i, item in enumerate(checklist)],
        "other_checklist_size": len(version.checklist(other)) if version else 0,
        "other_done": other_done,
        "other_note": page.notes.get(other),
        "record_form": record_form,
        "action_form": action_form or ActionForm(),
        "partner": page.pair.other_user(request.user),
    }


@program_view(*PAIR_ROLES)
def pair_meeting(
    request: HttpRequest, program: ProgramYear, pair_id: int, number: int
) -> HttpResponse:
    pair, side = selectors.get_pair_meeting(request.user, program, pair_id, number)
    if request.method == "POST":
        done = []
        for value in request.POST.getlist("done"):
            if parse_int(value) is not None:
                done.append(parse_int(value))
        services.preparation_save(pair=pair, number=number, by=request.user, done=done)
        messages.success(request, _("Uw voorbereiding is opgeslagen."))
        return redirect("guides:pair_meeting", program.pk, pair.pk, number)
    page = selectors.meeting_page(pair, number, side)
    return render(request, "guides/pair_meeting.html", _meeting_context(request, program, page))


@program_view(*PAIR_ROLES)
@require_POST
def meeting_record(
    request: HttpRequest, program: ProgramYear, pair_id: int, number: int
) -> HttpResponse:
    pair, side = selectors.get_pair_meeting(request.user, program, pair_id, number)
    form = RecordForm(request.POST, themes=selectors.themes_for(program))
    if form.is_valid():
        try:
            services.meeting_record_save(
                pair=pair,
                number=number,
                by=request.user,
                held=form.cleaned_data["held"],
                held_on=form.cleaned_data["held_on"],
                themes=form.cleaned_data["themes"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Het gesprek is vastgelegd."))
            return redirect("guides:pair_meeting", program.pk, pair.pk, number)
    page = selectors.meeting_page(pair, number, side)
    return render(
        request,
        "guides/pair_meeting.html",
        _meeting_context(request, program, page, record_form=form),
        status=400,
    )


@program_view(*PAIR_ROLES)
@require_POST
def action_add(
    request: HttpRequest, program: ProgramYear, pair_id: int, number: int
) -> HttpResponse:
    pair, side = selectors.get_pair_meeting(request.user, program, pair_id, number)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.action_add(pair=pair, number=number, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("De afspraak is toegevoegd."))
            return redirect(
                reverse("guides:pair_meeting", args=[program.pk, pair.pk, number]) + "#afspraken"
            )
    page = selectors.meeting_page(pair, number, side)
    return render(
        request,
        "guides/pair_meeting.html",
        _meeting_context(request, program, page, action_form=form),
        status=400,
    )


@program_view(*PAIR_ROLES)
@require_POST
def action_toggle(
    request: HttpRequest, program: ProgramYear, pair_id: int, action_id: int
) -> HttpResponse:
    action = selectors.get_action_for(request.user, program, pair_id, action_id)
    done = request.POST.get("done") == "1"
    services.action_set_done(action=action, by=request.user, done=done)
    back = request.POST.get("number", "")
    number = parse_int(back, action.number, low=1, high=MEETINGS_PER_PAIR)
    return redirect(
        reverse("guides:pair_meeting", args=[program.pk, action.pair_id, number]) + "#afspraken"
    )


# ------------------------------------------------------------------ feedback


def _feedback_page(
    request, program, *, kind, side, pair, school=None, number=0, thanks, success_url
):
    """The one-time feedback form of ``side`` (meeting or closing); shared by both views."""
    key = services.feedback_key(kind=kind, side=side, pair=pair, school=school, number=number)
    existing = selectors.feedback_of(program, key)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            services.feedback_submit(
                program=program,
                kind=kind,
                side=side,
                respondent=request.user,
                pair=pair,
                school=school,
                number=number,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, thanks)
            return redirect(success_url)
    return render(
        request,
        "guides/feedback_form.html",
        {
            "program": program,
            "form": form,
            "existing": existing,
            "pair": pair,
            "school": school,
            "number": number,
            "closing": kind == FeedbackKind.CLOSING,
        },
    )


@program_view(*PAIR_ROLES)
def meeting_feedback(
    request: HttpRequest, program: ProgramYear, pair_id: int, number: int
) -> HttpResponse:
    pair, side = selectors.get_pair_meeting(request.user, program, pair_id, number)
    return _feedback_page(
        request,
        program,
        kind=FeedbackKind.MEETING,
        side=side,
        pair=pair,
        number=number,
        thanks=_("Dank u wel voor uw feedback!"),
        success_url=reverse("guides:pair_meeting", args=[program.pk, pair.pk, number]),
    )


@program_view(*PAIR_ROLES)
def closing_feedback(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    target = selectors.closing_target(request.user, program)
    if target is None:
        raise Http404("nothing to look back on")
    if not program.closing_survey_open:
        messages.info(request, services.closing_not_open_message(program))
        return redirect("program_home", program.pk)
    if target[0] == "pair":
        _kind, pair, side = target
        school = pair.school
    else:
        _kind, school, side = target
        pair = None
    return _feedback_page(
        request,
        program,
        kind=FeedbackKind.CLOSING,
        side=side,
        pair=pair,
        school=school,
        thanks=_("Dank u wel voor uw terugblik!"),
        success_url=reverse("program_home", args=[program.pk]),
    )


@staff_view
def feedback_list(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    qs = (
        Feedback.objects.filter(program=program)
        .select_related("region", "respondent", "school")
        .order_by("-created_at", "-pk")
    )
    region = request.GET.get("regio", "")
    kind = request.GET.get("soort", "")
    region_id = parse_int(region)
    if region_id is not None:
        qs = qs.filter(region_id=region_id)
    if kind in FeedbackKind.values:
        qs = qs.filter(kind=kind)
    page = page_of(qs, request.GET.get("page"), 50)
    return render(
        request,
        "guides/feedback_list.html",
        {
            "program": program,
            "page": page,
            "regions": Region.objects.all(),
            "kinds": FeedbackKind.choices,
            "region": region,
            "kind": kind,
            "to_invite": services.closing_survey_recipients_query(program).count(),
            "closing_open": program.closing_survey_open,
            "closing_not_open": ""
            if program.closing_survey_open
            else services.closing_not_open_message(program),
        },
    )


@staff_view
@require_POST
def closing_survey_invite(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    try:
        sent = services.closing_survey_invite(program=program, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("De terugblik is naar %(n)s deelnemers gestuurd.") % {"n": sent}
        )
    return redirect("guides:feedback_list", program.pk)
