"""The mentor's certificate of participation: a one-page PDF for their employer."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from .selectors import MentorDay


def _hours(value: float) -> str:
    return f"{value:.1f}".replace(".", ",").replace(",0", "")


def certificate_pdf(*, user, program, day: MentorDay, organisation: str = "") -> bytes:
    """Render the certificate: who, which program, hours per activity, which school."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(_("Bewijs van deelname"))
    pdf.setAuthor("Stichting leerKRACHT")
    width, height = A4
    x = 2.5 * cm
    y = height - 3 * cm
    pdf.setFillColorRGB(0.0, 0.36, 0.5)
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawString(x, y, _("Bewijs van deelname"))
    pdf.setFillColorRGB(0, 0, 0)
    y -= 1.2 * cm
    pdf.setFont("Helvetica", 12)
    pdf.drawString(x, y, _("Stichting leerKRACHT verklaart dat"))
    y -= 1.0 * cm
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(x, y, user.full_name or user.email)
    if organisation:
        y -= 0.7 * cm
        pdf.setFont("Helvetica", 12)
        pdf.drawString(x, y, organisation)
    y -= 1.0 * cm
    pdf.setFont("Helvetica", 12)
    lines = [
        _("als bedrijfsmentor heeft deelgenomen aan het leerKRACHT mentoring project"),
        f"{program.name} {program.school_year}.",
    ]
    school = day.pair.school if day.pair else None
    if school is not None:
        place = f", {school.place}" if school.place else ""
        lines += [
            "",
            _("Geholpen school: %(school)s%(place)s") % {"school": school.name, "place": place},
        ]
    for line in lines:
        pdf.drawString(x, y, line)
        y -= 0.6 * cm
    y -= 0.6 * cm
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(x, y, _("Gegeven tijd"))
    y -= 0.7 * cm
    pdf.setFont("Helvetica", 12)
    rows = [
        (_("Voorbereidend webinar"), day.webinar),
        (_("Koppeling en planning"), day.matching),
        (_("Gesprekken met de schoolleider (%(n)s)") % {"n": day.meetings_held}, day.meetings),
        (_("Totaal"), day.total),
    ]
    for label, hours in rows:
        pdf.drawString(x, y, label)
        pdf.drawRightString(x + 13 * cm, y, _("%(h)s uur") % {"h": _hours(hours)})
        y -= 0.6 * cm
    y -= 1.0 * cm
    pdf.setFont("Helvetica-Oblique", 11)
    for line in (
        _("Met één werkdag van hun tijd helpen mentoren uit het bedrijfsleven schoolleiders"),
        _("een verbetercultuur op school te bouwen: elke dag samen een beetje beter."),
    ):
        pdf.drawString(x, y, line)
        y -= 0.55 * cm
    y -= 1.2 * cm
    pdf.setFont("Helvetica", 11)
    pdf.drawString(x, y, _("Datum: %(d)s") % {"d": date_format(timezone.localdate(), "j F Y")})
    y -= 0.6 * cm
    pdf.drawString(x, y, "Stichting leerKRACHT")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
