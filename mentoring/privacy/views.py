"""Privacy pages: the public statement, who can see my data, my data as a readable page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from people.models import InterestSignup, Role

from . import readable
from .catalogue import PARTS, parts_for


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
    from mentoring.guides.privacy import export_user_data

    data = export_user_data(request.user)
    return render(
        request,
        "privacy/my_data_page.html",
        {"sections": readable.sections(data), "generated_at": data.get("generated_at")},
    )
