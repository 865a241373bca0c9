"""Staff pages of the outbox, and the page where people choose their messages.

Every outbox page exists twice: for foundation staff over all messages (``/staf/berichten/``)
and for program staff over one program year (``/programma/<id>/staf/berichten/``: rows
tagged with the program and rows to anyone with a role in it).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from mentoring.inputs import clean_text, parse_int, sort_choice
from mentoring.listing import page_of
from people.access import foundation_staff_view, staff_view
from programs.models import ProgramYear

from . import outbox as outbox_service
from . import selectors, suppression
from .enums import CANCELLABLE_STATUSES, RETRYABLE_STATUSES, Status
from .kinds import kind_label
from .models import NotificationPreference
from .secrets import redacted

PAGE_SIZE = 50
BULK_LIMIT = 5000
OUTBOX_SORT_LABELS = [
    ("-aangemaakt", gettext_lazy("nieuwste eerst")),
    ("aangemaakt", gettext_lazy("oudste eerst")),
    ("-pogingen", gettext_lazy("meeste pogingen eerst")),
]


# --- Helpers ----------------------------------------------------------------------------


def _urls(program) -> dict[str, str]:
    if program is None:
        return {
            "outbox": reverse("notifications:outbox"),
            "action": reverse("notifications:action"),
            "suppressed": reverse("notifications:suppressed"),
        }
    return {
        "outbox": reverse("notifications:program_outbox", args=[program.pk]),
        "action": reverse("notifications:program_action", args=[program.pk]),
        "suppressed": reverse("notifications:program_suppressed", args=[program.pk]),
    }


def _filters(request: HttpRequest) -> dict[str, str]:
    status = request.GET.get("status") or request.POST.get("status") or "failed"
    if status not in selectors.FILTER_STATUSES:
        status = "failed"
    return {
        "status": status,
        "kind": clean_text(request.GET.get("kind") or request.POST.get("kind"), 100),
        "query": clean_text(request.GET.get("q") or request.POST.get("q")),
    }


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


# --- Outbox list ------------------------------------------------------------------------


def _outbox(request: HttpRequest, program=None) -> HttpResponse:
    filters = _filters(request)
    sort, order = sort_choice(request.GET.get("sorteer"), selectors.OUTBOX_SORTS, "-aangemaakt")
    rows = selectors.outbox_rows(
        program=program,
        status=filters["status"],
        kind=filters["kind"],
        query=filters["query"],
        order=order,
    )
    page = page_of(rows, request.GET.get("page"), PAGE_SIZE)
    for row in page:
        row.kind_label = kind_label(row.kind)
    counts = selectors.filter_counts(program)
    return render(
        request,
        "notifications/outbox.html",
        {
            "program": program,
            "page": page,
            "filters": [(value, label, counts[value]) for value, label, _s in selectors.FILTERS],
            "status": filters["status"],
            "kind": filters["kind"],
            "query": filters["query"],
            "sort": sort,
            "sorts": OUTBOX_SORT_LABELS,
            "kinds": sorted(
                ((k, kind_label(k)) for k in selectors.kinds_in_use(program)),
                key=lambda item: item[1].lower(),
            ),
            "urls": _urls(program),
            "bulk_retry": filters["status"] in ("failed", "unknown", "suppressed"),
        },
    )


@foundation_staff_view
def outbox(request: HttpRequest) -> HttpResponse:
    return _outbox(request)


@staff_view
def program_outbox(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    return _outbox(request, program)


# --- Detail -----------------------------------------------------------------------------


def _detail(request: HttpRequest, pk: int, program=None) -> HttpResponse:
    row = get_object_or_404(
        selectors.scoped_notifications(program).select_related("recipient", "program"), pk=pk
    )
    return render(
        request,
        "notifications/detail.html",
        {
            "program": program,
            "n": row,
            "content": redacted(row),
            "events": list(row.events.all()[:50]),
            "urls": _urls(program),
            "retryable": row.status in RETRYABLE_STATUSES,
            "cancellable": row.status in CANCELLABLE_STATUSES,
            "unknown": row.status == Status.UNKNOWN,
            "attachment_names": [a.get("filename", "") for a in row.attachments or []],
        },
    )


@foundation_staff_view
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@staff_view
def program_detail(request: HttpRequest, program: ProgramYear, pk: int) -> HttpResponse:
    return _detail(request, pk, program)


# --- Actions (POST) ---------------------------------------------------------------------


def _action(request: HttpRequest, program=None) -> HttpResponse:
    urls = _urls(program)
    action = request.POST.get("action", "")
    scoped = selectors.scoped_notifications(program)
    if request.POST.get("scope") == "filtered":
        filters = _filters(request)
        ids = list(
            selectors.outbox_rows(
                program=program,
                status=filters["status"],
                kind=filters["kind"],
                query=filters["query"],
            ).values_list("pk", flat=True)[:BULK_LIMIT]
        )
    else:
        ids = [i for i in map(parse_int, request.POST.getlist("ids")) if i is not None]
        ids = ids[:BULK_LIMIT]
    if not ids:
        messages.warning(request, _("Kies eerst een of meer berichten."))
        return _back(request, urls["outbox"])
    rows = scoped.filter(pk__in=ids)
    if action == "retry":
        queued, blocked = outbox_service.retry_notifications(rows)
        messages.success(
            request,
            ngettext(
                "%(n)s bericht opnieuw in de wachtrij gezet.",
                "%(n)s berichten opnieuw in de wachtrij gezet.",
                queued,
            )
            % {"n": queued},
        )
        if blocked:
            messages.warning(
                request,
                ngettext(
                    "%(n)s bericht niet opnieuw verstuurd: het adres staat nog op de lijst van "
                    "onbestelbare adressen. Haal het adres van die lijst als het weer werkt.",
                    "%(n)s berichten niet opnieuw verstuurd: de adressen staan nog op de lijst "
                    "van onbestelbare adressen. Haal een adres van die lijst als het weer werkt.",
                    blocked,
                )
                % {"n": blocked},
            )
    elif action == "cancel":
        n = outbox_service.cancel_notifications(rows)
        messages.success(
            request,
            ngettext("%(n)s bericht geannuleerd.", "%(n)s berichten geannuleerd.", n) % {"n": n},
        )
    elif action == "mark_sent":
        n = outbox_service.mark_sent(rows)
        messages.success(
            request,
            ngettext(
                "%(n)s bericht als verstuurd gemarkeerd.",
                "%(n)s berichten als verstuurd gemarkeerd.",
                n,
            )
            % {"n": n},
        )
    else:
        messages.error(request, _("Onbekende actie."))
    return _back(request, urls["outbox"])


@require_POST
@foundation_staff_view
def action(request: HttpRequest) -> HttpResponse:
    return _action(request)


@require_POST
@staff_view
def program_action(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    return _action(request, program)


# --- Undeliverable addresses ------------------------------------------------------------


def _suppressed(request: HttpRequest, program=None) -> HttpResponse:
    query = clean_text(request.GET.get("q"))
    rows = selectors.suppressed_addresses(program=program, query=query)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    names = selectors.names_by_email([row.email for row in page])
    for row in page:
        first, last = names.get(row.email, ("", ""))
        setattr(row, "person_first", first)  # noqa: B010 - shown next to the address
        setattr(row, "person_last", last)  # noqa: B010
    return render(
        request,
        "notifications/suppressed.html",
        {"program": program, "page": page, "query": query, "urls": _urls(program)},
    )


@foundation_staff_view
def suppressed(request: HttpRequest) -> HttpResponse:
    return _suppressed(request)


@staff_view
def program_suppressed(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    return _suppressed(request, program)


def _clear(request: HttpRequest, pk: int, program=None) -> HttpResponse:
    row = selectors.suppressed_addresses(program=program).filter(pk=pk).first()
    if row is None:
        raise Http404
    suppression.clear_suppression(row.email)
    messages.success(
        request,
        _("%(email)s staat niet meer op de lijst; nieuwe berichten worden weer verstuurd.")
        % {"email": row.email},
    )
    return _back(request, _urls(program)["suppressed"])


@require_POST
@foundation_staff_view
def suppression_clear(request: HttpRequest, pk: int) -> HttpResponse:
    return _clear(request, pk)


@require_POST
@staff_view
def program_suppression_clear(request: HttpRequest, program: ProgramYear, pk: int) -> HttpResponse:
    return _clear(request, pk, program)


# --- Preferences ------------------------------------------------------------------------


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["reminders", "nudges"]
        labels = {
            "reminders": gettext_lazy("Herinneringen ontvangen"),
            "nudges": gettext_lazy("Aansporingen en nieuws van de programmastaf ontvangen"),
        }


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    instance = NotificationPreference.objects.filter(user=request.user).first()
    instance = instance or NotificationPreference(user=request.user)
    form = PreferenceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        outbox_service.set_preferences(
            user=request.user,
            reminders=form.cleaned_data["reminders"],
            nudges=form.cleaned_data["nudges"],
        )
        messages.success(request, _("Uw voorkeuren voor berichten zijn opgeslagen."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
