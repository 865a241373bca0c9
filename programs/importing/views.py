"""Staff pages to import schools with schoolleiders, and expertcoaches: upload, preview, commit."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from people.access import program_view, staff_view
from people.enums import RoleKind

from ..enums import ProgramKind, Sector
from ..models import ProgramYear
from .enums import ImportKind, ImportStatus, RowStatus
from .examples import template_csv, template_xlsx
from .models import ImportRun
from .reading import MAX_BYTES
from .services import (
    DeclineRefused,
    ImportBlocked,
    import_run_commit,
    import_run_create,
    import_run_discard,
    import_run_plan,
    role_decline,
)

ROWS_PER_PAGE = 100
ALLOWED_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")
TEMPLATE_FILES = {
    "scholen.csv": (ImportKind.SCHOOLS, "csv"),
    "scholen.xlsx": (ImportKind.SCHOOLS, "xlsx"),
    "expertcoaches.csv": (ImportKind.COACHES, "csv"),
    "expertcoaches.xlsx": (ImportKind.COACHES, "xlsx"),
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTERS = {
    "fouten": RowStatus.ERROR,
    "nieuw": RowStatus.NEW,
    "bijgewerkt": RowStatus.UPDATED,
    "ongewijzigd": RowStatus.UNCHANGED,
}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Wat importeert u?"), choices=ImportKind.choices)
    sector = forms.ChoiceField(
        label=gettext_lazy("Sector"),
        required=False,
        choices=[("", gettext_lazy("uit de kolom ‘sector’ in het bestand")), *Sector.choices],
        help_text=gettext_lazy(
            "Alleen voor scholen. Kies een sector als het hele bestand één sector is "
            "(zoals het DUO-bestand van basisscholen: po)."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("Bestand (CSV of Excel .xlsx)"),
        help_text=gettext_lazy(
            "CSV met komma, puntkomma of tab; UTF-8 of Windows-1252. Maximaal 10 MB."
        ),
    )

    def __init__(self, *args, program: ProgramYear, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        if program.kind != ProgramKind.COACH_SCHOOL:
            self.fields["kind"].choices = [(ImportKind.SCHOOLS, ImportKind.SCHOOLS.label)]
            self.fields["kind"].initial = ImportKind.SCHOOLS

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if name.endswith(".xls"):
            raise forms.ValidationError(
                _(
                    "Oude Excel-bestanden (.xls) worden niet ondersteund. Sla het bestand op als .xlsx of CSV."
                )
            )
        if not name.endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError(
                _("Kies een CSV-bestand (.csv) of een Excel-werkmap (.xlsx).")
            )
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan 10 MB. Splits het in kleinere bestanden.")
            )
        if upload.size == 0:
            raise forms.ValidationError(_("Het bestand is leeg."))
        return upload

    def clean(self):
        data = super().clean()
        if data.get("kind") == ImportKind.COACHES:
            data["sector"] = ""
        return data


def get_import_run_for(user, program: ProgramYear, run_id: int) -> ImportRun:
    """A run of this program: a pending preview only for the staff member who uploaded it."""
    run = get_object_or_404(
        ImportRun.objects.select_related("program", "created_by").defer("content"),
        pk=run_id,
        program=program,
    )
    if run.status == ImportStatus.PREVIEW and run.created_by_id != user.pk:
        raise Http404
    return run


@staff_view
def upload(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """Choose a file; below it, the imports done in this program so far."""
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, program=program)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            run = import_run_create(
                program=program,
                kind=form.cleaned_data["kind"],
                content=upload_file.read(),
                file_name=upload_file.name,
                user=request.user,
                sector=form.cleaned_data["sector"],
            )
            return redirect("imports:preview", program.pk, run.pk)
    else:
        form = UploadForm(
            program=program,
            initial={"kind": request.GET.get("soort", ImportKind.SCHOOLS)},
        )
    runs = (
        ImportRun.objects.filter(program=program, status=ImportStatus.COMMITTED)
        .select_related("created_by")
        .defer("content", "parsed")[:30]
    )
    pending = ImportRun.objects.filter(
        program=program, status=ImportStatus.PREVIEW, created_by=request.user
    ).defer("content", "parsed")[:10]
    return render(
        request,
        "programs/import_upload.html",
        {"program": program, "form": form, "runs": runs, "pending": pending},
    )


@staff_view
def preview(request: HttpRequest, program: ProgramYear, run_id: int) -> HttpResponse:
    """What the file would change, row by row; nothing is written here."""
    run = get_import_run_for(request.user, program, run_id)
    if run.status == ImportStatus.COMMITTED:
        return render(request, "programs/import_done.html", {"program": program, "run": run})
    plan = import_run_plan(run=run)
    shown = request.GET.get("toon", "fouten" if plan.counts["errors"] else "")
    rows = plan.rows
    if shown in FILTERS:
        rows = [r for r in rows if r.status == FILTERS[shown]]
    elif shown == "meldingen":
        rows = [r for r in rows if r.warnings]
    else:
        shown = ""
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    form = UploadForm(program=program, initial={"kind": run.kind, "sector": run.sector})
    return render(
        request,
        "programs/import_preview.html",
        {
            "program": program,
            "run": run,
            "plan": plan,
            "counts": plan.counts,
            "page": page,
            "shown": shown,
            "form": form,
            "is_schools": run.kind == ImportKind.SCHOOLS,
        },
    )


@staff_view
@require_POST
def commit(request: HttpRequest, program: ProgramYear, run_id: int) -> HttpResponse:
    run = get_import_run_for(request.user, program, run_id)
    if run.status == ImportStatus.COMMITTED:
        messages.info(request, _("Dit bestand is al geïmporteerd."))
        return redirect("imports:preview", program.pk, run.pk)
    try:
        result = import_run_commit(run=run, expected_digest=request.POST.get("digest", ""))
    except ImportBlocked as blocked:
        if blocked.stale:
            messages.warning(
                request,
                _(
                    "De gegevens zijn gewijzigd sinds u de controle bekeek. Bekijk de "
                    "nieuwe controle en bevestig opnieuw."
                ),
            )
        else:
            messages.error(
                request, _("Er is niets geïmporteerd: los eerst de fouten in het bestand op.")
            )
        return redirect("imports:preview", program.pk, run.pk)
    counts = result.counts
    message = (
        _("Import voltooid: %(new)s nieuw, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd.")
        % counts
    )
    if counts["invitations"]:
        message += " " + ngettext(
            "%(n)s nieuwe persoon krijgt een uitnodiging per e-mail.",
            "%(n)s nieuwe personen krijgen een uitnodiging per e-mail.",
            counts["invitations"],
        ) % {"n": counts["invitations"]}
    messages.success(request, message)
    if run.kind == ImportKind.SCHOOLS:
        return redirect("programs:school_list", program.pk)
    return redirect("imports:preview", program.pk, run.pk)


@staff_view
@require_POST
def discard(request: HttpRequest, program: ProgramYear, run_id: int) -> HttpResponse:
    run = get_import_run_for(request.user, program, run_id)
    if run.status == ImportStatus.PREVIEW:
        import_run_discard(run=run)
        messages.info(request, _("Het bestand is verwijderd; er is niets geïmporteerd."))
    return redirect("imports:upload", program.pk)


@staff_view
def template_file(request: HttpRequest, program: ProgramYear, filename: str) -> HttpResponse:
    """The empty template with our column names and one example row."""
    if filename not in TEMPLATE_FILES:
        raise Http404
    kind, file_format = TEMPLATE_FILES[filename]
    if file_format == "csv":
        response = HttpResponse(template_csv(kind), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(template_xlsx(kind), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@program_view(RoleKind.SCHOOLLEIDER, RoleKind.EXPERTCOACH)
def role_decline_view(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    """A person an import added with their existing account declines taking part."""
    if request.method == "POST":
        try:
            role_decline(user=request.user, program=program)
        except DeclineRefused:
            messages.error(
                request,
                _(
                    "U doet in dit programma al mee aan een matching of een koppel; weigeren "
                    "kan daarom niet meer hier. Neem contact op met de programmastaf."
                ),
            )
            return redirect("imports:role_decline", program.pk)
        messages.success(
            request,
            _("U doet niet mee aan %(program)s.") % {"program": program},
        )
        return redirect("home")
    return render(request, "programs/role_decline.html", {"program": program})
