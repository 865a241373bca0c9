"""Privacy pages: the public statement, who can see my data, and "Mijn gegevens" (the
overview, the JSON download, the page to read it, erasing the account).

The download and the erasure run every app's registered functions
(``mentoring.privacy_registry``); this module knows no app's models beyond the people app's.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mentoring.forms_util import add_errors
from mentoring.privacy_registry import erase_user, export_user_data
from people.models import InterestSignup, Role

from . import readable
from .catalogue import PARTS, parts_for
from .forms import EraseForm


def statement(request: HttpRequest) -> HttpResponse:
    """Public: what we store, why, how long, who sees it, your rights (docs/privacy.md)."""
    return render(request, "privacy/statement.html", {"parts": PARTS})


@login_required
def who_sees(request: HttpRequest) -> HttpResponse:
    """For this person: each part of their data and the roles that can see it."""
    roles = list(Role.objects.filter(user=request.user).select_related("program"))
    kinds = {r.kind for r in roles}
    if InterestSignup.objects.filter(email__iexact=request.user.email).exists():
        kinds.add("interest")
    return render(request, "privacy/who_sees.html", {"parts": parts_for(kinds), "roles": roles})


@login_required
def my_data_page(request: HttpRequest) -> HttpResponse:
    """The same data as the JSON download, as sections and tables to read."""
    data = export_user_data(request.user)
    return render(
        request,
        "privacy/my_data_page.html",
        {"sections": readable.sections(data), "generated_at": data.get("generated_at")},
    )


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/my_data.html", {"form": EraseForm(user=request.user)})


@login_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    data = export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens.json"'
    return response


@login_required
def my_data_erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            erase_user(user=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            logout(request)
            messages.success(request, _("Uw account en persoonsgegevens zijn verwijderd."))
            return redirect("home")
    return render(
        request,
        "privacy/my_data.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
