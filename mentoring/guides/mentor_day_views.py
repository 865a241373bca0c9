"""The mentor's day: the time given so far, and the certificate of participation."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from people.access import get_role, program_view
from people.enums import RoleKind
from people.models import MentorProfile
from programs.models import ProgramYear

from . import selectors
from .certificate import certificate_pdf


def _mentor_day_context(request, program):
    get_role(request, RoleKind.MENTOR)
    day = selectors.mentor_day(request.user, program)
    return day, selectors.certificate_available(day, program)


@program_view(RoleKind.MENTOR)
def mentor_day(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    day, available = _mentor_day_context(request, program)
    return render(
        request,
        "guides/mentor_day.html",
        {"program": program, "day": day, "certificate": available},
    )


@program_view(RoleKind.MENTOR)
def certificate(request: HttpRequest, program: ProgramYear) -> HttpResponse:
    day, available = _mentor_day_context(request, program)
    if not available:
        raise Http404("certificate not yet available")
    profile = MentorProfile.objects.filter(role__user=request.user, role__program=program).first()
    pdf = certificate_pdf(
        user=request.user,
        program=program,
        day=day,
        organisation=profile.organisation if profile else "",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="bewijs-van-deelname.pdf"'
    return response
